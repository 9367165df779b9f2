"""Peer-learning matching: the rules of an edge, the reasons, and the exact optimum.

The optimum is checked against an exhaustive search over every assignment, written here from
the rules alone (not from the module's internals), on small random networks.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacircle.core.matching import (
    Learner,
    MatchingError,
    Sharer,
    Unmatched,
    Weights,
    greedy,
    hours_apart,
    lp_bound,
    match,
    pair,
)
from datacircle.core.taxonomy import SUPPLY_LEVEL


def learner(key, wants, languages=("en",), tz=0.0, unit="u1", before=False):
    return Learner(key, dict(wants), tuple(languages), tz, unit, before)


def sharer(key, shares, languages=("en",), tz=0.0, unit="u2", capacity=1, available=True):
    return Sharer(key, dict(shares), tuple(languages), tz, unit, capacity, available)


def pairs(result):
    return {(m.learner, m.sharer) for m in result.matches}


def reason_of(result, key):
    return next(u.reason for u in result.unmatched if u.learner == key)


# --- hand cases -------------------------------------------------------------------------------


def test_language_is_hard_even_for_the_only_expert():
    result = match([learner("a", {"gis": 0}, ["ar"])], [sharer("x", {"gis": 4}, ["en", "fr"])])
    assert result.matches == ()
    assert reason_of(result, "a") == ("nobody-shares", "gis", "ar")


def test_sharer_level_must_reach_supply_and_exceed_the_learner():
    sharers = [sharer("low", {"gis": SUPPLY_LEVEL - 1}), sharer("same", {"gis": 3})]
    assert match([learner("a", {"gis": 3})], sharers).matches == ()
    assert match([learner("a", {"gis": 0})], [sharers[0]]).matches == ()
    assert pairs(match([learner("a", {"gis": 2})], sharers)) == {("a", "same")}


def test_sharer_on_a_break_or_without_capacity_is_not_offered():
    result = match(
        [learner("a", {"gis": 0}), learner("b", {"gis": 0})],
        [sharer("x", {"gis": 4}, available=False), sharer("y", {"gis": 4}, capacity=0)],
    )
    assert result.matches == ()
    assert reason_of(result, "a") == ("nobody-shares", "gis", "en")


def test_capacity_respected_and_the_rest_told_why():
    learners = [learner(k, {"gis": 0}) for k in "abcde"]
    result = match(learners, [sharer("x", {"gis": 4}, capacity=2)])
    assert len(result.matches) == 2
    assert {u.reason for u in result.unmatched} == {("capacity",)}
    assert len(result.unmatched) == 3


def test_exclusions_work_both_ways_and_self_pairs_never_happen():
    both = sharer("a", {"sql": 4})
    result = match([learner("a", {"sql": 0})], [both])
    assert result.matches == ()
    assert reason_of(result, "a") == ("nobody-shares", "sql", "en")

    learners = [learner("a", {"gis": 0}), learner("b", {"gis": 0})]
    sharers = [sharer("x", {"gis": 4}, capacity=2)]
    result = match(learners, sharers, exclusions=[("a", "x"), ("x", "b")])
    assert result.matches == ()
    assert reason_of(result, "a") == ("excluded",)
    assert reason_of(result, "b") == ("excluded",)


def test_a_sharer_in_another_unit_is_preferred():
    result = match(
        [learner("a", {"gis": 0}, unit="health")],
        [sharer("x", {"gis": 4}, unit="health"), sharer("y", {"gis": 4}, unit="wash")],
    )
    assert pairs(result) == {("a", "y")}
    assert ("other-unit",) in result.matches[0].reasons


def test_first_time_learners_win_when_capacity_is_short():
    learners = [learner("veteran", {"gis": 0}, before=True), learner("newcomer", {"gis": 0})]
    result = match(learners, [sharer("x", {"gis": 4})])
    assert pairs(result) == {("newcomer", "x")}
    assert ("first-match",) in result.matches[0].reasons
    assert reason_of(result, "veteran") == ("capacity",)


def test_far_timezones_drop_the_edge_and_distance_wraps_the_day():
    assert hours_apart(12, -11) == 1
    assert hours_apart(5.5, -3) == 8.5
    weights = Weights(timezone_per_hour=10)
    result = match(
        [learner("a", {"gis": 2}, tz=-5, before=True)],
        [sharer("x", {"gis": 3}, tz=4, unit="u1")],
        weights=weights,
    )
    assert result.matches == ()
    assert reason_of(result, "a") == ("timezone",)


def test_reasons_explain_the_match():
    result = match(
        [learner("a", {"gis": 1, "sql": 3}, ["ar", "fr"], tz=1)],
        [sharer("x", {"gis": 4, "sql": 4}, ["en", "fr"], tz=3, unit="u2")],
    )
    (m,) = result.matches
    assert m.skill == "gis"  # gap 3 beats gap 1
    assert m.reasons == (
        ("skill", "gis", 4, 1),
        ("language", "fr"),
        ("other-unit",),
        ("first-match",),
        ("timezone", 2.0),
    )
    w = Weights()
    assert m.benefit == 3 * w.skill_per_level + w.other_unit + w.first_match - 2


def test_skill_fit_is_capped_at_max_gap():
    w = Weights(max_gap=2)
    one = match([learner("a", {"gis": 0})], [sharer("x", {"gis": 4})], weights=w)
    two = match([learner("a", {"gis": 1})], [sharer("x", {"gis": 3})], weights=w)
    assert one.total_benefit == two.total_benefit


def test_optimum_beats_greedy_where_greedy_grabs_the_shared_expert():
    # a reaches both sharers; b only reaches x. Greedy lets a (first by key) take x.
    learners = [learner("a", {"gis": 0, "sql": 1}), learner("b", {"gis": 0})]
    sharers = [sharer("x", {"gis": 4}), sharer("y", {"sql": 3})]
    best, naive = match(learners, sharers), greedy(learners, sharers)
    assert pairs(best) == {("a", "y"), ("b", "x")}
    assert pairs(naive) == {("a", "x")}
    assert best.total_benefit > naive.total_benefit
    assert reason_of(naive, "b") == ("capacity",)


def test_bad_input_is_refused_with_the_key():
    with pytest.raises(MatchingError, match="'a'"):
        match([learner("a", {}), learner("a", {})], [])
    with pytest.raises(MatchingError, match="'x'"):
        match([], [sharer("x", {"gis": 4}, capacity=-1)])


def test_no_wants_is_its_own_reason():
    assert reason_of(match([learner("a", {})], []), "a") == ("no-wants",)


# --- the exact optimum against brute force ---------------------------------------------------

SKILLS = ("gis", "sql", "viz")
LANGS = ("en", "fr", "ar")


def reference_benefit(lrn: Learner, shr: Sharer, weights: Weights, excluded) -> int | None:
    """Best benefit of the pair over all skills, from the rules as written in the issue."""
    if not shr.available or lrn.key == shr.key or not set(lrn.languages) & set(shr.languages):
        return None
    if (lrn.key, shr.key) in excluded or (shr.key, lrn.key) in excluded:
        return None
    best = None
    for skill, current in lrn.wants.items():
        level = shr.shares.get(skill, -1)
        if level < 3 or level <= current:
            continue
        d = abs(lrn.timezone_offset - shr.timezone_offset) % 24
        benefit = (
            weights.skill_per_level * min(level - current, weights.max_gap)
            + (weights.other_unit if lrn.unit != shr.unit else 0)
            + (0 if lrn.matched_before else weights.first_match)
            - math.ceil(weights.timezone_per_hour * min(d, 24 - d))
        )
        if benefit > 0 and (best is None or benefit > best):
            best = benefit
    return best


def brute_force(learners, sharers, weights, excluded) -> int:
    options = []
    for lrn in learners:
        row = [(None, 0)]
        for j, shr in enumerate(sharers):
            b = reference_benefit(lrn, shr, weights, excluded)
            if b is not None:
                row.append((j, b))
        options.append(row)
    best = 0
    for choice in itertools.product(*options):
        used = [j for j, _ in choice if j is not None]
        if all(used.count(j) <= sharers[j].capacity for j in set(used)):
            best = max(best, sum(b for _, b in choice))
    return best


@st.composite
def networks(draw):
    keys = st.sampled_from("abcdefg")
    # Sharers mostly at supply level and learners below it, so that people compete for places.
    wants = st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 3), max_size=3)
    shares = st.dictionaries(st.sampled_from(SKILLS), st.integers(2, 4), min_size=1, max_size=3)
    langs = st.lists(st.sampled_from(LANGS), min_size=1, max_size=2, unique=True).map(tuple)
    langs = langs | st.just(("en",))
    tz = st.sampled_from([-8.0, -5.0, 0.0, 1.0, 5.5, 9.0, 12.0])
    units = st.sampled_from(["u1", "u2"])
    lkeys = draw(st.lists(keys, max_size=5, unique=True))
    skeys = draw(st.lists(keys, max_size=3, unique=True))
    learners = [
        Learner(k, draw(wants), draw(langs), draw(tz), draw(units), draw(st.booleans()))
        for k in lkeys
    ]
    sharers = [
        Sharer(
            k,
            draw(shares),
            draw(langs),
            draw(tz),
            draw(units),
            draw(st.sampled_from([0, 1, 1, 1, 2])),
            draw(st.booleans() | st.just(True)),
        )
        for k in skeys
    ]
    excl = draw(st.lists(st.tuples(st.sampled_from(lkeys or ["z"]), keys), max_size=2))
    weights = draw(
        st.builds(
            Weights,
            skill_per_level=st.integers(1, 12),
            max_gap=st.integers(1, 4),
            other_unit=st.integers(0, 8),
            first_match=st.integers(0, 15),
            timezone_per_hour=st.integers(0, 4),
        )
    )
    return learners, sharers, weights, set(excl)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_optimum_equals_brute_force_and_greedy_never_beats_it(net):
    learners, sharers, weights, excluded = net
    best = match(learners, sharers, weights=weights, exclusions=excluded)
    naive = greedy(learners, sharers, weights=weights, exclusions=excluded)
    assert best.total_benefit == brute_force(learners, sharers, weights, excluded)
    assert naive.total_benefit <= best.total_benefit <= best.upper_bound
    for result in (best, naive):
        assert_feasible(result, learners, sharers, weights, excluded)


def assert_feasible(result, learners, sharers, weights, excluded):
    by_l = {p.key: p for p in learners}
    by_s = {p.key: p for p in sharers}
    assert len({m.learner for m in result.matches}) == len(result.matches)
    for key, shr in by_s.items():
        assert sum(m.sharer == key for m in result.matches) <= shr.capacity
    for m in result.matches:
        assert m.benefit == reference_benefit(by_l[m.learner], by_s[m.sharer], weights, excluded)
    assert sum(m.benefit for m in result.matches) == result.total_benefit
    everyone = {m.learner for m in result.matches} | {u.learner for u in result.unmatched}
    assert everyone == set(by_l) and len(result.unmatched) + len(result.matches) == len(by_l)


# --- determinism and size ---------------------------------------------------------------------


def random_network(rng: random.Random, n_learners: int, n_sharers: int):
    skills = [f"s{i}" for i in range(17)]
    langs = ["en", "fr", "es", "ar"]

    def some_langs():
        return tuple(rng.sample(langs, rng.choice([1, 1, 2])))

    learners = [
        Learner(
            f"l{i:05d}",
            {s: rng.randint(0, 2) for s in rng.sample(skills, rng.randint(1, 3))},
            some_langs(),
            float(rng.randint(-8, 9)),
            f"u{rng.randint(0, 9)}",
            rng.random() < 0.3,
        )
        for i in range(n_learners)
    ]
    sharers = [
        Sharer(
            f"s{i:05d}",
            {s: rng.randint(3, 4) for s in rng.sample(skills, rng.randint(1, 4))},
            some_langs(),
            float(rng.randint(-8, 9)),
            f"u{rng.randint(0, 9)}",
            rng.randint(0, 3),
            rng.random() < 0.9,
        )
        for i in range(n_sharers)
    ]
    return learners, sharers


def test_same_input_in_any_order_gives_the_same_round():
    rng = random.Random(4)
    learners, sharers = random_network(rng, 200, 40)
    first = match(learners, sharers)
    rng.shuffle(learners)
    rng.shuffle(sharers)
    assert match(learners, sharers) == first
    assert greedy(learners, sharers).total_benefit <= first.total_benefit


def test_two_thousand_learners_are_matched_at_least_as_well_as_greedily():
    # Speed is measured by bench/matching.py (docs/benchmarks.md), never asserted here.
    learners, sharers = random_network(random.Random(7), 2000, 300)
    result = match(learners, sharers)
    assert result.matches and result.total_benefit >= greedy(learners, sharers).total_benefit


def test_pair_scores_one_hand_made_match_like_the_optimum_would():
    a, x = (
        learner("a", {"gis": 0, "analysis": 2}),
        sharer("x", {"gis": 4, "analysis": 3}, capacity=0),
    )
    made = pair(a, x)
    assert made == match([a], [replace(x, capacity=1)]).matches[0]
    assert (made.skill, made.benefit) == ("gis", 30 + 5 + 15)


def test_pair_says_why_two_people_cannot_be_paired():
    a = learner("a", {"gis": 0}, ["ar"])
    assert pair(a, sharer("x", {"gis": 4})) == Unmatched("a", ("nobody-shares", "gis", "ar"))
    assert pair(a, sharer("y", {"gis": 4}, ["ar"]), exclusions=[("y", "a")]).reason == ("excluded",)


# --- the aggregated network against an independent per-pair solver --------------------------
#
# Everything below is computed from the rules alone: one arc per (learner, sharer) pair with the
# pair's best benefit, solved by a plain min-cost flow; the greedy and the reasons re-derived
# pair by pair. The module never enumerates pairs, so these catch any aggregation that lets a
# learner reach an excluded person or themselves, or prices a route wrongly.

WIDE_SKILLS = ("gis", "sql", "viz", "kobo")
WIDE_LANGS = ("en", "fr", "es", "ar")


def reference_skill(lrn: Learner, shr: Sharer, weights: Weights, excluded) -> str | None:
    """The skill of the pair's edge: largest fit, ties by code, only if the edge exists."""
    if reference_benefit(lrn, shr, weights, excluded) is None:
        return None
    fits = [
        (-weights.skill_per_level * min(shr.shares[k] - c, weights.max_gap), k)
        for k, c in lrn.wants.items()
        if shr.shares.get(k, -1) >= 3 and shr.shares[k] > c
    ]
    return min(fits)[1]


