"""Every main page on a 375 px wide phone, left to right and right to left: nothing makes the
page scroll sideways (wide tables scroll inside their own box, charts and maps shrink to fit)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_in, main_pages

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}

# What reaches past the left or right edge of the window: says what is too wide when it fails.
OVERFLOWING = """() => [...document.body.querySelectorAll('*')]
  .map(element => [element, element.getBoundingClientRect()])
  .filter(([, box]) => box.width && (box.right > window.innerWidth + 0.5 || box.left < -0.5))
  .map(([element, box]) => `${element.tagName.toLowerCase()}.${element.className}`
    + ` ${Math.round(box.left)}..${Math.round(box.right)}`)
  .slice(0, 8)"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_main_pages_fit_a_phone(lived_in_network, browser, live_server, language):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in_in(page, language)
    problems = {}
    for _name, url in main_pages():
        assert page.goto(url).status == 200, url
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            problems[url] = (scroll, inner, page.evaluate(OVERFLOWING))
    context.close()
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
