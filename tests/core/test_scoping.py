"""The scoping analysis: counts a coordinator reads, and counts under k that must never show."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import polars as pl
import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacircle.core.questionnaire import builtin_questionnaire
from datacircle.core.scoping import (
    DIMENSIONS,
    NOT_GIVEN,
    Analysis,
    Figure,
    analyse,
    compare,
    load_regions,
    parse_regions,
    wilson_interval,
)
from datacircle.core.suppression import SuppressionError
from datacircle.core.taxonomy import builtin_taxonomy

SCHEMA = builtin_questionnaire().frame_schema(builtin_taxonomy())


def person(
    unit: str | None = "Health",
    organisation: str | None = "kenya-rc",
    country: str | None = "KE",
    role: str | None = "volunteer",
    learn: Mapping[str, int | None] | None = None,
    share: Mapping[str, int | None] | None = None,
    consent: bool | None = True,
    **answers: Any,
) -> dict[str, Any]:
    """One response; learn/share map skill codes to the level given (None: no level)."""
    row: dict[str, Any] = {
        "unit": unit,
        "organisation": organisation,
        "country": country,
        "role": role,
        "consent": consent,
        **answers,
    }
    for question, skills in (("learn", learn or {}), ("share", share or {})):
        for code, level in skills.items():
            row[f"{question}.{code}"] = True
            row[f"{question}_level.{code}"] = level
    return row


def canonical(rows: list[dict[str, Any]]) -> pl.DataFrame:
    def default(name: str, dtype: pl.DataType) -> Any:
        return False if dtype == pl.Boolean() and name != "consent" else None

    data = {
        name: [row.get(name, default(name, dtype)) for row in rows]
        for name, dtype in SCHEMA.items()
    }
    data["uuid"] = [f"r{i}" for i in range(len(rows))]
    return pl.DataFrame(data, schema=SCHEMA)


def figures(tree: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every figure in an Analysis.to_dict() tree, with where it is."""
    if isinstance(tree, dict):
        if {"value", "status", "display"} <= tree.keys():
            yield path, tree
        for key, value in tree.items():
            yield from figures(value, f"{path}/{key}")
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from figures(value, f"{path}[{i}]")


def assert_nothing_small_shown(analysis: Analysis) -> None:
    k = analysis.k
    for path, fig in figures(analysis.to_dict()):
        if fig["status"] == "shown":
            # A gap is a difference of two shown counts, not a count of people.
            if not path.endswith("/gap"):
                assert fig["value"] >= k, path
                assert fig["display"] == str(fig["value"]), path
        else:
            assert fig["value"] is None, path
            assert fig["display"] in (f"<{k}", "–"), path


def analysed(rows: list[dict[str, Any]], k: int) -> Analysis | None:
    """The analysis of random rows, or None for a round too small for k to publish at all.

    A handful of people at k=3 can leave no safe publication (test_suppression checks that
    suppress() only gives up then); the error must then say what to do.
    """
    try:
        return analyse(canonical(rows), k=k)
    except SuppressionError as error:
        assert k == 3 and "use a larger k" in str(error)
        return None


# ---------------------------------------------------------------------------------------------
# Demand, supply, gap


def test_demand_and_supply_count_people_and_supply_needs_level_three_or_no_level():
    rows = (
        [person(learn={"gis": None}) for _ in range(12)]
        + [person(share={"gis": 3}) for _ in range(6)]
        + [person(share={"gis": 4}) for _ in range(5)]
        + [person(share={"gis": 2}) for _ in range(7)]  # can do with help: not supply
        + [person(share={"gis": None}) for _ in range(5)]  # offered, no level: supply
    )
    analysis = analyse(canonical(rows))
    gis = analysis.skill("gis")
    assert analysis.respondents.value == 35
    assert gis.demand.value == 12
    assert gis.supply.value == 16
    assert gis.gap.value == -4
    assert gis.gap.display == "-4"
    assert gis.rank == 1
    assert gis.share == pytest.approx(12 / 35)


