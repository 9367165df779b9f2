"""A scan's results as a page, an HTML file, a PDF (WeasyPrint) and an XLSX workbook.

Every format shows the same figures, from `services.results`: only aggregates of at least
MIN_RESPONDENTS people, never one person's answers. Spreadsheet text goes through
datacircle.core.spreadsheet so that no cell can start a formula.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from datacircle.core import charts
from datacircle.core import maturity as core
from datacircle.core.spreadsheet import safe_text
from datacircle.maturity import services
from datacircle.maturity.models import MIN_RESPONDENTS, Scan
from datacircle.web import localised

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "html": ("text/html; charset=utf-8", "html"),
}
AREA_LABELS = {
    "people": gettext_lazy("People"),
    "process": gettext_lazy("Process"),
    "technology": gettext_lazy("Technology"),
}


def file_stem(scan: Scan, unit=None) -> str:
    stem = f"maturity-{scan.organisation.slug}-{slugify(scan.title) or scan.pk}"
    return f"{stem}-{slugify(unit.name) or unit.pk}" if unit is not None else stem


def number(value: float | None, digits: int = 1) -> str:
    return localised.figure(value, digits)


def _stage_name(q: core.Questionnaire, level: int | None) -> str:
    if level is None:
        return "–"
    return next((s.name for s in q.stages if s.level == level), str(level))


def _position(position: str) -> str:
    return {
        "above": _("above peers"),
        "within": _("within the middle half of peers"),
        "below": _("below peers"),
    }.get(position, position)


def dimension_rows(found: services.Results) -> list[dict]:
    q = found.questionnaire
    rows = []
    for d in q.dimensions:
        c = found.combined.get(d.id)
        stage = c.stage if c else None
        target_stage = core.stage_of(c.target) if c and c.target is not None else None
        bench = found.benchmark.get(d.id) if found.benchmark else None
        rows.append(
            {
                "id": d.id,
                "name": d.name,
                "area": AREA_LABELS.get(d.area, d.area),
                "summary": d.summary,
                "combined": c,
                "stage": stage,
                "stage_name": _stage_name(q, stage),
                "stage_text": d.stages[stage - 1] if stage else "",
                "target_stage_name": _stage_name(q, target_stage),
                "mean": number(c.mean if c else None),
                "median": number(c.median if c else None),
                "low": number(c.low if c else None),
                "high": number(c.high if c else None),
                "spread": number(c.spread if c else None, 2),
                "target": number(c.target if c else None),
                "gap": number(c.gap if c else None),
                "respondents": c.respondents if c else 0,
                "benchmark": bench,
                "position": _position(bench.position) if bench else "",
            }
        )
    return rows


def trend_rows(found: services.Results) -> list[dict]:
    names = {d.id: d.name for d in found.questionnaire.dimensions}
    return [
        {"name": names[dim], "values": [number(mean) for _label, mean in points]}
        for dim, points in found.trend.items()
    ]


def trend_chart(found: services.Results, rtl: bool) -> str:
    if len(found.trend_labels) < 2:
        return ""
    first, last = found.trend_labels[0], found.trend_labels[-1]
    rows = []
    for d in found.questionnaire.dimensions:
        points = dict(found.trend.get(d.id, []))
        before, after = points.get(first), points.get(last)
        rows.append(
            (
                d.name,
                charts.Bar(before, number(before)),
                charts.Bar(after, number(after)),
            )
        )
    return charts.dumbbell_chart(
        rows,
        labels=(first, last),
        title=_("Mean score per dimension: %(first)s and %(last)s")
        % {"first": first, "last": last},
        description=_("The mean score (1 to 5) of each dimension in the first and latest scan."),
        rtl=rtl,
        value_format=lambda v: f"{v:g}",
        max_value=5,
        empty_text=_("No data"),
    )


def step_rows(found: services.Results, language: str) -> list[dict]:
    from datacircle.scoping.services import taxonomy_for

    taxonomy = taxonomy_for(found.scan.organisation)
    names = {d.id: d.name for d in found.questionnaire.dimensions}
    return [
        {
            "dimension": names.get(step.dimension, step.dimension),
            "skills": [
                {
                    "code": code,
                    "label": taxonomy.label_or_code(code, language),
                    "demand": found.demand_display.get(code, "–"),
                }
                for code in step.skills
            ],
            "modules": [
                {
                    "title": m.title,
                    "reference": m.reference,
                    "language": m.language,
                    "pk": found.module_ids.get(m.reference),
                }
                for m in step.modules
            ],
        }
        for step in found.steps
    ]


def results_context(scan: Scan, unit, language: str, rtl: bool) -> dict:
    found = services.results(scan, unit, language)
    names = {d.id: d.name for d in found.questionnaire.dimensions}
    context = {
        "scan": scan,
        "unit": unit,
        "found": found,
        "minimum": MIN_RESPONDENTS,
        "min_peers": core.MIN_PEERS,
        "stages": found.questionnaire.stages,
        "version": scan.questionnaire,
    }
    if not found.enough:
        return context
    context.update(
        {
            "radar": services.radar_svg(found, rtl=rtl),
            "rows": dimension_rows(found),
            "strengths": [names[d] for d in found.strengths],
            "weaknesses": [names[d] for d in found.weaknesses],
            "trend_rows": trend_rows(found),
            "trend_chart": trend_chart(found, rtl),
            "steps": step_rows(found, language),
        }
    )
    return context


def render_results(scan: Scan, fmt: str, language: str, unit=None) -> tuple[bytes, str, str]:
    """The results in `fmt` as (content, content type, file extension)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    content_type, extension = FORMATS[fmt]
    with translation.override(language):
        context = results_context(scan, unit, language, get_language_bidi())
        if fmt == "xlsx":
            return xlsx_bytes(context), content_type, extension
        html = render_to_string("maturity/results_print.html", context)
        if fmt == "html":
            return html.encode(), content_type, extension
        from weasyprint import HTML  # imported late: it loads Pango, which pages never need

        return HTML(string=html).write_pdf(), content_type, extension


