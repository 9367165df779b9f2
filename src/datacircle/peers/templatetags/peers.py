"""Template filters of peer learning: reason codes as sentences, skill names."""

from __future__ import annotations

from django import template

from datacircle.peers.explain import level_text, reason_text, skill_text

register = template.Library()


@register.simple_tag
def reason(code, taxonomy, unmatched=False) -> str:
    return reason_text(code, taxonomy, unmatched=unmatched)


@register.simple_tag
def skill_name(code, taxonomy) -> str:
    return skill_text(code, taxonomy)


@register.simple_tag
def level_name(value, taxonomy) -> str:
    return level_text(value, taxonomy)


@register.simple_tag(takes_context=True)
def runs_matching(context) -> bool:
    """Whether the person reading may run matching rounds (coordinators and admins)."""
    from datacircle.peers.models import manages_matching

    request = context.get("request")
    return bool(request and manages_matching(request.user))
