"""The maturity pages on a 375 px wide phone, left to right and right to left: nothing makes the
page scroll sideways (wide tables scroll inside their own box, the radar shrinks to fit)."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}

# What reaches past the left or right edge of the window: says what is too wide when it fails.
OVERFLOWING = """() => [...document.body.querySelectorAll('*')]
  .map(element => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.width && (box.right > window.innerWidth + 0.5 || box.left < -0.5))
  .map(([element, box]) => `${element.tagName.toLowerCase()}.${element.className}`
    + ` ${Math.round(box.left)}..${Math.round(box.right)}`)
  .slice(0, 8)"""


@pytest.fixture
def scan(transactional_db, network):
    """Kenya's scan on the built-in questionnaire, with results (three people answered)."""
    from datacircle.maturity.services import load_builtin_questionnaire
    from tests.maturity.conftest import answer_everything, highest, lowest, make_scan

    made = make_scan(network["kenya"], load_builtin_questionnaire(), title="Quick scan 2026")
    answer_everything(made, lowest, 2, unit=network["kenyan"].unit, targets={"tools": 4})
    answer_everything(made, highest, 1, unit=network["kenyan"].unit)
    return made


@pytest.mark.parametrize("language", ["en", "ar"])
def test_maturity_pages_fit_a_phone(scan, browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "otieno")  # the coordinator: the list, the new-scan form and the results
    page.locator("#language").select_option(language)
    page.locator("#language").locator("xpath=ancestor::form").get_by_role("button").click()
    page.wait_for_load_state()
    pages = [
        "/maturity/",
        f"/maturity/scans/{scan.pk}/",
        f"/maturity/scans/{scan.pk}/respond/",
        "/maturity/questionnaire/",
    ]
    problems = {}
    for url in pages:
        assert page.goto(url).status == 200, url
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            problems[url] = (scroll, inner, page.evaluate(OVERFLOWING))
    context.close()
    assert problems == {}
