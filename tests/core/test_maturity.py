"""The maturity quick scan's core: the questionnaire format, scoring checked against arithmetic
done by hand, benchmark, trend across versions, next steps, and the radar chart.
"""

from __future__ import annotations

import copy
import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core import maturity
from datacircle.core.charts import PALETTE, PDI, RLI
from datacircle.core.maturity import (
    AREAS,
    MIN_PEERS,
    Combined,
    ModuleRef,
    QuestionnaireError,
    Response,
    benchmark,
    builtin,
    combine,
    dimension_scores,
    dump_text,
    next_steps,
    parse,
    parse_text,
    radar,
    stage_of,
    strengths_and_weaknesses,
    trend,
    validate_response,
)
from datacircle.core.taxonomy import builtin_taxonomy

SVG = "{http://www.w3.org/2000/svg}"
STAGES = [
    {"level": n, "name": name, "description": f"What {name.lower()} looks like."}
    for n, name in enumerate(["Starting", "Exploring", "Practising", "Embedding", "Leading"], 1)
]


def answers(*scores: int) -> list[dict]:
    return [{"score": s, "text": f"Answer scored {s}"} for s in scores]


def dimension(id: str, questions: list[dict], area: str = "people", **extra) -> dict:
    return {
        "id": id,
        "area": area,
        "name": f"Dimension {id}",
        "summary": f"What {id} is about.",
        "stages": [f"{id} at stage {n}" for n in range(1, 6)],
        "skills": [],
        "questions": questions,
        **extra,
    }


def question(id: str, *scores: int) -> dict:
    return {"id": id, "text": f"Question {id}?", "answers": answers(*scores)}


def small_data() -> dict:
    """Three dimensions: a (three questions scored 1-5), b (b1 offers 1, 2, 4, 5), c (one)."""
    return {
        "version": 1,
        "stages": copy.deepcopy(STAGES),
        "dimensions": [
            dimension(
                "a",
                [
                    question("a1", 1, 2, 3, 4, 5),
                    question("a2", 1, 2, 3, 4, 5),
                    question("a3", 1, 2, 3, 4, 5),
                ],
            ),
            dimension("b", [question("b1", 1, 2, 4, 5), question("b2", 1, 2, 3, 4, 5)], "process"),
            dimension("c", [question("c1", 1, 3, 5)], "technology"),
        ],
    }


@pytest.fixture
def small() -> maturity.Questionnaire:
    return parse(small_data())


# --- scoring, by hand -----------------------------------------------------------------------


def test_a_dimension_score_is_the_mean_of_the_answers_given(small):
    # a: answers 2, 3, 4 -> (2 + 3 + 4) / 3 = 3.0 -> stage 3
    # b: answers 2, 3    -> (2 + 3) / 2 = 2.5     -> stage 3 (halves round up)
    # c: nothing answered -> None
    scores = dimension_scores(small, {"a1": 2, "a2": 3, "a3": 4, "b1": 2, "b2": 3})
    assert scores == {"a": 3.0, "b": 2.5, "c": None}
    assert list(scores) == ["a", "b", "c"]  # questionnaire order
    assert stage_of(scores["a"]) == 3
    assert stage_of(scores["b"]) == 3


def test_unanswered_questions_are_left_out_not_counted_as_zero(small):
    # a: only a2 answered with 4 -> 4 / 1 = 4.0
    assert dimension_scores(small, {"a2": 4})["a"] == 4.0


def test_answers_to_questions_of_another_version_are_ignored(small):
    assert dimension_scores(small, {"a1": 5, "gone-question": 1}) == {
        "a": 5.0,
        "b": None,
        "c": None,
    }


def test_a_score_the_question_does_not_offer_is_refused(small):
    with pytest.raises(ValueError, match="'b1' offers no answer scored 3"):
        dimension_scores(small, {"b1": 3})  # b1 offers 1, 2, 4, 5


@pytest.mark.parametrize(
    ("score", "stage"),
    [
        (1.0, 1),
        (1.49, 1),
        (1.5, 2),
        (2.49, 2),  # floor(2.49 + 0.5) = floor(2.99) = 2
        (2.5, 3),  # floor(2.5 + 0.5) = 3
        (2.5 - 1e-12, 3),  # float noise around a half still reaches the stage above
        (3.0, 3),
        (4.5, 5),
        (5.0, 5),
        (0.2, 1),  # clamped
        (7.0, 5),  # clamped
    ],
)
def test_the_stage_a_score_reaches(score, stage):
    assert stage_of(score) == stage


def test_a_stage_needs_a_number():
    with pytest.raises(ValueError):
        stage_of(math.nan)


def test_combine_three_respondents_by_hand(small):
    responses = [
        # a: 2, 2 -> 2.0 ; b: b1 = 1 -> 1.0 ; target a 4
        Response({"a1": 2, "a2": 2, "b1": 1}, {"a": 4}),
        # a: only a1 = 3 -> 3.0 (a partial answer still counts as one respondent) ; target a 5, c 3
        Response({"a1": 3}, {"a": 5, "c": 3}),
        # a: 4, 5, 3 -> 12 / 3 = 4.0 ; b: 4, 5 -> 4.5 ; no targets
        Response({"a1": 4, "a2": 5, "a3": 3, "b1": 4, "b2": 5}),
    ]
    combined = combine(small, responses)
    assert list(combined) == ["a", "b", "c"]
    a = combined["a"]
    # Respondents' a scores 2.0, 3.0, 4.0: mean 9 / 3 = 3.0, median 3.0, low 2.0, high 4.0,
    # population sd = sqrt(((2-3)^2 + 0 + (4-3)^2) / 3) = sqrt(2/3) = 0.8165
    assert (a.respondents, a.mean, a.median, a.low, a.high) == (3, 3.0, 3.0, 2.0, 4.0)
    assert a.spread == pytest.approx(0.816496580927726)
    assert a.stage == 3
    # Targets 4 and 5 (the third gave none): (4 + 5) / 2 = 4.5 ; gap 4.5 - 3.0 = 1.5
    assert (a.target, a.gap) == (4.5, 1.5)
    b = combined["b"]
    # b scores 1.0 and 4.5 (the second respondent answered nothing in b):
    # mean (1 + 4.5) / 2 = 2.75, median 2.75, sd = |4.5 - 1| / 2 = 1.75, stage floor(3.25) = 3
    assert (b.respondents, b.mean, b.median, b.low, b.high) == (2, 2.75, 2.75, 1.0, 4.5)
    assert b.spread == pytest.approx(1.75)
    assert (b.stage, b.target, b.gap) == (3, None, None)
    c = combined["c"]
    # Nobody answered c, but one target was set: a target without a score has no gap.
    assert c == Combined("c", 0, None, None, None, None, None, None, 3.0, None)


