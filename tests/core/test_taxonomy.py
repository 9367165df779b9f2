"""The built-in skills taxonomy: codes, four languages, clean synonyms, and organisation overrides."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datacircle.core.taxonomy import (
    LANGUAGES,
    SkillOverride,
    TaxonomyError,
    builtin_taxonomy,
    is_valid_code,
    localised,
    parse_taxonomy,
)

REQUIRED_CODES = (
    "data-literacy",
    "collection",
    "cleaning",
    "spreadsheets",
    "analysis",
    "statistics",
    "visualisation",
    "storytelling",
    "information-products",
    "dashboards",
    "data-management",
    "databases",
    "programming",
    "gis",
    "data-protection",
    "open-data",
    "tools",
)


@pytest.fixture(scope="module")
def taxonomy():
    return builtin_taxonomy()


def test_every_required_skill_code_exists(taxonomy):
    assert set(REQUIRED_CODES) <= set(taxonomy.codes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_skill_has_a_label_and_description_in_each_language(taxonomy, language):
    for skill in taxonomy.skills:
        assert skill.label.get(language, "").strip(), f"{skill.code}: no {language} label"
        assert skill.description.get(language, "").strip(), f"{skill.code}: no {language} text"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_level_has_a_label_and_description_in_each_language(taxonomy, language):
    assert [level.value for level in taxonomy.levels] == [0, 1, 2, 3, 4]
    for level in taxonomy.levels:
        assert level.label.get(language, "").strip(), f"level {level.value}: no {language} label"
        assert level.description.get(language, "").strip()
    labels = [taxonomy.level_label(level.value, language) for level in taxonomy.levels]
    assert len(set(labels)) == 5, f"two levels read the same in {language}: {labels}"


def test_translations_are_not_english_copies(taxonomy):
    for skill in taxonomy.skills:
        assert skill.label["ar"] != skill.label["en"], skill.code
        assert skill.description["fr"] != skill.description["en"], skill.code
        assert skill.description["es"] != skill.description["en"], skill.code


@pytest.mark.parametrize("language", LANGUAGES)
def test_synonyms_are_lower_case_trimmed_and_three_to_eight_per_language(taxonomy, language):
    for skill in taxonomy.skills:
        words = skill.synonyms.get(language, ())
        assert 3 <= len(words) <= 8, f"{skill.code}/{language}: {len(words)} synonyms"
        assert len(set(words)) == len(words), f"{skill.code}/{language}: repeated synonym"
        for word in words:
            assert word == word.lower() == word.strip() and word, f"{skill.code}: {word!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_synonym_names_one_skill_only_within_a_language(taxonomy, language):
    owners = defaultdict(set)
    for skill in taxonomy.skills:
        for word in skill.synonyms.get(language, ()):
            owners[word].add(skill.code)
    shared = {word: codes for word, codes in owners.items() if len(codes) > 1}
    assert not shared


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_synonym_is_never_another_skills_label(taxonomy, language):
    labels = {skill.label[language].lower(): skill.code for skill in taxonomy.skills}
    for skill in taxonomy.skills:
        for word in skill.synonyms.get(language, ()):
            assert labels.get(word, skill.code) == skill.code, f"{word!r} under {skill.code}"


@pytest.mark.parametrize(
    ("tool", "code"),
    [
        ("excel", "spreadsheets"),
        ("power bi", "dashboards"),
        ("qgis", "gis"),
        ("kobo", "collection"),
        ("python", "programming"),
        ("sql", "databases"),
        ("hdx", "open-data"),
    ],
)
def test_common_tools_sit_under_the_skill_they_are_used_for(taxonomy, tool, code):
    for language in LANGUAGES:
        holders = [s.code for s in taxonomy.skills if tool in s.synonyms.get(language, ())]
        assert holders in ([], [code])
    assert tool in taxonomy.skill(code).synonyms["en"]


def test_localised_falls_back_to_the_base_language_then_english():
    texts = {"en": "Maps", "fr": "Cartes"}
    assert localised(texts, "fr-CA") == "Cartes"
    assert localised(texts, "fr_BE") == "Cartes"
    assert localised(texts, "sw") == "Maps"
    assert localised(texts, "") == "Maps"


def test_an_override_renames_a_skill_without_losing_other_languages_or_synonyms(taxonomy):
    changed = taxonomy.with_overrides(
        [SkillOverride("gis", label={"fr": "Cartes"}, synonyms={"fr": ("umap",)})]
    )
    gis = changed.skill("gis")
    assert changed.label("gis", "fr") == "Cartes"
    assert gis.label["en"] == taxonomy.skill("gis").label["en"]
    assert gis.label["ar"] == taxonomy.skill("gis").label["ar"]
    assert gis.synonyms["fr"] == (*taxonomy.skill("gis").synonyms["fr"], "umap")
    assert gis.synonyms["en"] == taxonomy.skill("gis").synonyms["en"]
    assert gis.builtin
    assert changed.codes == taxonomy.codes


def test_an_override_adds_a_skill_after_every_built_in_one(taxonomy):
    changed = taxonomy.with_overrides(
        [SkillOverride("cash-transfers", label={"en": "Cash transfer data"})]
    )
    assert changed.codes == (*taxonomy.codes, "cash-transfers")
    assert not changed.skill("cash-transfers").builtin
    assert changed.label("cash-transfers", "ar") == "Cash transfer data"
    assert taxonomy.codes == builtin_taxonomy().codes  # the built-in one is untouched


@pytest.mark.parametrize("code", ["", "Maps", "1maps", "-maps", "maps_2", "cartes é", "gis!"])
def test_an_override_with_a_bad_code_is_rejected_naming_the_code(taxonomy, code):
    with pytest.raises(TaxonomyError, match="not a valid skill code"):
        taxonomy.with_overrides([SkillOverride(code, label={"en": "Something"})])


def test_a_new_skill_without_a_label_is_rejected(taxonomy):
    with pytest.raises(TaxonomyError, match="needs a label"):
        taxonomy.with_overrides([SkillOverride("kobo-admin")])


@given(st.from_regex(r"[a-z][a-z0-9-]{0,30}", fullmatch=True))
def test_codes_of_lower_case_letters_digits_and_hyphens_are_valid(code):
    assert is_valid_code(code)


@given(st.text(min_size=1, max_size=20).filter(lambda s: not s.isascii() or s != s.lower()))
def test_codes_with_capitals_or_non_ascii_are_invalid(code):
    assert not is_valid_code(code)


def test_parse_rejects_a_skill_without_an_english_label():
    data = {
        "levels": [{"value": v, "label": {"en": str(v)}} for v in range(5)],
        "skills": [{"code": "gis", "label": {"fr": "SIG"}}],
    }
    with pytest.raises(TaxonomyError, match="skill gis: needs at least an English"):
        parse_taxonomy(data)


def test_parse_rejects_levels_other_than_zero_to_four():
    data = {"levels": [{"value": v, "label": {"en": str(v)}} for v in range(4)], "skills": []}
    with pytest.raises(TaxonomyError, match="levels must be exactly"):
        parse_taxonomy(data)
