"""The page shell: the home dashboard and each area's landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.db.models.fields.json import KT
from django.http import Http404
from django.shortcuts import render

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
