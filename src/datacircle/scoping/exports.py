"""The scoping report as a page, PDF, XLSX and CSV (with an HXL hashtag row), and the XLSForm.

Every figure comes from the core analysis after small-cell suppression: a suppressed count is
written as its display text ("<5" or "–"), never as a number, in every format.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_bidi, pgettext
from django.utils.translation import gettext as _
from django_countries import countries

from datacircle.accounts.models import Organisation
from datacircle.core import charts
from datacircle.core.questionnaire import builtin_questionnaire
from datacircle.core.scoping import Analysis, compare, load_regions
from datacircle.core.spreadsheet import safe_text
from datacircle.core.xlsform import build_xlsform
from datacircle.scoping import services
from datacircle.scoping.models import Round

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "html": ("text/html; charset=utf-8", "html"),
}
CHOICE_QUESTIONS = (
    "barriers",
    "opportunities",
    "data_types",
    "workflow_stages",
    "formats",
    "languages",
)
DIMENSIONS = ("region", "country", "organisation", "unit", "role")


def file_stem(round: Round) -> str:
    return f"scoping-{round.organisation.slug}-{round.slug}"


@dataclass
class Labels:
    """Readable names for the codes an analysis uses, in one language."""

    language: str
    round: Round

    def __post_init__(self):
        self.taxonomy = services.taxonomy_for(self.round.organisation)
        self.questionnaire = builtin_questionnaire()
        self.regions = load_regions()
        self.organisations = dict(Organisation.objects.values_list("slug", "name"))

    def skill(self, code: str) -> str:
        return self.taxonomy.label(code, self.language) if code in self.taxonomy else code

    def choice(self, question: str, code: str) -> str:
        for c in self.questionnaire.choices(self.questionnaire.question(question)):
            if c.code == code:
                return c.name(self.language)
        return code

    def group(self, dimension: str, key: str) -> str:
        if not key:
            return _("Not given")
        if dimension == "role":
            return self.choice("role", key)
        if dimension == "country":
            return str(countries.name(key) or key)
        if dimension == "region":
            return self.regions.label(key, self.language)
        if dimension == "organisation":
            return self.organisations.get(key, key)
        return key.split("/", 1)[-1] if dimension == "unit" else key


def dimension_labels() -> dict[str, str]:
    return {
        "region": _("Region"),
        "country": _("Country"),
        "organisation": _("Organisation"),
        "unit": _("Unit"),
        "role": pgettext("a respondent's job", "Role"),
    }


def question_labels(questionnaire, language: str) -> dict[str, str]:
    return {name: questionnaire.question(name).text(language) for name in CHOICE_QUESTIONS}


def skill_chart(analysis: Analysis, labels: Labels, rtl: bool) -> str:
    respondents = analysis.respondents.value or 0
    rows = []
    for s in analysis.skills:
        low = high = None
        if s.ci_low is not None and respondents:
            low, high = s.ci_low * respondents, s.ci_high * respondents
        rows.append(
            charts.Row(
                labels.skill(s.code),
                (
                    charts.Bar(s.demand.value, s.demand.display, low, high),
                    charts.Bar(s.supply.value, s.supply.display),
                ),
            )
        )
    return charts.bar_chart(
        rows,
        [
            charts.Series(_("Want to learn"), charts.PALETTE[0]),
            charts.Series(_("Can share (level 3 or more)"), charts.PALETTE[1]),
        ],
        title=_("Demand and supply per skill"),
        description=_(
            "For each skill, how many people want to learn it and how many can share it. "
            "Whiskers show the 95 percent confidence interval of demand."
        ),
        rtl=rtl,
        empty_text=_("No data"),
    )


def choice_chart(question: str, title: str, analysis: Analysis, labels: Labels, rtl: bool) -> str:
    figures = analysis.choices[question]
    rows = [
        charts.Row(labels.choice(question, code), (charts.Bar(f.value, f.display),))
        for code, f in figures.rows
    ]
    return charts.bar_chart(
        rows,
        [charts.Series(_("People"), charts.PALETTE[2])],
        title=title,
        description=title,
        rtl=rtl,
        empty_text=_("No data"),
    )


def comparison(round: Round, analysis: Analysis, labels: Labels, rtl: bool) -> dict | None:
    if round.baseline is None:
        return None
    before = services.analysis_for(round.baseline, max(round.min_cell, round.baseline.min_cell))
    changes = compare(before, analysis)
    rows = [
        (
            labels.skill(c.code),
            charts.Bar(c.before.value, c.before.display),
            charts.Bar(c.after.value, c.after.display),
        )
        for c in changes.demand
    ]
    chart = charts.dumbbell_chart(
        rows,
        labels=(round.baseline.title, round.title),
        title=_("Demand per skill: then and now"),
        description=_("People wanting each skill in the earlier round and in this one."),
        rtl=rtl,
        empty_text=_("No data"),
    )
    supply = {c.code: c for c in changes.supply}
    return {
        "baseline": round.baseline,
        "chart": chart,
        "respondents": changes.respondents,
        "rows": [
            {"label": labels.skill(c.code), "demand": c, "supply": supply[c.code]}
            for c in changes.demand
        ],
    }


def ordered(dimension: str, groups: list[dict]) -> list[dict]:
    """Names in alphabetical order in the reader's language (regions and roles keep their own
    order), "not given" last. Never by count: the order of hidden counts would give them away."""
    if dimension in ("region", "role"):
        return groups
    return sorted(
        groups, key=lambda g: (g["key"] == "" or g["key"].endswith("/"), g["label"].casefold())
    )


def report_context(round: Round, language: str) -> dict:
    analysis = services.analysis_for(round)
    labels = Labels(language, round)
    rtl = get_language_bidi()
    qlabels = question_labels(labels.questionnaire, language)
    dims = dimension_labels()
    breakdowns = []
    for dimension in DIMENSIONS:
        breakdown = analysis.breakdowns.get(dimension)
        if breakdown is None or len(breakdown.groups) < 2:
            continue
        breakdowns.append(
            {
                "dimension": dimension,
                "label": dims[dimension],
                "groups": ordered(
                    dimension,
                    [
                        {
                            "key": g.key,
                            "label": labels.group(dimension, g.key),
                            "respondents": g.respondents,
                            "cells": [
                                (g.demand[s.code], g.supply[s.code]) for s in analysis.skills
                            ],
                        }
                        for g in breakdown.groups
                    ],
                ),
            }
        )
    return {
        "round": round,
        "analysis": analysis,
        "skills": [{"label": labels.skill(s.code), "figures": s} for s in analysis.skills],
        "skill_chart": skill_chart(analysis, labels, rtl),
        "breakdowns": breakdowns,
        "choices": [
            {
                "question": q,
                "label": qlabels[q],
                "chart": choice_chart(q, qlabels[q], analysis, labels, rtl),
                "rows": [(labels.choice(q, code), f) for code, f in analysis.choices[q].rows],
            }
            for q in CHOICE_QUESTIONS
            if q in analysis.choices
        ],
        "comparison": comparison(round, analysis, labels, rtl),
        "k": analysis.k,
    }


def render_report(round: Round, fmt: str, language: str) -> tuple[bytes, str, str]:
    """The report in `fmt` as (content, content type, file extension)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    content_type, extension = FORMATS[fmt]
    with translation.override(language):
        context = report_context(round, language)
        if fmt == "html":
            return (
                render_to_string("scoping/report_print.html", context).encode(),
                content_type,
                extension,
            )
        if fmt == "pdf":
            return pdf_bytes(context), content_type, extension
        if fmt == "xlsx":
            return xlsx_bytes(context), content_type, extension
        return csv_bytes(context), content_type, extension


