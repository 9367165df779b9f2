"""The areas of Data Circle shown in the navigation, and the context processor that lists them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    slug: str
    label: Promise
    summary: Promise
    url_name: str
    # Pages of the area that already work, as (url name, label) pairs.
    pages: tuple[tuple[str, Promise], ...] = ()
    # True once the area's own app serves its landing page (under the same url name).
    built: bool = False


AREAS: tuple[Area, ...] = (
    Area(
        "scoping",
        _("Skills scoping"),
        _("Find out which data skills people want to learn and which they can share."),
        "area-scoping",
        built=True,
    ),
    Area(
        "helpdesk",
        _("Help desk & peers"),
        _("Ask a data question, and learn from a colleague who has the skill."),
        "area-helpdesk",
        built=True,
    ),
    Area(
        "library",
        _("Library"),
        _("Short, participatory sessions ready to run or adapt."),
        "area-library",
        built=True,
    ),
    Area(
        "programme",
        _("Programme"),
        _("The working group's sessions, themed on milestones such as Open Data Day."),
        "area-programme",
        built=True,
    ),
    Area(
        "network",
        _("Network & partners"),
        _("Organisations, deliveries across the network, partners and allies."),
        "area-network",
        pages=(
            ("area-network", _("Reach across the network")),
            ("partners", _("Partners and allies")),
            ("federation-peers", _("Import from a peer")),
            ("organisations", _("Organisations in the network")),
        ),
        built=True,
    ),
    Area(
        "maturity",
        _("Maturity"),
        _("A quick scan of digital and data maturity, with next steps."),
        "area-maturity",
        pages=(
            ("area-maturity", _("Scans")),
            ("maturity-questionnaire", _("Questionnaire")),
        ),
        built=True,
    ),
)

AREAS_BY_SLUG = {area.slug: area for area in AREAS}


def areas(request):
    return {"areas": AREAS}
