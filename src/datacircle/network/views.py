"""Pages of the network view: the reach map of the whole network (with filters and a CSV), one
organisation's reach, and where one module has been delivered. Aggregates only: who may see
what is decided in `network.reach`."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import replace

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_countries import countries as country_names

from datacircle.accounts.models import LANGUAGE_CHOICES, Organisation, manages_people
from datacircle.core.reach import Reach, Row, rows_under
from datacircle.core.spreadsheet import safe_text
from datacircle.core.suppression import Published, Status
from datacircle.core.worldmap import choropleth
from datacircle.library.models import Module, ModuleVersion
from datacircle.network import reach
from datacircle.web.navigation import AREAS_BY_SLUG

LANGUAGES = dict(LANGUAGE_CHOICES)


class ReachFilter(forms.Form):
    """The network page's filters (GET): a year, a language of delivery, an organisation."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the sessions"),
        required=False,
        choices=[("", gettext_lazy("All languages")), *LANGUAGE_CHOICES],
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=gettext_lazy("All organisations"),
    )

    def __init__(self, *args, deliveries, **kwargs):
        super().__init__(*args, **kwargs)
        years = sorted({day.year for day in deliveries.dates("held_on", "year")}, reverse=True)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=deliveries.values("organisation_id")
        )

    def choice(self) -> dict:
        """The valid filters (an invalid one is reported by the form and not applied)."""
        if not self.is_bound:
            return {"year": None, "language": None, "organisation": None}
        self.is_valid()
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "language": data.get("language") or None,
            "organisation": data.get("organisation"),
        }


# ---------------------------------------------------------------- helpers


def country_name(code: str) -> str:
    return str(country_names.name(code) or code) if code else _("Online or place not given")


def world_map(values: Mapping[str, int], notes: Mapping[str, str], title: str, legend: str) -> str:
    """The choropleth of deliveries by country, as inline SVG."""
    shaded = {code: n for code, n in values.items() if code}
    return mark_safe(  # noqa: S308 (the renderer escapes every text it draws)
        choropleth(
            shaded,
            title=title,
            labels={code: country_name(code) for code in shaded},
            notes={code: notes[code] for code in shaded if code in notes},
            legend_title=legend,
            rtl=get_language_bidi(),
        )
    )


def note(deliveries: int, people: object | None = None) -> str:
    text = ngettext("%(n)d delivery", "%(n)d deliveries", deliveries) % {"n": deliveries}
    if people is None:
        return text
    return _("%(deliveries)s, people reached: %(people)s") % {
        "deliveries": text,
        "people": people,
    }


def without_people(table: Reach) -> Reach:
    def hide(row: Row) -> Row:
        return replace(row, participants=Published(None, Status.HIDDEN, table.k))

    return replace(table, rows=tuple(hide(row) for row in table.rows), total=hide(table.total))


def country_rows(rows: Iterable[Row]) -> list[dict]:
    """Rows whose key starts with a country code, with the country's name."""
    return [
        {
            "code": row.key[0],
            "name": country_name(row.key[0]),
            "deliveries": row.deliveries,
            "people": row.participants,
        }
        for row in rows
    ]


def _network(request) -> dict:
    """What the network page and its CSV show, with the request's filters."""
    visible = reach.deliveries_visible_to(request.user)
    form = ReachFilter(request.GET or None, deliveries=visible)
    choice = form.choice()
    active = any(value is not None for value in choice.values())
    items = reach.records(reach.filtered(visible, **choice))
    tables = reach.network_tables(items, reach.FILTERED_TABLES if active else reach.NETWORK_TABLES)
    if active:
        # A filtered count beside the unfiltered one could be subtracted from it to reveal a
        # small count, so with filters only deliveries are shown.
        tables = {name: without_people(table) for name, table in tables.items()}
    by_country = tables[("country",)]
    return {
        "form": form,
        "active": active,
        "choice": choice,
        "total": by_country.total,
        "countries": country_rows(by_country.rows),
        "organisations": reach.organisation_rows(tables[("organisation",)], choice["organisation"]),
        "k": by_country.k,
    }


# ---------------------------------------------------------------- pages


@login_required
def area(request):
    context = _network(request)
    countries = context["countries"]
    context["reached_countries"] = sum(1 for row in countries if row["code"])
    context["map"] = world_map(
        {row["code"]: row["deliveries"] for row in countries},
        {row["code"]: note(row["deliveries"], row["people"]) for row in countries},
        _("Deliveries of Data Circle modules by country"),
        _("Deliveries"),
    )
    context["area"] = AREAS_BY_SLUG["network"]
    context["manages_tokens"] = manages_people(request.user) and hasattr(request.user, "person")
    context["query"] = request.GET.urlencode()
    return render(request, "network/area.html", context)


