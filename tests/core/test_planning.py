"""Programme planner: the hard constraints, the objective, and the optimum.

The optimum is checked against an exhaustive search: every schedule of a tiny programme is
enumerated, `check()` keeps the valid ones and the best `score()` must equal the objective of
`plan()`. `check()` and `score()` are in turn pinned by hand cases, so the three agree with the
rules written in the module docstring, not merely with each other.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacircle.core.planning import (
    Facilitator,
    MilestoneWindow,
    Module,
    PlanningError,
    Problem,
    Session,
    Slot,
    Weights,
    _least_deviation,
    check,
    greedy,
    plan,
    score,
)

MONDAY = date(2026, 3, 16)  # three weeks before the end of March: months change in the tests


def slots(count, per_week=1, first=MONDAY):
    """`count` weekly session times, `per_week` of them a week (Monday, then Wednesday...)."""
    made = []
    for i in range(count):
        week, within = divmod(i, per_week)
        day = first + timedelta(weeks=week, days=2 * within)
        start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        made.append(Slot(i, start, week, f"{start:%Y-%m}"))
    return tuple(made)


def fac(key, skills=("gis",), languages=("en",), unit="u1", available=None, limit=4):
    return Facilitator(
        key,
        tuple(skills),
        tuple(languages),
        unit,
        frozenset(range(50) if available is None else available),
        limit,
    )


def problem(modules, facilitators, slot_count=4, **changes):
    base = Problem(
        demand={"gis": 10},
        language_demand={},
        modules=tuple(modules),
        facilitators=tuple(facilitators),
        slots=slots(slot_count),
        milestones=(),
        weights=Weights(),
        sessions_per_slot=1,
    )
    return replace(base, **changes)


def solve(p, **kwargs):
    """An exact plan: one worker, no gap, a generous limit (tiny problems take milliseconds)."""
    return plan(p, time_limit=60, workers=1, relative_gap=0.0, **kwargs)


def triples(result):
    return {(s.slot, s.module, s.facilitator) for s in result.sessions}


def sessions(*items):
    return [Session(slot, module, facilitator) for slot, module, facilitator in items]


# --- check(): every hard constraint on a hand case ----------------------------------------------


def test_check_accepts_a_valid_schedule():
    p = problem([Module("m", ("gis",), "en")], [fac("f")], slot_count=5)
    assert check(p, sessions((0, "m", "f"), (4, "m", "f"))) == []


def test_unavailable_facilitator():
    p = problem([Module("m", ("gis",), "en")], [fac("f", available={1, 2})])
    assert check(p, sessions((0, "m", "f"))) == ["slot 0: facilitator 'f' is not available"]
    (only,) = solve(p).sessions  # one session: slots 1 and 2 are too close for a repeat
    assert only.slot in {1, 2}


def test_facilitator_must_lead_one_of_the_skills():
    p = problem([Module("m", ("gis", "cleaning"), "en")], [fac("f", skills=("analysis",))])
    assert check(p, sessions((0, "m", "f"))) == [
        "slot 0: facilitator 'f' leads none of the skills of module 'm'"
    ]
    assert solve(p).sessions == ()
    # One shared skill is enough.
    q = replace(p, facilitators=(fac("f", skills=("cleaning",)),))
    assert check(q, sessions((0, "m", "f"))) == []
    assert len(solve(q).sessions) == 1


def test_facilitator_must_speak_the_module_language():
    p = problem([Module("m", ("gis",), "fr")], [fac("f", languages=("en", "es"))])
    assert check(p, sessions((0, "m", "f"))) == [
        "slot 0: facilitator 'f' does not speak 'fr', the language of module 'm'"
    ]
    assert solve(p).sessions == ()


def test_slot_capacity():
    modules = [Module("a", ("gis",), "en"), Module("b", ("gis",), "en")]
    p = problem(modules, [fac("f"), fac("g")], slot_count=1)
    assert check(p, sessions((0, "a", "f"), (0, "b", "g"))) == [
        "slot 0: 2 sessions, more than the 1 a slot holds"
    ]
    assert len(solve(p).sessions) == 1
    two = replace(p, sessions_per_slot=2)
    assert check(two, sessions((0, "a", "f"), (0, "b", "g"))) == []
    assert len(solve(two).sessions) == 2


def test_facilitator_never_double_booked():
    modules = [Module("a", ("gis",), "en"), Module("b", ("gis",), "en")]
    p = problem(modules, [fac("f")], slot_count=1, sessions_per_slot=2)
    assert check(p, sessions((0, "a", "f"), (0, "b", "f"))) == [
        "slot 0: facilitator 'f' is double-booked (2 sessions)"
    ]
    assert len(solve(p).sessions) == 1


def test_monthly_limit():
    # Slots 0-2 fall in March 2026, slot 3 in April.
    assert [s.month for s in slots(4)] == ["2026-03"] * 3 + ["2026-04"]
    modules = [Module(k, ("gis",), "en") for k in "abcd"]
    p = problem(modules, [fac("f", limit=1)])
    assert check(p, sessions((0, "a", "f"), (2, "b", "f"))) == [
        "2026-03: facilitator 'f' leads 2 sessions, more than their monthly limit of 1"
    ]
    assert check(p, sessions((0, "a", "f"), (3, "b", "f"))) == []
    result = solve(p)
    assert len(result.sessions) == 2  # one in March, one in April
    assert sorted(p.slots[s.slot].month for s in result.sessions) == ["2026-03", "2026-04"]


def test_repeat_spacing():
    p = problem([Module("m", ("gis",), "en")], [fac("f")], slot_count=6)
    assert check(p, sessions((0, "m", "f"), (2, "m", "f"))) == [
        "module 'm' repeated too soon: slots 0 and 2 are 2 weeks apart, at least 4 needed"
    ]
    assert check(p, sessions((0, "m", "f"), (4, "m", "f"))) == []
    assert len(solve(p).sessions) == 2  # weeks 0 and 4, or 1 and 5
    loose = replace(p, weights=Weights(repeat_spacing_weeks=1))
    assert check(loose, sessions((0, "m", "f"), (1, "m", "f"))) == []


def test_same_module_twice_in_one_slot():
    p = problem([Module("m", ("gis",), "en")], [fac("f"), fac("g")], sessions_per_slot=2)
    p = replace(p, weights=Weights(repeat_spacing_weeks=0))
    assert check(p, sessions((0, "m", "f"), (0, "m", "g"))) == [
        "slot 0: module 'm' twice in the same slot"
    ]
    held = [s.slot for s in solve(p).sessions]
    assert held and len(set(held)) == len(held)  # both facilitators are free: still one each


def test_unknown_references():
    p = problem([Module("m", ("gis",), "en")], [fac("f")])
    assert check(p, sessions((9, "x", "f"))) == ["slot 9: unknown slot 9, module 'x'"]
    with pytest.raises(PlanningError):
        score(p, sessions((0, "m", "nobody")))


# --- score(): the objective by hand -----------------------------------------------------------


def test_demand_has_diminishing_returns():
    modules = [Module("m1", ("gis",), "en"), Module("m2", ("gis", "cleaning"), "en")]
    p = problem(modules, [fac("f")], slot_count=12, demand={"gis": 10, "cleaning": 3})
    # 10 people * 100 * (1.0, 0.6, 0.35, 0.2) = 1000, 600, 350, 200; nothing after the 4th.
    assert score(p, sessions((0, "m1", "f"))) == 1000
    assert score(p, sessions((0, "m1", "f"), (4, "m1", "f"))) == 1600
    five = sessions(*((4 * i, "m1", "f") for i in range(3)), (1, "m2", "f"), (5, "m2", "f"))
    # gis: 1000 + 600 + 350 + 200 + 0; cleaning (m2 twice): 300 + 180.
    assert score(p, five) == 2150 + 480


def test_rounding_of_session_values():
    p = problem([Module("m", ("gis",), "en")], [fac("f")], slot_count=5, demand={"gis": 1})
    p = replace(p, weights=Weights(demand=1, diminishing=(1.0, 0.5, 0.5)))
    # round(0.5) is 0 (Python rounds halves to even): the 2nd session is worth nothing.
    assert score(p, sessions((0, "m", "f"), (4, "m", "f"))) == 1


def test_milestone_bonus_within_near_days():
    window = MilestoneWindow("open-data-day", date(2026, 3, 7), date(2026, 3, 13), ("open-data",))
    modules = [Module("od", ("open-data", "gis"), "en"), Module("other", ("gis",), "en")]
    p = problem(modules, [fac("f", skills=("gis", "open-data"))], milestones=(window,))
    p = replace(p, demand={})
    # Slot 0 is Monday 16 March: 3 days after the window's end.
    assert score(p, sessions((0, "od", "f"))) == 30
    assert score(p, sessions((0, "other", "f"))) == 0  # no shared theme
    assert score(p, sessions((1, "od", "f"))) == 0  # 10 days after
    near3 = replace(p, weights=Weights(near_days=2))
    assert score(near3, sessions((0, "od", "f"))) == 0
    # Two matching windows still give one bonus.
    twice = replace(p, milestones=(window, replace(window, key="again")))
    assert score(twice, sessions((0, "od", "f"))) == 30


def test_language_balance_penalty():
    modules = [Module("en", ("gis",), "en"), Module("fr", ("gis",), "fr")]
    facilitators = [fac("f", languages=("en", "fr"))]
    p = problem(modules, facilitators, slot_count=8, demand={})
    p = replace(p, language_demand={"en": 30, "fr": 10, "ar": 0})
    # Shares reduce to 3:1 (D = 4). Two English sessions: |2*4 - 3*2| + |0*4 - 1*2| = 4,
    # penalty floor(20 * 4 / 4) = 20.
    assert score(p, sessions((0, "en", "f"), (4, "en", "f"))) == -20
    # One of each: |4 - 6| + |4 - 2| = 4 -> 20 as well; 3 en + 1 fr is exactly fair -> 0.
    assert score(p, sessions((0, "en", "f"), (1, "fr", "f"))) == -20
    fair = sessions((0, "en", "f"), (4, "en", "f"), (1, "fr", "f"))
    assert score(p, fair) == -floor_div(20 * (abs(2 * 4 - 3 * 3) + abs(1 * 4 - 1 * 3)), 4)
    # A language nobody asked for counts wholly as deviation.
    es = replace(p, modules=(*modules, Module("es", ("gis",), "es")))
    es = replace(es, facilitators=(fac("f", languages=("en", "fr", "es")),))
    assert score(es, sessions((0, "es", "f"))) == -floor_div(20 * (4 + 3 + 1), 4)
    # No language demand at all: no penalty.
    assert score(replace(p, language_demand={}), sessions((0, "en", "f"))) == 0


def floor_div(a, b):
    return a // b


def test_unit_balance_penalty():
    modules = [Module(k, ("gis",), "en") for k in "abc"]
    facilitators = [fac("f", unit="north"), fac("g", unit="north"), fac("h", unit="south")]
    p = problem(modules, facilitators, slot_count=4, demand={})
    p = replace(p, weights=Weights(unit_balance=5, repeat_spacing_weeks=0))
    # Three sessions by the north unit: U * max - N = 2 * 3 - 3 = 3 -> floor(5 * 3 / 2) = 7.
    north = sessions((0, "a", "f"), (1, "b", "g"), (2, "c", "f"))
    assert score(p, north) == -7
    # Two north, one south: 2 * 2 - 3 = 1 -> floor(5 / 2) = 2; then 2/2 is fair -> 0.
    assert score(p, sessions((0, "a", "f"), (1, "b", "g"), (2, "c", "h"))) == -2
    assert score(p, sessions((0, "a", "f"), (1, "b", "h"))) == 0


def test_the_plan_prefers_a_second_skill_to_a_repeat():
    modules = [Module("hot", ("analysis",), "en"), Module("cool", ("gis",), "en")]
    p = problem(
        modules, [fac("f", skills=("analysis", "gis"))], slot_count=2, demand={"analysis": 10}
    )
    p = replace(p, demand={"analysis": 10, "gis": 7}, weights=Weights(repeat_spacing_weeks=0))
    # The 2nd hot session is worth 600, the 1st cool one 700.
    assert {s.module for s in solve(p).sessions} == {"hot", "cool"}
    q = replace(p, demand={"analysis": 10, "gis": 5})
    assert {s.module for s in solve(q).sessions} == {"hot"}


# --- plan(): reasons, unplanned demand, hints, determinism ------------------------------------


def test_reasons_and_unplanned_demand():
    window = MilestoneWindow("gis-day", date(2026, 3, 18), date(2026, 3, 18), ("gis",))
    p = problem(
        [Module("maps", ("gis", "analysis"), "fr")],
        [fac("f", languages=("fr",))],
        slot_count=1,
        demand={"gis": 10, "analysis": 0, "databases": 4, "statistics": 2},
        milestones=(window,),
    )
    result = solve(p)
    (session,) = result.sessions
    assert session.reasons == (
        ("skill", "gis", 10),
        ("milestone", "gis-day", 2),
        ("language", "fr"),
    )
    assert result.unplanned_demand == {"databases": 4, "statistics": 2}
    assert result.objective == 1000 + 30
    assert result.optimal and result.status == "optimal" and result.gap == 0.0
    assert result.bound == result.objective


def test_empty_programme():
    p = problem([Module("m", ("gis",), "en")], [fac("f", available=set())])
    result = solve(p)
    assert result.sessions == () and result.objective == 0 and result.optimal
    assert result.unplanned_demand == {"gis": 10}
    assert solve(replace(p, slots=())).sessions == ()


def test_progress_messages():
    p = problem([Module("m", ("gis",), "en")], [fac("f")], slot_count=5)
    said = []
    solve(p, progress=said.append)
    assert said[0].endswith("greedy start: objective 1600")
    assert said[-1] == "optimal: objective 1600, bound 1600"


def test_a_hint_with_gone_modules_and_people_is_only_a_start():
    p = problem([Module("m", ("gis",), "en")], [fac("f", available={1, 2, 3})], slot_count=6)
    stale = sessions((0, "m", "f"), (2, "gone", "f"), (3, "m", "nobody"), (2, "m", "f"))
    # The greedy keeps the hint's possible sessions (slot 2), then fills what is left.
    assert [(s.slot, s.module) for s in greedy(p, stale)] == [(2, "m")]
    result = solve(p, hint=stale)
    assert result.objective == 1000 and result.optimal


def test_same_input_same_plan_whatever_the_order():
    rng = random.Random(4)
    p = random_problem(rng, slot_count=10, modules=6, facilitators=6)
    first = solve(p)
    shuffled = replace(
        p,
        modules=tuple(rng.sample(p.modules, len(p.modules))),
        facilitators=tuple(rng.sample(p.facilitators, len(p.facilitators))),
        slots=tuple(reversed(p.slots)),
    )
    again = solve(shuffled)
    assert first.optimal
    assert again.sessions == first.sessions
    assert again.objective == first.objective


def test_solver_objective_is_score_even_when_stopped_early():
    # A bigger programme, cut short: whatever solution the solver holds, its objective value is
    # exactly score() of its sessions, and it never falls below the greedy start.
    rng = random.Random(11)
    p = random_problem(rng, slot_count=30, modules=12, facilitators=14, per_slot=2)
    result = plan(p, time_limit=0.5, workers=1)
    assert check(p, result.sessions) == []
    assert score(p, result.sessions) == result.objective
    assert result.objective >= score(p, greedy(p))
    assert result.bound >= result.objective
    assert result.optimal == (result.bound == result.objective)


def test_invalid_problems():
    m, f = Module("m", ("gis",), "en"), fac("f")
    with pytest.raises(PlanningError, match="duplicate module"):
        solve(problem([m, m], [f]))
    with pytest.raises(PlanningError, match="never increase"):
        solve(problem([m], [f], weights=Weights(diminishing=(0.5, 1.0))))
    with pytest.raises(PlanningError, match="weight milestone"):
        score(problem([m], [f], weights=Weights(milestone=-1)), [])
    with pytest.raises(PlanningError, match="level"):
        check(problem([Module("m", ("gis",), "en", 4)], [f]), [])
    window = MilestoneWindow("w", date(2026, 3, 2), date(2026, 3, 1), ())
    with pytest.raises(PlanningError, match="ends before"):
        solve(problem([m], [f], milestones=(window,)))


def test_least_language_deviation_matches_brute_force():
    # The bound the model relies on for balance must never exceed a real schedule's deviation.
    for shares in ([3, 1], [10, 5, 3, 2], [1, 1, 0], [2, 7, 4]):
        for teachable in ([0, 1], list(range(len(shares))), [len(shares) - 1]):
            for n in range(9):
                best = min(
                    sum(
                        abs(counts[lang] * sum(shares) - share * n)
                        for lang, share in enumerate(shares)
                    )
                    for counts in _counts(len(shares), teachable, n)
                )
                assert _least_deviation(shares, teachable, n) == best


def _counts(languages, teachable, n):
    for combo in itertools.product(range(n + 1), repeat=len(teachable)):
        if sum(combo) == n:
            counts = [0] * languages
            for lang, c in zip(teachable, combo, strict=True):
                counts[lang] = c
            yield counts


# --- the optimum against exhaustive search ----------------------------------------------------


def exhaustive_best(p):
    """The best score() over every schedule that check() accepts, built slot by slot from every
    (module, facilitator) pair - possible or not: check() alone decides."""
    pairs = [(m.key, f.key) for m in p.modules for f in p.facilitators]
    options = [
        c for size in range(p.sessions_per_slot + 1) for c in itertools.combinations(pairs, size)
    ]
    best = None

    def extend(position, chosen):
        nonlocal best
        if position == len(p.slots):
            value = score(p, chosen)
            best = value if best is None else max(best, value)
            return
        index = p.slots[position].index
        for option in options:
            more = chosen + [Session(index, m, f) for m, f in option]
            # Every constraint is an upper limit, so an invalid part never becomes valid.
            if not option or not check(p, more):
                extend(position + 1, more)

    extend(0, [])
    return best


SKILLS = ("gis", "cleaning", "analysis")


@st.composite
def tiny_problems(draw, long=False):
    """Up to 4 slots, 3 modules and 2 facilitators (3 slots and 2 modules when a slot holds two
    sessions); `long`: 5-6 slots with 2 modules, one session a slot, where the balance terms
    see more possible session counts."""
    per_slot = 1 if long else draw(st.sampled_from((1, 1, 2)))
    if long:
        slot_count, module_count = draw(st.integers(5, 6)), 2
    else:
        slot_count = draw(st.integers(1, 3 if per_slot == 2 else 4))
        module_count = draw(st.integers(1, 2 if per_slot == 2 else 3))
    weeks = [0]
    for _ in range(slot_count - 1):
        weeks.append(weeks[-1] + draw(st.integers(0, 2)))
    first = MONDAY + timedelta(days=draw(st.integers(0, 10)))
    made_slots = []
    for i, week in enumerate(weeks):
        day = first + timedelta(weeks=week, days=i % 2)
        start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        made_slots.append(Slot(i * 3, start, week, f"{start:%Y-%m}"))
    indices = [s.index for s in made_slots]
    skill_sets = st.lists(st.sampled_from(SKILLS), min_size=1, max_size=2, unique=True)
    modules = [
        Module(
            f"m{i}",
            tuple(draw(skill_sets)),
            draw(st.sampled_from(("en", "fr"))),
            draw(st.integers(0, 3)),
        )
        for i in range(module_count)
    ]
    facilitators = [
        Facilitator(
            f"f{i}",
            tuple(draw(st.lists(st.sampled_from(SKILLS), min_size=2, max_size=3, unique=True))),
            draw(st.sampled_from((("en", "fr"), ("en",), ("fr",), ("fr", "en")))),
            draw(st.sampled_from(("u1", "u2", "u3"))),
            # Drawn as the slots they cannot do, so that simple examples have sessions.
            frozenset(indices) - draw(st.sets(st.sampled_from(indices), max_size=len(indices) - 1)),
            draw(st.sampled_from((2, 1, 1, 2, 0))),
        )
        for i in range(2)
    ]
    milestones = tuple(
        MilestoneWindow(
            f"w{i}",
            start := MONDAY + timedelta(days=draw(st.integers(-10, 30))),
            start + timedelta(days=draw(st.integers(0, 6))),
            tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    rest = draw(st.lists(st.sampled_from((0.5, 0.35, 0.2, 0.0)), max_size=3))
    factors = (draw(st.sampled_from((1.0, 1.0, 0.5))), *sorted(rest, reverse=True))
    weights = Weights(
        demand=draw(st.integers(1, 100)),
        milestone=draw(st.integers(0, 400)),
        near_days=draw(st.integers(0, 10)),
        repeat_spacing_weeks=draw(st.integers(0, 3)),
        language_balance=draw(st.integers(0, 100)),
        unit_balance=draw(st.integers(0, 100)),
        diminishing=tuple(factors),
    )
    return Problem(
        # Counted down from 30, so that simple examples want every skill (0 stays possible).
        demand={k: 30 - draw(st.integers(0, 30)) for k in SKILLS},
        language_demand={k: draw(st.integers(0, 20)) for k in ("en", "fr", "es")},
        modules=tuple(modules),
        facilitators=tuple(facilitators),
        slots=tuple(made_slots),
        milestones=milestones,
        weights=weights,
        sessions_per_slot=per_slot,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_plan_is_the_exhaustive_optimum(p):
    assert_exhaustive_optimum(p)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(long=True))
def test_plan_is_the_exhaustive_optimum_over_more_slots(p):
    assert_exhaustive_optimum(p)


def assert_exhaustive_optimum(p):
    result = solve(p)
    assert check(p, result.sessions) == []
    assert score(p, result.sessions) == result.objective
    assert result.optimal and result.bound == result.objective
    assert result.objective == exhaustive_best(p)
    baseline = greedy(p)
    assert check(p, baseline) == []
    assert score(p, baseline) <= result.objective


def test_plan_is_the_exhaustive_optimum_on_a_hand_case():
    # Two facilitators who share one skill, a milestone on cleaning and a month boundary.
    window = MilestoneWindow("clean-week", date(2026, 3, 30), date(2026, 4, 3), ("cleaning",))
    p = Problem(
        demand={"gis": 12, "cleaning": 9, "analysis": 4},
        language_demand={"en": 2, "fr": 1},
        modules=(
            Module("gis-en", ("gis",), "en"),
            Module("clean-fr", ("cleaning", "analysis"), "fr"),
            Module("clean-en", ("cleaning",), "en"),
        ),
        facilitators=(
            fac("ana", skills=("gis", "cleaning"), languages=("en",), available={0, 1, 2}, limit=1),
            fac("bo", skills=("cleaning",), languages=("en", "fr"), unit="u2", available={1, 2, 3}),
        ),
        slots=slots(4),
        milestones=(window,),
        weights=Weights(repeat_spacing_weeks=2),
    )
    result = solve(p)
    assert result.objective == exhaustive_best(p)
    assert check(p, result.sessions) == []


def random_problem(rng, slot_count, modules, facilitators, per_slot=1):
    """A small random programme for the determinism and early-stop tests."""
    made_slots = slots(slot_count, per_week=2)
    languages = ("en", "fr", "es")
    return Problem(
        demand={k: rng.randint(1, 40) for k in SKILLS},
        language_demand={"en": 5, "fr": 3, "es": 2},
        modules=tuple(
            Module(
                f"m{i}",
                tuple(rng.sample(SKILLS, rng.randint(1, 2))),
                rng.choice(languages),
                rng.randint(0, 3),
            )
            for i in range(modules)
        ),
        facilitators=tuple(
            Facilitator(
                f"f{i}",
                tuple(rng.sample(SKILLS, rng.randint(1, 2))),
                tuple(rng.sample(languages, rng.randint(1, 2))),
                rng.choice(("u1", "u2", "u3")),
                frozenset(s.index for s in made_slots if rng.random() < 0.4),
                rng.randint(1, 3),
            )
            for i in range(facilitators)
        ),
        slots=made_slots,
        milestones=(
            MilestoneWindow(
                "w", MONDAY + timedelta(days=20), MONDAY + timedelta(days=26), SKILLS[:1]
            ),
        ),
        sessions_per_slot=per_slot,
    )
