"""Reading KoboToolbox, ODK Central, Data Circle and mapped exports into the canonical frame."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from datacircle.core.imports import (
    MAX_PROBLEMS,
    ImportProblem,
    MappingError,
    load_mapping,
    read_responses,
)
from datacircle.core.questionnaire import (
    DATA_FILE,
    builtin_questionnaire,
    parse_questionnaire,
)
from datacircle.core.taxonomy import SkillOverride, builtin_taxonomy

FIXTURES = Path(__file__).parent / "fixtures"
QN = builtin_questionnaire()
TAX = builtin_taxonomy()
MULTI = [q for q in QN.questions if q.type in ("select_multiple", "skills")]


# --- a KoboToolbox export writer (what Kobo produces from our XLSForm) -----------------------


def _codes(q) -> list[str]:
    codes = [c.code for c in QN.choices(q, TAX)]
    return [*codes, "other"] if q.type == "skills" else codes


def kobo_rows(responses: list[dict], *, hxl: bool = False) -> list[list[str]]:
    """Header row(s) and one row per response, as a Kobo CSV/XLSX export with XML names,
    group prefixes, summary and 0/1 columns for every select_multiple, and metadata."""
    header = ["start", "end"]
    for q in QN.questions:
        header.append(f"{q.group}/{q.name}")
        if q in MULTI:
            header += [f"{q.group}/{q.name}/{c}" for c in _codes(q)]
        if q.type == "skills":
            header += [f"{q.group}/{q.level_column_prefix}_{c}" for c in TAX.codes]
        if q.other:
            header.append(f"{q.group}/{q.other}")
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_index"]
    rows = [header]
    if hxl:
        tags = {"start": "#date+start", "about/country": "#country+code", "_uuid": "#meta+id"}
        rows.append([tags.get(h, "") for h in header])
    for n, r in enumerate(responses, start=1):
        row = ["2026-03-04T09:00:00.000+03:00", "2026-03-04T09:12:00.000+03:00"]
        for q in QN.questions:
            if q.type == "consent":
                row.append(r.get("consent", "yes"))
            elif q in MULTI:
                chosen = r.get(q.name)
                picked = list(chosen) if chosen is not None else None
                row.append(" ".join(c for c in _codes(q) if picked and c in picked))
                row += ["" if picked is None else str(int(c in picked)) for c in _codes(q)]
                if q.type == "skills":
                    levels = chosen or {}
                    row += ["" if levels.get(c) is None else str(levels[c]) for c in TAX.codes]
            else:
                row.append(r.get(q.name) or "")
            if q.other:
                row.append(r.get(q.other) or "")
        row += [str(n), r["uuid"], r.get("submitted", "2026-03-04T10:11:12"), r.get("status", "")]
        row += ["", str(n)]
        rows.append(row)
    return rows


def write_kobo_csv(path: Path, responses: list[dict], *, hxl: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL).writerows(
        kobo_rows(responses, hxl=hxl)
    )
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def canonical(responses: list[dict]) -> pl.DataFrame:
    """The frame the importer must produce for these responses (built independently)."""
    schema = QN.frame_schema(TAX)
    rows = []
    for r in responses:
        row: dict = dict.fromkeys(schema)
        row.update(
            uuid=r["uuid"],
            submitted_at=_utc(r.get("submitted", "2026-03-04T10:11:12")),
            consent=True,
            unit=r.get("unit"),
            role=r.get("role"),
            country=r.get("country"),
        )
        for q in MULTI:
            chosen = r.get(q.name) or {}
            for c in QN.choices(q, TAX):
                row[f"{q.name}.{c.code}"] = c.code in chosen
            if q.type == "skills":
                for code in TAX.codes:
                    row[f"{q.level_column_prefix}.{code}"] = chosen.get(code)
        for name in QN.text_columns():
            row[name] = r.get(name)
        rows.append(row)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


AMINA = {
    "uuid": "0d5c9a52-3f4e-4b1a-9e47-8a1f2b3c4d01",
    "submitted": "2026-03-04T10:11:12",
    "unit": "Branch Nakuru",
    "role": "field-staff",
    "country": "KE",
    "data_types": ["registration", "health"],
    "barriers": ["time", "other"],
    "barriers_other": "Forms only in English",
    "learn": {"gis": 1, "spreadsheets": 2, "other": None},
    "learn_other": "Power Query",
    "share": {"collection": 4},
    "formats": ["short-session"],
    "languages": ["en", "sw"],
}
YAW = {
    "uuid": "0d5c9a52-3f4e-4b1a-9e47-8a1f2b3c4d02",
    "submitted": "2026-03-05T08:00:00",
    "unit": "Health",
    "role": "im-data-staff",
    "country": "SN",
    "workflow_stages": ["collect", "clean", "analyse"],
    "learn": {"programming": None},
    "share": {"spreadsheets": 3, "dashboards": 4},
}


# --- KoboToolbox -----------------------------------------------------------------------------


def test_kobo_csv_with_xml_names_split_columns_and_hxl_row(tmp_path):
    path = write_kobo_csv(tmp_path / "kobo.csv", [AMINA, YAW], hxl=True)

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert result.source == "kobo"
    assert result.encoding == "utf-8"
    assert result.ignored_columns == []
    assert result.skipped == {}
    assert_frame_equal(result.frame, canonical([AMINA, YAW]))
    row = result.frame.row(0, named=True)
    assert row["learn.gis"] and row["learn_level.gis"] == 1
    assert row["learn.programming"] is False and row["learn_level.collection"] is None
    assert row["submitted_at"] == datetime(2026, 3, 4, 10, 11, 12, tzinfo=UTC)


def test_unknown_columns_are_listed_and_known_metadata_is_not(tmp_path):
    rows = kobo_rows([AMINA])
    rows[0].append("part1/gps_point")
    rows[1].append("-1.28 36.82")
    path = tmp_path / "kobo.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)

    result = read_responses(path)

    assert result.ok
    assert result.ignored_columns == ["part1/gps_point"]


def test_progress_is_reported_up_to_the_number_of_rows(tmp_path):
    path = write_kobo_csv(tmp_path / "kobo.csv", [AMINA, YAW])
    calls: list[tuple[int, int]] = []

    read_responses(path, progress=lambda done, total: calls.append((done, total)))

    assert calls[0] == (0, 2) and calls[-1] == (2, 2)
    assert len(calls) >= 3


def test_summary_only_kobo_export_is_read(tmp_path):
    rows = kobo_rows([AMINA, YAW])
    keep = [i for i, h in enumerate(rows[0]) if h.count("/") < 2]  # drop the 0/1 columns
    path = tmp_path / "summary.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows([[r[i] for i in keep] for r in rows])

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert_frame_equal(result.frame, canonical([AMINA, YAW]))


def test_summary_and_split_columns_must_agree(tmp_path):
    rows = kobo_rows([AMINA, YAW])
    rows[2][rows[0].index("part2/learn")] = "gis programming"  # Yaw ticked only programming
    path = tmp_path / "kobo.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)

    result = read_responses(path)

    assert [str(p) for p in result.problems] == [
        "kobo.csv, row 3, column part2/learn: 'gis programming' does not agree with the "
        "one-column-per-choice answers (chosen there: programming)"
    ]
    assert result.frame.height == 0


def _french_questionnaire():
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    french = {
        "consent": "Acceptez-vous que vos réponses soient utilisées ?",
        "unit": "Votre unité, département ou branche",
        "role": "Votre rôle",
        "country": "Le pays où vous travaillez",
        "learn": "Quelles compétences voulez-vous apprendre ?",
        "share": "Quelles compétences pourriez-vous partager ?",
    }
    for q in data["questions"]:
        if q["name"] in french:
            q["label"]["fr"] = french[q["name"]]
        if q["name"] == "learn":
            q["level_label"]["fr"] = "Votre niveau actuel en : ${skill}"
    for choice in data["choices"]["roles"]:
        if choice["code"] == "field-staff":
            choice["label"]["fr"] = "Personnel de terrain ou de branche"
    taxonomy = TAX.with_overrides(
        [
            SkillOverride("gis", label={"fr": "Cartes et SIG"}),
            SkillOverride("spreadsheets", label={"fr": "Tableurs"}),
        ]
    )
    french_levels = {0: "Aucun", 1: "Notions", 2: "Avec de l'aide", 3: "Seul", 4: "Peut enseigner"}
    levels = tuple(
        replace(lv, label={**lv.label, "fr": french_levels[lv.value]}) for lv in TAX.levels
    )
    return parse_questionnaire(data), replace(taxonomy, levels=levels)


def test_kobo_xlsx_with_french_label_headers(tmp_path):
    qn, tax = _french_questionnaire()
    learn = "Quelles compétences voulez-vous apprendre ?"
    header = [
        "start",
        "A propos de vous/Acceptez-vous que vos réponses soient utilisées ?",
        "A propos de vous/Votre unité, département ou branche",
        "A propos de vous/Votre rôle",
        "A propos de vous/Le pays où vous travaillez",
        f"Partie 2/{learn}",
        f"Partie 2/{learn}/Cartes et SIG",
        f"Partie 2/{learn}/Tableurs",
        "Partie 2/Votre niveau actuel en : Cartes et SIG",
        "Partie 2/Votre niveau actuel en : Tableurs",
        "_uuid",
        "_submission_time",
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cartographie des compétences"
    sheet.append(header)
    sheet.append(
        [
            datetime(2026, 3, 4, 9, 0),
            "Oui",
            "Comité de Dakar",
            "Personnel de terrain ou de branche",
            "Sénégal",
            "Cartes et SIG",
            1,
            0,
            "Avec de l'aide",
            None,
            "5b8e1c2a-0000-4000-8000-000000000001",
            datetime(2026, 3, 4, 10, 11, 12),
        ]
    )
    sheet.append(
        [None, "Non", None, None, None, None, None, None, None, None, "5b8e-refused", None]
    )
    path = tmp_path / "kobo_fr.xlsx"
    book.save(path)

    result = read_responses(path, questionnaire=qn, taxonomy=tax)

    assert result.ok, [str(p) for p in result.problems]
    assert result.skipped == {"no consent": 1}
    assert result.frame.height == 1
    row = result.frame.row(0, named=True)
    assert row["unit"] == "Comité de Dakar"
    assert row["role"] == "field-staff"
    assert row["country"] == "SN"
    assert row["learn.gis"] is True and row["learn.spreadsheets"] is False
    assert row["learn_level.gis"] == 2
    assert row["submitted_at"] == datetime(2026, 3, 4, 10, 11, 12, tzinfo=UTC)


# --- ODK Central, mapping files, Data Circle exports ----------------------------------------


def test_odk_central_csv():
    result = read_responses(FIXTURES / "odk_central.csv")

    assert result.ok, [str(p) for p in result.problems]
    assert result.source == "odk"
    assert result.skipped == {"rejected": 1, "no consent": 1}
    frame = result.frame
    assert frame["uuid"].to_list() == [
        "6f1c1f3e-1d2a-4c55-9a0e-0b5f4c1e2d01",
        "0b8e2b64-5f0e-4a43-8f0e-7b3a4e6a9c02",
    ]
    first, second = frame.rows(named=True)
    assert first["submitted_at"] == datetime(2026, 3, 4, 10, 11, 12, 123000, tzinfo=UTC)
    assert first["barriers.time"] and first["barriers.connectivity"]
    assert not first["barriers.other"]
    assert (first["learn_level.gis"], first["learn_level.spreadsheets"]) == (1, 2)
    assert first["share.spreadsheets"] and first["share_level.spreadsheets"] == 4
    assert first["languages.en"] and first["languages.sw"] and not first["languages.fr"]
    assert second["barriers.other"] and second["barriers_other"] == "Pas de budget"
    assert second["learn.data-protection"] and second["learn_level.data-protection"] == 0
    assert second["learn_other"] == "Power BI"


def test_mapping_file_with_semicolon_joined_choices():
    mapping = load_mapping(FIXTURES / "mapped_survey.yaml")

    result = read_responses(FIXTURES / "mapped_survey.csv", mapping=mapping)

    assert result.ok, [str(p) for p in result.problems]
    assert result.source == "mapping"
    assert result.ignored_columns == ["Notes"]
    rows = {r["uuid"]: r for r in result.frame.rows(named=True)}
    first, second, third = rows["R-001"], rows["R-002"], rows["R-003"]
    assert first["role"] == "field-staff" and first["country"] == "KE"
    assert first["learn.spreadsheets"] and first["learn.gis"] and not first["learn.analysis"]
    assert (first["learn_level.gis"], first["learn_level.spreadsheets"]) == (2, 1)
    assert first["share.analysis"] and first["share_level.analysis"] == 3  # the default
    assert first["barriers.time"] and first["barriers.quality"]
    assert first["submitted_at"] == datetime(2026, 2, 10, 9, 15, tzinfo=UTC)
    assert second["role"] == "manager" and second["country"] == "SN"
    assert second["learn.statistics"] and second["learn_level.statistics"] is None
    assert second["share.spreadsheets"] and second["barriers.time"]
    assert third["country"] == "CO" and third["role"] == "im-data-staff"
    assert third["share.gis"] and third["share.dashboards"]
    assert not any(third[f"learn.{code}"] for code in TAX.codes)


def test_mapping_problems_name_the_mapping_key_and_allowed_codes(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "columns: {role: Job, lern: Skills, unit: Team}\n"
        "values: {role: {Pilot: aviator}}\n"
        "consent: collected-elsewhere\n",
        encoding="utf-8",
    )
    (tmp_path / "survey.csv").write_text("Job,Country\nPilot,KE\nNurse,KE\n", encoding="utf-8")

    result = read_responses(tmp_path / "survey.csv", mapping=load_mapping(tmp_path / "m.yaml"))

    codes = ", ".join(c.code for c in QN.choice_lists["roles"])
    assert [str(p) for p in result.problems] == [
        "survey.csv: mapping m.yaml, key columns.lern: 'lern' is not a canonical column",
        "survey.csv: mapping m.yaml, key columns.unit: the file has no column 'Team'",
        f"survey.csv: mapping m.yaml, key values.role: 'aviator' is not a code (expected {codes})",
        f"survey.csv, row 2, column Job: 'Pilot' is not a choice of role (expected {codes})",
        f"survey.csv, row 3, column Job: 'Nurse' is not a choice of role (expected {codes})",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: [a, b]\n", "m.yaml, key columns: expected a table of names and texts"),
        ("colums: {}\n", "m.yaml, key colums: not a mapping key"),
        ("default_share_level: 7\n", "m.yaml, key default_share_level: expected a level 0 to 4"),
        ("consent: 12\n", "m.yaml, key consent: give collected-elsewhere or a column header"),
        ("columns: {unit: [x]}\n", "m.yaml, key columns.unit: expected a text"),
        ("columns: {unit: 'a\n", "m.yaml: not valid YAML"),
        ("- just a list\n", "m.yaml: expected keys such as columns, values and consent"),
    ],
)
def test_load_mapping_says_which_key_is_wrong(tmp_path, text, message):
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(MappingError, match="^" + message.replace("(", r"\(")):
        load_mapping(tmp_path / "m.yaml")


def test_a_data_circle_export_reimports(tmp_path):
    frame = canonical([AMINA, YAW])
    frame.write_csv(tmp_path / "export.csv")

    result = read_responses(tmp_path / "export.csv")

    assert result.ok, [str(p) for p in result.problems]
    assert result.source == "datacircle"
    assert_frame_equal(result.frame, frame)


def test_columns_follow_the_taxonomy_passed_in(tmp_path):
    taxonomy = TAX.with_overrides([SkillOverride("kobo-forms", label={"en": "Kobo forms"})])
    rows = kobo_rows([AMINA])
    rows[0] += ["part2/learn/kobo-forms", "part2/learn_level_kobo-forms"]
    rows[1] += ["1", "2"]
    rows[1][rows[0].index("part2/learn")] += " kobo-forms"
    path = tmp_path / "kobo.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows(rows)

    result = read_responses(path, taxonomy=taxonomy)

    assert result.ok, [str(p) for p in result.problems]
    assert result.frame.schema == QN.frame_schema(taxonomy)
    assert result.frame["learn.kobo-forms"].to_list() == [True]
    assert result.frame["learn_level.kobo-forms"].to_list() == [2]


# --- encodings -------------------------------------------------------------------------------

SIMPLE = (
    "consent,unit,role,country,learn,learn_level_gis,_uuid\n"
    "yes,Comité de Dakar,volunteer,SN,gis,2,a1\n"
    "yes,Équipe santé,manager,SN,,,a2\n"
)


def test_windows_1252_file_is_read_and_says_so(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes(SIMPLE.encode("cp1252"))

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert result.encoding == "cp1252"
    assert result.frame["unit"].to_list() == ["Comité de Dakar", "Équipe santé"]


def test_utf8_with_byte_order_mark(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(SIMPLE.encode("utf-8-sig"))

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert result.encoding == "utf-8-sig"
    assert result.frame["uuid"].to_list() == ["a1", "a2"]  # the BOM is not part of a header
    assert result.frame["learn_level.gis"].to_list() == [2, None]


def test_tab_separated_file(tmp_path):
    path = tmp_path / "tabs.tsv"
    path.write_text(SIMPLE.replace(",", "\t"), encoding="utf-8")

    result = read_responses(path)

    assert result.ok and result.frame.height == 2


# --- problems --------------------------------------------------------------------------------


def test_a_broken_file_lists_every_problem_and_imports_nothing(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(
        "consent;unit;role;country;learn;learn_level_gis;learn_level_analysis;_uuid;_submission_time\n"
        "#hxl;;;;;;;#uuid;\n"
        "yes;Health;volunteer;KE;gis;2;;u1;2026-03-04T10:00:00\n"
        "yes;Health;pilot;KE;gis analysis;7;1;u2;2026-03-04T10:00:00\n"
        "maybe;Health;volunteer;Narnia;;;;u3;2026-03-04T10:00:00\n"
        "yes;Health;volunteer;KE;statistics;;3;u4;yesterday\n",
        encoding="utf-8",
    )

    result = read_responses(path)

    roles = ", ".join(c.code for c in QN.choice_lists["roles"])
    assert [str(p) for p in result.problems] == [
        f"responses.csv, row 4, column role: 'pilot' is not a choice of role (expected {roles})",
        "responses.csv, row 4, column learn_level_gis: '7' is not a level (expected 0, 1, 2, 3)",
        "responses.csv, row 5, column consent: 'maybe' is not a consent answer (expected yes or no)",
        "responses.csv, row 5, column country: 'Narnia' is not a country (expected an ISO code "
        "such as KE or KEN, or the country's name)",
        "responses.csv, row 6, column learn_level_analysis: level '3' is given for analysis, "
        "but analysis is not chosen in learn",
        "responses.csv, row 6, column _submission_time: 'yesterday' is not a date and time "
        "(expected ISO 8601, e.g. 2026-03-04T10:11:12Z or 2026-03-04T13:11:12+03:00)",
    ]
    assert result.frame.height == 0
    assert result.frame.schema == QN.frame_schema(TAX)
    assert not result.ok


def test_problem_str_without_row_or_column():
    assert (
        str(ImportProblem("a.csv", None, None, "the file is empty")) == "a.csv: the file is empty"
    )
    assert str(ImportProblem("a.csv", None, "role", "x")) == "a.csv, column role: x"


def test_problems_are_capped_with_a_count_of_the_rest(tmp_path):
    lines = ["consent,role,_uuid"] + [f"yes,pilot,u{n}" for n in range(1500)]
    (tmp_path / "many.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    problems = read_responses(tmp_path / "many.csv").problems

    assert len(problems) == MAX_PROBLEMS
    assert problems[0].row == 2
    assert str(problems[-1]) == "many.csv: ... and 501 more problems"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.csv: the file is empty"),
        (b"consent,unit\n", "empty.csv: the file has a header row but no responses"),
        (
            b"name,age\nAda,36\n",
            "empty.csv: no column matches a question of the questionnaire (columns: 'name', "
            "'age'); a file from another tool needs a mapping file",
        ),
        (
            b"consent,unit\nyes,Health,extra\n",
            "empty.csv: row 2 has 3 values but the header row has 2 columns",
        ),
    ],
)
def test_unreadable_files_give_one_clear_problem(tmp_path, content, message):
    (tmp_path / "empty.csv").write_bytes(content)

    result = read_responses(tmp_path / "empty.csv")

    assert [str(p) for p in result.problems] == [message]
    assert result.frame.height == 0


def test_missing_consent_column_is_a_problem_unless_collected_elsewhere(tmp_path):
    (tmp_path / "s.csv").write_text("unit,role,_uuid\nHealth,volunteer,u1\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("consent: collected-elsewhere\n", encoding="utf-8")

    without = read_responses(tmp_path / "s.csv")
    mapped = read_responses(tmp_path / "s.csv", mapping=load_mapping(tmp_path / "m.yaml"))

    assert [p.message for p in without.problems] == [
        "no consent column: add the consent question's answers, or say "
        "'consent: collected-elsewhere' in a mapping file"
    ]
    assert mapped.ok and mapped.frame["consent"].to_list() == [True]


# --- skipping, duplicates, idempotence -------------------------------------------------------


def test_no_consent_and_rejected_rows_are_skipped(tmp_path):
    refused = {**YAW, "uuid": "u-refused", "consent": "no"}
    rejected = {**AMINA, "uuid": "u-rejected", "status": "validation_status_not_approved"}
    path = write_kobo_csv(tmp_path / "kobo.csv", [AMINA, refused, rejected, YAW])

    result = read_responses(path)

    assert result.ok
    assert result.skipped == {"rejected": 1, "no consent": 1}
    assert result.frame["uuid"].to_list() == [AMINA["uuid"], YAW["uuid"]]


def test_a_rejected_row_with_bad_answers_is_not_a_problem(tmp_path):
    rejected = {**AMINA, "uuid": "u-rejected", "role": "pilot", "status": "Not Approved"}
    path = write_kobo_csv(tmp_path / "kobo.csv", [rejected, YAW])

    result = read_responses(path)

    assert result.ok and result.skipped == {"rejected": 1}


def test_repeated_uuid_keeps_the_first_and_different_answers_are_a_problem(tmp_path):
    changed = {**AMINA, "unit": "Branch Kisumu"}
    path = write_kobo_csv(tmp_path / "kobo.csv", [AMINA, YAW, AMINA, changed])

    result = read_responses(path)

    assert [str(p) for p in result.problems] == [
        f"kobo.csv, row 5, column _uuid: uuid '{AMINA['uuid']}' was already used on row 2 "
        "with different answers"
    ]
    assert result.skipped == {"repeated in file": 1}

    fine = read_responses(write_kobo_csv(tmp_path / "again.csv", [AMINA, YAW, AMINA]))
    assert fine.ok and fine.skipped == {"repeated in file": 1}
    assert fine.frame["uuid"].to_list() == [AMINA["uuid"], YAW["uuid"]]


def test_rereading_a_file_without_ids_gives_the_same_uuids(tmp_path):
    path = tmp_path / "noid.csv"
    path.write_text(
        "consent,unit,role,learn\nyes,Health,volunteer,gis\nyes,Health,volunteer,gis\n"
        "yes,Logistics,manager,statistics\n",
        encoding="utf-8",
    )

    first, second = read_responses(path), read_responses(path)

    assert first.ok
    assert first.frame["uuid"].to_list() == second.frame["uuid"].to_list()
    assert first.frame.height == 2 and first.skipped == {"repeated in file": 1}
    assert all(len(u) == 36 for u in first.frame["uuid"])


# --- property: any canonical frame survives a trip through a Kobo export ---------------------

_texts = st.one_of(
    st.none(),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=12,
    ).filter(lambda t: t == t.strip() and not t.startswith("#")),
)


@st.composite
def responses(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    out = []
    for n in range(count):
        r = {
            "uuid": f"uuid-{n}",
            "submitted": draw(
                st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
            )
            .replace(microsecond=0)
            .isoformat(),
            "unit": draw(_texts),
            "role": draw(st.none() | st.sampled_from([c.code for c in QN.choice_lists["roles"]])),
            "country": draw(st.none() | st.sampled_from(["KE", "SN", "CO", "LB", "PH"])),
        }
        for q in MULTI:
            codes = [c.code for c in QN.choices(q, TAX)]
            picked = draw(st.none() | st.lists(st.sampled_from(codes), unique=True))
            if q.type == "skills" and picked is not None:
                levels = st.none() | st.sampled_from(q.levels)
                r[q.name] = {code: draw(levels) for code in picked}
            else:
                r[q.name] = picked
            if q.other:
                r[q.other] = draw(_texts)
        out.append(r)
    return out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(responses())
def test_a_canonical_frame_written_as_a_kobo_export_reads_back_equal(tmp_path, drawn):
    path = write_kobo_csv(tmp_path / "trip.csv", drawn)

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert_frame_equal(result.frame, canonical(drawn))


def test_a_0_1_column_holding_another_number_is_a_problem(tmp_path):
    rows = kobo_rows([AMINA, YAW])
    rows[2][rows[0].index("part2/share/dashboards")] = "2"
    path = tmp_path / "kobo.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)

    problems = [str(p) for p in read_responses(path).problems]

    assert problems == [
        "kobo.csv, row 3, column part2/share/dashboards: '2' is not a 0/1 answer "
        "(1 when dashboards was chosen, 0 or empty if not)"
    ]


def test_levels_written_as_labels_are_read(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "consent;share;share_level_gis;share_level_analysis;_uuid\n"
        "yes;gis analysis;Can do alone;4;u1\n"
        "yes;gis;can TEACH;;u2\n",
        encoding="utf-8",
    )

    result = read_responses(path)

    assert result.ok, [str(p) for p in result.problems]
    assert result.frame["share_level.gis"].to_list() == [3, 4]
    assert result.frame["share_level.analysis"].to_list() == [4, None]
