"""The built-in questionnaire: loads, speaks four languages, and defines the canonical frame."""

from __future__ import annotations

import polars as pl
import pytest

from datacircle.core.questionnaire import (
    RESPONSE_COLUMNS,
    builtin_questionnaire,
    parse_questionnaire,
)
from datacircle.core.taxonomy import LANGUAGES, SkillOverride, builtin_taxonomy


@pytest.fixture(scope="module")
def questionnaire():
    return builtin_questionnaire()


def _all_texts(qn):
    """(where, texts) for every piece of text a respondent can read."""
    yield "title", qn.title
    yield "intro", qn.intro
    yield "consent", qn.consent
    for group in qn.groups:
        yield f"group {group.name}", group.label
    for q in qn.questions:
        yield f"question {q.name}", q.label
        if q.level_label:
            yield f"question {q.name} level_label", q.level_label
        for choice in qn.choices(q):
            yield f"question {q.name} choice {choice.code}", choice.label


def test_the_questionnaire_has_the_three_groups_and_the_fixed_questions(questionnaire):
    assert [g.name for g in questionnaire.groups] == ["about", "part1", "part2"]
    assert questionnaire.question("consent").required
    assert questionnaire.question("learn").levels == (0, 1, 2, 3)
    assert questionnaire.question("share").levels == (2, 3, 4)
    assert questionnaire.question("country").type == "country"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_written_in_each_language(questionnaire, language):
    missing = [where for where, texts in _all_texts(questionnaire) if not texts.get(language)]
    assert not missing


def test_translations_differ_from_the_english(questionnaire):
    for where, texts in _all_texts(questionnaire):
        assert texts["ar"] != texts["en"], where
    assert questionnaire.question("consent").text("fr") != questionnaire.question("consent").text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_level_labels_keep_the_skill_placeholder(questionnaire, language):
    for name in ("learn", "share"):
        assert "${skill}" in questionnaire.question(name).level_label[language]


def test_consent_offers_yes_and_no_in_each_language(questionnaire):
    choices = questionnaire.choices(questionnaire.question("consent"))
    assert [c.code for c in choices] == ["yes", "no"]
    assert [c.name("es") for c in choices] == ["Sí", "No"]
    assert [c.name("ar") for c in choices] == ["نعم", "لا"]


def test_skills_questions_take_their_choices_from_the_taxonomy(questionnaire):
    taxonomy = builtin_taxonomy()
    choices = questionnaire.choices(questionnaire.question("learn"), taxonomy)
    assert tuple(c.code for c in choices) == taxonomy.codes
    assert choices[0].name("fr") == taxonomy.label(taxonomy.codes[0], "fr")


def test_frame_schema_has_the_canonical_columns(questionnaire):
    schema = questionnaire.frame_schema()
    assert list(schema)[: len(RESPONSE_COLUMNS)] == list(RESPONSE_COLUMNS)
    assert schema["consent"] == pl.Boolean()
    assert schema["submitted_at"] == pl.Datetime("us", "UTC")
    assert schema["data_types.health"] == pl.Boolean()
    assert schema["barriers.other"] == pl.Boolean()
    assert schema["learn.gis"] == pl.Boolean()
    assert schema["share.data-literacy"] == pl.Boolean()
    assert schema["learn_level.gis"] == pl.Int8()
    assert schema["share_level.open-data"] == pl.Int8()
    for name in ("barriers_other", "learn_other", "share_other", "data_types_other"):
        assert schema[name] == pl.String()
    # Fixed columns appear once, never again as free-text columns.
    assert "unit" in schema and list(schema).count("unit") == 1


def test_frame_schema_counts_one_column_per_choice_and_skill(questionnaire):
    taxonomy = builtin_taxonomy()
    schema = questionnaire.frame_schema(taxonomy)
    choices = sum(len(questionnaire.choices(q)) for q in questionnaire.multi_choice_questions())
    others = sum(1 for q in questionnaire.questions if q.other)
    expected = len(RESPONSE_COLUMNS) + choices + 2 * 2 * len(taxonomy.codes) + others
    assert len(schema) == expected
    assert questionnaire.empty_frame().schema == pl.Schema(schema)


def test_frame_schema_follows_an_organisations_extra_skill(questionnaire):
    taxonomy = builtin_taxonomy().with_overrides(
        [SkillOverride("cash-transfers", label={"en": "Cash transfer data"})]
    )
    schema = questionnaire.frame_schema(taxonomy)
    assert schema["learn.cash-transfers"] == pl.Boolean()
    assert schema["share_level.cash-transfers"] == pl.Int8()
    assert "learn.cash-transfers" not in questionnaire.frame_schema()


def _minimal(**question):
    return {
        "version": 1,
        "title": {"en": "T"},
        "groups": [{"name": "about", "label": {"en": "About"}}],
        "questions": [{"name": "q", "group": "about", "label": {"en": "Q"}, **question}],
        "choices": {"roles": [{"code": "a", "label": {"en": "A"}}]},
    }


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({"type": "rating"}, "question q: unknown type 'rating'"),
        ({"type": "text", "group": "part9"}, "question q: unknown group 'part9'"),
        ({"type": "select_one", "choices": "colours"}, "question q: unknown choice list"),
    ],
)
def test_parse_names_the_question_at_fault(question, message):
    with pytest.raises(ValueError, match=message):
        parse_questionnaire(_minimal(**question))