def xlsx_bytes(context: dict) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    rtl = get_language_bidi()

    def sheet(name: str, header: list, rows: list[list], note: str = ""):
        ws = book.add_worksheet(name[:31])
        if rtl:
            ws.right_to_left()
        ws.write_row(0, 0, [safe_text(h) for h in header], bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                value = safe_text(value)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                elif value is None or value == "":
                    ws.write_blank(r, c, None)
                else:
                    ws.write_string(r, c, str(value))
        if note:
            ws.write_string(len(rows) + 2, 0, safe_text(note))
        ws.set_column(0, max(len(header) - 1, 0), 20)

    scan, unit, found = context["scan"], context["unit"], context["found"]
    where = unit.name if unit else scan.organisation.name
    about = [
        [_("Organisation"), scan.organisation.name],
        [_("Scan"), scan.title],
        [_("Unit"), unit.name if unit else _("Whole organisation")],
        [_("Questionnaire version"), scan.questionnaire.version],
        [_("Respondents"), str(found.respondents)],
    ]
    sheet(_("About"), [_("Results"), where], about)
    if not found.enough:
        sheet(
            _("Dimensions"),
            [_("Dimension")],
            [],
            _("Results show once at least %(n)s people have answered.") % {"n": MIN_RESPONDENTS},
        )
        book.close()
        return out.getvalue()

    def value(v):
        return None if v is None else round(v, 2)

    rows = [
        [
            r["id"],
            r["name"],
            r["area"],
            r["stage"],
            r["stage_name"],
            value(r["combined"].mean),
            value(r["combined"].median),
            value(r["combined"].low),
            value(r["combined"].high),
            value(r["combined"].spread),
            value(r["combined"].target),
            value(r["combined"].gap),
        ]
        for r in context["rows"]
    ]
    sheet(
        _("Dimensions"),
        [
            _("Dimension id"),
            _("Dimension"),
            _("Area"),
            _("Stage"),
            _("Stage name"),
            _("Mean"),
            _("Median"),
            _("Lowest"),
            _("Highest"),
            _("Standard deviation"),
            _("Target"),
            _("Gap"),
        ],
        rows,
        _("Scores run from 1 to 5; the stage is the mean rounded half up."),
    )
    sheet(
        _("Strengths and weaknesses"),
        [_("Kind"), _("Dimension")],
        [[_("Strength"), name] for name in context["strengths"]]
        + [[_("Weakness"), name] for name in context["weaknesses"]],
    )
    if found.benchmark:
        bench = [
            [
                r["name"],
                value(r["combined"].mean),
                value(r["benchmark"].median),
                value(r["benchmark"].low),
                value(r["benchmark"].high),
                r["benchmark"].peers,
                r["position"],
            ]
            for r in context["rows"]
            if r["benchmark"]
        ]
        sheet(
            _("Benchmark"),
            [
                _("Dimension"),
                _("Ours"),
                _("Peers' median"),
                _("Peers' lower quartile"),
                _("Peers' upper quartile"),
                _("Peer organisations"),
                _("Position"),
            ],
            bench,
        )
    else:
        sheet(
            _("Benchmark"),
            [_("Benchmark")],
            [],
            _("The benchmark appears once at least %(n)s peer organisations have answered.")
            % {"n": core.MIN_PEERS},
        )
    if found.trend_labels:
        sheet(
            _("Trend"),
            [_("Dimension"), *found.trend_labels],
            [
                [
                    next(d.name for d in found.questionnaire.dimensions if d.id == dim),
                    *[value(mean) for _label, mean in points],
                ]
                for dim, points in found.trend.items()
            ],
        )
    steps = [
        [
            step["dimension"],
            ", ".join(f"{s['label']} ({s['demand']})" for s in step["skills"]),
            "; ".join(f"{m['title']} [{m['reference']}]" for m in step["modules"]),
        ]
        for step in context["steps"]
    ]
    sheet(
        _("Next steps"), [_("Dimension"), _("Skills (people who want them)"), _("Modules")], steps
    )
    book.close()
    return out.getvalue()
