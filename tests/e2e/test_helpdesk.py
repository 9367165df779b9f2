"""A question travels from its asker to a FAQ entry through the web pages: a member asks, the
data leader with the skill answers, the member accepts, the coordinator promotes the answer,
and a colleague in another organisation finds it in the FAQ (and as a suggestion while typing).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def grace(network, transactional_db):
    """A Kenyan facilitator who shares GIS."""
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from datacircle.peers.models import Profile
    from tests.conftest import PASSWORD

    person = Person.objects.create(
        organisation=network["kenya"],
        given_name="Grace",
        family_name="Mutua",
        email="grace@example.org",
        kind="staff",
        role="facilitator",
        languages=["en"],
        user=get_user_model().objects.create_user("grace", password=PASSWORD),
    )
    Profile.objects.create(person=person, shares={"gis": 4}, source="self")
    return person


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_question_from_asker_to_faq_entry(network, grace, page, transactional_db):
    title = "How do I make a buffer around clinics?"

    # Wanjiru asks; the page says who answers and why.
    log_in(page, "wanjiru")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help desk & peers"
    ).click()
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Your question in one line").fill(title)
    page.get_by_label("Details").fill("Within **5 km** of each clinic, for the malaria campaign.")
    page.get_by_label("Skill it is about").select_option("gis")
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Grace Mutua will answer it.")).to_be_visible()
    expect(page.locator(".question-body strong")).to_have_text("5 km")
    log_out(page)

    # Grace finds it among the questions assigned to her and answers.
    log_in(page, "grace")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help desk & peers"
    ).click()
    assigned = page.get_by_role("region", name="Questions assigned to me")
    assigned.get_by_role("link", name=title).click()
    page.get_by_label("Your reply").fill(
        "Hi Wanjiru, use *Vector > Geoprocessing > Buffer* in QGIS with a distance of 5000."
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".status").first).to_have_text("Answered")
    log_out(page)

    # Wanjiru accepts the answer.
    log_in(page, "wanjiru")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help desk & peers"
    ).click()
    page.get_by_role("region", name="My questions").get_by_role("link", name=title).click()
    page.get_by_role("button", name="Accept as the answer").click()
    expect(page.locator(".status").first).to_have_text("Resolved")
    expect(page.get_by_role("table").filter(has_text="Resolved")).to_contain_text("Wanjiru Kamau")
    log_out(page)

    # Otieno, the coordinator, turns the answer into a FAQ entry, without Wanjiru's name.
    log_in(page, "otieno")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help desk & peers"
    ).click()
    page.goto("/helpdesk/questions/?status=resolved")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Add to the FAQ").click()
    body = page.get_by_label("Answer")
    expect(body).not_to_have_value(re.compile("Wanjiru"))
    page.get_by_label("Title").fill("How do I draw a buffer around points in QGIS?")
    page.get_by_role("button", name="Publish in the FAQ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do I draw a buffer around points in QGIS?"
    )
    expect(page.locator(".prose em")).to_have_text("Vector > Geoprocessing > Buffer")
    log_out(page)

    # Awa, in Senegal, finds it in the FAQ with a typo, and as a suggestion while asking. She
    # speaks French, so the pages she reads are in French.
    log_in(page, "awa")
    page.goto("/helpdesk/faq/")
    page.get_by_label("Rechercher").fill("bufer qgis")
    page.get_by_role("button", name="Rechercher").click()
    expect(
        page.get_by_role("link", name="How do I draw a buffer around points in QGIS?")
    ).to_be_visible()
    page.goto("/helpdesk/ask/")
    page.get_by_label("Votre question en une ligne").press_sequentially("buffer around points")
    suggestions = page.locator("#faq-suggestions")
    expect(suggestions.get_by_role("link")).to_have_text(
        "How do I draw a buffer around points in QGIS?"
    )
    expect(page.get_by_role("link", name="Consultez d'abord la FAQ")).to_have_attribute(
        "href", re.compile(r"/helpdesk/faq/\?q=buffer")
    )
