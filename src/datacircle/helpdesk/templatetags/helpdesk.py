"""Template filters of the help desk: Markdown as safe HTML, skill codes as names."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from datacircle.core.taxonomy import builtin_taxonomy
from datacircle.web import rendering

register = template.Library()


@register.filter
def markdown(text: str):
    return rendering.render(text)


@register.filter
def skill_name(code: str) -> str:
    """The built-in name of a skill in the page's language; an organisation's own skill (not
    in the built-in taxonomy) shows its code."""
    return builtin_taxonomy().label_or_code(code, get_language() or "en")
