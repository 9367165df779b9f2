"""A facilitator adapts and translates a starter module in the browser; the design check runs
live in the editor; a coordinator publishes; provenance shows on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def library(transactional_db, network):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person
    from datacircle.library.services import load_starter_library
    from tests.conftest import PASSWORD

    load_starter_library()
    user = get_user_model().objects.create_user("baraka", password=PASSWORD)
    Person.objects.create(
        organisation=network["kenya"],
        given_name="Baraka",
        family_name="Mwangi",
        kind="staff",
        role="facilitator",
        languages=["en"],
        user=user,
    )


def test_adapt_translate_and_publish_keep_provenance(library, page, browser, live_server):
    log_in(page, "baraka")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    page.get_by_role("searchbox", name="Search").fill("one chart message")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="One chart, one message", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One chart, one message")

    page.get_by_role("button", name="Adapt for my organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit module")
    page.get_by_label("Title").fill("One chart, one message (Kenya branches)")
    # The design check runs while typing: a 90-minute session is flagged at once.
    page.locator("#id_duration").fill("90")
    panel = page.locator("#preview-panel")
    expect(panel).to_contain_text("DC001")
    page.locator("#id_duration").fill("60")
    expect(panel).to_contain_text("The module follows every design rule.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved the module")).to_be_visible()
    expect(page.locator(".provenance")).to_contain_text("Adapted from One chart, one message")
    expect(page.locator(".provenance")).to_contain_text("datacircle/one-chart-one-message@1")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review.")).to_be_visible()

    # The facilitator starts a French translation of the original.
    page.goto("/library/?q=one+chart+message")
    page.get_by_role("link", name="One chart, one message", exact=True).click()
    page.get_by_label("Translate into").select_option("fr")
    page.get_by_role("button", name="Start a translation").click()
    page.get_by_label("Title").fill("Un graphique, un message")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".provenance")).to_contain_text("Translation of One chart, one message")

    # A coordinator publishes the adaptation.
    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(coordinator, "otieno")
    coordinator.goto("/library/?organisation=kenya-rc")
    coordinator.get_by_role("link", name="One chart, one message (Kenya branches)").click()
    coordinator.get_by_role("button", name="Publish").click()
    expect(coordinator.get_by_text("Published as version 1.")).to_be_visible()
    coordinator.goto("/library/?q=one+chart+message")
    coordinator.get_by_role("link", name="One chart, one message", exact=True).click()
    adaptations = coordinator.get_by_role("region", name="Adaptations")
    expect(adaptations).to_contain_text(re.compile("One chart, one message \\(Kenya branches\\)"))
    expect(coordinator.get_by_text("Also in:")).to_contain_text("French")
    coordinator.context.close()
