"""Every main page by keyboard alone, in English and in Arabic (right to left).

On each page Tab is pressed from the top: the first stop is the skip link and it moves focus to
the main content; every visible control is reached once, focus never falls back to the page body
before the walk is over (no trap, no lost focus) and each stop shows a focus indicator. The
language switcher, the stages' <details>, the maturity answers (radios with arrow keys, Enter to
send), the library search and the help-desk question are then used with keys only.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in_in, main_pages

pytestmark = pytest.mark.e2e

# Marks every element that should be a Tab stop with data-kbd="n" and returns descriptions of
# those stops, plus what looks clickable but cannot be reached (a div with cursor: pointer), any
# positive tabindex and charts whose hover-only tooltips have no table beside them. Radios count
# once per group: Tab reaches a group, arrows move inside it.
MARK_STOPS = """
() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea,'
    + ' summary, iframe, [contenteditable=""], [contenteditable=true], [tabindex]';
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: false})
    && !el.closest('[inert]');
  const describe = (el) => el.outerHTML.slice(0, 160);
  const stops = [];
  const groups = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0 || el.disabled || !shown(el)) continue;
    const closed = el.closest('details:not([open])');
    if (closed && !(el.tagName === 'SUMMARY' && el.parentElement === closed)) continue;
    if (el.type === 'radio' && el.name) {
      const key = (el.form ? 'f' + [...document.forms].indexOf(el.form) : '') + ':' + el.name;
      if (groups.has(key)) continue;
      groups.add(key);
      el.dataset.kbdGroup = key;
    }
    el.dataset.kbd = String(stops.length);
    stops.push(describe(el));
  }
  document.querySelectorAll('input[type=radio][name]').forEach((el) => {
    el.dataset.kbdGroup = (el.form ? 'f' + [...document.forms].indexOf(el.form) : '')
      + ':' + el.name;
  });
  const clickable = [];
  for (const el of document.body.querySelectorAll('*')) {
    const control = 'a[href], button, input, select, textarea, summary, label, option,'
      + ' [tabindex]:not([tabindex^="-"])';
    if (!shown(el) || el.closest(control)) continue;
    if (getComputedStyle(el).cursor === 'pointer' && !el.parentElement.closest('[data-kbd-click]')) {
      el.dataset.kbdClick = '';
      clickable.push(describe(el));
    }
  }
  const positive = [...document.querySelectorAll('[tabindex]')]
    .filter((el) => el.tabIndex > 0).map(describe);
  // A chart's tooltips (SVG <title>) only show on hover: its figures must be in a table too.
  const hoverOnly = [...document.querySelectorAll('main svg')]
    .filter((svg) => svg.querySelector(':not(svg) > title'))
    .filter((svg) => !(svg.closest('section') || document).querySelector('table'))
    .map((svg) => svg.outerHTML.slice(0, 160));
  return {stops, clickable, positive, hoverOnly};
}
"""

# What has focus now: its data-kbd mark (or its radio group's first mark), whether it is the body,
# whether it shows a focus indicator and whether it is on screen.
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {body: true};
  let mark = el.dataset.kbd;
  if (mark === undefined && el.dataset.kbdGroup) {
    const first = document.querySelector(`[data-kbd-group="${el.dataset.kbdGroup}"][data-kbd]`);
    mark = first ? first.dataset.kbd : undefined;
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth;
  return {body: false, mark, indicator: outline || shadow, onScreen, id: el.id,
          html: el.outerHTML.slice(0, 160)};
}
"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def walk(page, url: str) -> list[str]:
    """Tab through one page from the top; return what is wrong with it."""
    problems = []
    page.goto(url)
    page.keyboard.press("Tab")
    first = focused(page)
    if "skip-link" not in first.get("html", ""):
        problems.append(f"first Tab stop is not the skip link: {first}")
    page.keyboard.press("Enter")
    if (after := focused(page)).get("id") != "main":
        problems.append(f"the skip link moves focus to {after}, not to main")

    page.goto(url)
    found = page.evaluate(MARK_STOPS)
    stops = found["stops"]
    problems += [f"clickable but not focusable: {html}" for html in found["clickable"]]
    problems += [f"positive tabindex: {html}" for html in found["positive"]]
    problems += [f"tooltips with no table: {html}" for html in found["hoverOnly"]]
    reached = set()
    previous = None
    for _ in range(2 * len(stops) + 10):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["body"]:
            break
        if now["mark"] is not None and now["mark"] == previous:
            continue  # a date field's day, month and year are stops of one input
        previous = now["mark"]
        if now["mark"] is None:
            problems.append(f"Tab stops on something not counted as a control: {now['html']}")
        elif now["mark"] in reached:
            # Back at a stop already seen: the walk went round (Chromium may wrap to the top
            # without the body taking focus), which is only right once every control was reached.
            if len(reached) < len(stops):
                problems.append(f"focus comes back to {now['html']} before reaching every control")
            break
        else:
            reached.add(now["mark"])
        if not now["indicator"]:
            problems.append(f"no visible focus indicator on {now['html']}")
        if not now["onScreen"]:
            problems.append(f"focused but off screen: {now['html']}")
    else:
        problems.append("Tab never leaves the page: a keyboard trap")
    missed = [stops[int(i)] for i in map(str, range(len(stops))) if i not in reached]
    problems += [f"never reached by Tab: {html}" for html in missed]
    return problems


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_main_page_by_keyboard(language, lived_in_network, page):
    log_in_in(page, language)
    problems = {}
    for _name, url in [*main_pages(), ("ask", "/helpdesk/ask/")]:
        if found := walk(page, url):
            problems[url] = found
    assert problems == {}, "\n".join(f"{url}: {p}" for url, ps in problems.items() for p in ps)


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching selector has focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reaches {selector}")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_key_interactions(language, lived_in_network, page):
    log_in_in(page, language)
    pages = dict(main_pages())

    # The language switcher: choose with the arrow keys, send with Enter on its button.
    page.goto("/")
    tab_to(page, "#language")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")  # en, fr, es, ar: the second is French
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    tab_to(page, "#language")
    page.keyboard.press("End")  # Arabic last
    if language == "en":
        page.keyboard.press("Home")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The five stages open and close from their summary.
    page.goto(pages["maturity-respond"])
    tab_to(page, "details summary")
    details = page.locator("details").first
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(details).not_to_have_attribute("open", "")

    # Every question answered with the arrow keys, the answers sent with Enter.
    groups = page.evaluate(
        "() => [...new Set([...document.querySelectorAll('form.maturity-scan"
        " input[type=radio]')].map((el) => el.name))]"
    )
    assert groups
    page.locator("form.maturity-scan").locator("input[type=radio]").first.focus()
    for index, name in enumerate(groups):
        if index:
            tab_to(page, f'input[type=radio][name="{name}"]', limit=10)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        checked = page.locator(f'input[type=radio][name="{name}"]:checked')
        expect(checked).to_have_count(1)
        assert checked.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    assert "/respond/" not in page.url

    # The library search: type, Enter.
    page.goto(pages["library"])
    tab_to(page, "#id_q")
    page.keyboard.type("data")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=data"))
    expect(page.locator("#id_q")).to_have_value("data")

    # A question to the help desk, written and sent by keyboard.
    page.goto("/helpdesk/ask/")
    tab_to(page, "[name=title]")
    page.keyboard.type("How do I clean a spreadsheet of survey answers?")
    page.keyboard.press("Tab")
    page.keyboard.type("Many rows have dates written three different ways.")
    tab_to(page, "[name=skill]", limit=5)
    page.keyboard.press("ArrowDown")
    tab_to(page, "form.narrow-form button[type=submit]", limit=20)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How do I clean a spreadsheet of survey answers?"
    )
