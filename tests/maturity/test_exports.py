"""PDF and XLSX downloads of the results, and `datacircle maturity …`."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from datacircle.cli import main
from tests.conftest import pdf_text
from tests.maturity.conftest import answer_everything, highest, lowest


@pytest.fixture
def answered(network, small_scan):
    from datacircle.accounts.models import Unit

    # A unit name a spreadsheet would read as a formula.
    sneaky = Unit.objects.create(organisation=network["kenya"], name='=HYPERLINK("http://x")')
    answer_everything(small_scan, lowest, 2, unit=network["kenyan"].unit)
    answer_everything(small_scan, highest, 3, unit=sneaky, targets={"tools": 5})
    return small_scan


def test_pdf_download(network, login, answered):
    response = login(network["kenyan_coordinator"]).get(
        reverse("maturity-results-export", args=[answered.pk, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "maturity-kenya-rc-scan-2026.pdf" in response["Content-Disposition"]


def test_xlsx_download_opens_and_is_formula_safe(network, login, answered):
    import openpyxl

    sneaky = answered.organisation.units.get(name__startswith="=")
    response = login(network["kenyan_coordinator"]).get(
        reverse("maturity-results-export", args=[answered.pk, "xlsx"]), {"unit": sneaky.pk}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"About", "Dimensions", "Benchmark", "Next steps"} <= set(book.sheetnames)
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    texts = [v for v in cells if isinstance(v, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert '\'=HYPERLINK("http://x")' in texts
    dimensions = book["Dimensions"]
    header = [c.value for c in dimensions[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in dimensions.iter_rows(min_row=2, values_only=True)
        if r[0]
    }
    assert rows["tools"]["Mean"] == 5 and rows["tools"]["Stage name"] == "Canopy"
    assert rows["tools"]["Target"] == 5


def test_arabic_results_read_right_to_left(network, login, answered, weasyprint_html):
    from datacircle.maturity.exports import render_results

    client = login(network["kenyan_coordinator"])
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})  # the switcher
    page = client.get(reverse("maturity-results", args=[answered.pk])).content.decode()
    assert 'dir="rtl"' in page and 'role="img"' in page
    html, _type, _ext = render_results(answered, "html", "ar")
    assert b'dir="rtl"' in html
    pdf, _type, _ext = render_results(answered, "pdf", "ar")
    assert pdf.startswith(b"%PDF")
    # The document WeasyPrint laid out is Arabic, right to left, with translated headings.
    (printed,) = weasyprint_html
    assert '<html lang="ar" dir="rtl">' in printed
    assert "<h1>نتائج مسح النضج: <bdi>Scan 2026</bdi></h1>" in printed
    assert "أين نحن وأين نريد أن نكون" in printed  # Where we are and where we want to be
    assert "Where we are" not in printed
    text = pdf_text(pdf)
    assert "نتائج مسح النضج" in text and "أين نحن وأين نريد أن نكون" in text


def test_unknown_format_is_not_found(network, login, answered):
    response = login(network["kenyan_coordinator"]).get(
        reverse("maturity-results-export", args=[answered.pk, "docx"])
    )
    assert response.status_code == 404


def test_cli_lists_scans_and_writes_reports(network, answered, tmp_path, capsys):
    assert main(["maturity", "scans"]) == 0
    listed = capsys.readouterr().out
    assert "kenya-rc/Scan 2026" in listed and "open" in listed and " 5" in listed

    pdf = tmp_path / "scan.pdf"
    assert main(["maturity", "report", "--scan", "kenya-rc/scan 2026", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")

    html = tmp_path / "scan.html"
    assert (
        main(
            [
                "maturity",
                "report",
                "--scan",
                str(answered.pk),
                "--out",
                str(html),
                "--unit",
                "health",
            ]
        )
        == 0
    )
    text = html.read_text(encoding="utf-8")
    assert "Fewer than 3 people in <bdi>Health</bdi> have answered" in text

    xlsx = tmp_path / "scan.bin"
    assert (
        main(
            [
                "maturity",
                "report",
                "--scan",
                str(answered.pk),
                "--out",
                str(xlsx),
                "--format",
                "xlsx",
            ]
        )
        == 0
    )
    assert xlsx.read_bytes().startswith(b"PK")


def test_cli_says_what_is_wrong(network, answered, tmp_path):
    with pytest.raises(SystemExit, match="no maturity scan 'kenya-rc/nothing'"):
        main(["maturity", "report", "--scan", "kenya-rc/nothing", "--out", str(tmp_path / "x.pdf")])
    with pytest.raises(SystemExit, match="has no unit 'Logistics'"):
        main(
            [
                "maturity",
                "report",
                "--scan",
                str(answered.pk),
                "--out",
                str(tmp_path / "x.pdf"),
                "--unit",
                "Logistics",
            ]
        )
    with pytest.raises(SystemExit, match="say --format"):
        main(["maturity", "report", "--scan", str(answered.pk), "--out", str(tmp_path / "x.doc")])
