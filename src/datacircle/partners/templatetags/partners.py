"""Template tags of the partners registry: the engagements linked to a session or a module."""

from __future__ import annotations

from django import template

from datacircle.library.models import Module
from datacircle.partners.models import Engagement
from datacircle.programme.models import Session

register = template.Library()


@register.inclusion_tag("partners/_engagements.html", takes_context=True)
def engagements_for(context, obj) -> dict:
    """`{% engagements_for session %}` or `{% engagements_for module %}`: partners' engagements
    linked to it, of the partners the viewer may see; nothing when there are none."""
    request = context.get("request")
    if request is None:
        return {"engagements": []}
    if isinstance(obj, Session):
        linked = {"session": obj}
    elif isinstance(obj, Module):
        linked = {"module": obj}
    else:
        raise TypeError(f"engagements_for takes a session or a library module, not {obj!r}")
    engagements = (
        Engagement.objects.visible_to(request.user)
        .filter(**linked)
        .select_related("partner")
        .order_by("happened_on", "pk")
    )
    return {"engagements": list(engagements)}