def pairwise_optimum(learners, sharers, weights, excluded) -> int:
    """Maximum total benefit with one arc per teachable pair (the textbook construction)."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_l, n_s = len(learners), len(sharers)
    source, sink = n_l + n_s, n_l + n_s + 1
    for i in range(n_l):
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
        for j, shr in enumerate(sharers):
            b = reference_benefit(learners[i], shr, weights, excluded)
            if b is not None and b > 0 and shr.capacity > 0:
                flow.add_arc_with_capacity_and_unit_cost(i, n_l + j, 1, -b)
    for j, shr in enumerate(sharers):
        flow.add_arc_with_capacity_and_unit_cost(n_l + j, sink, max(shr.capacity, 0), 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, n_l, 0)
    flow.set_node_supply(source, n_l)
    flow.set_node_supply(sink, -n_l)
    assert flow.solve() == flow.OPTIMAL
    return -flow.optimal_cost()


def reference_greedy(learners, sharers, weights, excluded) -> set[tuple[str, str]]:
    room = {s.key: s.capacity for s in sharers}
    chosen = set()
    for lrn in sorted(learners, key=lambda p: p.key):
        options = []
        for shr in sorted(sharers, key=lambda p: p.key):
            b = reference_benefit(lrn, shr, weights, excluded)
            if b is not None and b > 0 and room[shr.key] > 0:
                options.append((-b, shr.key))
        if options:
            _, key = min(options)
            room[key] -= 1
            chosen.add((lrn.key, key))
    return chosen


def reference_reason(lrn: Learner, sharers, weights, excluded) -> tuple:
    """Why this learner has no edge at all, or ("capacity",) if they have one."""
    if not lrn.wants:
        return ("no-wants",)
    teachers = [
        s
        for s in sharers
        if s.available
        and s.capacity > 0
        and s.key != lrn.key
        and set(s.languages) & set(lrn.languages)
        and any(s.shares.get(k, -1) >= max(3, c + 1) for k, c in lrn.wants.items())
    ]
    if not teachers:
        skill = min(lrn.wants, key=lambda k: (lrn.wants[k], k))
        return ("nobody-shares", skill, lrn.languages[0] if lrn.languages else "")
    allowed = [s for s in teachers if (lrn.key, s.key) not in excluded]
    allowed = [s for s in allowed if (s.key, lrn.key) not in excluded]
    if not allowed:
        return ("excluded",)
    if all((reference_benefit(lrn, s, weights, excluded) or 0) <= 0 for s in allowed):
        return ("timezone",)
    return ("capacity",)


def check_against_rules(result, learners, sharers, weights, excluded):
    """Every match a valid edge with its best skill and reasons; unmatched told the right why."""
    assert_feasible(result, learners, sharers, weights, excluded)
    by_l = {p.key: p for p in learners}
    by_s = {p.key: p for p in sharers}
    for m in result.matches:
        lrn, shr = by_l[m.learner], by_s[m.sharer]
        assert shr.capacity > 0 and m.benefit > 0
        assert m.skill == reference_skill(lrn, shr, weights, excluded)
        language = next(x for x in lrn.languages if x in shr.languages)
        assert m.reasons[:2] == (
            ("skill", m.skill, shr.shares[m.skill], lrn.wants[m.skill]),
            ("language", language),
        )
        assert (("other-unit",) in m.reasons) == (lrn.unit != shr.unit)
        assert (("first-match",) in m.reasons) == (not lrn.matched_before)
    for u in result.unmatched:
        assert u.reason == reference_reason(by_l[u.learner], sharers, weights, excluded)
    bests = [
        max(
            [reference_benefit(lrn, s, weights, excluded) or 0 for s in sharers if s.capacity > 0]
            + [0]
        )
        for lrn in learners
    ]
    assert result.upper_bound == sum(bests)


@st.composite
def wide_networks(draw, max_learners=9, max_sharers=6):
    """Several units, timezones and languages; people who both learn and share; exclusions."""
    people = [f"p{i}" for i in range(10)]
    wants = st.dictionaries(st.sampled_from(WIDE_SKILLS), st.integers(0, 4), max_size=3)
    shares = st.dictionaries(
        st.sampled_from(WIDE_SKILLS), st.integers(2, 4), min_size=1, max_size=3
    )
    langs = st.lists(st.sampled_from(WIDE_LANGS), min_size=0, max_size=3).map(tuple)
    langs = langs | st.just(("en",)) | st.just(("fr", "en"))
    tz = st.sampled_from([-5.0, 0.0, 0.0, 1.0, 3.0, 5.5, 12.0, -11.0])
    units = st.sampled_from(["u1", "u2", "u3", "u4", "u5"])
    lkeys = draw(st.lists(st.sampled_from(people), max_size=max_learners, unique=True))
    skeys = draw(st.lists(st.sampled_from(people), max_size=max_sharers, unique=True))
    learners = [
        Learner(k, draw(wants), draw(langs), draw(tz), draw(units), draw(st.booleans()))
        for k in lkeys
    ]
    sharers = [
        Sharer(
            k,
            draw(shares),
            draw(langs),
            draw(tz),
            draw(units),
            draw(st.sampled_from([0, 1, 1, 2, 3])),
            draw(st.booleans() | st.just(True)),
        )
        for k in skeys
    ]
    pick = st.sampled_from(people)
    excl = draw(st.lists(st.tuples(pick, pick), max_size=6))
    weights = draw(
        st.builds(
            Weights,
            skill_per_level=st.integers(1, 12),
            max_gap=st.integers(1, 4),
            other_unit=st.integers(0, 8),
            first_match=st.integers(0, 15),
            timezone_per_hour=st.integers(0, 4),
        )
        | st.just(Weights())
    )
    return learners, sharers, weights, set(excl)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_networks())
def test_exclusions_self_units_timezones_languages_against_a_per_pair_flow(net):
    learners, sharers, weights, excluded = net
    best = match(learners, sharers, weights=weights, exclusions=excluded)
    assert best.total_benefit == pairwise_optimum(learners, sharers, weights, excluded)
    check_against_rules(best, learners, sharers, weights, excluded)
    naive = greedy(learners, sharers, weights=weights, exclusions=excluded)
    assert pairs(naive) == reference_greedy(learners, sharers, weights, excluded)
    check_against_rules(naive, learners, sharers, weights, excluded)
    assert naive.total_benefit <= best.total_benefit <= best.upper_bound


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_networks(max_learners=6, max_sharers=4), st.randoms(use_true_random=False))
def test_equal_inputs_give_equal_rounds_whatever_the_order(net, rnd):
    learners, sharers, weights, excluded = net
    first = match(learners, sharers, weights=weights, exclusions=excluded)
    shuffled_l, shuffled_s = list(learners), list(sharers)
    rnd.shuffle(shuffled_l)
    rnd.shuffle(shuffled_s)
    flipped = {(b, a) for a, b in excluded}  # exclusions are unordered
    assert match(shuffled_l, shuffled_s, weights=weights, exclusions=flipped) == first
    assert greedy(shuffled_l, shuffled_s, weights=weights, exclusions=flipped) == greedy(
        learners, sharers, weights=weights, exclusions=excluded
    )


def crowded_network(rng: random.Random, n_learners: int, n_sharers: int):
    """Few skills and units in two timezones, so that hubs hold several people and the
    exclusions fall inside them; a third of the sharers learn too."""
    units = [f"u{i}" for i in range(6)]
    sharers = [
        Sharer(
            f"p{i:04d}",
            {s: rng.randint(3, 4) for s in rng.sample(WIDE_SKILLS[:2], rng.randint(1, 2))},
            tuple(rng.sample(WIDE_LANGS[:2], rng.randint(1, 2))),
            rng.choice([0.0, 3.0]),
            rng.choice(units),
            rng.randint(0, 2),
        )
        for i in range(n_sharers)
    ]
    start = n_sharers * 2 // 3
    learners = [
        Learner(
            f"p{i:04d}",
            {s: rng.randint(0, 3) for s in rng.sample(WIDE_SKILLS[:3], rng.randint(0, 2))},
            tuple(rng.sample(WIDE_LANGS[:2], rng.randint(1, 2))),
            rng.choice([0.0, 3.0]),
            rng.choice(units),
            rng.random() < 0.3,
        )
        for i in range(start, start + n_learners)
    ]
    excluded = {
        (lrn.key, rng.choice(sharers).key) for lrn in learners for _ in range(rng.randint(0, 3))
    }
    return learners, sharers, excluded


@pytest.mark.parametrize("seed", range(4))
def test_crowded_hubs_with_many_exclusions_against_a_per_pair_flow(seed):
    learners, sharers, excluded = crowded_network(random.Random(seed), 120, 40)
    weights = Weights(timezone_per_hour=6)  # 3 hours apart costs 18: some pairs drop out
    best = match(learners, sharers, weights=weights, exclusions=excluded)
    assert best.total_benefit == pairwise_optimum(learners, sharers, weights, excluded)
    check_against_rules(best, learners, sharers, weights, excluded)
    naive = greedy(learners, sharers, weights=weights, exclusions=excluded)
    assert pairs(naive) == reference_greedy(learners, sharers, weights, excluded)
    assert naive.total_benefit <= best.total_benefit


def test_an_exclusion_spares_the_rest_of_the_hub_and_the_units_around_it():
    # Five units in one timezone; the learner is excluded with the sharers of u2 and u4 and
    # with x1, who shares a hub (unit, timezone, level) with x1b.
    sharers = [sharer(f"x{u}", {"gis": 4}, unit=f"u{u}") for u in range(1, 6)]
    sharers.append(sharer("x1b", {"gis": 4}, unit="u1"))
    a = learner("a", {"gis": 0}, unit="u3")
    excluded = [("a", "x1"), ("x2", "a"), ("a", "x4")]
    # Four other learners take x3 (a's own unit: no other-unit bonus for a), x5 and x1b first
    # if a cannot have them; a must end up with a place nobody forbids.
    result = match([a], sharers, exclusions=excluded)
    assert pairs(result) == {("a", "x1b")}  # first key among the best (other-unit) places
    others = [learner(k, {"gis": 0}, unit="u9") for k in ("b", "c")]
    result = match([a, *others], sharers, exclusions=excluded)
    assert len(result.matches) == 3
    assert not pairs(result) & {("a", "x1"), ("a", "x2"), ("a", "x4")}


def test_a_sharer_who_also_learns_never_teaches_themselves():
    both = [learner("me", {"gis": 1, "sql": 0}), learner("you", {"sql": 0})]
    sharers = [sharer("me", {"gis": 2, "sql": 4}, capacity=2)]
    result = match(both, sharers)
    assert pairs(result) == {("you", "me")}
    assert reason_of(result, "me") == ("nobody-shares", "sql", "en")


def test_lp_bound_equals_the_optimum():
    rng = random.Random(11)
    learners, sharers, excluded = crowded_network(rng, 60, 20)
    result = match(learners, sharers, exclusions=excluded)
    assert lp_bound(learners, sharers, exclusions=excluded) == pytest.approx(result.total_benefit)
    assert result.total_benefit > 0


def test_progress_is_reported_up_to_the_total():
    learners, sharers = random_network(random.Random(3), 300, 30)
    for run in (match, greedy):
        calls = []
        run(
            learners, sharers, progress=lambda done, total, calls=calls: calls.append((done, total))
        )
        assert len(calls) >= 3
        assert calls[-1][0] == calls[-1][1]
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
        assert all(t == calls[0][1] for _, t in calls)
