"""Template filters for what Django's localisation has no name for (see
`datacircle.web.localised`): `weekday_datetime` (“short” for lists), `listing` instead of
`join:", "`, `percent`, `language_name` and `language_names` instead of raw language codes."""

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