def test_one_respondent_has_no_spread(small):
    (a, *_) = combine(small, [Response({"a1": 5})]).values()
    assert (a.mean, a.median, a.spread, a.stage) == (5.0, 5.0, 0.0, 5)


def test_combine_without_responses_has_no_scores(small):
    combined = combine(small, [])
    assert all(c.respondents == 0 and c.mean is None and c.stage is None for c in combined.values())


def test_combine_refuses_a_target_outside_the_stages(small):
    with pytest.raises(ValueError, match="stage from 1 to 5"):
        combine(small, [Response({"a1": 3}, {"a": 6})])


def test_validate_response_names_every_problem(small):
    problems = validate_response(
        small, {"a1": 3, "b1": 3, "zz": 2, "c1": "5"}, {"a": 4, "b": 0, "nope": 3}
    )
    assert problems == [
        "question 'b1': 3 is not one of its answers' scores (1, 2, 4, 5)",
        "unknown question 'zz'",
        "question 'c1': '5' is not one of its answers' scores (1, 3, 5)",
        "target for 'b' must be a stage from 1 to 5, not 0",
        "target for unknown dimension 'nope'",
    ]
    assert validate_response(small, {"a1": 3, "c1": 5}, {"c": 5}) == []


# --- strengths and weaknesses ---------------------------------------------------------------

IDS = [d.id for d in builtin().dimensions]


def results(means: dict[str, float | None], targets: dict[str, float] | None = None):
    targets = targets or {}
    made = {}
    for dimension_id in IDS:
        mean = means.get(dimension_id)
        target = targets.get(dimension_id)
        made[dimension_id] = Combined(
            dimension_id,
            0 if mean is None else 4,
            mean,
            mean,
            mean,
            mean,
            0.0 if mean is not None else None,
            stage_of(mean) if mean is not None else None,
            target,
            target - mean if target is not None and mean is not None else None,
        )
    return made


MEANS = {
    "leadership": 3.5,
    "culture": 2.0,
    "skills": 4.0,
    "data": 2.0,
    "uses": 3.0,
    "protection": 1.5,
    "tools": 4.0,
    "sharing": 2.8,
}


def test_strengths_are_the_highest_and_weaknesses_the_lowest_ties_in_questionnaire_order():
    strengths, weaknesses = strengths_and_weaknesses(builtin(), results(MEANS))
    # Lowest: protection 1.5, then culture and data tie at 2.0: culture comes first.
    assert weaknesses == ["protection", "culture"]
    # Highest: skills and tools tie at 4.0: skills comes first.
    assert strengths == ["skills", "tools"]


def test_a_large_gap_to_the_target_makes_a_weakness_first():
    targets = {
        "sharing": 4.8,  # 4.8 - 2.8 = 2.0
        "leadership": 5.0,  # 5.0 - 3.5 = 1.5: exactly the threshold counts
        "uses": 4.49,  # 4.49 - 3.0 = 1.49: not enough
        "tools": 5.0,  # 1.0
    }
    strengths, weaknesses = strengths_and_weaknesses(builtin(), results(MEANS, targets))
    assert weaknesses == ["sharing", "leadership", "protection", "culture"]
    assert strengths == ["skills", "tools"]


def test_a_strength_reaches_at_least_stage_three():
    low = {key: 2.0 for key in IDS} | {"skills": 2.49, "tools": 2.5}
    strengths, weaknesses = strengths_and_weaknesses(builtin(), results(low))
    # Only tools (2.5 -> stage 3) qualifies; skills at 2.49 is stage 2.
    assert strengths == ["tools"]
    assert weaknesses == ["leadership", "culture"]  # all tie at 2.0: questionnaire order


def test_never_the_same_dimension_in_both(small):
    combined = {
        key: Combined(key, 3, mean, mean, mean, mean, 0.0, stage_of(mean), None, None)
        for key, mean in {"a": 4.0, "b": 3.0, "c": 3.5}.items()
    }
    strengths, weaknesses = strengths_and_weaknesses(small, combined, count=2)
    # Weaknesses first: b 3.0, c 3.5; only a is left to be a strength.
    assert weaknesses == ["b", "c"]
    assert strengths == ["a"]
    assert not set(strengths) & set(weaknesses)


def test_dimensions_without_scores_are_neither():
    means = {"leadership": 3.0, "skills": 4.0, "tools": 1.0}
    strengths, weaknesses = strengths_and_weaknesses(builtin(), results(means), count=1)
    assert (strengths, weaknesses) == (["skills"], ["tools"])


# --- benchmark ------------------------------------------------------------------------------


def peer(**scores: float | None) -> dict[str, float | None]:
    return dict(scores)


def test_no_benchmark_under_five_peers(small):
    peers = [peer(a=s, b=s) for s in (2.0, 2.5, 3.0, 3.5)]
    assert benchmark(small, {"a": 3.0, "b": 3.0}, peers) is None
    assert MIN_PEERS == 5


def test_a_peer_missing_a_shown_dimension_does_not_count_towards_five(small):
    peers = [peer(a=s, b=s) for s in (2.0, 2.5, 3.0, 3.5)] + [peer(a=4.0)]
    assert benchmark(small, {"a": 3.0, "b": 3.0}, peers) is None
    # Shown dimensions are those with an own score: without b, all five peers count.
    shown = benchmark(small, {"a": 3.0, "b": None}, peers)
    assert shown is not None and list(shown) == ["a"]


