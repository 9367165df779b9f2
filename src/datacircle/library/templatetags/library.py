"""Template tags of the library."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def skill_label(code: str, names: dict) -> str:
    return names.get(code, code)