def test_gap_is_hidden_when_supply_is_small():
    rows = [person(learn={"analysis": 1}) for _ in range(10)]
    rows += [person(share={"analysis": 3}) for _ in range(2)] + [person() for _ in range(8)]
    analysis = analyse(canonical(rows))
    skill = analysis.skill("analysis")
    assert skill.demand.value == 10
    assert skill.supply.status == "small" and skill.supply.display == "<5"
    assert skill.gap.status == "hidden" and skill.gap.value is None
    assert skill.gap.display == "–"


def test_wilson_interval_matches_known_values():
    low, high = wilson_interval(10, 40)
    assert low == pytest.approx(0.1418, abs=1e-4)
    assert high == pytest.approx(0.4019, abs=1e-4)
    assert wilson_interval(0, 20)[0] == 0.0
    assert wilson_interval(20, 20)[1] == 1.0


def test_share_of_respondents_carries_its_confidence_interval():
    rows = [person(learn={"statistics": 2}) for _ in range(10)] + [person() for _ in range(30)]
    stats = analyse(canonical(rows)).skill("statistics")
    assert stats.share == 0.25
    assert stats.ci_low == pytest.approx(0.1418, abs=1e-4)
    assert stats.ci_high == pytest.approx(0.4019, abs=1e-4)


def test_skills_are_ranked_by_demand_with_ties_sharing_a_rank_and_suppressed_last():
    rows = (
        [person(learn={"gis": 1, "cleaning": 1, "analysis": 1}) for _ in range(6)]
        + [person(learn={"gis": 1, "cleaning": 1}) for _ in range(6)]
        + [person(learn={"gis": 1, "dashboards": 1}) for _ in range(2)]
    )
    skills = analyse(canonical(rows)).skills
    ranked = [(s.code, s.rank) for s in skills if s.rank is not None]
    assert ranked == [("gis", 1), ("cleaning", 2), ("analysis", 3)]
    dashboards = next(s for s in skills if s.code == "dashboards")
    assert dashboards.demand.status == "small"
    assert dashboards.share is None and dashboards.ci_low is None and dashboards.rank is None
    assert [s.code for s in skills].index("dashboards") > 2


def test_levels_of_learners_are_counted_and_suppressed():
    rows = [person(learn={"gis": 1}) for _ in range(7)] + [person(learn={"gis": 2})] * 2
    levels = analyse(canonical(rows)).levels["gis"]
    assert levels[1].value == 7
    assert levels[2].status == "small"
    assert set(levels) == {0, 1, 2, 3, 4}


def test_only_consenting_responses_count():
    rows = [person(learn={"gis": 1}) for _ in range(6)]
    rows += [person(learn={"gis": 1}, consent=False) for _ in range(4)]
    rows += [person(learn={"gis": 1}, consent=None) for _ in range(4)]
    analysis = analyse(canonical(rows))
    assert analysis.respondents.value == 6
    assert analysis.skill("gis").demand.value == 6


def test_choices_are_ranked_by_count_with_suppressed_ones_last():
    rows = (
        [person(**{"barriers.time": True, "barriers.skills": True}) for _ in range(9)]
        + [person(**{"barriers.skills": True}) for _ in range(3)]
        + [person(**{"barriers.access": True}) for _ in range(2)]
    )
    barriers = analyse(canonical(rows)).choices["barriers"]
    codes = [code for code, _ in barriers.rows]
    assert codes[:2] == ["skills", "time"]
    assert barriers.rows[0][1].value == 12 and barriers.rows[1][1].value == 9
    assert all(not f.shown for _, f in barriers.rows[2:])
    assert set(codes) == {c.code for c in builtin_questionnaire().choice_lists["barriers"]}
    # Hidden choices keep the questionnaire's order: their counts must not order them.
    assert codes[2:] == [c for c in codes if c not in ("skills", "time")]


# ---------------------------------------------------------------------------------------------
# Breakdowns