def test_quartiles_by_hand_with_five_peers(small):
    peers = [peer(a=s) for s in (2.0, 2.5, 3.0, 3.5, 4.0)]
    result = benchmark(small, {"a": 3.2}, peers)
    # Inclusive quartiles of 2.0, 2.5, 3.0, 3.5, 4.0 fall on data points: 2.5, 3.0, 3.5.
    assert result is not None
    a = result["a"]
    assert (a.peers, a.low, a.median, a.high, a.position) == (5, 2.5, 3.0, 3.5, "within")


def test_quartiles_interpolate_inclusively(small):
    scores = (1.0, 2.0, 3.0, 4.0, 5.0, 5.0)
    peers = [peer(a=s) for s in scores]
    # Inclusive method, m = n - 1 = 5 steps between sorted points, cut i at i * 5 / 4:
    # q1: 5/4 = 1 + 1/4 -> 2.0 + (3.0 - 2.0) * 1/4 = 2.25
    # q2: 10/4 = 2 + 2/4 -> 3.0 + (4.0 - 3.0) * 2/4 = 3.5
    # q3: 15/4 = 3 + 3/4 -> 4.0 + (5.0 - 4.0) * 3/4 = 4.75
    # (the exclusive method would give 1.75, 3.5, 5.0)
    above = benchmark(small, {"a": 5.0}, peers)["a"]
    assert (above.low, above.median, above.high) == (2.25, 3.5, 4.75)
    assert above.position == "above"
    assert benchmark(small, {"a": 2.0}, peers)["a"].position == "below"
    assert benchmark(small, {"a": 4.75}, peers)["a"].position == "within"  # the edge is within


def test_each_dimension_counts_only_the_peers_with_a_score_there(small):
    peers = [peer(a=3.0, b=2.0) for _ in range(5)] + [peer(a=5.0), peer(b=None, a=1.0)]
    result = benchmark(small, {"a": 3.0, "b": 2.0}, peers)
    assert result is not None
    assert (result["a"].peers, result["b"].peers) == (7, 5)


def test_no_benchmark_without_own_scores(small):
    peers = [peer(a=3.0) for _ in range(9)]
    assert benchmark(small, {"a": None}, peers) is None


def test_a_benchmark_refuses_scores_off_the_scale(small):
    peers = [peer(a=3.0) for _ in range(4)] + [peer(a=9.0)]
    with pytest.raises(ValueError, match="not a score from 1 to 5"):
        benchmark(small, {"a": 3.0}, peers)


# --- trend across questionnaire versions ----------------------------------------------------


def test_trend_across_versions_where_a_dimension_was_added_and_a_question_removed():
    v1 = parse(small_data())
    changed = small_data()
    changed["version"] = 2
    changed["dimensions"][0]["questions"].pop()  # a3 removed
    changed["dimensions"].pop()  # c removed
    changed["dimensions"].append(dimension("d", [question("d1", 1, 2, 3, 4, 5)], "technology"))
    v2 = parse(changed)

    old_answers = [Response({"a1": 2, "a2": 2, "a3": 5}), Response({"a1": 4, "c1": 3})]
    # With v1, the round it was answered with: a = (2 + 2 + 5) / 3 = 3.0 and 4.0 -> mean 3.5
    old = {key: c.mean for key, c in combine(v1, old_answers).items()}
    assert old == {"a": 3.5, "b": None, "c": 3.0}
    # Scoring it with v2 would have dropped a3: (2 + 2) / 2 = 2.0 and 4.0 -> 3.0. It never is:
    assert combine(v2, old_answers)["a"].mean == 3.0

    new = {key: c.mean for key, c in combine(v2, [Response({"a1": 5, "a2": 4, "d1": 2})]).items()}
    series = trend(v2, [("2025", v1, old), ("2026", v2, new)])
    assert series == {
        "a": [("2025", 3.5), ("2026", 4.5)],
        "b": [("2025", None), ("2026", None)],
        "d": [("2025", None), ("2026", 2.0)],  # d did not exist in 2025
    }
    # The old round's own results are untouched by the new version.
    assert {key: c.mean for key, c in combine(v1, old_answers).items()} == old


def test_trend_refuses_scores_from_another_version(small):
    with pytest.raises(ValueError, match="round 'old': scores for zz"):
        trend(small, [("old", small, {"a": 3.0, "zz": 2.0})])


# --- next steps -----------------------------------------------------------------------------

MODULES = [
    ModuleRef("datacircle/privacy-basics@1", "Privacy basics", ("data-protection",), "en"),
    ModuleRef(
        "lrc/protection-ar@2", "حماية البيانات", ("data-protection", "data-management"), "ar"
    ),
    ModuleRef("datacircle/kobo@1", "Kobo safely", ("data-protection", "collection"), "en"),
    ModuleRef("datacircle/paper-first@1", "Paper first", ("collection",), "en"),
    ModuleRef("datacircle/maps@1", "Maps", ("gis",), "en"),
    ModuleRef("datacircle/stories@1", "Stories", ("storytelling",), "ar"),
]
DEMAND = {"collection": 12, "data-protection": 12, "data-management": 3, "gis": 40}


def test_next_steps_order_skills_by_demand_then_as_listed():
    (step,) = next_steps(builtin(), ["protection"], DEMAND, MODULES)
    # protection lists data-protection, data-management, collection; demand 12, 3, 12:
    # the two 12s keep the questionnaire's order.
    assert step.skills == ("data-protection", "collection", "data-management")
    assert dict(step.demand) == {"data-protection": 12, "collection": 12, "data-management": 3}


def test_next_steps_rank_modules_by_coverage_then_demand_in_english():
    (step,) = next_steps(builtin(), ["protection"], DEMAND, MODULES, language="en")
    # English first: kobo covers 2 skills; privacy-basics and paper-first cover one skill of
    # demand 12 each, so the order given decides. The Arabic module comes after them.
    assert [m.reference for m in step.modules] == [
        "datacircle/kobo@1",
        "datacircle/privacy-basics@1",
        "datacircle/paper-first@1",
    ]


def test_next_steps_put_the_readers_language_first():
    (step,) = next_steps(builtin(), ["protection"], DEMAND, MODULES, language="ar")
    assert [m.reference for m in step.modules] == [
        "lrc/protection-ar@2",
        "datacircle/kobo@1",
        "datacircle/privacy-basics@1",
    ]
    french = [*MODULES, ModuleRef("crs/protection@1", "Protéger", ("data-protection",), "fr")]
    (step,) = next_steps(builtin(), ["protection"], DEMAND, french, language="fr-CA")
    assert step.modules[0].reference == "crs/protection@1"


