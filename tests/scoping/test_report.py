"""The report: charts and tables in the page, PDF/XLSX/CSV exports, and no small count anywhere."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from datacircle.scoping import services
from datacircle.scoping.models import Round
from tests.conftest import pdf_text
from tests.scoping.conftest import frame_of

K = 5


@pytest.fixture
def answered(round):
    """12 people in Health (all want analysis, 8 want GIS), 3 in Logistics (all want GIS)."""
    answers = [
        {
            "unit": "Health",
            "learn": {"analysis": 1, **({"gis": 0} if i < 8 else {})},
            "share": {"spreadsheets": 4},
            "barriers": ["time"],
        }
        for i in range(12)
    ]
    answers += [{"unit": "Logistics", "learn": {"gis": 2}, "share": {"gis": 3}} for _ in range(3)]
    frame = frame_of(*answers)
    services.save_frame(round, frame, "kobo")
    return round


def counts_in(rows, columns):
    for row in rows:
        for column in columns:
            value = row[column]
            if value in ("", None):
                continue
            yield value


def assert_no_small_count(values):
    for value in values:
        if isinstance(value, (int, float)) or str(value).isdigit():
            assert int(value) >= K, f"a count under {K} was published: {value}"
        else:
            assert value in (f"<{K}", "–"), value


def test_report_page_shows_demand_supply_and_hides_small_groups(network, login, answered):
    page = login(network["kenyan_coordinator"]).get(reverse("scoping-report", args=[answered.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Analysing data" in html
    assert f"&lt;{K}" in html  # Logistics' 3 people are shown as "<5"
    context = page.context
    analysis = context["analysis"]
    assert analysis.respondents.value == 15
    analysis_skill = analysis.skill("analysis")
    assert analysis_skill.demand.value == 12
    assert analysis.skill("gis").demand.value == 11
    assert analysis.skill("spreadsheets").supply.value == 12
    # GIS supply is 3: too few to show, and its gap would reveal it.
    assert analysis.skill("gis").supply.display == f"<{K}"
    assert analysis.skill("gis").gap.value is None


def test_csv_export_has_hxl_tags_and_no_small_count(network, login, answered):
    page = login(network["kenyan_coordinator"]).get(
        reverse("scoping-report-export", args=[answered.pk, "csv"])
    )
    assert page["Content-Type"].startswith("text/csv")
    text = page.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, tags, body = rows[0], rows[1], rows[2:]
    assert tags[0].startswith("#") and "#indicator+demand+num" in tags
    records = [dict(zip(header, row, strict=True)) for row in body]
    assert any(r["dimension"] == "unit" and r["group_name"] == "Logistics" for r in records)
    assert_no_small_count(counts_in(records, ["respondents", "demand", "supply", "gap"]))


def test_xlsx_export_has_no_small_count(network, login, answered):
    page = login(network["kenyan_coordinator"]).get(
        reverse("scoping-report-export", args=[answered.pk, "xlsx"])
    )
    book = openpyxl.load_workbook(io.BytesIO(page.content))
    sheet = book["Breakdowns"]
    header = [cell.value for cell in sheet[1]]
    records = [
        dict(zip(header, row, strict=False))
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0]
    ]
    records = [r for r in records if r.get("skill")]
    assert records
    assert_no_small_count(counts_in(records, ["respondents", "demand", "supply"]))


def test_pdf_export(network, login, answered):
    page = login(network["kenyan_coordinator"]).get(
        reverse("scoping-report-export", args=[answered.pk, "pdf"])
    )
    assert page.status_code == 200
    assert page.content.startswith(b"%PDF")
    assert 'filename="scoping-kenya-rc-baseline.pdf"' in page["Content-Disposition"]


def test_report_is_for_the_organisation_and_network_admins(network, login, answered):
    url = reverse("scoping-report", args=[answered.pk])
    assert login(network["admin"]).get(url).status_code == 200
    assert login(network["senegalese"]).get(url).status_code == 404


def test_a_follow_up_round_compares_with_its_baseline(network, login, answered):
    follow_up = Round.objects.create(
        organisation=network["kenya"], title="Kenya follow-up", slug="follow-up", baseline=answered
    )
    services.save_frame(
        follow_up,
        frame_of(*[{"unit": "Health", "learn": {"analysis": 1}} for _ in range(6)]),
        "kobo",
    )
    page = login(network["kenyan_coordinator"]).get(reverse("scoping-report", args=[follow_up.pk]))
    html = page.content.decode()
    assert "Compared with “<bdi>Kenya baseline</bdi>”" in html
    comparison = page.context["comparison"]
    analysis_row = next(r for r in comparison["rows"] if r["label"] == "Analysing data")
    assert analysis_row["demand"].before.value == 12
    assert analysis_row["demand"].after.value == 6
    assert analysis_row["demand"].change.display == "-6"
    # GIS: 11 wanted it before, nobody now: 0 is under k, so the change is hidden too.
    gis = next(r for r in comparison["rows"] if r["label"] == "Maps and GIS")
    assert gis["demand"].after.display == "<5" and gis["demand"].change.display == "–"


def test_the_analysis_is_cached_until_the_answers_change(network, answered):
    first = services.analysis_for(answered)
    assert services.analysis_for(answered) == first
    services.save_frame(
        answered, frame_of({"unit": "Health", "learn": {"gis": 1}} | {"uuid": "new"}), "web"
    )
    answered.refresh_from_db()
    assert services.analysis_for(answered).respondents.value == 16


def test_round_pages_show_small_totals_as_fewer_than_k(network, login, round):
    services.save_frame(round, frame_of(*[{"unit": "Health"} for _ in range(3)]), "kobo")
    for person in ("kenyan", "kenyan_coordinator"):
        client = login(network[person])
        listing = client.get(reverse("area-scoping")).content.decode()
        assert "<td>&lt;5</td>" in listing
        page = client.get(reverse("scoping-round", args=[round.pk])).content.decode()
        assert "&lt;5 (from KoboToolbox)" in page


def test_a_round_too_small_to_publish_says_so(network, login, round):
    # At the smallest allowed group (3), four people can be impossible to publish safely.
    round.min_cell = 3
    round.save()
    answers = [
        {"learn": {"gis": None}},
        {"role": "volunteer", "learn": {"gis": None}},
        {"country": "KE", "learn": {"gis": None}},
        {"role": "volunteer"},
    ]
    services.save_frame(round, frame_of(*answers), "kobo")
    client = login(network["kenyan_coordinator"])
    page = client.get(reverse("scoping-report", args=[round.pk]))
    assert "too small to report" in page.content.decode()
    export = client.get(reverse("scoping-report-export", args=[round.pk, "csv"]))
    assert "too small to report" in export.content.decode()
    assert client.get(reverse("scoping-report-export", args=[round.pk, "docx"])).status_code == 404


def test_breakdowns_list_names_alphabetically(network, login, round):
    answers = [{"country": "CH"} for _ in range(6)] + [{"country": "ES"} for _ in range(6)]
    answers += [{} for _ in range(6)]
    services.save_frame(round, frame_of(*answers), "kobo")
    page = login(network["kenyan_coordinator"]).get(reverse("scoping-report", args=[round.pk]))
    countries = next(b for b in page.context["breakdowns"] if b["dimension"] == "country")
    assert [g["label"] for g in countries["groups"]] == ["Spain", "Switzerland", "Not given"]


def test_arabic_report_is_right_to_left_in_every_format(network, answered, weasyprint_html):
    from datacircle.scoping.exports import render_report

    html, _type, _ext = render_report(answered, "html", "ar")
    assert b'dir="rtl"' in html
    pdf, _type, _ext = render_report(answered, "pdf", "ar")
    assert pdf.startswith(b"%PDF")
    # The document WeasyPrint laid out is Arabic, right to left, with translated headings.
    (printed,) = weasyprint_html
    assert '<html lang="ar" dir="rtl">' in printed
    assert "<h1>تقرير مسح المهارات: <bdi>Kenya baseline</bdi></h1>" in printed
    assert "الطلب والعرض لكل مهارة" in printed  # Demand and supply per skill
    assert "Demand and supply" not in printed
    text = pdf_text(pdf)
    assert "تقرير مسح المهارات" in text and "الطلب والعرض لكل مهارة" in text
    xlsx, _type, _ext = render_report(answered, "xlsx", "ar")
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0].sheet_view.rightToLeft
