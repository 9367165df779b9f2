"""Peer-learning matching: the rules of an edge, the reasons, and the exact optimum.

The optimum is checked against an exhaustive search over every assignment, written here from
the rules alone (not from the module's internals), on small random networks.
"""

from __future__ import annotations

import itertools
import math
import random
import time
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


def test_two_thousand_learners_in_a_few_seconds():
    learners, sharers = random_network(random.Random(7), 2000, 300)
    started = time.perf_counter()
    result = match(learners, sharers)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
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