def test_next_steps_one_per_weakness_in_order_even_without_modules():
    steps = next_steps(builtin(), ["leadership", "protection"], {}, MODULES[5:])
    assert [s.dimension for s in steps] == ["leadership", "protection"]
    assert steps[0].skills == ("data-literacy", "dashboards", "storytelling")
    assert [m.title for m in steps[0].modules] == ["Stories"]
    assert steps[1].modules == ()
    with pytest.raises(KeyError):
        next_steps(builtin(), ["nope"], {}, [])


# --- parse errors ---------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_with_its_path():
    data = small_data()
    data["stages"].pop()
    a = data["dimensions"][0]
    a["summery"] = a.pop("summary")
    a["area"] = "peple"
    a["skills"] = ["data-protecton", "gis", "gis"]
    a["questions"][1]["id"] = "a1"
    a["questions"][2]["answers"] = answers(1, 3, 2, 7)
    data["dimensions"][1]["id"] = "a"
    data["dimensions"][2]["questions"][0]["answers"] = answers(4)
    with pytest.raises(QuestionnaireError) as caught:
        parse(data, skill_codes=builtin_taxonomy().codes)
    assert set(caught.value.problems) == {
        "stages: must have exactly 5 stages, not 4",
        "dimensions[0].summery: unknown field 'summery' (did you mean 'summary'?)",
        "dimensions[0].summary: is missing",
        "dimensions[0].area: must be one of people, process, technology, not 'peple'"
        " (did you mean 'people'?)",
        "dimensions[0].skills[0]: unknown skill code 'data-protecton'"
        " (did you mean 'data-protection'?)",
        "dimensions[0].skills[2]: 'gis' is listed twice",
        "dimensions[0].questions[1].id: 'a1' is already the id of dimensions[0].questions[0]",
        "dimensions[0].questions[2].answers[2].score: scores must go up from one answer to the "
        "next: 2 comes after 3",
        "dimensions[0].questions[2].answers[3].score: must be a whole number from 1 to 5, not 7",
        "dimensions[1].id: 'a' is already the id of dimensions[0]",
        "dimensions[2].questions[0].answers: needs at least 2 answers, not 1",
    }
    assert "problems:" in str(caught.value)


def test_skill_codes_are_checked_only_when_given():
    data = small_data()
    data["dimensions"][0]["skills"] = ["made-up-skill"]
    assert parse(data).dimension("a").skills == ("made-up-skill",)
    with pytest.raises(QuestionnaireError, match="unknown skill code 'made-up-skill'"):
        parse(data, skill_codes=["gis"])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(version=0), "version: must be a whole number from 1 up, not 0"),
        (lambda d: d.update(version=True), "version: must be a whole number from 1 up, not true"),
        (lambda d: d["stages"][1].update(level=3), "stages[1].level: stages go from level 1 to 5"),
        (
            lambda d: d["stages"][4].update(name="starting"),
            "'starting' is already the name of stages[0]",
        ),
        (
            lambda d: d.update(dimensions=d["dimensions"][:2]),
            "dimensions: needs at least 3 dimensions",
        ),
        (
            lambda d: d["dimensions"][0].update(id="Data Quality"),
            "'Data Quality' is not a valid id",
        ),
        (
            lambda d: d["dimensions"][0].update(name=2024),
            "name: must be text, not 2024 (put it in quotes",
        ),
        (lambda d: d["dimensions"][0].update(name="  "), "dimensions[0].name: must not be empty"),
        (
            lambda d: d["dimensions"][0]["stages"].pop(),
            "dimensions[0].stages: must have exactly 5 stages",
        ),
        (
            lambda d: d["dimensions"][0].update(questions=[]),
            "questions: needs at least 1 questions",
        ),
        (
            lambda d: d["dimensions"][0].update(questions="none"),
            "must be a list of questions, not 'none'",
        ),
        (
            lambda d: d["dimensions"][1]["questions"][0]["answers"][0].update(score=True),
            "score: must be a whole number from 1 to 5, not true",
        ),
        (
            lambda d: d["dimensions"][0].update(translations={}),
            "unknown field 'translations'; use id, area",
        ),
    ],
)
def test_each_rule_has_its_own_words(change, problem):
    data = small_data()
    change(data)
    with pytest.raises(QuestionnaireError) as caught:
        parse(data)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_a_questionnaire_must_be_a_mapping():
    with pytest.raises(QuestionnaireError) as caught:
        parse(["version", 1], source="upload.yaml")
    assert caught.value.problems == (
        "upload.yaml: must be a mapping with version, stages, dimensions, not a list",
    )


