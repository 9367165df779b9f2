"""The page shell: the home dashboard and each area's landing page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, Person
from datacircle.web.navigation import AREAS_BY_SLUG


@login_required
def home(request):
    people = Person.objects.visible_to(request.user)
    own = getattr(request.user, "person", None)
    # Counted by the database: a network admin may see a million people.
    languages = (
        people.values(code=KT("languages__0"))
        .annotate(total=Count("id"))
        .order_by("-total", "code")
    )
    units = (
        people.exclude(unit=None)
        .values("unit__name", "unit__organisation__short_name")
        .annotate(total=Count("id"))
        .order_by("-total", "unit__name")[:8]
    )
    context = {
        "own": own,
        "people_total": people.count(),
        "volunteers": people.filter(kind=Person.Kind.VOLUNTEER).count(),
        "units": units,
        "languages": language_rows(languages),
        "organisation_kinds": Organisation.objects.values("kind").annotate(total=Count("id")),
        "kind_labels": dict(Organisation.Kind.choices),
    }
    return render(request, "web/home.html", context)


def language_rows(counts) -> list[dict]:
    labels = dict(LANGUAGE_CHOICES)
    rows = [row for row in counts if row["code"]]
    total = sum(row["total"] for row in rows) or 1
    return [
        {
            **row,
            "label": labels.get(row["code"], row["code"]),
            "share": round(100 * row["total"] / total),
        }
        for row in rows
    ]


@login_required
def area(request, slug: str):
    try:
        current = AREAS_BY_SLUG[slug]
    except KeyError as missing:
        raise Http404 from missing
    return render(request, "web/area.html", {"area": current})


# The apps whose scripts show words to people: their `djangojs` catalogues, and only theirs (not
# the admin's calendar strings), make the catalogue our scripts read.
SCRIPT_APPS = ("library", "helpdesk")
_PACKAGE = Path(__file__).resolve().parent.parent
_catalogue = JavaScriptCatalog.as_view(packages=[f"datacircle.{app}" for app in SCRIPT_APPS])


def _catalogues_changed() -> datetime:
    """When the compiled script catalogues last changed (this process's start without any)."""
    stamps = [
        path.stat().st_mtime
        for app in SCRIPT_APPS
        for path in (_PACKAGE / app / "locale").glob("*/LC_MESSAGES/djangojs.mo")
    ]
    return datetime.fromtimestamp(max(stamps), tz=UTC) if stamps else datetime.now(tz=UTC)


CATALOGUES_CHANGED = _catalogues_changed()


def _supported(language: str) -> str | None:
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return None


# The language is in the address, so a browser keeps one catalogue per language for a day and
# then asks again (If-Modified-Since: a 304 until a release changes a catalogue).
@cache_control(public=True, max_age=24 * 60 * 60)
@last_modified(lambda request, language: CATALOGUES_CHANGED if _supported(language) else None)
def javascript_catalogue(request, language: str):
    """The translations our scripts use (gettext, ngettext, interpolate) as a script file, for
    the language in the address: pages include it with <script src>, no inline script."""
    supported = _supported(language)
    if supported is None:
        raise Http404
    with translation.override(supported):
        response = _catalogue(request)
    response.headers["Content-Language"] = supported
    return response
