"""Template filters for what Django's localisation has no name for (see
`datacircle.web.localised`): `weekday_datetime` (“short” for lists), `listing` instead of
`join:", "`, `percent`, `language_name` and `language_names` instead of raw language codes; `bdi`
for a value people wrote inside a translated sentence."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from datacircle.web import localised

register = template.Library()


@register.filter(expects_localtime=True)
def weekday_datetime(value, length: str = ""):
    """`{{ session.starts_at|weekday_datetime }}`, `{{ s.starts_at|weekday_datetime:"short" }}`;
    within `{% timezone %}`, in that time zone, like Django's `date`."""
    if value in (None, ""):
        return ""
    return localised.weekday_datetime(value, short=length == "short")


@register.filter(needs_autoescape=True)
def listing(items, autoescape: bool = True):
    """A list of words separated as the page's language does (“، ” in Arabic)."""
    if not items:
        return ""
    if autoescape:
        items = [conditional_escape(item) for item in items]
    return mark_safe(localised.join_list(items))  # noqa: S308 (every item escaped above)


@register.filter(needs_autoescape=True)
def bdi(value, language: str = "", autoescape: bool = True):
    """A value people wrote (a name, a title) isolated in a translated sentence, so that it keeps
    its own direction on a right-to-left page and its punctuation stays where it belongs:
    `{% blocktranslate with organisation=organisation.name|bdi %}`, `{{ entry.title|bdi:entry.language }}`
    (with its language). The sentence's text, and so its catalogue entry, stays the same."""
    if value in (None, ""):
        return ""
    text = conditional_escape(value) if autoescape else value
    attribute = f' lang="{conditional_escape(language)}"' if language else ""
    return mark_safe(f"<bdi{attribute}>{text}</bdi>")  # noqa: S308 (value and language escaped)


@register.filter
def percent(value, digits: int = 0) -> str:
    """`{{ share|percent }}`: “12%”, “12 %” in French; `{{ share|percent:1 }}` for a decimal."""
    if value in (None, ""):
        return ""
    return localised.percent(float(value), int(digits))


@register.filter
def language_name(code: str) -> str:
    return localised.language_name(code) if code else ""


@register.filter
def language_names(codes) -> str:
    return localised.language_names(codes or [])


@register.filter
def moment(value):
    """An ISO 8601 text (as stored in snapshots) as a date-time, for `date` to show as the
    reader's language does: `{{ s.starts_at|moment|date:"SHORT_DATETIME_FORMAT" }}`. Anything
    else is returned as it is."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


@register.simple_tag
def list_separator() -> str:
    """Between the items of a list written with a loop:
    `{% if not forloop.last %}{% list_separator %}{% endif %}`."""
    return localised.own_format("LIST_SEPARATOR")
