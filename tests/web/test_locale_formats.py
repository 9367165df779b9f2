"""Dates, figures, lists and language names per language (datacircle.web.localised and the
`localised` template filters), and machine values that must stay plain."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from datacircle.web import localised


def render(text: str, **context) -> str:
    return Template("{% load localised l10n %}" + text).render(Context(context))


def test_lists_use_the_languages_separator_and_escape_their_items():
    with translation.override("ar"):
        assert render("{{ items|listing }}", items=["أ", "ب"]) == "أ، ب"
    with translation.override("fr"):
        assert render("{{ items|listing }}", items=["<b>", "c"]) == "&lt;b&gt;, c"
        assert render("{{ items|listing|default:'—' }}", items=[]) == "—"
        assert render("{% list_separator %}") == ", "


def test_a_value_people_wrote_is_isolated_in_a_translated_sentence():
    with translation.override("ar"):
        sentence = (
            "{% load i18n %}{% blocktranslate with organisation=name|bdi %}"
            "{{ organisation }} received your question.{% endblocktranslate %}"
        )
        # The sentence is still found in the catalogue: only the value is wrapped.
        assert render(sentence, name="Kenya Red Cross <Nairobi>") == (
            "تلقّت <bdi>Kenya Red Cross &lt;Nairobi&gt;</bdi> سؤالك."
        )
    assert render("{{ title|bdi:'fr' }}", title="Où ?") == '<bdi lang="fr">Où ?</bdi>'
    assert render("{{ title|bdi }}", title="") == ""


def test_language_names_and_unknown_codes():
    with translation.override("fr"):
        assert localised.language_names(["en", "fr"]) == "anglais, français"
        assert localised.language_name("de") == "allemand"  # Django knows its name
        assert localised.language_name("zz") == "zz"
    with translation.override("ar"):
        assert localised.language_names(["fr", "ar"]) == "الفرنسية، العربية"


@pytest.mark.parametrize(
    ("language", "day", "moment"),
    [
        ("en", "5 December 2026", "5 December 2026, 14:30"),
        ("fr", "5 décembre 2026", "5 décembre 2026 14:30"),
        ("es", "5 de diciembre de 2026", "5 de diciembre de 2026 a las 14:30"),
        ("ar", "5 ديسمبر، 2026", "5 ديسمبر، 2026، 14:30"),
    ],
)
def test_named_formats_per_language(language, day, moment):
    when = datetime(2026, 12, 5, 14, 30)
    with translation.override(language):
        assert render('{{ when|date:"DATE_FORMAT" }}', when=when) == day
        assert render('{{ when|date:"DATETIME_FORMAT" }}', when=when) == moment


def test_snapshot_moments_are_read_as_dates():
    with translation.override("es"):
        shown = render('{{ at|moment|date:"DATE_FORMAT" }}', at="2026-12-05T14:30:00+00:00")
    assert shown == "5 de diciembre de 2026"
    assert render("{{ at|moment }}", at="not a date") == "not a date"


def test_figures_for_readers_values_for_machines():
    with translation.override("fr"):
        assert render("{{ n }} {{ x|floatformat:1 }}", n=12345, x=1.14) == "12\xa0345 1,1"
        page = render_to_string(
            "accounts/pagination.html",
            {
                "page": SimpleNamespace(
                    has_other_pages=True,
                    has_previous=True,
                    has_next=True,
                    number=1234,
                    previous_page_number=1233,
                    next_page_number=1235,
                    paginator=SimpleNamespace(num_pages=2000),
                )
            },
        )
        assert "page=1233" in page and "page=1235" in page
        confidence = render_to_string(
            "network/_confidence.html",
            {"confidence": SimpleNamespace(shown=True, gain=1.1, people=12)},
        )
        assert "+1,1" in confidence
    with translation.override("ar"):
        assert render("{{ x|floatformat:1 }} {{ n|unlocalize }}", x=1234.5, n=1234) == (
            "1,234.5 1234"
        )


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "12%"), ("fr", "12\u202f%"), ("es", "12\xa0%"), ("ar", "12%")],
)
def test_percentages_are_spaced_as_each_language_writes_them(language, shown):
    with translation.override(language):
        assert render("{{ share|percent }}", share=12) == shown
    with translation.override("fr"):
        assert render("{{ share|percent:1 }}", share=12.34) == "12,3\u202f%"
