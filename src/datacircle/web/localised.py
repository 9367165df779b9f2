"""Dates, lists and language names as the reader's language writes them.

Django's named formats (DATE_FORMAT, SHORT_DATETIME_FORMAT…) and number localisation cover
most of what pages show. What they have no name for lives in our format modules
(`datacircle.web.formats.<language>`) next to Django's, and is read here: Django's
`get_format` only resolves its own names. Templates use these through the `localised` tags.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import dateformat, formats, translation

from datacircle.web.formats.en import formats as english


def own_format(name: str):
    """One of our per-language conventions (see `datacircle.web.formats`) for the active
    language, falling back to English's."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    for module in formats.get_format_modules(language):
        if hasattr(module, name):
            return getattr(module, name)
    return getattr(english, name)


def weekday_datetime(value: date | datetime, *, short: bool = False) -> str:
    """A moment with its weekday: “sábado, 5 de diciembre de 2026, 14:30”. `value` is shown
    as given: localise it to the reader's time zone first."""
    name = "SHORT_WEEKDAY_DATETIME_FORMAT" if short else "WEEKDAY_DATETIME_FORMAT"
    return dateformat.format(value, own_format(name))


def figure(value: float | None, digits: int = 1) -> str:
    """A figure shown to people, rounded to `digits` decimals and written with the language's
    decimal separator (“2,7”); “–” for none. Django's `number_format` alone would cut a
    float's decimals instead of rounding them."""
    if value is None:
        return "–"
    return formats.number_format(Decimal(f"{value:.{digits}f}"), digits)


def percent(value: float | int | None, digits: int = 0) -> str:
    """A share of a hundred as the language writes it: “12%”, French “12 %”, Spanish “12 %”."""
    if value is None:
        return "–"
    return own_format("PERCENT_FORMAT") % figure(value, digits)


def join_list(items: Iterable[object]) -> str:
    """Items of a list of words, separated as the language does: “، ” in Arabic."""
    return own_format("LIST_SEPARATOR").join(str(item) for item in items)


def language_name(code: str) -> str:
    """A language's name as it reads in a sentence of the reader's language (“anglais” in
    French); an unknown code shows as it is."""
    from datacircle.accounts.models import LANGUAGE_CHOICES

    name = dict(LANGUAGE_CHOICES).get(code)
    if name is None:
        try:
            name = translation.get_language_info(code)["name_translated"]
        except KeyError:
            return str(code)
    name = str(name)
    return name.lower() if own_format("LANGUAGE_NAMES_LOWERCASE") else name


def language_names(codes: Iterable[str]) -> str:
    """Languages' names as a list (see `language_name` and `join_list`)."""
    return join_list(language_name(code) for code in codes)
