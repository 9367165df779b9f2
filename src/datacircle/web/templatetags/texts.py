"""`{{ text|translated }}`: a core message, or one stored as JSON, in the reader's language."""

from __future__ import annotations

from django import template

from datacircle.web.i18n import translated as _translated

register = template.Library()


@register.filter
def translated(text: object) -> str:
    return _translated(text)
