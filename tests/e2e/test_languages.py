"""The main pages in English, French, Spanish and Arabic: each in its language and direction,
each passing axe-core with no serious or critical violation; Arabic pages are screenshotted to
test-results/screenshots/ar/ for a person to review."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_in, main_pages

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LANGUAGES = {"en": "English", "fr": "français", "es": "español", "ar": "العربيّة"}


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is missing: run `npm ci` (make test does) to install it from npm."
        if os.environ.get("DATACIRCLE_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def serious(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_main_pages_in_each_language_pass_axe(
    language, lived_in_network, browser, live_server, axe_source
):
    # axe is injected as a script; the site's Content-Security-Policy (no inline script)
    # would refuse it, so this context alone bypasses the policy.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_in(page, language)

    problems = {}
    for name, url in main_pages():
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        html = page.locator("html")
        expect(html).to_have_attribute("lang", language)
        expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        if found := serious(result["violations"]):
            problems[url] = found
        if language == "ar":
            folder = SCREENSHOTS / "ar"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=folder / f"{name}.png", full_page=True)
    context.close()
    assert problems == {}


def test_the_switcher_lists_every_language_by_its_own_name(lived_in_network, page):
    page.goto("/accounts/login/")
    options = page.locator("#language option")
    expect(options).to_have_count(len(LANGUAGES))
    for code, name in LANGUAGES.items():
        expect(page.locator(f'#language option[value="{code}"]')).to_have_text(
            re.compile(name, re.I)
        )
