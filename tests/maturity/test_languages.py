"""The questionnaire in the reader's language: an Arabic reader answers in Arabic, French
reports (page, HTML, PDF, XLSX, command line) name the dimensions in French, an organisation's
English-only copy shows the texts it wrote, in English, to readers of every language, and
English-only texts the built-in has word for word at the same place (version 1, unchanged texts
of a copy) borrow the built-in's translations."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.maturity.conftest import answer_everything, highest, lowest, make_scan
from tests.maturity.test_respond import form_data

LANGUAGES = ("en", "fr", "es", "ar")


def reading(client, language):
    """The person chooses `language` with the switcher at the foot of every page."""
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


@pytest.fixture
def answered_builtin(network, builtin_version):
    """Kenya's scan on the built-in questionnaire with three respondents in Health."""
    scan = make_scan(network["kenya"], builtin_version)
    answer_everything(scan, lowest, 2, unit=network["kenyan"].unit, targets={"tools": 4})
    answer_everything(scan, highest, 1, unit=network["kenyan"].unit)
    return scan


def test_an_arabic_reader_answers_the_scan_in_arabic(network, login, builtin_version):
    from datacircle.maturity.models import ScanResponse

    scan = make_scan(network["kenya"], builtin_version)
    q = builtin_version.parsed()
    arabic = q.in_language("ar")
    client = reading(login(network["kenyan"]), "ar")
    page = client.get(reverse("maturity-respond", args=[scan.pk])).content.decode()
    assert 'dir="rtl"' in page
    for dimension in arabic.dimensions:
        assert f"<legend><bdi>{dimension.name}</bdi></legend>" in page
        assert dimension.summary in page
    for question in arabic.questions:
        assert question.text in page
        for answer in question.answers:
            assert answer.text in page
    assert "لا أعرف" in page  # "I don't know"
    assert f"5 · {arabic.stage(5).name}" in page  # the target's stages
    assert q.question("tools-fit").text not in page  # no English left

    # A missing answer is named in Arabic; answering stores ids and scores, whatever the language.
    data = form_data(q, highest)
    del data["q-tools-fit"]
    refused = client.post(reverse("maturity-respond", args=[scan.pk]), data)
    assert refused.status_code == 400
    assert f"«{arabic.question('tools-fit').text}»" in refused.content.decode()
    data["q-tools-fit"] = "5"
    assert client.post(reverse("maturity-respond", args=[scan.pk]), data).status_code == 302
    saved = ScanResponse.objects.get(person=network["kenyan"])
    assert saved.answers == {question.id: question.scores[-1] for question in q.questions}


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_pages_show_the_questionnaire_in_each_language(
    network, login, answered_builtin, language
):
    shown = answered_builtin.questionnaire.parsed().in_language(language)
    client = reading(login(network["kenyan_coordinator"]), language)
    page = client.get(reverse("maturity-results", args=[answered_builtin.pk])).content.decode()
    for dimension in shown.dimensions:
        assert f'data-dimension="{dimension.id}"' in page  # the radar's axis label
        assert f'<th scope="row"><bdi>{dimension.name}</bdi> ' in page  # the table
    # The stage reached and what it looks like in that dimension.
    tools = shown.dimension("tools")
    assert (
        f'{shown.stage(2).name}</bdi></strong><br><span class="muted" dir="auto">{tools.stages[1]}'
        in page
    )
    assert shown.dimension("tools").name in page.split("steps-heading", 1)[1]  # next steps


def test_the_radar_is_labelled_in_the_readers_language(network, answered_builtin):
    from datacircle.maturity import services

    found = services.results(answered_builtin, language="fr")
    svg = services.radar_svg(found)
    assert "Partage et interconnexion" in svg  # in the chart's description, whole
    assert "Démarrage" in svg  # the rings' stage names
    assert "Sharing and connecting" not in svg and "Starting" not in svg


