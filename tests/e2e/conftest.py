"""Drive Debian's Chromium with Playwright against a live Data Circle server.

The system browser is used through its executable path; Playwright never downloads one.
Without Chromium these tests skip with a message, unless DATACIRCLE_REQUIRE_BROWSER is set (CI).
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from datacircle.core.demo import DEMO_PASSWORD, build_network

# Playwright's sync API runs an event loop in this thread; the live server runs Django in its own
# thread, so the ORM calls the tests make for fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = (
            "No Chromium found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome): "
            "install Debian's `chromium` package to run the browser tests."
        )
        if os.environ.get("DATACIRCLE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def choose_language(page, language: str) -> None:
    """With the switcher at the foot of every page, as a person does."""
    page.locator("#language").select_option(language)
    page.locator("#language").locator("xpath=ancestor::form").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def log_in_in(page, language: str) -> None:
    """The demo's Kenyan coordinator logs in and chooses `language`."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    choose_language(page, language)


@pytest.fixture
def lived_in_network(transactional_db):
    """A small demo network with something on every main page, loaded as `datacircle demo` does."""
    from datacircle.accounts.demo import load_network
    from datacircle.helpdesk.demo import load_demo as load_helpdesk
    from datacircle.library.demo import load_demo as load_library
    from datacircle.library.services import load_starter_library
    from datacircle.maturity.demo import load_demo as load_maturity
    from datacircle.maturity.services import load_builtin_questionnaire
    from datacircle.network.demo import load_demo as load_reach
    from datacircle.partners.demo import load_demo as load_partners
    from datacircle.peers.demo import load_profiles, load_round
    from datacircle.programme.demo import load_demo as load_programme
    from datacircle.scoping.demo import load_rounds

    network = build_network(people=150)
    load_network(network)
    load_starter_library()
    load_builtin_questionnaire()
    load_rounds(network)
    load_profiles(network)
    load_round()
    load_helpdesk(network)
    load_library()
    load_programme()
    load_reach()
    load_partners()
    load_maturity()
    return network


def main_pages() -> list[tuple[str, str]]:
    """The pages a coordinator of the demo's Kenya Red Cross uses, one or two per area."""
    from datacircle.helpdesk.models import FaqEntry, Question
    from datacircle.library.models import Module
    from datacircle.maturity.models import Scan
    from datacircle.partners.models import Partner
    from datacircle.peers.models import MatchingRound
    from datacircle.programme.models import Programme, Session
    from datacircle.scoping.models import Round

    kenya = {"organisation__slug": "kenya-rc"}
    module = Module.objects.filter(versions__isnull=False).order_by("pk").first()
    scan = Scan.objects.filter(**kenya).order_by("-opens_on").first()
    partner = Partner.objects.filter(**kenya).order_by("pk").first()
    round = Round.objects.filter(**kenya).order_by("-opens_on").first()
    question = Question.objects.filter(**kenya).order_by("pk").first()
    entry = FaqEntry.objects.filter(original__isnull=True).order_by("pk").first()
    matching = MatchingRound.objects.filter(**kenya).order_by("pk").first()
    programme = Programme.objects.filter(**kenya).order_by("pk").first()
    session = Session.objects.filter(programme=programme).order_by("starts_at").first()
    return [
        ("home", "/"),
        ("scoping", "/scoping/"),
        ("scoping-round", f"/scoping/rounds/{round.pk}/"),
        ("scoping-report", f"/scoping/rounds/{round.pk}/report/"),
        ("helpdesk", "/helpdesk/"),
        ("helpdesk-ask", "/helpdesk/ask/"),
        ("helpdesk-question", f"/helpdesk/questions/{question.pk}/"),
        ("faq", "/helpdesk/faq/"),
        ("faq-entry", f"/helpdesk/faq/{entry.pk}/"),
        ("peers", "/peers/"),
        ("matching-round", f"/peers/rounds/{matching.pk}/"),
        ("library", "/library/"),
        ("module", f"/library/{module.pk}/"),
        ("module-editor", "/library/new/"),
        ("programme", "/programme/"),
        ("programme-plan", f"/programme/plans/{programme.pk}/"),
        ("sessions", "/programme/sessions/"),
        ("programme-session", f"/programme/sessions/{session.pk}/"),
        ("deliveries", "/programme/deliveries/"),
        ("milestones", "/programme/milestones/"),
        ("network", "/network/"),
        ("organisation-reach", "/network/organisations/kenya-rc/"),
        ("partners", "/network/partners/"),
        ("partner", f"/network/partners/{partner.pk}/"),
        ("maturity", "/maturity/"),
        ("maturity-results", f"/maturity/scans/{scan.pk}/"),
        ("maturity-respond", f"/maturity/scans/{scan.pk}/respond/"),
        ("maturity-questionnaire", "/maturity/questionnaire/"),
        ("people", "/people/"),
    ]