def test_yaml_syntax_errors_give_line_and_column():
    text = dump_text(parse(small_data())).replace("name: Dimension b", "name: Dimension: b", 1)
    line = text.splitlines().index("  name: Dimension: b") + 1
    with pytest.raises(QuestionnaireError) as caught:
        parse_text(text, source="kenya.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith(f"line {line}, column 18: not valid YAML: a ': ' inside a value")
    assert str(caught.value).startswith("kenya.yaml: line")


def test_problems_in_yaml_text_carry_their_line():
    text = dump_text(parse(small_data()))
    lines = text.splitlines()
    at = lines.index("  area: process")
    lines[at] = "  area: procss"
    with pytest.raises(QuestionnaireError) as caught:
        parse_text("\n".join(lines))
    assert caught.value.problems == (
        "dimensions[1].area: must be one of people, process, technology, not 'procss' "
        f"(did you mean 'process'?) (line {at + 1})",
    )


def test_problems_keep_their_template_so_a_reader_gets_them_in_their_language():
    """Each problem is English as a str and a `Message` underneath: translated, the reason
    (and a word inside it, such as "a list") reads in the reader's language around the same
    path, values and line."""
    from datacircle.core.i18n import Message, translate

    text = dump_text(parse(small_data()))
    lines = text.splitlines()
    at = lines.index("  area: process")
    lines[at] = "  area: [1, 2]"
    with pytest.raises(QuestionnaireError) as caught:
        parse_text("\n".join(lines))
    (problem,) = caught.value.problems
    assert isinstance(problem, Message)
    assert problem == (
        f"dimensions[1].area: must be one of people, process, technology, not a list (line {at + 1})"
    )
    french = {
        "%(where)s: %(reason)s (line %(line)s)": "%(where)s : %(reason)s (ligne %(line)s)",
        "must be one of %(areas)s, not %(value)s": "doit être l'une des valeurs %(areas)s, pas %(value)s",
        "a list": "une liste",
    }
    assert translate(problem, lambda words: french.get(words, words)) == (
        "dimensions[1].area : doit être l'une des valeurs people, process, technology, pas une "
        f"liste (ligne {at + 1})"
    )


def test_a_field_given_twice_in_yaml_is_an_error():
    text = dump_text(parse(small_data())).replace("version: 1\n", "version: 1\nversion: 2\n", 1)
    with pytest.raises(QuestionnaireError) as caught:
        parse_text(text)
    assert caught.value.problems == ("version: is given twice; write each field once (line 2)",)


@pytest.mark.parametrize("text", ["", "   \n# only a comment\n"])
def test_empty_yaml_is_refused(text):
    with pytest.raises(QuestionnaireError, match="empty"):
        parse_text(text)


def test_a_yaml_alias_loop_is_a_problem_not_a_crash():
    with pytest.raises(QuestionnaireError, match="must be"):
        parse_text("version: 1\nstages: &s [*s]\ndimensions: []\n")


# --- texts in several languages ------------------------------------------------------------


def translated_data() -> dict:
    """The small questionnaire with some texts in French and Arabic, others English only."""
    data = small_data()
    data["stages"][0]["name"] = {"en": "Starting", "fr": "Débuter", "ar": "البداية"}
    a = data["dimensions"][0]
    a["name"] = {"en": "Leadership", "fr": "Leadership", "es": "Liderazgo", "ar": "القيادة"}
    a["questions"][0]["text"] = {"en": "Do leaders ask?", "fr": "Les dirigeants demandent-ils ?"}
    a["questions"][0]["answers"][0]["text"] = {"en": "Never", "ar": "أبدًا"}
    return data


def test_texts_show_in_the_readers_language_else_in_english():
    q = parse(translated_data())
    french = q.in_language("fr")
    assert french.stage(1).name == "Débuter"
    assert french.stage(2).name == "Exploring"  # English only: the same for every reader
    assert french.dimension("a").name == "Leadership"
    assert french.question("a1").text == "Les dirigeants demandent-ils ?"
    assert french.question("a1").answers[0].text == "Never"  # no French: English
    assert q.in_language("fr-CA").question("a1").text == "Les dirigeants demandent-ils ?"
    arabic = q.in_language("ar")
    assert arabic.dimension("a").name == "القيادة"
    assert arabic.question("a1").text == "Do leaders ask?"
    assert arabic.question("a1").answers[0].text == "أبدًا"
    assert q.in_language("es").dimension("a").name == "Liderazgo"
    assert q.in_language("de").dimension("a").name == "Leadership"
    # As a str, a text is its English: the questionnaire itself reads as before.
    assert q.dimension("a").name == "Leadership"
    assert q.stage(1).name.texts == {"en": "Starting", "fr": "Débuter", "ar": "البداية"}


def test_a_questionnaire_in_a_language_scores_exactly_the_same():
    q = parse(translated_data())
    answers = {"a1": 2, "a2": 3, "b1": 4, "c1": 5}
    for language in ("en", "fr", "es", "ar"):
        shown = q.in_language(language)
        assert [d.id for d in shown.dimensions] == [d.id for d in q.dimensions]
        assert [x.scores for x in shown.questions] == [x.scores for x in q.questions]
        assert dimension_scores(shown, answers) == dimension_scores(q, answers)


def test_translated_texts_round_trip_and_english_only_ones_stay_plain():
    data = translated_data()
    q = parse(data)
    assert q.to_data() == data
    assert parse(q.to_data()) == q
    assert parse_text(dump_text(q)) == q
    assert q.to_data()["stages"][1]["name"] == "Exploring"
    # A change in one translation is a different questionnaire.
    other = translated_data()
    other["dimensions"][0]["name"]["ar"] = "الإدارة"
    assert parse(other) != q


BAD_LANGUAGES = """\
version: 1
stages:
  - {level: 1, name: S1, description: D1}
  - {level: 2, name: S2, description: D2}
  - {level: 3, name: S3, description: D3}
  - {level: 4, name: S4, description: D4}
  - {level: 5, name: S5, description: D5}
dimensions:
  - id: d0
    area: people
    name:
      en: Dimension 0
      fre: Dimension zéro
    summary:
      en: Summary
      ar: ''
    stages: [a, b, c, d, e]
    questions:
      - id: q0
        text: Why
        answers: [{score: 1, text: "No"}, {score: 5, text: "Yes"}]
  - id: d1
    area: process
    name: Dimension 1
    summary: {fr: Résumé, es: Resumen}
    stages: [a, b, c, d, e]
    questions:
      - id: q1
        text: Why
        answers: [{score: 1, text: "No"}, {score: 5, text: {en: "Yes", ar: "  "}}]
  - id: d2
    area: technology
    name: Dimension 2
    summary: Summary
    stages: [a, b, c, d, e]
    questions:
      - id: q2
        text: {en: Why, de: Warum}
        answers: [{score: 1, text: "No"}, {score: 5, text: "Yes"}]
"""


def test_a_text_mapping_has_known_languages_english_and_words_in_each():
    with pytest.raises(QuestionnaireError) as caught:
        parse_text(BAD_LANGUAGES)
    assert caught.value.problems == (
        "dimensions[0].name.fre: unknown language 'fre' (did you mean 'fr'?); use en, fr, es, ar"
        " (line 13)",
        "dimensions[0].summary.ar: must not be empty (line 16)",
        "dimensions[1].summary: needs the English text (en), which readers of other languages "
        "see when theirs is missing (given: fr, es) (line 25)",
        "dimensions[1].questions[0].answers[1].text.ar: must not be empty (line 30)",
        "dimensions[2].questions[0].text.de: unknown language 'de'; use en, fr, es, ar (line 38)",
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d["stages"][1].update(name={"en": "Exploring", "fr": "Débuter"}),
            "stages[1].name.fr: 'Débuter' is already the name of stages[0] in fr",
        ),
        (
            # English-only names fall back: a French reader would see 'Exploring' twice.
            lambda d: d["stages"][2].update(name={"en": "Practising", "fr": "Exploring"}),
            "stages[2].name.fr: 'Exploring' is already the name of stages[1] in fr",
        ),
        (
            lambda d: d["dimensions"][1].update(name={"en": "Process", "ar": "القيادة"}),
            "dimensions[1].name.ar: 'القيادة' is already the name of dimensions[0] in ar",
        ),
        (
            lambda d: d["dimensions"][1].update(name={"en": "Dimension a", "fr": "Autre"}),
            "dimensions[1].name.en: 'Dimension a' is already the name of dimensions[0]",
        ),
        (
            lambda d: d["dimensions"][0].update(summary={"en": "Fine", "fr": 12}),
            "dimensions[0].summary.fr: must be text, not 12",
        ),
        (
            lambda d: d["dimensions"][0].update(summary={}),
            "dimensions[0].summary: needs the English text (en)",
        ),
    ],
)
def test_names_differ_in_every_language_and_texts_are_words(change, problem):
    data = translated_data()
    data["dimensions"][0]["name"] = {"en": "Dimension a", "ar": "القيادة"}
    change(data)
    with pytest.raises(QuestionnaireError) as caught:
        parse(data)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert len(caught.value.problems) == 1, caught.value.problems


