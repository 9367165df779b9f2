"""A session's date with its weekday, as each language writes it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

# A Saturday, 14:30 in Nairobi, where the reader lives.
STARTS = datetime(2026, 12, 12, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("en", "Saturday 12 December 2026, 14:30", "Sat 12 Dec 2026, 14:30"),
        ("fr", "samedi 12 décembre 2026 à 14:30", "sam 12 déc 2026, 14:30"),
        ("es", "sábado, 12 de diciembre de 2026, 14:30", "sáb 12 dic 2026, 14:30"),
        ("ar", "السبت 12 ديسمبر 2026، 14:30", "السبت 12 ديسمبر 2026، 14:30"),
    ],
)
def test_session_page_and_rows_show_the_weekday_in_each_language(
    network, login, make_session, language, long, short
):
    session = make_session(starts_at=STARTS)
    reader = network["kenyan"]
    reader.languages = [language]
    reader.save()
    client = login(reader)
    page = client.get(reverse("programme-session", args=[session.pk])).content.decode()
    assert long in page
    assert 'datetime="2026-12-12T14:30:00+03:00"' in page  # machine value stays ISO
    rows = client.get(reverse("programme-sessions")).content.decode()
    assert short in rows


@pytest.mark.parametrize(
    ("language", "place"),
    [
        ("en", "<bdi>Nairobi</bdi>, Kenya"),
        ("fr", "<bdi>Nairobi</bdi>, Kenya"),
        ("ar", "<bdi>Nairobi</bdi>، كينيا"),
    ],
)
def test_a_place_is_city_and_country_separated_as_the_language_does(
    network, login, make_session, language, place
):
    session = make_session(starts_at=STARTS)
    reader = network["kenyan"]
    reader.languages = [language]
    reader.save()
    client = login(reader)
    page = client.get(reverse("programme-session", args=[session.pk])).content.decode()
    assert place in page
    rows = client.get(reverse("programme-sessions")).content.decode()
    assert place in rows


def test_the_module_keeps_its_own_language_and_direction_on_an_arabic_page(
    network, login, make_session
):
    session = make_session(starts_at=STARTS)
    reader = network["kenyan"]
    reader.languages = ["ar"]
    reader.save()
    page = login(reader).get(reverse("programme-session", args=[session.pk])).content.decode()
    assert 'dir="rtl"' in page
    assert '<h1 lang="en" dir="auto">' in page
    assert '<p class="lead" lang="en" dir="auto">' in page
