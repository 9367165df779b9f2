"""`{% pulled_from module %}`: where a module pulled from a peer came from, for its page."""

from __future__ import annotations

from django import template

from datacircle.federation.models import PulledModule

register = template.Library()


@register.inclusion_tag("federation/_pulled_from.html")
def pulled_from(module) -> dict:
    """ "Pulled from <peer>, version N, on <date>" with a link to the module's page on the peer;
    nothing for a module that was not pulled."""
    if module is None or module.pk is None:
        return {"pulled": None}
    return {"pulled": PulledModule.objects.select_related("peer").filter(module=module).first()}