# --- the built-in questionnaire -------------------------------------------------------------


def test_the_builtin_questionnaire_parses_with_existing_skill_codes():
    q = builtin()
    codes = set(builtin_taxonomy().codes)
    assert q.version == 2
    assert [s.level for s in q.stages] == [1, 2, 3, 4, 5]
    assert 7 <= len(q.dimensions) <= 8
    assert {d.area for d in q.dimensions} == set(AREAS)
    assert {"leadership", "culture", "skills", "data", "tools", "uses", "protection"} <= {
        d.id for d in q.dimensions
    }
    for d in q.dimensions:
        assert d.skills and set(d.skills) <= codes, d.id
        assert 3 <= len(d.questions) <= 4, d.id
        for question in d.questions:
            assert 4 <= len(question.answers) <= 5, question.id
            # Every question spans the scale, so every dimension can reach every stage.
            assert (question.scores[0], question.scores[-1]) == (1, 5), question.id


def test_every_builtin_text_is_in_english_french_spanish_and_arabic():
    q = builtin()
    texts = [t for s in q.stages for t in (s.name, s.description)]
    for d in q.dimensions:
        texts += [d.name, d.summary, *d.stages]
        for x in d.questions:
            texts += [x.text, *(a.text for a in x.answers)]
    assert all(list(t.texts) == ["en", "fr", "es", "ar"] for t in texts)
    # Version 2 is version 1 translated: the same ids, scores and English words.
    assert q.in_language("en") == parse(_english_only(q.to_data()))
    assert q.in_language("ar").dimension("protection").name == "حماية البيانات"
    assert q.in_language("fr").stage(1).name == "Démarrage"
    assert q.in_language("es").question("tools-fit").answers[-1].text.startswith("Sí, y")


def test_the_builtin_stages_are_our_own():
    names = {s.name for s in builtin().stages}
    assert names == {"Starting", "Exploring", "Practising", "Embedding", "Leading"}
    assert not names & {"Unaware", "Emerging", "Learning", "Developing", "Mastering"}


def test_questionnaire_lookups():
    q = builtin()
    assert q.dimension("protection").name == "Data protection"
    assert q.question("protection-consent").answers[0].score == 1
    assert q.dimension_of("protection-consent").id == "protection"
    assert q.stage(3).name == "Practising"
    assert len(q.questions) == sum(len(d.questions) for d in q.dimensions)
    with pytest.raises(KeyError):
        q.dimension("nope")
    with pytest.raises(KeyError):
        q.question("nope")


# --- dump and parse round trip --------------------------------------------------------------


def test_the_builtin_round_trips_through_text_and_data():
    q = builtin()
    assert parse_text(dump_text(q)) == q
    assert parse(q.to_data()) == q
    assert dump_text(parse_text(dump_text(q))) == dump_text(q)


def test_to_data_is_plain_json():
    import json

    data = builtin().to_data()
    assert json.loads(json.dumps(data)) == data


ids = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
# Any text a person could type, including quotes, colons, hashes, YAML words and line breaks;
# stored stripped, since parsing strips it.
words = (
    (
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            min_size=1,
            max_size=40,
        )
        | st.sampled_from(
            ["yes", "null", "12", "- item", "a: b", "#tag", "'quoted'", "x\ny", "é ش"]
        )
    )
    .map(str.strip)
    .filter(bool)
)
# A text read by people: the same words in every language, or English and some translations.
texts = words | st.fixed_dictionaries(
    {"en": words, "fr": words}, optional={"es": words, "ar": words}
)


@st.composite
def questionnaires(draw) -> dict:
    count = draw(st.integers(3, 5))
    dimension_ids = draw(st.lists(ids, min_size=count, max_size=count, unique=True))
    question_ids = iter(draw(st.lists(ids, min_size=count * 3, max_size=count * 3, unique=True)))
    names = draw(st.lists(words, min_size=count, max_size=count, unique_by=str.casefold))
    stage_names = draw(st.lists(words, min_size=5, max_size=5, unique_by=str.casefold))
    dims = []
    for dimension_id, name in zip(dimension_ids, names, strict=True):
        questions = []
        for _ in range(draw(st.integers(1, 3))):
            scores = sorted(draw(st.sets(st.integers(1, 5), min_size=2, max_size=5)))
            questions.append(
                {
                    "id": next(question_ids),
                    "text": draw(texts),
                    "answers": [{"score": s, "text": draw(texts)} for s in scores],
                }
            )
        dims.append(
            {
                "id": dimension_id,
                "area": draw(st.sampled_from(AREAS)),
                "name": name,
                "summary": draw(texts),
                "stages": draw(st.lists(texts, min_size=5, max_size=5)),
                "skills": draw(
                    st.lists(st.sampled_from(builtin_taxonomy().codes), unique=True, max_size=3)
                ),
                "questions": questions,
            }
        )
    return {
        "version": draw(st.integers(1, 10_000)),
        "stages": [
            {"level": n, "name": stage_name, "description": draw(texts)}
            for n, stage_name in enumerate(stage_names, 1)
        ],
        "dimensions": dims,
    }