def test_breakdowns_group_units_within_organisations_and_countries_within_regions():
    rows = (
        [person(unit="Health", learn={"gis": 1}) for _ in range(6)]
        + [person(unit="Logistics", learn={"gis": 1}) for _ in range(7)]
        + [person(organisation=None, unit="Dakar", country="SN") for _ in range(5)]
        + [person(organisation="lebanese-rc", unit=" ", country="lb") for _ in range(5)]
        + [person(organisation=None, unit=None, country=None, role=None) for _ in range(6)]
    )
    analysis = analyse(canonical(rows))
    units = {g.key: g.respondents.value for g in analysis.breakdowns["unit"].groups}
    assert units == {
        "kenya-rc/Health": 6,
        "kenya-rc/Logistics": 7,
        "Dakar": 5,
        "lebanese-rc/": 5,
        NOT_GIVEN: 6,
    }
    regions = {g.key: g.respondents.value for g in analysis.breakdowns["region"].groups}
    assert regions == {"africa": 18, "mena": 5, NOT_GIVEN: 6}
    countries = {g.key: g.label for g in analysis.breakdowns["country"].groups}
    assert countries["LB"] == "Lebanon" and countries[NOT_GIVEN] == "Not given"
    roles = {g.key: g.label for g in analysis.breakdowns["role"].groups}
    assert roles == {"volunteer": "Volunteer", NOT_GIVEN: "Not given"}
    assert analysis.breakdowns["region"].groups[-1].key == NOT_GIVEN
    demand = {g.key: g.demand["gis"].value for g in analysis.breakdowns["organisation"].groups}
    assert demand["kenya-rc"] == 13


def test_roles_follow_the_questionnaire_and_regions_their_list():
    rows = [person(role="volunteer")] * 5 + [person(role="manager")] * 5
    rows += [person(role="field-staff", country="LB")] * 5
    analysis = analyse(canonical(rows))
    assert [g.key for g in analysis.breakdowns["role"].groups] == [
        "volunteer",
        "field-staff",
        "manager",
    ]
    assert [g.key for g in analysis.breakdowns["region"].groups] == ["africa", "mena"]


def test_unit_labels_name_units():
    rows = [person(unit="u-17") for _ in range(5)]
    groups = analyse(canonical(rows), unit_labels={"kenya-rc/u-17": "Nairobi branch"})
    assert groups.breakdowns["unit"].groups[0].label == "Nairobi branch"


def test_a_unit_of_three_cannot_be_recovered_from_the_unit_line():
    rows = (
        [person(unit="A", learn={"gis": 1}) for _ in range(6)]
        + [person(unit="A") for _ in range(4)]
        + [person(unit="B", learn={"gis": 1}) for _ in range(7)]
        + [person(unit="B") for _ in range(5)]
        + [person(unit="C", learn={"gis": 1}) for _ in range(3)]
    )
    analysis = analyse(canonical(rows))
    total = analysis.skill("gis").demand
    assert total.value == 16
    units = {g.key: g for g in analysis.breakdowns["unit"].groups}
    small = units["kenya-rc/C"]
    assert small.demand["gis"].status == "small" and small.respondents.status == "small"
    # 16 minus the shown parts must leave at least two unknown cells, for demand and for headcount.
    for measure in ("demand", "respondents"):
        parts = [
            g.respondents if measure == "respondents" else g.demand["gis"] for g in units.values()
        ]
        assert sum(not f.shown for f in parts) >= 2, measure


