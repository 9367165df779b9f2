"""The page shell: the home dashboard and each area's landing page."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, Person
from datacircle.web.navigation import AREAS_BY_SLUG


@login_required
def home(request):
    people = Person.objects.visible_to(request.user)
    own = getattr(request.user, "person", None)
    languages = Counter()
    for codes in people.values_list("languages", flat=True).iterator(chunk_size=5000):
        languages.update(codes[:1])
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


def language_rows(counter: Counter) -> list[dict]:
    labels = dict(LANGUAGE_CHOICES)
    total = sum(counter.values()) or 1
    return [
        {"code": code, "label": labels.get(code, code), "total": n, "share": round(100 * n / total)}
        for code, n in counter.most_common()
    ]


@login_required
def area(request, slug: str):
    try:
        current = AREAS_BY_SLUG[slug]
    except KeyError as missing:
        raise Http404 from missing
    return render(request, "web/area.html", {"area": current})