@settings(max_examples=80, deadline=None)
@given(questionnaires())
def test_any_valid_questionnaire_round_trips(data):
    q = parse(data, skill_codes=builtin_taxonomy().codes)
    assert q.to_data() == data
    assert parse(q.to_data()) == q
    assert parse_text(dump_text(q)) == q


# --- radar ----------------------------------------------------------------------------------


def svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - our own output, parsed to check it


def by_class(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if e.get("class") == css_class]


CURRENT = dict(zip(IDS, [2.3, 3.0, 1.7, 4.2, 2.5, 3.6, 1.2, 2.8], strict=True))
TARGET = dict(zip(IDS, [4, 4, 3.5, 4.5, 4, 4, 3, 3.5], strict=True))
PEERS = dict(zip(IDS, [3, 2.8, 2.5, 3.1, 3, 3.1, 2.4, 2.6], strict=True))


def three_series(**options) -> str:
    return radar(
        builtin(),
        [("As is", CURRENT, "current"), ("To be", TARGET, "target"), ("Peers", PEERS, "peers")],
        title="Kenya Red Cross: maturity",
        **options,
    )


def test_the_radar_is_accessible_svg_with_one_polygon_per_series_and_a_label_per_dimension():
    root = svg(three_series())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Kenya Red Cross: maturity"
    assert root.find(SVG + "title").text == "Kenya Red Cross: maturity"
    desc = root.find(SVG + "desc").text
    assert "As is: Leadership 2.3, Culture 3.0" in desc
    polygons = by_class(root, "polygon", "series")
    assert len(polygons) == 3
    assert [p.get("stroke") for p in polygons] == [PALETTE[0], PALETTE[1], PALETTE[2]]
    assert [p.find(SVG + "title").text for p in polygons] == ["As is", "To be", "Peers"]
    assert all(len(p.get("points").split()) == 8 for p in polygons)
    labels = by_class(root, "g", "axis-label")
    assert [g.get("data-dimension") for g in labels] == IDS
    assert len(by_class(root, "polygon", "ring")) == 5
    stage_texts = [t.text for t in by_class(root, "text", "stage")]
    assert stage_texts == ["1 Starting", "2 Exploring", "3 Practising", "4 Embedding", "5 Leading"]
    legend = [t.text for t in by_class(root, "text", "legend")]
    assert legend == ["As is", "To be", "Peers"]


def test_radar_points_sit_at_their_score_on_their_axis():
    root = svg(three_series())
    rings = by_class(root, "polygon", "ring")
    outer = [tuple(map(float, p.split(","))) for p in rings[4].get("points").split()]
    current = by_class(root, "polygon", "series")[0]
    points = [tuple(map(float, p.split(","))) for p in current.get("points").split()]
    cx = outer[0][0]
    cy = (outer[0][1] + outer[4][1]) / 2  # the top and bottom axes' ends
    radius = cy - outer[0][1]
    # Leadership (first axis, straight up) at 2.3 of 5.
    assert points[0] == pytest.approx((cx, cy - radius * 2.3 / 5), abs=0.01)
    # Skills (third axis, pointing right) at 1.7.
    assert points[2] == pytest.approx((cx + radius * 1.7 / 5, cy), abs=0.01)


def test_a_missing_score_leaves_a_gap_and_a_lone_point_is_a_dot():
    partial = dict(CURRENT, culture=None, data=None)  # skills sits alone between two gaps
    root = svg(radar(builtin(), [("As is", partial, "current")], title="t"))
    assert not by_class(root, "polygon", "series")
    (path,) = by_class(root, "path", "series")
    assert path.get("fill") == "none"
    runs = path.get("d").split("M")[1:]
    # Around the circle from culture's gap: skills alone (a dot only), then uses .. leadership.
    assert len(runs) == 1
    # One move and four lines: uses, protection, tools, sharing, back up to leadership.
    assert runs[0].count("L") == 4
    dots = by_class(root, "circle", "point")
    assert len(dots) == 6  # a dot for every score, including lone skills
    assert "Culture –" in root.find(SVG + "desc").text


def test_the_radar_escapes_every_text():
    evil = '<script>alert("x")</script> & co'
    q = builtin()
    text = radar(
        q,
        [(evil, CURRENT, "current")],
        title=evil,
        labels={"leadership": evil},
        stage_labels={1: evil},
    )
    assert "<script" not in text
    root = svg(text)
    assert root.get("aria-label") == evil
    assert root.find(SVG + "title").text == evil
    assert [t.text for t in by_class(root, "text", "legend")] == [evil]
    label = by_class(root, "g", "axis-label")[0]
    assert " ".join(t.text for t in label.iter(SVG + "text")) == evil
    assert by_class(root, "text", "stage")[0].text.startswith("1 <script>")
    assert evil in root.find(SVG + "desc").text


def test_long_labels_wrap_onto_lines_and_the_longest_are_shortened():
    long = "Gestion, qualité et documentation des données de tous les programmes et antennes"
    root = svg(
        radar(builtin(), [("As is", CURRENT, "current")], title="t", labels={"skills": long})
    )
    (data,) = [g for g in by_class(root, "g", "axis-label") if g.get("data-dimension") == "data"]
    lines = [t.text for t in data.iter(SVG + "text")]
    assert len(lines) == 2
    assert " ".join(lines) == "Data quality and management"
    assert data.find(SVG + "title") is None  # nothing hidden, no tooltip needed
    (skills,) = [
        g for g in by_class(root, "g", "axis-label") if g.get("data-dimension") == "skills"
    ]
    lines = [t.text for t in skills.iter(SVG + "text")]
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert skills.find(SVG + "title").text == long