def test_a_hidden_demand_capped_by_its_units_headcount_does_not_give_away_a_small_one():
    # Unit A: 5 respondents, all want GIS. Unit B: 3 of 9 want it. A's GIS demand is hidden to
    # protect B's; but "hidden" means at least 5 and A has 5 people, so A is 5 and B is 17-9-5.
    rows = [person(unit="A", learn={"gis": 1}) for _ in range(5)]
    rows += [person(unit="B", learn={"gis": 1}) for _ in range(3)] + [person(unit="B")] * 6
    rows += [person(unit="C", learn={"gis": 1}) for _ in range(9)] + [person(unit="C")]
    analysis = analyse(canonical(rows))
    units = {g.key: g for g in analysis.breakdowns["unit"].groups}
    a, b = units["kenya-rc/A"], units["kenya-rc/B"]
    assert b.demand["gis"].status == "small"
    pinned = a.demand["gis"].status == "hidden" and a.respondents.value == analysis.k
    assert not pinned


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_count_under_k_is_shown_and_no_line_has_one_lone_hidden_cell(data):
    k = data.draw(st.sampled_from([3, 5, 10]))
    analysis = analysed(data.draw(responses), k)
    if analysis is None:
        return
    assert_nothing_small_shown(analysis)
    lines = [(analysis.respondents, "respondents", None)]
    lines += [(s.demand, "demand", s.code) for s in analysis.skills]
    lines += [(s.supply, "supply", s.code) for s in analysis.skills]
    for total, measure, code in lines:
        for dimension in DIMENSIONS:
            groups = analysis.breakdowns[dimension].groups
            if not groups:
                continue  # no responses: the total is 0, "<k", and there is nothing to subtract
            parts = [g.respondents if code is None else getattr(g, measure)[code] for g in groups]
            unknown = sum(not f.shown for f in (total, *parts))
            assert unknown != 1, (measure, code, dimension)
            if unknown == 0:
                assert sum(f.value for f in parts) == total.value, (measure, code, dimension)
            elif total.shown:
                assert sum(f.value for f in parts if f.shown) <= total.value


def test_k_is_configurable():
    rows = [person(unit="A") for _ in range(6)] + [person(unit="B") for _ in range(3)]
    rows += [person(unit="C") for _ in range(4)]

    def unit_b(k: int) -> Figure:
        groups = analyse(canonical(rows), k=k).breakdowns["unit"].groups
        return next(g.respondents for g in groups if g.key == "kenya-rc/B")

    assert unit_b(3).value == 3
    assert unit_b(5).display == "<5"
    assert unit_b(10).display == "<10"
    assert analyse(canonical(rows), k=20).respondents.display == "<20"


def test_learners_without_a_level_do_not_tie_a_tiny_round_down():
    # Three roles of 2 learners each make GIS demand 6 at k=3; half gave no level. Those without
    # a level are only "at most the demand", so the levels can be published without leaking.
    rows = [person(role=role, learn={"gis": 0}) for role in ("volunteer", "manager", None)]
    rows += [person(role=role, learn={"gis": None}) for role in ("volunteer", "manager", None)]
    rows += [person(role=None), person(role=None)]
    analysis = analyse(canonical(rows), k=3)
    assert analysis.respondents.value == 8
    assert analysis.levels["gis"][0].value == 3
    assert all(f.display == "<3" for level, f in analysis.levels["gis"].items() if level)
    assert_nothing_small_shown(analysis)


def test_k_of_two_that_cannot_be_protected_says_so():
    rows = [person(role="volunteer"), person(role=None)]
    with pytest.raises(SuppressionError, match="use a larger k"):
        analyse(canonical(rows), k=2)


def test_a_round_of_four_at_k_three_that_cannot_be_protected_says_so():
    # 4 people, 3 want GIS: every role, country and region group is under 3, and no group
    # wants GIS more often than it has people; whatever is hidden, a count under 3 follows.
    rows = [
        person(unit=None, organisation=None, country=None, role=None, learn={"gis": None}),
        person(unit=None, organisation=None, country=None, role="volunteer", learn={"gis": None}),
        person(unit=None, organisation=None, country="KE", role=None, learn={"gis": None}),
        person(unit=None, organisation=None, country=None, role="volunteer"),
    ]
    with pytest.raises(SuppressionError, match="use a larger k"):
        analyse(canonical(rows), k=3)
    assert analyse(canonical(rows), k=5).respondents.display == "<5"


def test_an_empty_frame_gives_no_respondents_and_no_crash():
    analysis = analyse(canonical([]))
    assert analysis.respondents.status == "small"
    assert analysis.respondents.display == "<5"
    assert all(s.rank is None for s in analysis.skills)
    assert all(b.groups == () for b in analysis.breakdowns.values())
    assert Analysis.from_dict(json.loads(json.dumps(analysis.to_dict()))) == analysis


# ---------------------------------------------------------------------------------------------
# Round trip and comparison

