"""The XLSForm export: valid for pyxform/ODK, named so Kobo and ODK exports map straight back."""

from __future__ import annotations

import re
import shutil

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from datacircle.core.questionnaire import builtin_questionnaire
from datacircle.core.taxonomy import LANGUAGES, SkillOverride, builtin_taxonomy
from datacircle.core.xlsform import (
    XLSFormError,
    build_xlsform,
    language_column,
    validate_xlsform,
)

CONSENTED = "${consent} = 'yes'"
LABELS = [f"label::{name}" for name in ("English (en)", "Français (fr)", "Español (es)")] + [
    "label::العربية (ar)"
]


def _sheet(path, name):
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    header = rows[0]
    return [
        {key: value for key, value in zip(header, row, strict=True) if value is not None}
        for row in rows[1:]
    ]


def _by_name(rows):
    return {row["name"]: row for row in rows if row.get("type") not in ("end_group",)}


def _choices(path, list_name):
    return [row for row in _sheet(path, "choices") if row["list_name"] == list_name]


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsform") / "scoping.xlsx"
    build_xlsform(path, form_id="scoping_2025")
    return path


@pytest.fixture(scope="module")
def survey(form):
    return _by_name(_sheet(form, "survey"))


def test_the_form_converts_with_pyxform_without_warnings(form):
    result = convert(str(form))
    assert result.warnings == []
    assert validate_xlsform(form) == convert(str(form), pretty_print=True).xform


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_the_form_passes_odk_validate(form):
    assert "<h:html" in validate_xlsform(form, odk_validate=True)


def test_the_form_collects_exactly_the_questionnaires_fields(form):
    qn = builtin_questionnaire()
    codes = builtin_taxonomy().codes
    expected = {"start", "end"}
    for q in qn.questions:
        expected.add(q.name)
        if q.other:
            expected.add(q.other)
        if q.type == "skills":
            expected.update(f"{q.name}_level_{code}" for code in codes)
    fields = {
        row["name"]
        for row in _sheet(form, "survey")
        if row["type"] not in ("begin_group", "end_group")
    }
    assert fields == expected
    assert not {name for name in fields if "name" in name}


def test_groups_are_the_questionnaires_and_follow_consent(survey):
    for group in ("about", "part1", "part2"):
        assert survey[group]["type"] == "begin_group"
    assert "relevant" not in survey["about"]
    assert survey["part1"]["relevant"] == CONSENTED
    assert survey["part2"]["relevant"] == CONSENTED


def test_consent_is_a_required_yes_no_question_gating_the_about_questions(form, survey):
    assert survey["consent"]["type"] == "select_one yes_no"
    assert survey["consent"]["required"] == "yes"
    assert "relevant" not in survey["consent"]
    assert [c["name"] for c in _choices(form, "yes_no")] == ["yes", "no"]
    for name in ("unit", "role", "country"):
        assert survey[name]["relevant"] == CONSENTED
    assert survey["unit"]["type"] == "text"
    assert survey["role"]["type"] == "select_one roles"
    assert survey["country"]["type"] == "select_one countries"


def test_the_consent_text_is_shown_with_the_question_in_each_language(survey):
    qn = builtin_questionnaire()
    for language in LANGUAGES:
        hint = survey["consent"][language_column("hint", language)]
        assert qn.consent[language] in hint
        assert qn.intro[language] in hint


def test_countries_are_upper_case_iso_codes_with_translated_names(form):
    countries = {row["name"]: row for row in _choices(form, "countries")}
    assert len(countries) == 249
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in countries)
    assert countries["KE"][LABELS[0]] == "Kenya"
    assert countries["SN"][LABELS[1]] == "Sénégal"
    assert countries["DE"][LABELS[2]] == "Alemania"
    assert countries["EG"][LABELS[3]] == "مصر"
    # The Arabic catalogue's common name for Moldova is the Maldives: the form must not say so.
    assert countries["MD"][LABELS[3]] != countries["MV"][LABELS[3]]


def test_select_multiple_questions_use_their_choice_codes_and_other_text(form, survey):
    qn = builtin_questionnaire()
    for q in qn.multi_choice_questions():
        assert survey[q.name]["type"] == f"select_multiple {q.choices}"
        names = [c["name"] for c in _choices(form, q.choices)]
        assert names == [c.code for c in qn.choices(q)]
        if q.other:
            assert survey[q.other]["type"] == "text"
            assert survey[q.other]["relevant"] == f"selected(${{{q.name}}}, 'other')"


def test_skills_choice_names_are_the_taxonomy_codes_plus_other(form, survey):
    names = [c["name"] for c in _choices(form, "skills")]
    assert names == [*builtin_taxonomy().codes, "other"]
    assert survey["learn"]["type"] == "select_multiple skills"
    assert survey["share"]["type"] == "select_multiple skills"
    for q in ("learn", "share"):
        assert survey[f"{q}_other"]["relevant"] == f"selected(${{{q}}}, 'other')"


