"""Milestones: rules placed in real years, the built-in calendar, ranges, nearest, and validation.

Every expected date below was checked by hand against a calendar or the published dates cited in
data/milestones.yaml.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from datacircle.core.milestones import (
    Milestone,
    MilestoneError,
    Occurrence,
    Rule,
    builtin_milestones,
    nearest,
    occurrences,
    parse_milestone,
    parse_milestones,
    parse_rule,
)
from datacircle.core.taxonomy import LANGUAGES, builtin_taxonomy


def make(key: str, rule: Rule, length_days: int = 1, themes: tuple[str, ...] = ()) -> Milestone:
    return Milestone(key, {"en": key.replace("-", " ")}, {}, rule, length_days, themes)


def fixed(month: int, day: int) -> Rule:
    return Rule("fixed", month=month, day=day)


def nth(month: int, weekday: int, n: int) -> Rule:
    return Rule("nth_weekday", month=month, weekday=weekday, n=n)


@pytest.fixture(scope="module")
def builtins() -> dict[str, Milestone]:
    return {m.key: m for m in builtin_milestones()}


# --- the built-in calendar -----------------------------------------------------------------------

EXPECTED_THEMES = {
    "data-protection-day": ("data-protection",),
    "open-data-day": ("open-data", "visualisation", "storytelling"),
    "world-humanitarian-day": ("storytelling", "information-products"),
    "disaster-risk-reduction-day": ("gis", "analysis", "dashboards"),
    "gis-day": ("gis",),
    "international-volunteer-day": ("data-literacy", "collection"),
}


def test_builtin_milestones_are_the_six_documented_ones_with_their_themes(builtins):
    assert {key: m.themes for key, m in builtins.items()} == EXPECTED_THEMES


def test_builtin_themes_are_taxonomy_skill_codes(builtins):
    codes = set(builtin_taxonomy().codes)
    for milestone in builtins.values():
        assert set(milestone.themes) <= codes, milestone.key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_builtin_has_a_name_and_description_in_each_language(builtins, language):
    for milestone in builtins.values():
        assert milestone.names.get(language, "").strip(), f"{milestone.key}: no {language} name"
        assert milestone.descriptions.get(language, "").strip(), f"{milestone.key}: no {language}"


def test_names_are_localised_with_english_fallback(builtins):
    whd = builtins["world-humanitarian-day"]
    assert whd.name() == "World Humanitarian Day"
    assert whd.name("fr") == "Journée mondiale de l'aide humanitaire"
    assert whd.name("fr-CA") == whd.name("fr")
    assert whd.name("ar") == "اليوم العالمي للعمل الإنساني"
    assert whd.name("de") == "World Humanitarian Day"
    assert whd.description("es").startswith("Rinde homenaje")


def test_only_open_data_day_is_a_week(builtins):
    assert {key: m.length_days for key, m in builtins.items()} == {
        key: 7 if key == "open-data-day" else 1 for key in EXPECTED_THEMES
    }


@pytest.mark.parametrize(
    ("key", "year", "expected"),
    [
        ("data-protection-day", 2024, date(2024, 1, 28)),
        ("data-protection-day", 2026, date(2026, 1, 28)),
        ("world-humanitarian-day", 2025, date(2025, 8, 19)),
        ("disaster-risk-reduction-day", 2025, date(2025, 10, 13)),
        ("international-volunteer-day", 2025, date(2025, 12, 5)),
        # GIS Day: third Wednesday of November.
        ("gis-day", 2015, date(2015, 11, 18)),
        ("gis-day", 2024, date(2024, 11, 20)),
        ("gis-day", 2025, date(2025, 11, 19)),
        ("gis-day", 2026, date(2026, 11, 18)),
        # Open Data Day when it was a single Saturday.
        ("open-data-day", 2019, date(2019, 3, 2)),
        ("open-data-day", 2020, date(2020, 3, 7)),
        ("open-data-day", 2021, date(2021, 3, 6)),
        ("open-data-day", 2022, date(2022, 3, 5)),
    ],
)
def test_builtin_first_days_match_the_published_dates(builtins, key, year, expected):
    assert builtins[key].first_day(year) == expected


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (2023, date(2023, 3, 4), date(2023, 3, 10)),
        (2024, date(2024, 3, 2), date(2024, 3, 8)),
        (2025, date(2025, 3, 1), date(2025, 3, 7)),
        (2026, date(2026, 3, 7), date(2026, 3, 13)),
    ],
)
def test_open_data_day_weeks_match_the_announced_weeks(builtins, year, start, end):
    odd = builtins["open-data-day"]
    found = occurrences([odd], date(year, 1, 1), date(year, 12, 31))
    assert [(o.start, o.end) for o in found] == [(start, end)]
    assert start.weekday() == 5  # every announced week starts on a Saturday


def test_a_winter_planning_window_lists_builtins_in_date_order(builtins):
    found = occurrences(builtins.values(), date(2025, 11, 1), date(2026, 3, 31))
    assert [(o.milestone.key, o.start) for o in found] == [
        ("gis-day", date(2025, 11, 19)),
        ("international-volunteer-day", date(2025, 12, 5)),
        ("data-protection-day", date(2026, 1, 28)),
        ("open-data-day", date(2026, 3, 7)),
    ]


# --- rules in real years ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2000, date(2000, 2, 29)), (2024, date(2024, 2, 29)), (2025, None), (2100, None)],
)
def test_29_february_only_happens_in_leap_years(year, expected):
    assert make("leap-day", fixed(2, 29)).first_day(year) == expected


def test_29_february_appears_once_per_leap_year_over_a_range():
    found = occurrences([make("leap-day", fixed(2, 29))], date(2023, 1, 1), date(2032, 12, 31))
    assert [o.start for o in found] == [date(2024, 2, 29), date(2028, 2, 29), date(2032, 2, 29)]


@pytest.mark.parametrize(
    ("rule", "year", "expected"),
    [
        (nth(5, 0, -1), 2024, date(2024, 5, 27)),  # last Monday of May
        (nth(5, 0, -1), 2025, date(2025, 5, 26)),
        (nth(5, 0, -1), 2026, date(2026, 5, 25)),
        (nth(2, 4, -1), 2024, date(2024, 2, 23)),  # February 2024 ends on a Thursday
        (nth(2, 3, -1), 2024, date(2024, 2, 29)),  # ...so its last Thursday is the 29th
        (nth(2, 3, -1), 2025, date(2025, 2, 27)),
        (nth(3, 4, 5), 2024, date(2024, 3, 29)),  # fifth Friday of March 2024
        (nth(2, 3, 5), 2024, date(2024, 2, 29)),  # fifth Thursday of a leap February
        (nth(2, 4, 5), 2025, None),  # February 2025 has four Fridays
        (nth(11, 2, 5), 2025, None),  # November 2025 has four Wednesdays
        (nth(1, 0, 1), 2024, date(2024, 1, 1)),  # first Monday when the month starts on one
    ],
)
def test_nth_and_last_weekday(rule, year, expected):
    assert make("test", rule).first_day(year) == expected


def test_a_once_rule_happens_in_its_year_only():
    launch = make("handbook-launch", Rule("once", on=date(2026, 6, 15)), length_days=2)
    assert launch.first_day(2026) == date(2026, 6, 15)
    assert launch.first_day(2025) is None
    assert launch.first_day(2027) is None
    found = occurrences([launch], date(2020, 1, 1), date(2030, 12, 31))
    assert [(o.start, o.end) for o in found] == [(date(2026, 6, 15), date(2026, 6, 16))]


# --- ranges and nearest -------------------------------------------------------------------------------


def test_a_week_crossing_new_year_is_found_from_either_year():
    year_end = make("year-end-review", fixed(12, 28), length_days=7)
    january = occurrences([year_end], date(2026, 1, 1), date(2026, 1, 31))
    assert [(o.start, o.end) for o in january] == [(date(2025, 12, 28), date(2026, 1, 3))]
    after = occurrences([year_end], date(2026, 1, 4), date(2026, 1, 31))
    assert after == []


def test_a_range_over_several_years_has_one_occurrence_a_year(builtins):
    found = occurrences([builtins["gis-day"]], date(2023, 12, 1), date(2027, 2, 1))
    assert [o.start for o in found] == [date(2024, 11, 20), date(2025, 11, 19), date(2026, 11, 18)]


def test_a_range_touching_part_of_a_week_includes_it(builtins):
    odd = builtins["open-data-day"]
    assert [o.start for o in occurrences([odd], date(2024, 3, 8), date(2024, 3, 8))] == [
        date(2024, 3, 2)
    ]
    assert occurrences([odd], date(2024, 2, 1), date(2024, 3, 1)) == []
    assert occurrences([odd], date(2024, 3, 9), date(2024, 4, 1)) == []


def test_same_day_occurrences_are_ordered_by_key():
    found = occurrences(
        [make("zeta", fixed(5, 1)), make("alpha", fixed(5, 1))], date(2025, 5, 1), date(2025, 5, 1)
    )
    assert [o.milestone.key for o in found] == ["alpha", "zeta"]


def test_a_reversed_range_is_an_error():
    with pytest.raises(ValueError, match="after it ends"):
        occurrences(builtin_milestones(), date(2025, 2, 1), date(2025, 1, 1))


def test_nearest_is_zero_inside_a_week(builtins):
    found = occurrences(builtins.values(), date(2025, 1, 1), date(2025, 12, 31))
    occurrence, distance = nearest(found, date(2025, 3, 5))
    assert (occurrence.milestone.key, distance) == ("open-data-day", 0)


def test_nearest_counts_days_to_the_closest_edge(builtins):
    found = occurrences(builtins.values(), date(2025, 1, 1), date(2025, 12, 31))
    occurrence, distance = nearest(found, date(2025, 2, 10))
    assert (occurrence.milestone.key, distance) == ("data-protection-day", 13)
    occurrence, distance = nearest(found, date(2025, 3, 20))  # 13 days after the ODD week
    assert (occurrence.milestone.key, distance) == ("open-data-day", 13)


def test_nearest_prefers_the_upcoming_one_on_a_tie():
    found = occurrences(
        [make("before", fixed(1, 10)), make("after", fixed(1, 20))],
        date(2025, 1, 1),
        date(2025, 1, 31),
    )
    occurrence, distance = nearest(found, date(2025, 1, 15))
    assert (occurrence.milestone.key, distance) == ("after", 5)


def test_nearest_of_nothing_is_none():
    assert nearest([], date(2025, 1, 1)) is None


# --- parsing and validation -------------------------------------------------------------------------


def test_a_once_rule_reads_from_yaml_despite_on_meaning_true_in_yaml_1_1():
    data = yaml.safe_load("kind: once\non: 2026-06-15\n")
    assert parse_rule(data, "handbook-launch") == Rule("once", on=date(2026, 6, 15))
    assert parse_rule({"kind": "once", "on": "2026-06-15"}).on == date(2026, 6, 15)


def test_an_organisation_milestone_parses_from_yaml():
    milestone = parse_milestone(
        yaml.safe_load(
            """
            key: handbook-launch
            rule: {kind: once, on: 2026-06-15}
            names: {fr: "Lancement du guide"}
            themes: [information-products]
            """
        )
    )
    assert milestone.name("en") == "Lancement du guide"  # no English: the name it has
    assert milestone.themes == ("information-products",)
    assert milestone.length_days == 1
    assert milestone.first_day(2026) == date(2026, 6, 15)


def test_length_days_may_sit_in_the_rule_but_not_twice_differently():
    base = {"key": "odd", "names": {"en": "ODD"}}
    rule = {"kind": "nth_weekday", "month": 3, "weekday": 5, "n": 1, "length_days": 7}
    assert parse_milestone({**base, "rule": rule}).length_days == 7
    assert parse_milestone({**base, "rule": rule, "length_days": 7}).length_days == 7
    with pytest.raises(MilestoneError, match="'odd'.*twice"):
        parse_milestone({**base, "rule": rule, "length_days": 1})


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ({"kind": "fixed", "month": 2, "day": 31}, "February has no day 31"),
        ({"kind": "fixed", "month": 2, "day": 30}, "February has no day 30"),
        ({"kind": "fixed", "month": 4, "day": 31}, "April has no day 31"),
        ({"kind": "fixed", "month": 1, "day": 0}, "January has no day 0"),
        ({"kind": "fixed", "month": 13, "day": 1}, "month must be 1 to 12"),
        ({"kind": "fixed", "month": True, "day": 1}, "month must be 1 to 12"),
        ({"kind": "fixed", "month": "3", "day": 1}, "month must be 1 to 12"),
        ({"kind": "fixed", "month": 2}, "needs day"),
        ({"kind": "fixed", "month": 2, "day": 1, "n": 1}, "does not take n"),
        ({"kind": "nth_weekday", "month": 3, "weekday": 9, "n": 1}, "weekday must be 0"),
        ({"kind": "nth_weekday", "month": 3, "weekday": -1, "n": 1}, "weekday must be 0"),
        ({"kind": "nth_weekday", "month": 3, "weekday": 5, "n": 0}, "n must be 1 to 5"),
        ({"kind": "nth_weekday", "month": 3, "weekday": 5, "n": 6}, "n must be 1 to 5"),
        ({"kind": "nth_weekday", "month": 3, "weekday": 5, "n": -2}, "n must be 1 to 5"),
        ({"kind": "nth_weekday", "month": 3, "weekdays": 5, "n": 1}, "unknown rule field"),
        ({"kind": "once", "on": "15/06/2026"}, "must be a date"),
        ({"kind": "once", "on": 20260615}, "must be a date"),
        ({"kind": "once"}, "needs on"),
        ({"kind": "weekly", "weekday": 1}, "unknown rule kind 'weekly'"),
        ({"month": 1, "day": 1}, "needs a kind"),
    ],
)
def test_invalid_rules_are_rejected_naming_the_milestone(rule, problem):
    with pytest.raises(MilestoneError, match="'bad-rule'") as error:
        parse_milestone({"key": "bad-rule", "names": {"en": "Bad"}, "rule": rule})
    assert problem in str(error.value)


def test_a_milestone_built_directly_validates_its_rule():
    # The web layer builds Milestone objects from its own tables, bypassing parse_rule.
    with pytest.raises(MilestoneError, match="'org-launch': February has no day 31"):
        make("org-launch", fixed(2, 31))
    with pytest.raises(MilestoneError, match="'org-launch': weekday must be 0"):
        make("org-launch", nth(3, 7, 1))


@pytest.mark.parametrize("length", [0, -1, 32, 7.0])
def test_length_days_must_be_a_day_to_a_month(length):
    with pytest.raises(MilestoneError, match="'team-week': length_days must be 1 to 31"):
        make("team-week", fixed(6, 1), length_days=length)


def test_milestones_need_a_valid_key_a_name_and_skill_code_themes():
    with pytest.raises(MilestoneError, match="not a valid milestone key"):
        make("Open Data Day", fixed(3, 1))
    with pytest.raises(MilestoneError, match="'nameless': needs a name"):
        Milestone("nameless", {"en": " "}, {}, fixed(3, 1))
    with pytest.raises(MilestoneError, match="'themed': themes must be skill codes"):
        make("themed", fixed(3, 1), themes=("Open Data",))


def test_duplicate_keys_are_rejected():
    entry = {
        "key": "twice",
        "names": {"en": "Twice"},
        "rule": {"kind": "fixed", "month": 1, "day": 1},
    }
    with pytest.raises(MilestoneError, match="duplicate milestone keys: twice"):
        parse_milestones({"milestones": [entry, entry]})


# --- properties ---------------------------------------------------------------------------------------

years = st.integers(min_value=1583, max_value=2400)
months = st.integers(min_value=1, max_value=12)
weekdays = st.integers(min_value=0, max_value=6)


@given(years, months, weekdays, st.sampled_from([1, 2, 3, 4, -1]))
def test_nth_weekday_is_that_weekday_in_that_month_and_that_week(year, month, weekday, n):
    day = make("prop", nth(month, weekday, n)).first_day(year)
    assert day is not None  # every month has at least four of each weekday and a last one
    assert (day.year, day.month, day.weekday()) == (year, month, weekday)
    if n == -1:
        assert (day + timedelta(days=7)).month != month
    else:
        assert 7 * (n - 1) < day.day <= 7 * n


@given(years, months, weekdays)
def test_a_fifth_weekday_exists_exactly_when_the_month_has_one(year, month, weekday):
    day = make("prop", nth(month, weekday, 5)).first_day(year)
    fifth_exists = (
        sum(
            1
            for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if date(year, month, d).weekday() == weekday
        )
        == 5
    )
    assert (day is not None) == fifth_exists
    if day is not None:
        assert day.weekday() == weekday and day.month == month and day.day > 28


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)), years)
def test_fixed_rules_give_the_same_month_and_day_every_year(anchor, year):
    day = make("prop", fixed(anchor.month, anchor.day)).first_day(year)
    if (anchor.month, anchor.day) == (2, 29) and not calendar.isleap(year):
        assert day is None
    else:
        assert day == date(year, anchor.month, anchor.day)


def arbitrary_milestones():
    rules = st.one_of(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31)).map(
            lambda d: fixed(d.month, d.day)
        ),
        st.builds(nth, months, weekdays, st.sampled_from([1, 2, 3, 4, 5, -1])),
        st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)).map(
            lambda d: Rule("once", on=d)
        ),
    )
    return st.lists(
        st.tuples(rules, st.integers(min_value=1, max_value=31)), min_size=1, max_size=6
    ).map(lambda items: [make(f"m{i}", rule, length) for i, (rule, length) in enumerate(items)])


ranges = st.tuples(
    st.dates(min_value=date(1995, 1, 1), max_value=date(2055, 12, 31)),
    st.integers(min_value=0, max_value=1200),
).map(lambda t: (t[0], t[0] + timedelta(days=t[1])))


@given(arbitrary_milestones(), ranges)
def test_occurrences_are_sorted_within_range_and_complete(milestones, bounds):
    start, end = bounds
    found = occurrences(milestones, start, end)
    assert found == sorted(found, key=lambda o: (o.start, o.milestone.key))
    for o in found:
        assert o.start <= end and o.end >= start
        assert (o.end - o.start).days == o.milestone.length_days - 1
    listed = {(o.milestone.key, o.start) for o in found}
    assert len(listed) == len(found)
    # Brute force: every day of the range that falls in some occurrence is covered.
    for milestone in milestones:
        for year in range(start.year - 1, end.year + 1):
            first = milestone.first_day(year)
            if first is None:
                continue
            last = first + timedelta(days=milestone.length_days - 1)
            overlaps = first <= end and last >= start
            assert ((milestone.key, first) in listed) == overlaps


@given(
    arbitrary_milestones(),
    ranges,
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
)
def test_nearest_is_the_minimum_distance(milestones, bounds, day):
    found = occurrences(milestones, *bounds)
    result = nearest(found, day)
    if not found:
        assert result is None
        return
    occurrence, distance = result
    assert isinstance(occurrence, Occurrence) and occurrence in found
    assert distance == min(o.distance(day) for o in found)
    assert (distance == 0) == any(day in o for o in found)