def test_french_reports_name_the_dimensions_in_french(network, answered_builtin, tmp_path):
    import openpyxl

    from datacircle.cli import main
    from datacircle.maturity.exports import render_results

    french = answered_builtin.questionnaire.parsed().in_language("fr")
    html, _type, _ext = render_results(answered_builtin, "html", "fr")
    text = html.decode()
    assert 'lang="fr"' in text
    for dimension in french.dimensions:
        assert dimension.name in text
    assert "Data quality and management" not in text

    xlsx, _type, _ext = render_results(answered_builtin, "xlsx", "fr")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    dimensions = book.worksheets[1]
    rows = list(dimensions.iter_rows(values_only=True))
    assert (rows[0][1], rows[0][4]) == ("Dimension", "Nom du stade")
    table = [row for row in rows[1:] if row[1]]  # the note under the table has one cell
    assert {row[0]: row[1] for row in table} == {d.id: d.name for d in french.dimensions}
    assert {row[4] for row in table} <= {s.name for s in french.stages}

    out = tmp_path / "kenya.html"
    command = ["maturity", "report", "--scan", str(answered_builtin.pk), "--out", str(out)]
    assert main([*command, "--language", "fr"]) == 0
    assert "Qualité et gestion des données" in out.read_text(encoding="utf-8")
    assert main(command) == 0  # English by default
    assert "Data quality and management" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) reads the PDF")
def test_a_french_pdf_names_the_dimensions_in_french(network, answered_builtin, tmp_path):
    from datacircle.maturity.exports import render_results

    pdf, _type, _ext = render_results(answered_builtin, "pdf", "fr")
    path = tmp_path / "kenya.pdf"
    path.write_bytes(pdf)
    words = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    words = " ".join(words.split())
    assert "Qualité et gestion des données" in words
    assert "Protection des données" in words


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_english_only_copy_shows_in_english_to_every_reader(
    network, login, small_scan, language
):
    """Kenya's own questionnaire is English only: every page shows, and the texts Kenya wrote
    itself (not the built-in's) are in English for every reader."""
    answer_everything(small_scan, lowest, 3)
    q = small_scan.questionnaire.parsed()
    client = reading(login(network["kenyan_coordinator"]), language)
    respond = client.get(reverse("maturity-respond", args=[small_scan.pk]))
    assert respond.status_code == 200
    assert "Do leaders ask for data?" in respond.content.decode()
    assert "Canopy" in respond.content.decode()
    results = client.get(reverse("maturity-results", args=[small_scan.pk]))
    assert results.status_code == 200
    assert '<th scope="row"><bdi>Data</bdi> ' in results.content.decode()  # not the built-in's name
    editor = client.get(reverse("maturity-questionnaire"))
    assert editor.status_code == 200
    assert q.question("lead-budget").answers[-1].text in editor.content.decode()
    for fmt in ("html", "xlsx", "pdf"):
        download = client.get(reverse("maturity-results-export", args=[small_scan.pk, fmt]))
        assert download.status_code == 200


def test_the_editor_previews_the_builtin_in_the_readers_language(network, login, builtin_version):
    spanish = builtin_version.parsed().in_language("es")
    client = reading(login(network["kenyan_coordinator"]), "es")
    page = client.get(reverse("maturity-questionnaire")).content.decode()
    assert f"1 · <bdi>{spanish.stage(1).name}</bdi>" in page
    assert (
        f'<h3><bdi>{spanish.dimension("uses").name}</bdi> <span class="muted">(Procesos)</span>'
        in page
    )
    assert spanish.question("uses-products").text in page
    # The text box holds every language, for editing.
    assert "es: Uso de los datos" in page and "ar: استخدامات البيانات" in page


def english_only(data):
    """Questionnaire data with every text in English only, as version 1 was stored."""
    if isinstance(data, dict):
        if "en" in data and set(data) <= set(LANGUAGES):
            return data["en"]
        return {key: english_only(value) for key, value in data.items()}
    if isinstance(data, list):
        return [english_only(value) for value in data]
    return data