@login_required
def network_csv(request, table: str):
    if table not in ("organisations", "countries"):
        raise Http404
    context = _network(request)
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = f'attachment; filename="network-{table}.csv"'
    out.write("\ufeff")  # Excel reads UTF-8 (Arabic, accents) only with a BOM
    writer = csv.writer(out)
    if table == "organisations":
        writer.writerow(
            [
                _("Organisation"),
                _("Modules contributed"),
                _("Modules adapted or translated"),
                _("Deliveries"),
                _("People reached"),
                _("Confidence gained (points on 1–5)"),
            ]
        )
        for row in context["organisations"]:
            gain = row.confidence.gain
            writer.writerow(
                [
                    safe_text(row.organisation.name),
                    row.contributed,
                    row.adapted,
                    row.deliveries,
                    safe_text(str(row.people)) if row.people is not None else 0,
                    round(gain, 1) if gain is not None else _("not enough answers to show"),
                ]
            )
    else:
        writer.writerow([_("Country"), _("Code"), _("Deliveries"), _("People reached")])
        for row in context["countries"]:
            writer.writerow(
                [
                    safe_text(row["name"]),
                    row["code"],
                    row["deliveries"],
                    safe_text(str(row["people"])),
                ]
            )
    total = context["total"]
    blanks = ["", ""] if table == "organisations" else [""]
    writer.writerow([_("Total"), *blanks, total.deliveries, safe_text(str(total.participants))])
    return out


@login_required
def organisation(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    items = reach.records(reach.deliveries_visible_to(request.user))
    tables = reach.network_tables(items)
    own = [item for item in items if item.organisation == slug]
    by_module = rows_under(tables[("organisation", "module")], slug)
    modules = reach.modules_by_reference(row.key[1] for row in by_module)
    countries = reach.delivery_counts(own, "country")
    published = Module.objects.filter(
        organisation=organisation, pk__in=ModuleVersion.objects.values("module_id")
    ).select_related("derived_from__module__organisation", "translation_of")
    library = list(published)
    context = {
        "organisation": organisation,
        "row": tables[("organisation",)].row(slug),
        "k": reach.K,
        "confidence": reach.confidence_gained([organisation.pk]).get(
            organisation.pk, reach.NO_CONFIDENCE
        ),
        "contributed": [m for m in library if not (m.derived_from_id or m.translation_of_id)],
        "adapted": [m for m in library if m.derived_from_id or m.translation_of_id],
        "by_module": [
            {"row": row, "reference": row.key[1], "module": modules.get(row.key[1])}
            for row in by_module
        ],
        "by_year": sorted(
            rows_under(tables[("organisation", "year")], slug), key=lambda r: -r.key[1]
        ),
        "by_language": [
            {"label": LANGUAGES.get(row.key[1], row.key[1]), "row": row}
            for row in rows_under(tables[("organisation", "language")], slug)
        ],
        "countries": [
            {"code": code, "name": country_name(code), "deliveries": n} for code, n in countries
        ],
        "map": world_map(
            dict(countries),
            {code: note(n) for code, n in countries},
            _("Deliveries by %(organisation)s by country") % {"organisation": organisation},
            _("Deliveries"),
        )
        if own
        else "",
    }
    return render(request, "network/organisation.html", context)


@login_required
def module(request, organisation: str, slug: str):
    modules = Module.objects.visible_to(request.user).select_related(
        "organisation", "derived_from__module__organisation", "translation_of__organisation"
    )
    module = get_object_or_404(modules.of_organisation(organisation), slug=slug)
    items = reach.records(reach.deliveries_visible_to(request.user))
    tables = reach.network_tables(items)
    reference = module.reference
    own = [item for item in items if item.module == reference]
    countries = country_rows(
        [row for row in tables[("country", "module")].rows if row.key[1] == reference]
    )
    cities = [
        {
            "city": row.key[2],
            "country": country_name(row.key[0]) if row.key[0] else "",
            "online": not row.key[0] and not row.key[2],
            "deliveries": row.deliveries,
            "people": row.participants,
        }
        for row in tables[("country", "module", "city")].rows
        if row.key[1] == reference
    ]
    names = dict(Organisation.objects.values_list("slug", "name"))
    delivered = {}
    for item in items:
        delivered[item.module] = delivered.get(item.module, 0) + 1
    related = Module.objects.visible_to(request.user).filter(
        pk__in=ModuleVersion.objects.values("module_id")
    )
    variants = [
        {"module": m, "kind": "adaptation", "deliveries": delivered.get(m.reference, 0)}
        for m in related.filter(derived_from__module=module).select_related("organisation")
    ] + [
        {"module": m, "kind": "translation", "deliveries": delivered.get(m.reference, 0)}
        for m in related.filter(translation_of=module).select_related("organisation")
    ]
    context = {
        "module": module,
        "k": reach.K,
        "deliveries": len(own),
        "countries": countries,
        "cities": cities,
        "organisations": [
            {"slug": code, "name": names.get(code, code), "deliveries": n}
            for code, n in reach.delivery_counts(own, "organisation")
        ],
        "languages": [
            {"label": LANGUAGES.get(code, code), "deliveries": n}
            for code, n in reach.delivery_counts(own, "language")
        ],
        "variants": variants,
        "map": world_map(
            {row["code"]: row["deliveries"] for row in countries},
            {row["code"]: note(row["deliveries"], row["people"]) for row in countries},
            _("Deliveries of “%(title)s” by country") % {"title": module.title},
            _("Deliveries"),
        )
        if own
        else "",
    }
    return render(request, "network/module.html", context)
