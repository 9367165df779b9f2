"""Coding free-text answers: multilingual names, typos, splitting, corrections, review queue."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from datacircle.core.coding import (
    Coder,
    Correction,
    _normalise_once,
    normalise,
    split_answer,
)
from datacircle.core.questionnaire import Choice, builtin_questionnaire
from datacircle.core.taxonomy import builtin_taxonomy, parse_taxonomy

LEVELS = [{"value": v, "label": {"en": f"level {v}"}} for v in range(5)]


def skill(code, label, **synonyms):
    return {"code": code, "label": {"en": label}, "synonyms": synonyms}


TAXONOMY = parse_taxonomy(
    {
        "levels": LEVELS,
        "skills": [
            skill(
                "cleaning",
                "Data cleaning",
                en=["data cleaning", "cleaning data"],
                fr=["nettoyage des données"],
                es=["limpieza de datos"],
                ar=["تنظيف البيانات"],
            ),
            skill(
                "analysis",
                "Analysing data",
                en=["data analysis"],
                fr=["analyse de données"],
                es=["análisis de datos"],
                ar=["تحليل البيانات"],
            ),
            skill("spreadsheets", "Spreadsheets", en=["excel", "pivot tables", "google sheets"]),
            skill(
                "visualisation",
                "Data visualisation",
                en=["data visualization", "visualization", "charts"],
                fr=["visualisation de données"],
            ),
            skill(
                "gis",
                "Maps and GIS",
                en=["gis", "mapping", "maps", "qgis"],
                fr=["cartographie", "SIG"],
                ar=["الخرائط", "نظم المعلومات الجغرافية"],
            ),
            skill(
                "data-protection",
                "Data protection",
                en=["data protection", "privacy"],
                fr=["protection des données"],
                ar=["حماية البيانات"],
            ),
            skill("dashboards", "Dashboards", en=["power bi", "tableau"]),
            skill("programming", "Programming", en=["python", "r", "coding"]),
            skill("monitoring", "Monitoring", en=["monitoring and evaluation", "m&e"]),
        ],
    }
)


@pytest.fixture(scope="module")
def coder():
    return Coder.for_skills(TAXONOMY)


# --- normalise -----------------------------------------------------------------------------


def test_normalise_folds_case_accents_punctuation_and_spaces():
    assert normalise("  Nettoyage   des DONNÉES!! ") == "nettoyage des donnees"
    assert normalise("Análisis—de_datos") == "analisis de datos"
    assert normalise("ＥＸＣＥＬ") == "excel"  # full-width letters from some phone keyboards


def test_normalise_keeps_language_names_with_symbols_apart():
    assert normalise("C++") == "c++"
    assert normalise("C#, R.") == "c# r"


def test_normalise_unifies_arabic_spellings():
    # Hamza forms of alef, alef maqsura, teh marbuta, tashkeel and tatweel all fold away.
    assert normalise("إِدارَة") == normalise("اداره")
    assert normalise("أحمد") == normalise("آحمد") == "احمد"
    assert normalise("مستوى") == "مستوي"
    assert normalise("البيـــانات") == "البيانات"
    # Hamza on other letters carries meaning and stays.
    assert "ؤ" in normalise("مسؤول")


def test_normalise_keeps_marks_of_non_latin_scripts():
    assert normalise("हिंदी") == "हिंदी"


@given(st.text())
@settings(max_examples=500)
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.sampled_from("aéÉçñüøß+#-, .'’ـ\u064eأإآىةابتحمدكلي١٢ΑάЖж\u200dﻻ")))
@settings(max_examples=500)
def test_the_fast_paths_of_normalise_agree_with_the_character_walk(text):
    # normalise skips the per-character walk for ASCII and common letters (for speed); the
    # walk, repeated to its fixed point, is the definition.
    walked = _normalise_once(text)
    while _normalise_once(walked) != walked:
        walked = _normalise_once(walked)
    assert normalise(text) == walked


# --- split_answer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Excel, Power BI and mapping", ["Excel", "Power BI", "mapping"]),
        ("Excel; cartographie et SIG", ["Excel", "cartographie", "SIG"]),
        ("análisis y visualización", ["análisis", "visualización"]),
        ("الخرائط و Excel", ["الخرائط", "Excel"]),
        ("الخرائط، تحليل البيانات", ["الخرائط", "تحليل البيانات"]),
        ("Excel/SQL\nPython + R", ["Excel", "SQL", "Python", "R"]),
        ("excel & sql", ["excel", "sql"]),
        ("M&E, R&D", ["M&E", "R&D"]),
        ("C++ and Python", ["C++", "Python"]),
        ("n/a", ["n/a"]),
        ("  , ;  ", []),
    ],
)
def test_split_answer_separates_the_items_a_person_listed(text, parts):
    assert split_answer(text) == parts


def test_split_answer_never_splits_inside_words():
    # "y", "e", "et" and "و" are only separators as whole words.
    assert split_answer("Analytics yearly reports") == ["Analytics yearly reports"]
    assert split_answer("Geodata etl pipeline") == ["Geodata etl pipeline"]
    assert split_answer("والتحليل") == ["والتحليل"]


def test_split_answer_keeps_phrases_whole():
    keep = ["monitoring and evaluation", "Support services (finance, logistics)"]
    assert split_answer("Monitoring and Evaluation, excel", keep) == [
        "Monitoring and Evaluation",
        "excel",
    ]
    assert split_answer("support services (finance, logistics)", keep) == [
        "support services (finance, logistics)"
    ]


def test_coder_keeps_its_multi_word_names_whole(coder):
    result = coder.code("monitoring and evaluation; qgis")
    assert result.parts == ("monitoring and evaluation", "qgis")
    assert result.codes == ("monitoring", "gis")


# --- multilingual names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("nettoyage des données", "cleaning"),
        ("Nettoyage des donnees", "cleaning"),
        ("análisis de datos", "analysis"),
        ("analisis de datos", "analysis"),
        ("حماية البيانات", "data-protection"),
        ("حمايه البيانات", "data-protection"),  # teh marbuta typed as heh
        ("حِمَايَة البَيَانَات", "data-protection"),  # with tashkeel
        ("Protection des données", "data-protection"),
        ("تحليل البيانات", "analysis"),
    ],
)
def test_names_in_every_language_code_exactly(coder, text, code):
    result = coder.code(text)
    assert result.codes == (code,)
    assert not result.needs_review
    [best] = coder.suggest(text, limit=1)
    assert (best.code, best.score, best.source) == (code, 100.0, "synonym")


def test_arabic_article_and_conjunction_prefixes_do_not_hide_a_name(coder):
    # "البيانات" / "بيانات" and "و" + "ال" glued to the next word are how people type.
    assert coder.code("حماية بيانات").codes == ("data-protection",)
    assert coder.code("الخرائط والتحليل البيانات").codes == ("gis", "analysis")


def test_a_mixed_language_answer_codes_every_part(coder):
    result = coder.code("Excel; cartographie et nettoyage des données")
    assert result.codes == ("spreadsheets", "gis", "cleaning")
    assert result.parts == ("Excel", "cartographie", "nettoyage des données")
    assert not result.needs_review


# --- names inside longer parts -------------------------------------------------------------


def test_a_name_inside_a_sentence_is_found_as_whole_words(coder):
    result = coder.code("using qgis for maps")
    assert result.codes == ("gis",)
    assert coder.suggest("using qgis for maps")[0].score == 100.0
    assert coder.code("I want to learn python for data analysis").codes == (
        "programming",
        "analysis",
    )


def test_names_are_not_found_inside_other_words(coder):
    # "r" is a name (the language), "maps" is a name: neither is in "remapsody".
    result = coder.code("remapsody")
    assert result.codes == ()
    assert result.needs_review


def test_a_single_letter_name_needs_a_standalone_word(coder):
    assert coder.code("R").codes == ("programming",)
    assert coder.code("R programming").codes == ("programming",)
    # "R&D" is research and development, not the R language.
    assert "programming" not in coder.code("R&D").codes
    assert coder.code("R&D").needs_review


def test_a_name_explaining_little_of_the_part_goes_to_review(coder):
    result = coder.code("tracking cash programmes with excel")
    assert result.codes == ()
    assert result.needs_review
    assert result.uncertain[0].code == "spreadsheets"
    assert result.uncertain[0].part == "tracking cash programmes with excel"


# --- typos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("spredsheets", "spreadsheets"),
        ("visualiztion", "visualisation"),
        ("Data visualisaton", "visualisation"),
        ("nettoyage des donees", "cleaning"),
        ("learning vizualisation", "visualisation"),
        ("pivot tabels", "spreadsheets"),
    ],
)
def test_typos_code_fuzzily(coder, text, code):
    result = coder.code(text)
    assert result.codes == (code,)
    best = coder.suggest(text, limit=1)[0]
    assert best.code == code
    assert best.source == "fuzzy"
    assert 88 <= best.score < 100


def test_short_names_never_match_fuzzily(coder):
    # WRatio would call "rx" close to "r"; a short unknown word is gibberish, not R.
    assert all(s.code != "programming" for s in coder.suggest("rx"))
    assert all(s.code != "gis" for s in coder.suggest("si"))


def test_gibberish_needs_review_with_no_confident_code(coder):
    result = coder.code("qwzx plorf")
    assert result.codes == ()
    assert result.needs_review
    assert all(s.score < 88 for s in result.uncertain)


def test_threshold_decides_what_is_confident(coder):
    text = "visualisaton"  # a typo: a high score, but not 100
    score = coder.suggest(text, limit=1)[0].score
    assert 88 < score < 100
    assert coder.code(text, threshold=score).codes == ("visualisation",)
    strict = coder.code(text, threshold=score + 0.1)
    assert strict.codes == ()
    assert strict.needs_review
    assert strict.uncertain[0].code == "visualisation"


def test_uncertain_suggestions_are_only_for_parts_that_need_review(coder):
    result = coder.code("excel, qwzx plorf")
    assert result.codes == ("spreadsheets",)
    assert result.needs_review
    assert all(s.part == "qwzx plorf" for s in result.uncertain)


def test_empty_and_filler_answers_need_nothing(coder):
    for text in ("", "   ", "-", "n/a", "None", "rien", "nada", "etc.", "لا يوجد"):
        result = coder.code(text)
        assert result.codes == ()
        assert not result.needs_review, text


# --- corrections ---------------------------------------------------------------------------


def test_a_correction_overrides_the_vocabulary(coder):
    assert coder.code("charts").codes == ("visualisation",)
    corrected = coder.with_corrections([Correction("charts", ("dashboards",))])
    assert corrected.code("Charts!").codes == ("dashboards",)
    [best] = corrected.suggest("charts", limit=1)
    assert (best.score, best.source, best.matched) == (100.0, "correction", "charts")


def test_a_correction_teaches_a_text_the_vocabulary_did_not_know(coder):
    before = coder.code("kobo toolbox forms")
    assert before.needs_review
    corrected = coder.with_corrections([Correction("kobo toolbox forms", ("cleaning", "gis"))])
    after = corrected.code("Kobo Toolbox forms")
    assert after.codes == ("cleaning", "gis")
    assert not after.needs_review


def test_corrections_generalise_to_similar_texts():
    coder = Coder.for_skills(TAXONOMY, [Correction("mobile survey forms", ("cleaning",))])
    similar = coder.code("mobile survey form")
    assert similar.codes == ("cleaning",)
    [best] = coder.suggest("mobile survey form", limit=1)
    assert best.source == "correction"
    # ... and inside longer answers.
    assert coder.code("designing mobile survey forms").codes == ("cleaning",)


def test_a_correction_of_the_whole_answer_is_not_split(coder):
    corrected = coder.with_corrections([Correction("tables and charts", ("spreadsheets",))])
    result = corrected.code("Tables and charts")
    assert result.parts == ("Tables and charts",)
    assert result.codes == ("spreadsheets",)


def test_a_not_a_skill_correction_codes_to_nothing_without_review(coder):
    assert coder.code("team spirit").needs_review
    corrected = coder.with_corrections([Correction("team spirit", ())])
    result = corrected.code("Team spirit")
    assert result.codes == ()
    assert not result.needs_review
    # Similar texts are ignored too, and the rest of the answer is still coded.
    mixed = corrected.code("team spirits, excel")
    assert mixed.codes == ("spreadsheets",)
    assert not mixed.needs_review


def test_not_a_skill_words_do_not_dilute_a_name_beside_them(coder):
    corrected = coder.with_corrections([Correction("workshop", ())])
    assert coder.code("excel workshop").needs_review
    assert corrected.code("excel workshop").codes == ("spreadsheets",)


def test_the_latest_correction_of_a_text_wins():
    coder = Coder.for_skills(
        TAXONOMY, [Correction("kobo", ("gis",)), Correction("KOBO", ("cleaning",))]
    )
    assert coder.code("kobo").codes == ("cleaning",)


# --- choice lists --------------------------------------------------------------------------


def test_barriers_code_to_choice_codes_with_extra_names():
    barriers = builtin_questionnaire().choice_lists["barriers"]
    coder = Coder.for_choices(
        barriers,
        extra={"time": ["no time", "pas le temps", "falta de tiempo", "ضيق الوقت"]},
    )
    assert coder.code("Not enough time").codes == ("time",)
    assert coder.code("pas le temps").codes == ("time",)
    assert coder.code("ضيق الوقت").codes == ("time",)
    assert coder.code("Poor conectivity or equipment").codes == ("connectivity",)
    assert coder.code("no time; poor data quality").codes == ("time", "quality")


def test_choice_coder_rejects_names_for_unknown_codes():
    with pytest.raises(ValueError, match="tiem"):
        Coder.for_choices([Choice("time", {"en": "Not enough time"})], extra={"tiem": ["x"]})


# --- built-in taxonomy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Power BI", "dashboards"),
        ("excel pivot tables", "spreadsheets"),
        ("QGIS maps", "gis"),
        ("spredsheets", "spreadsheets"),
        ("Data visualization", "visualisation"),
        ("python", "programming"),
    ],
)
def test_builtin_taxonomy_codes_clear_english_answers(text, code):
    result = Coder.for_skills(builtin_taxonomy()).code(text)
    assert result.codes == (code,)
    assert not result.needs_review


def test_numbers_beside_a_name_do_not_need_review(coder):
    assert coder.code("Excel 2016").codes == ("spreadsheets",)
    assert coder.code("python 3").codes == ("programming",)


def test_many_new_answers_with_unknown_words_are_still_coded():
    coder = Coder.for_skills(builtin_taxonomy())
    base = ["Power BI", "excel pivot tables", "using qgis for maps", "spredsheets", "kobo"]
    letters = "abcdefghijklmnopqrstuvwxyz"
    # Every answer new, with an unknown word, so neither memo nor exact match does the work:
    # the fuzzy matching must still find the skill (its speed is for benchmarks, not tests).
    answers = [
        f"{base[i % len(base)]} {letters[i % 26]}{letters[i // 26 % 26]}{letters[i // 676 % 26]}x"
        for i in range(5_000)
    ]
    assert len(set(answers)) == len(answers)
    results = [coder.code(a) for a in answers]
    assert all(r.parts for r in results)


# --- properties ----------------------------------------------------------------------------

names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéàçñü ABCÉ-,&/بياناتحمدإأةى"),
    min_size=1,
    max_size=25,
)
vocabularies = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
    st.lists(names, min_size=1, max_size=4),
    min_size=1,
    max_size=6,
)


@given(vocabularies, st.data())
@settings(max_examples=200, deadline=None)
def test_any_name_in_the_vocabulary_codes_to_its_own_code(vocabulary, data):
    code = data.draw(st.sampled_from(sorted(vocabulary)))
    name = data.draw(st.sampled_from(vocabulary[code]))
    assume(normalise(name))
    coder = Coder(vocabulary)
    assert code in coder.code(name).codes
    assert any(s.code == code and s.score == 100.0 for s in coder.suggest(name, limit=10))


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_codes_to_known_codes_only(text):
    coder = Coder.for_skills(TAXONOMY, [Correction("kobo", ("collection",))])
    result = coder.code(text)
    assert set(result.codes) <= {*TAXONOMY.codes, "collection"}
    assert all(s.code in {*TAXONOMY.codes, "collection"} for s in result.uncertain)
    assert all(0 <= s.score <= 100 for s in coder.suggest(text, limit=10))
    if result.uncertain:
        assert result.needs_review