def test_scans_on_version_1_keep_their_results_and_new_scans_take_version_2(network, login):
    """An installation that had the English-only version 1 before the translations."""
    from datetime import date

    from datacircle.core import maturity as core
    from datacircle.maturity import services
    from datacircle.maturity.models import Questionnaire

    kenya = network["kenya"]
    first = english_only(core.builtin().to_data()) | {"version": 1}
    v1 = Questionnaire.objects.create(organisation=None, version=1, content=first)
    old = make_scan(kenya, v1, title="Scan 2025", opens=date(2025, 4, 7))
    answer_everything(old, lowest, 3, targets={"tools": 4})
    before = services.results(old, language="fr").combined

    # The next start writes version 2 beside version 1, which stays as it was.
    v2 = services.load_builtin_questionnaire()
    assert v2.version == 2
    assert Questionnaire.objects.get(pk=v1.pk).content == first
    new = services.start_scan(kenya, None, title="Scan 2026", opens_on=date(2026, 4, 6))
    assert new.questionnaire == v2
    answer_everything(new, lowest, 3, targets={"tools": 4})

    assert services.results(old, language="fr").combined == before
    found = services.results(new, language="fr")
    assert found.combined == before  # same answers, same figures on either version
    assert found.trend_labels == ["Scan 2025", "Scan 2026"]
    assert [mean for _label, mean in found.trend["tools"]] == [before["tools"].mean] * 2

    client = reading(login(network["kenyan_coordinator"]), "fr")
    page = client.get(reverse("maturity-results", args=[old.pk])).content.decode()
    # Version 1 is English only, word for word version 2's English: it borrows the French.
    assert '<th scope="row"><bdi>Qualité et gestion des données</bdi> ' in page
    assert "Data quality and management" not in page
    page = client.get(reverse("maturity-results", args=[new.pk])).content.decode()
    assert '<th scope="row"><bdi>Qualité et gestion des données</bdi> ' in page


def test_an_arabic_reader_of_a_scan_answered_on_version_1_reads_arabic_questions(network, login):
    """Version 1 stored English only, as before the translations: its scan reads in Arabic
    (respond page and results), and its stored text is not touched."""
    from datacircle.core import maturity as core
    from datacircle.maturity.models import Questionnaire

    first = english_only(core.builtin().to_data()) | {"version": 1}
    v1 = Questionnaire.objects.create(organisation=None, version=1, content=first)
    scan = make_scan(network["kenya"], v1, title="Scan 2025")
    arabic = core.builtin().in_language("ar")
    page = reading(login(network["kenyan"]), "ar").get(reverse("maturity-respond", args=[scan.pk]))
    html = page.content.decode()
    for question in arabic.questions:
        assert escape(question.text) in html
        for answer in question.answers:
            assert escape(answer.text) in html
    for dimension in arabic.dimensions:
        assert f"<legend><bdi>{escape(dimension.name)}</bdi></legend>" in html
    assert v1.parsed().question("tools-fit").text not in html  # no English left

    answer_everything(scan, lowest, 3)
    client = reading(login(network["kenyan_coordinator"]), "ar")
    results = client.get(reverse("maturity-results", args=[scan.pk])).content.decode()
    for dimension in arabic.dimensions:
        assert f'<th scope="row"><bdi>{escape(dimension.name)}</bdi> ' in results
    assert Questionnaire.objects.get(pk=v1.pk).content == first


def test_a_copy_with_one_edited_question_shows_it_as_written_and_the_rest_translated(
    network, login, builtin_version
):
    """Kenya copied version 1 (English only) and reworded one question: a French reader sees
    that question as Kenya wrote it, and every other text in French, its answers included."""
    from datacircle.core import maturity as core
    from datacircle.maturity.services import save_questionnaire

    built_in = core.builtin()
    copy = english_only(built_in.to_data())
    (edited,) = (q for d in copy["dimensions"] for q in d["questions"] if q["id"] == "tools-fit")
    edited["text"] = "Do our tools fit the work our branches do?"
    text = core.dump_text(core.parse(copy))
    version = save_questionnaire(network["kenya"], text, network["kenyan_coordinator"])
    scan = make_scan(network["kenya"], version)

    french = built_in.in_language("fr")
    client = reading(login(network["kenyan"]), "fr")
    html = client.get(reverse("maturity-respond", args=[scan.pk])).content.decode()
    assert "Do our tools fit the work our branches do?" in html
    assert escape(french.question("tools-fit").text) not in html
    for answer in french.question("tools-fit").answers:  # its answers are unchanged
        assert escape(answer.text) in html
    for question in french.questions:
        if question.id != "tools-fit":
            assert escape(question.text) in html
    for dimension in french.dimensions:
        assert f"<legend><bdi>{escape(dimension.name)}</bdi></legend>" in html
        assert escape(dimension.summary) in html
    assert built_in.question("uses-products").text not in html

    # The editor keeps Kenya's text as saved (English only); its preview reads in French.
    editor = reading(login(network["kenyan_coordinator"]), "fr")
    page = editor.get(reverse("maturity-questionnaire")).content.decode()
    assert "fr: Qualité et gestion des données" not in page
    assert escape(french.question("uses-products").text) in page