def pdf_bytes(context: dict) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which pages never need

    html = render_to_string("scoping/report_print.html", context)
    return HTML(string=html).write_pdf()


def _cell(figure) -> object:
    """A figure as a spreadsheet cell: its number when shown, else its display text."""
    return figure.value if figure.status == "shown" else figure.display


def table_rows(context: dict) -> list[list]:
    """The report's long table: one row per skill for everyone and per group of each breakdown."""
    analysis: Analysis = context["analysis"]
    rows = []
    for s in context["skills"]:
        f = s["figures"]
        rows.append(
            [
                "all",
                "",
                _("Everyone"),
                f.code,
                s["label"],
                _cell(analysis.respondents),
                _cell(f.demand),
                _cell(f.supply),
                _cell(f.gap),
            ]
        )
    for b in context["breakdowns"]:
        by_key = {g.key: g for g in analysis.breakdowns[b["dimension"]].groups}
        for shown in b["groups"]:
            g = by_key[shown["key"]]
            for s in context["skills"]:
                code = s["figures"].code
                rows.append(
                    [
                        b["dimension"],
                        g.key,
                        shown["label"],
                        code,
                        s["label"],
                        _cell(g.respondents),
                        _cell(g.demand[code]),
                        _cell(g.supply[code]),
                        "",
                    ]
                )
    return rows