def test_rtl_flips_anchors_but_not_the_geometry():
    arabic = {"leadership": "القيادة", "skills": "المهارات", "tools": "الأدوات"}
    ltr = svg(three_series(labels=arabic))
    rtl = svg(three_series(labels=arabic, rtl=True))
    # The same outlines in the same places.
    assert [p.get("points") for p in by_class(ltr, "polygon", "series")] == [
        p.get("points") for p in by_class(rtl, "polygon", "series")
    ]
    # Stage names and legend read from the other side.
    assert {t.get("text-anchor") for t in by_class(ltr, "text", "stage")} == {"start"}
    assert {t.get("text-anchor") for t in by_class(rtl, "text", "stage")} == {"end"}
    assert {t.get("text-anchor") for t in by_class(ltr, "text", "legend")} == {"start"}
    assert {t.get("text-anchor") for t in by_class(rtl, "text", "legend")} == {"end"}
    ltr_legend = by_class(ltr, "text", "legend")[0]
    rtl_legend = by_class(rtl, "text", "legend")[0]
    assert float(rtl_legend.get("x")) > float(ltr_legend.get("x"))
    # Words are isolated right to left; dimension labels keep pointing away from the centre.
    (skills,) = [g for g in by_class(rtl, "g", "axis-label") if g.get("data-dimension") == "skills"]
    (line,) = skills.iter(SVG + "text")
    assert line.text == f"{RLI}المهارات{PDI}"
    assert line.get("text-anchor") == "start"  # on the right of the circle, reading outwards
    # Text anchors mean the same in an RTL page as in the PDF.
    assert rtl.get("direction") == "ltr"


def test_the_radar_is_plain_enough_for_weasyprint():
    text = three_series(rtl=True)
    for forbidden in (
        "<style",
        "style=",
        "var(",
        "href",
        "url(",
        "<script",
        "<image",
        "<foreignObject",
    ):
        assert forbidden not in text


def test_the_radar_renders_into_a_pdf_with_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    html = f"<html><body>{three_series()}{three_series(rtl=True)}</body></html>"
    assert weasyprint.HTML(string=html).write_pdf().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("series", "message"),
    [
        ([("x", CURRENT, "purple")], "not one of current, target, peers"),
        ([("x", dict(CURRENT, skills=6.0), "current")], "not a score from 1 to 5"),
        ([("x", dict(CURRENT, skills=math.nan), "current")], "is not a score"),
    ],
)
def test_the_radar_refuses_what_it_cannot_draw(series, message):
    with pytest.raises(ValueError, match=message):
        radar(builtin(), series, title="t")


def test_a_hex_colour_is_accepted_too():
    root = svg(radar(builtin(), [("x", CURRENT, "#123456")], title="t"))
    assert by_class(root, "polygon", "series")[0].get("stroke") == "#123456"


@settings(max_examples=60, deadline=None)
@given(
    scores=st.lists(st.one_of(st.none(), st.floats(1, 5)), min_size=len(IDS), max_size=len(IDS)),
    label=st.text(max_size=30),
    rtl=st.booleans(),
)
def test_any_scores_make_valid_svg(scores, label, rtl):
    values = dict(zip(IDS, scores, strict=True))
    root = svg(radar(builtin(), [(label, values, "current")], title=label or "t", rtl=rtl))
    present = sum(s is not None for s in scores)
    assert len(by_class(root, "circle", "point")) == present
    complete = present == len(IDS)
    assert len(by_class(root, "polygon", "series")) == (1 if complete else 0)
    for element in root.iter():
        for name in ("x", "y", "cx", "cy"):
            if element.get(name) is not None:
                assert math.isfinite(float(element.get(name)))


def _english_only(data):
    """Questionnaire data with every text in English only, as version 1 was stored."""
    if isinstance(data, dict):
        if "en" in data and set(data) <= {"en", "fr", "es", "ar"}:
            return data["en"]
        return {key: _english_only(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_english_only(value) for value in data]
    return data


def test_version_1_borrows_every_translation_of_the_builtin():
    """Version 1 is version 2's English word for word: borrowing gives version 2's texts in
    every language, so a scan on version 1 reads like one on version 2."""
    built_in = maturity.builtin()
    first = parse(_english_only(built_in.to_data()) | {"version": 1})
    assert first.in_language("ar").dimension("tools").name == "Tools"  # English only
    borrowed = first.borrowing(built_in)
    assert borrowed.version == 1
    assert borrowed.to_data() == built_in.to_data() | {"version": 1}
    assert borrowed.in_language("ar").dimension("tools").name == "الأدوات"


def test_only_unchanged_english_only_texts_at_the_same_place_borrow():
    built_in = maturity.builtin()
    data = _english_only(built_in.to_data())
    tools = next(d for d in data["dimensions"] if d["id"] == "tools")
    fit = next(q for q in tools["questions"] if q["id"] == "tools-fit")
    fit["text"] = "Do our tools fit the work our branches do?"  # reworded
    # Words wrapped differently are the same words.
    tools["summary"] = tools["summary"].replace(" ", "\n  ", 1)
    # A translation of its own, even with the built-in's English, is kept as written.
    tools["name"] = {"en": "Tools", "fr": "Nos outils"}
    # The built-in's English at another place is not borrowed: words may differ there.
    other = next(q for q in tools["questions"] if q["id"] != "tools-fit")
    other["answers"][0]["text"] = fit["answers"][0]["text"]
    # Dimensions in another order still match by id.
    data["dimensions"].reverse()
    shown = parse(data).borrowing(built_in).in_language("fr")
    french = built_in.in_language("fr")

    assert shown.question("tools-fit").text == "Do our tools fit the work our branches do?"
    assert shown.question("tools-fit").answers == french.question("tools-fit").answers
    assert shown.dimension("tools").summary == french.dimension("tools").summary
    assert shown.dimension("tools").name == "Nos outils"
    assert shown.question(other["id"]).answers[0].text == fit["answers"][0]["text"]  # English
    assert shown.question(other["id"]).answers[1:] == french.question(other["id"]).answers[1:]
    assert shown.dimension("data").name == "Qualité et gestion des données"
    assert shown.stage(5).name == french.stage(5).name
    # Ids, scores and skills are the copy's: it scores exactly the same.
    copy = parse(data)
    answers = {q.id: q.scores[0] for q in copy.questions}
    assert dimension_scores(shown, answers) == dimension_scores(copy, answers)
    assert [d.id for d in shown.dimensions] == [d.id for d in copy.dimensions]