codes_in_play = ("gis", "analysis", "cleaning")
levels = st.one_of(st.none(), st.integers(0, 4))
responses = st.lists(
    st.builds(
        person,
        unit=st.sampled_from([None, "", "Health", "Logistics", "HQ"]),
        organisation=st.sampled_from([None, "kenya-rc", "senegal-rc"]),
        country=st.sampled_from([None, "KE", "SN", "LB", "fr", "ZZ"]),
        role=st.sampled_from([None, "volunteer", "manager"]),
        learn=st.dictionaries(st.sampled_from(codes_in_play), levels, max_size=3),
        share=st.dictionaries(st.sampled_from(codes_in_play), levels, max_size=3),
        consent=st.sampled_from([True, True, True, False]),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responses, st.sampled_from([3, 5]))
def test_an_analysis_survives_a_json_round_trip_exactly(rows, k):
    analysis = analysed(rows, k)
    if analysis is None:
        return
    stored = json.dumps(analysis.to_dict())
    assert Analysis.from_dict(json.loads(stored)) == analysis


def test_an_analysis_in_an_old_format_is_refused():
    stored = analyse(canonical([person()] * 5)).to_dict()
    stored["format"] = 0
    with pytest.raises(ValueError, match="analyse the round again"):
        Analysis.from_dict(stored)


def test_compare_shows_changes_only_between_shown_counts():
    before = analyse(
        canonical(
            [person(learn={"gis": 1, "analysis": 1}) for _ in range(8)]
            + [person(share={"gis": 3}) for _ in range(3)]
        )
    )
    after = analyse(
        canonical(
            [person(learn={"gis": 1}) for _ in range(14)]
            + [person(learn={"analysis": 1}) for _ in range(2)]
            + [person(share={"gis": 4}) for _ in range(6)]
        )
    )
    comparison = compare(before, after)
    assert comparison.respondents.change.value == 11
    assert comparison.respondents.change.display == "+11"
    demand = {c.code: c for c in comparison.demand}
    assert demand["gis"].change.value == 6
    assert demand["analysis"].before.value == 8
    assert demand["analysis"].change.status == "hidden"  # after is <5
    assert demand["analysis"].change.value is None
    supply = {c.code: c for c in comparison.supply}
    assert supply["gis"].after.value == 6
    assert supply["gis"].change.status == "hidden"  # before is <5
    assert [c.code for c in comparison.demand][0] == "gis"


# ---------------------------------------------------------------------------------------------
# Regions


def test_every_country_is_in_one_ifrc_region():
    regions = load_regions()
    assert regions.codes == ("africa", "americas", "asia-pacific", "europe", "mena")
    mapped = regions.country_region
    assert {c.alpha_2 for c in pycountry.countries} - set(mapped) == {"AQ"}
    expected = {
        "LB": "mena", "EG": "mena", "MA": "mena", "IR": "mena", "SD": "africa", "KE": "africa",
        "TR": "europe", "KZ": "europe", "NO": "europe", "AF": "asia-pacific",
        "PK": "asia-pacific", "FJ": "asia-pacific", "HT": "americas", "CA": "americas",
    }  # fmt: skip
    assert {c: mapped[c] for c in expected} == expected
    assert regions.region_of(" lb ") == "mena"
    assert regions.region_of(None) is None


def test_region_names_in_four_languages():
    regions = load_regions()
    assert regions.label("mena", "fr") == "Moyen-Orient et Afrique du Nord"
    assert regions.label("americas", "es") == "Américas"
    assert regions.label("europe", "ar") == "أوروبا"
    assert regions.label("asia-pacific", "sw") == "Asia Pacific"


def test_a_country_code_read_as_a_boolean_is_an_error_naming_it():
    data = {"regions": [{"code": "europe", "label": {"en": "Europe"}, "countries": ["SE", False]}]}
    with pytest.raises(ValueError, match=r"my.yaml: region 'europe' lists False.*quote NO"):
        parse_regions(data, "my.yaml")
    twice = {
        "regions": [
            {"code": "a", "label": {"en": "A"}, "countries": ["KE"]},
            {"code": "b", "label": {"en": "B"}, "countries": ["KE"]},
        ]
    }
    with pytest.raises(ValueError, match="KE is in both 'a' and 'b'"):
        parse_regions(twice)