TABLE_HEADER = [
    "dimension",
    "group",
    "group_name",
    "skill",
    "skill_name",
    "respondents",
    "demand",
    "supply",
    "gap",
]
HXL_TAGS = [
    "#meta+dimension",
    "#group+code",
    "#group+name",
    "#indicator+skill+code",
    "#indicator+skill+name",
    "#indicator+respondents+num",
    "#indicator+demand+num",
    "#indicator+supply+num",
    "#indicator+gap+num",
]


def csv_bytes(context: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TABLE_HEADER)
    writer.writerow(HXL_TAGS)
    for row in table_rows(context):
        writer.writerow([safe_text(v) for v in row])
    # A BOM so that Excel opens Arabic and French names correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(context: dict) -> bytes:
    import xlsxwriter

    analysis: Analysis = context["analysis"]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    note = book.add_format({"italic": True})

    def sheet(name, header, rows, rtl):
        ws = book.add_worksheet(name[:31])
        if rtl:
            ws.right_to_left()
        ws.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                value = safe_text(value)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                elif value is None:
                    ws.write_blank(r, c, None)
                else:
                    ws.write_string(r, c, str(value))
        ws.write_string(
            len(rows) + 2,
            0,
            _(
                "Counts under %(k)s are shown as “<%(k)s”; a dash hides a count that could otherwise be worked out."
            )
            % {"k": analysis.k},
            note,
        )
        ws.set_column(0, len(header), 18)

    rtl = get_language_bidi()
    skills = [
        [
            s["figures"].code,
            s["label"],
            _cell(s["figures"].demand),
            _cell(s["figures"].supply),
            _cell(s["figures"].gap),
            s["figures"].share,
            s["figures"].ci_low,
            s["figures"].ci_high,
        ]
        for s in context["skills"]
    ]
    sheet(
        _("Skills"),
        [
            _("Skill code"),
            _("Skill"),
            _("Want to learn"),
            _("Can share"),
            _("Gap"),
            _("Share of respondents"),
            _("95% CI low"),
            _("95% CI high"),
        ],
        skills,
        rtl,
    )
    sheet(_("Breakdowns"), TABLE_HEADER, table_rows(context), rtl)
    choice_rows = [
        [c["label"], label, _cell(f)] for c in context["choices"] for label, f in c["rows"]
    ]
    sheet(_("Work and barriers"), [_("Question"), _("Answer"), _("People")], choice_rows, rtl)
    if context["comparison"]:
        comp = [
            [
                r["label"],
                _cell(r["change"].before),
                _cell(r["change"].after),
                _cell(r["change"].change),
            ]
            for r in context["comparison"]["rows"]
        ]
        sheet(
            _("Comparison"),
            [
                _("Skill"),
                context["comparison"]["baseline"].title,
                context["round"].title,
                pgettext("difference between two rounds", "Change"),
            ],
            comp,
            rtl,
        )
    book.close()
    return out.getvalue()


def xlsform_bytes(round: Round) -> bytes:
    with tempfile.TemporaryDirectory(prefix="datacircle-xlsform-") as folder:
        path = Path(folder) / "form.xlsx"
        build_xlsform(
            path,
            taxonomy=services.taxonomy_for(round.organisation),
            form_id=f"datacircle_{round.organisation.slug}_{round.slug}".replace("-", "_"),
            title=round.title,
        )
        return path.read_bytes()
