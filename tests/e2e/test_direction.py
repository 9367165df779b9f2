"""Text people wrote keeps its own direction: on an Arabic page (right to left) an English
question title, reply, module summary or partner note is laid out left to right, so its full stop
and question mark stay at its end; on an English page an Arabic question is laid out right to
left. Templates give such text `dir="auto"` (and `lang` where its language is known) or `<bdi>`.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import main_pages
from tests.e2e.test_keyboard import log_in_in

pytestmark = pytest.mark.e2e

# Every shown element with text of its own (text nodes that are its direct children), with that
# text, its computed direction and how many Latin words and Arabic letters the text holds.
OWN_TEXTS = r"""() => {
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(element.tagName)) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const text = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE)
      .map(node => node.textContent).join(' ').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const name = element.tagName.toLowerCase()
      + (typeof element.className === 'string' && element.className
         ? '.' + element.className.trim().split(/\s+/).join('.') : '');
    found.push({
      element: name,
      text: text.slice(0, 60),
      direction: getComputedStyle(element).direction,
      latinWords: (text.match(/\p{Script=Latin}+/gu) || []).length,
      latinLetters: (text.match(/\p{Script=Latin}/gu) || []).length,
      arabicWords: (text.match(/\p{Script=Arabic}+/gu) || []).length,
      arabicLetters: (text.match(/\p{Script=Arabic}/gu) || []).length,
    });
  }
  return found;
}"""


def own_texts(page, url: str) -> list[dict]:
    assert page.goto(url).status == 200, url
    return page.evaluate(OWN_TEXTS)


def describe(problems: dict[str, list[dict]]) -> str:
    return "\n".join(
        f"{url}: <{found['element']}> {found['direction']}: {found['text']!r}"
        for url, founds in problems.items()
        for found in founds
    )


def test_latin_text_reads_left_to_right_on_arabic_pages(lived_in_network, page):
    log_in_in(page, "ar")
    problems = {}
    for _name, url in main_pages():
        wrong = [
            found
            for found in own_texts(page, url)
            if not found["arabicLetters"] and found["latinWords"] >= 3
            if found["direction"] != "ltr"
        ]
        if wrong:
            problems[url] = wrong
    assert problems == {}, "Latin text laid out right to left:\n" + describe(problems)


def test_arabic_text_reads_right_to_left_on_english_pages(lived_in_network, page):
    log_in_in(page, "en")
    problems = {}
    seen = 0
    for _name, url in [*main_pages(), ("faq-arabic", arabic_faq_entry())]:
        arabic = [
            found
            for found in own_texts(page, url)
            if found["arabicWords"] >= 3 and found["arabicLetters"] > found["latinLetters"]
        ]
        seen += len(arabic)
        if wrong := [found for found in arabic if found["direction"] != "rtl"]:
            problems[url] = wrong
    assert seen, "no Arabic text on any page: the demo should have some"
    assert problems == {}, "Arabic text laid out left to right:\n" + describe(problems)


def arabic_faq_entry() -> str:
    from datacircle.helpdesk.models import FaqEntry

    entry = FaqEntry.objects.filter(language="ar").order_by("pk").first()
    return f"/helpdesk/faq/{entry.pk}/"