@pytest.mark.parametrize(("question", "levels"), [("learn", "0123"), ("share", "234")])
def test_every_skill_has_a_level_question_shown_when_ticked(form, survey, question, levels):
    taxonomy = builtin_taxonomy()
    level_choices = _choices(form, f"levels_{question}")
    assert [c["name"] for c in level_choices] == list(levels)
    assert [c[LABELS[1]] for c in level_choices] == [
        taxonomy.level_label(int(v), "fr") for v in levels
    ]
    for code in taxonomy.codes:
        row = survey[f"{question}_level_{code}"]
        assert row["type"] == f"select_one levels_{question}"
        assert row["relevant"] == f"selected(${{{question}}}, '{code}')"


def test_level_labels_name_the_skill_in_each_language(survey):
    assert survey["learn_level_gis"][LABELS[0]] == "Your current level in: Maps and GIS"
    assert survey["learn_level_gis"][LABELS[1]] == "Votre niveau actuel en : Cartographie et SIG"
    assert survey["share_level_databases"][LABELS[2]] == "Su nivel en: Bases de datos"
    assert "${skill}" not in "".join(str(v) for row in survey.values() for v in row.values())


def test_every_labelled_row_has_all_four_languages(form):
    for sheet in ("survey", "choices"):
        for row in _sheet(form, sheet):
            if row.get("type") in ("start", "end", "end_group"):
                continue
            assert all(row.get(column) for column in LABELS), row["name"]
    xml = validate_xlsform(form)
    for language in ("English (en)", "Français (fr)", "Español (es)", "العربية (ar)"):
        assert f'<translation lang="{language}"' in xml


def test_settings_default_to_the_questionnaire(form):
    (settings,) = _sheet(form, "settings")
    assert settings == {
        "form_title": "Data skills scoping",
        "form_id": "scoping_2025",
        "version": "1",
        "default_language": "English (en)",
    }


def test_title_version_and_default_language_can_be_chosen(tmp_path):
    path = tmp_path / "form.xlsx"
    build_xlsform(
        path, form_id="r2", title="Baseline 2025", version="2025-03", default_language="fr"
    )
    (settings,) = _sheet(path, "settings")
    assert settings["form_title"] == "Baseline 2025"
    assert settings["version"] == "2025-03"
    assert settings["default_language"] == "Français (fr)"
    assert 'version="2025-03"' in validate_xlsform(path)


def test_an_organisations_extra_skill_appears_in_the_form(tmp_path):
    taxonomy = builtin_taxonomy().with_overrides(
        [
            SkillOverride("cash-transfers", label={"en": "Cash transfer data", "fr": "Transferts"}),
            SkillOverride("gis", label={"en": "Mapping"}),
        ]
    )
    path = tmp_path / "form.xlsx"
    build_xlsform(path, taxonomy=taxonomy, form_id="custom")
    skills = {c["name"]: c for c in _choices(path, "skills")}
    assert list(skills)[-2:] == ["cash-transfers", "other"]
    assert skills["cash-transfers"][LABELS[1]] == "Transferts"
    assert skills["cash-transfers"][LABELS[3]] == "Cash transfer data"  # English fallback
    assert skills["gis"][LABELS[0]] == "Mapping"
    survey = _by_name(_sheet(path, "survey"))
    row = survey["share_level_cash-transfers"]
    assert row["relevant"] == "selected(${share}, 'cash-transfers')"
    assert row[LABELS[0]] == "Your level in: Cash transfer data"
    assert "<share_level_cash-transfers/>" in validate_xlsform(path)


@pytest.mark.parametrize("form_id", ["", "my form", "scoping/2025", "énquête"])
def test_an_unsafe_form_id_is_refused(tmp_path, form_id):
    with pytest.raises(XLSFormError, match="form id"):
        build_xlsform(tmp_path / "f.xlsx", form_id=form_id)
    assert not (tmp_path / "f.xlsx").exists()


def test_an_unknown_default_language_is_refused(tmp_path):
    with pytest.raises(XLSFormError, match="default language 'pt'"):
        build_xlsform(tmp_path / "f.xlsx", form_id="f", default_language="pt")


def test_validation_reports_pyxforms_message_with_the_file(form, tmp_path):
    # A coordinator edits the generated form and points a condition at a question that is gone.
    book = load_workbook(form)
    book["survey"].append(["text", "comments", *["Comments"] * 4, *[None] * 5, "${nowhere}"])
    path = tmp_path / "edited.xlsx"
    book.save(path)
    with pytest.raises(XLSFormError, match=r"edited\.xlsx: .*nowhere"):
        validate_xlsform(path)


def test_validation_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(XLSFormError, match="no such file"):
        validate_xlsform(tmp_path / "absent.xlsx")
