"""Small-cell suppression: no count under k can be seen, or worked out from the published totals.

The property is checked against an exact brute-force attacker (a search over every table the
attacker cannot rule out), independent of the interval reasoning inside the module.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacircle.core.suppression import (
    HIDDEN_MARK,
    Line,
    Published,
    Status,
    SuppressionError,
    publish,
    recoverable,
    suppress,
)

SHOWN, SMALL, HIDDEN = Status.SHOWN, Status.SMALL, Status.HIDDEN


# --- the attacker -------------------------------------------------------------------------------


def alternative_exists(counts, lines, status, k, target, caps=()) -> bool:
    """Is there a table, consistent with everything published, where `target` has another value?

    Exhaustive branch and bound over boxes of integers: shown counts are fixed, "<k" counts range
    over 0..k-1, dashes over k..ceiling, every line must add up and every cap hold. Narrowing only
    drops values no table can have, and a box is split in halves until every count has one value,
    so the answer is exact (up to the ceiling, which is far above any real count).
    """
    ceiling = 3 * k + max(counts.values())
    box = {}
    for key, state in status.items():
        if state is SHOWN:
            box[key] = (counts[key], counts[key])
        else:
            box[key] = (0, k - 1) if state is SMALL else (k, ceiling)
    low, high = box[target]
    truth = counts[target]
    others = [(low, truth - 1), (truth + 1, high)]
    return any(
        _feasible({**box, target: side}, lines, caps, counts)
        for side in others
        if side[0] <= side[1]
    )


def _feasible(box: dict, lines: Sequence[Line], caps: Sequence, counts: Mapping) -> bool:
    box = _narrowed(box, lines, caps)
    if box is None:
        return False
    key = max(box, key=lambda key: box[key][1] - box[key][0])
    low, high = box[key]
    if low == high:
        return True  # every count has one value and every line and cap holds
    middle = (low + high) // 2
    halves = [(low, middle), (middle + 1, high)]
    if counts[key] > middle:
        halves.reverse()  # the true value first: an alternative is usually one person away
    return any(_feasible({**box, key: half}, lines, caps, counts) for half in halves)


def _narrowed(box: dict, lines: Sequence[Line], caps: Sequence) -> dict | None:
    """The box without values that cannot add up; None when a line or cap cannot hold."""
    box = dict(box)
    changed = True
    while changed:
        changed = False
        for line in lines:
            lows = sum(box[p][0] for p in line.parts)
            highs = sum(box[p][1] for p in line.parts)
            total_low, total_high = box[line.total]
            wanted = {line.total: (max(total_low, lows), min(total_high, highs))}
            for p in line.parts:
                low, high = box[p]
                wanted[p] = (
                    max(low, total_low - (highs - high)),
                    min(high, total_high - (lows - low)),
                )
            for member, bounds in wanted.items():
                if bounds != box[member]:
                    if bounds[0] > bounds[1]:
                        return None
                    box[member], changed = bounds, True
        for count, cap in caps:
            (low, high), (cap_low, cap_high) = box[count], box[cap]
            if high > cap_high or cap_low < low:
                if low > cap_high:
                    return None
                box[count], box[cap] = (low, min(high, cap_high)), (max(cap_low, low), cap_high)
                changed = True
    return box


def unprotected(counts, lines, status, k, caps=()) -> set:
    """Suppressed counts that the brute-force attacker pins to a single value."""
    return {
        key
        for key, state in status.items()
        if state is not SHOWN and not alternative_exists(counts, lines, status, k, key, caps)
    }


def assert_safe(counts, lines, status, k, caps=()):
    for key, state in status.items():
        assert (state is SMALL) == (counts[key] < k), (key, counts[key], state)
    assert unprotected(counts, lines, status, k, caps) == set()


def test_the_attacker_does_find_a_difference_left_open():
    counts = {"all": 20, "a": 3, "b": 17}
    lines = [Line("all", ("a", "b"))]
    assert unprotected(counts, lines, {"all": SHOWN, "a": SMALL, "b": SHOWN}, 5) == {"a"}
    # A dash is known to be at least k: 0 + 5 = 5 leaves nothing to guess.
    counts = {"all": 5, "a": 0, "b": 5}
    exposed = unprotected(counts, lines, {"all": SHOWN, "a": SMALL, "b": HIDDEN}, 5)
    assert exposed == {"a", "b"}
    # A dash under a shown cap of exactly k is k.
    counts = {"all": 8, "a": 3, "b": 5, "people in b": 5}
    status = {"all": SHOWN, "a": SMALL, "b": HIDDEN, "people in b": SHOWN}
    assert unprotected(counts, lines, status, 5) == set()
    assert unprotected(counts, lines, status, 5, [("b", "people in b")]) == {"a", "b"}


# --- tables -------------------------------------------------------------------------------------


@st.composite
def hierarchies(draw):
    """People split into groups and subgroups, and independently into roles; then up to two
    measures (demand for a skill, say) counted over the same groups, each count capped by the
    group's headcount."""
    groups = draw(
        st.lists(
            st.lists(st.integers(0, 12), min_size=1, max_size=3),
            min_size=1,
            max_size=3,
        )
    )
    people: dict = {}
    for g, subgroups in enumerate(groups):
        for s, count in enumerate(subgroups):
            people[("sub", g, s)] = count
        people[("group", g)] = sum(subgroups)
    people["all"] = sum(people[("group", g)] for g in range(len(groups)))
    roles = draw(st.integers(1, 3))
    cuts = sorted(
        draw(st.lists(st.integers(0, people["all"]), min_size=roles - 1, max_size=roles - 1))
    )
    for r, (start, end) in enumerate(zip([0, *cuts], [*cuts, people["all"]], strict=True)):
        people[("role", r)] = end - start
    shape = [
        (("group", g), [("sub", g, s) for s in range(len(sub))]) for g, sub in enumerate(groups)
    ]
    shape += [("all", [("group", g) for g in range(len(groups))])]
    shape += [("all", [("role", r) for r in range(roles)])]
    counts, caps = dict(people), []
    lines = [Line(total, tuple(parts)) for total, parts in shape]
    for m in range(draw(st.integers(0, 2))):
        measure = draw(_measure(people, groups, roles))
        counts.update({(m, key): value for key, value in measure.items()})
        caps += [((m, key), key) for key in measure]
        lines += [Line((m, total), tuple((m, p) for p in parts)) for total, parts in shape]
    return counts, lines, caps


@st.composite
def _measure(draw, people, groups, roles):
    """Counts of some of the people in each group: never more than the group's headcount."""
    counts = {}
    for g, subgroups in enumerate(groups):
        for s in range(len(subgroups)):
            counts[("sub", g, s)] = draw(st.integers(0, people[("sub", g, s)]))
        counts[("group", g)] = sum(counts[("sub", g, s)] for s in range(len(subgroups)))
    left = counts["all"] = sum(counts[("group", g)] for g in range(len(groups)))
    for r in range(roles):
        room_after = sum(people[("role", q)] for q in range(r + 1, roles))
        counts[("role", r)] = draw(
            st.integers(max(0, left - room_after), min(people[("role", r)], left))
        )
        left -= counts[("role", r)]
    return counts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies(), st.sampled_from([2, 3, 5]))
def test_no_suppressed_count_can_be_worked_out(table, k):
    counts, lines, caps = table
    try:
        status = suppress(counts, lines, k, caps)
    except SuppressionError:
        # Allowed only when no publication is safe: a count under k is given away even with
        # every count suppressed (showing more only tells the attacker more).
        everything = {key: SMALL if value < k else HIDDEN for key, value in counts.items()}
        given_away = unprotected(counts, lines, everything, k, caps)
        assert any(counts[key] < k for key in given_away)
        return
    assert_safe(counts, lines, status, k, caps)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies(), st.sampled_from([2, 3, 5]), st.randoms(use_true_random=False))
def test_the_audit_agrees_with_the_brute_force_attacker(table, k, chance):
    """`recoverable` agrees with the exhaustive attacker, for any statuses, not only the ones
    `suppress` picks (and caps included, whose cycles interval reasoning alone could miss)."""
    counts, lines, caps = table
    status = {
        key: SMALL if value < k else chance.choice([SHOWN, HIDDEN]) for key, value in counts.items()
    }
    assert recoverable(counts, lines, status, k, caps) == unprotected(
        counts, lines, status, k, caps
    )


# --- hand cases ---------------------------------------------------------------------------------


def test_one_small_count_in_a_line_of_four_hides_exactly_the_next_smallest():
    counts = {"all": 100, "a": 3, "b": 10, "c": 20, "d": 67}
    lines = [Line("all", ("a", "b", "c", "d"))]
    status = suppress(counts, lines)
    assert status == {"all": SHOWN, "a": SMALL, "b": HIDDEN, "c": SHOWN, "d": SHOWN}
    assert_safe(counts, lines, status, 5)


def test_a_single_small_unit_among_large_ones_hides_a_second_unit():
    units = {"u1": 2, "u2": 40, "u3": 25, "u4": 31}
    counts = {"org": sum(units.values()), **units}
    lines = [Line("org", tuple(units))]
    status = suppress(counts, lines)
    assert status["u1"] is SMALL
    assert [key for key, state in status.items() if state is HIDDEN] == ["u3"]
    assert status["org"] is SHOWN
    assert_safe(counts, lines, status, 5)


def test_a_zero_next_to_exactly_k_is_not_protected_by_hiding_the_k():
    # 0 ("<5") + dash (>= 5) = 5 would pin both, so a larger part is hidden instead.
    counts = {"all": 50, "a": 0, "b": 5, "c": 45}
    lines = [Line("all", ("a", "b", "c"))]
    status = suppress(counts, lines)
    assert status == {"all": SHOWN, "a": SMALL, "b": SHOWN, "c": HIDDEN}
    assert_safe(counts, lines, status, 5)


def test_zero_counts_are_small():
    counts = {"all": 30, "a": 0, "b": 0, "c": 30}
    lines = [Line("all", ("a", "b", "c"))]
    status = suppress(counts, lines)
    assert status["a"] is SMALL and status["b"] is SMALL
    assert_safe(counts, lines, status, 5)
    assert str(publish(counts, lines)["a"]) == "<5"


def test_a_small_overall_total_makes_everything_small():
    counts = {"all": 4, "u1": 1, "u2": 3, "r1": 0, "r2": 4}
    lines = [Line("all", ("u1", "u2")), Line("all", ("r1", "r2"))]
    assert set(suppress(counts, lines).values()) == {SMALL}


def test_k_of_one_suppresses_nothing():
    counts = {"all": 3, "a": 0, "b": 1, "c": 2}
    assert set(suppress(counts, [Line("all", ("a", "b", "c"))], k=1).values()) == {SHOWN}


def test_k_of_ten():
    units = {"u1": 7, "u2": 12, "u3": 30, "u4": 15}
    roles = {"r1": 60, "r2": 4}
    counts = {"all": 64, **units, **roles}
    lines = [Line("all", tuple(units)), Line("all", tuple(roles))]
    status = suppress(counts, lines, k=10)
    assert status["u1"] is SMALL and status["r2"] is SMALL
    assert status["u2"] is HIDDEN  # the next smallest unit
    assert_safe(counts, lines, status, 10)
    assert str(publish(counts, lines, k=10)["r2"]) == "<10"


def test_a_hidden_organisation_is_protected_inside_its_own_units():
    # Hiding org B next to small org A would be undone by B's units, so one of them goes too.
    # (The overall total is also split by role, so hiding it instead would cost as much.)
    counts = {"all": 60, "A": 3, "B": 20, "C": 37, "a1": 3, "b1": 12, "b2": 8, "c1": 37}
    counts |= {"r1": 50, "r2": 10}
    lines = [Line("all", ("A", "B", "C")), Line("A", ("a1",)), Line("B", ("b1", "b2"))]
    lines += [Line("C", ("c1",)), Line("all", ("r1", "r2"))]
    status = suppress(counts, lines)
    hidden = {key for key, state in status.items() if state is HIDDEN}
    assert hidden == {"B", "b2"}
    assert_safe(counts, lines, status, 5)


def test_a_count_broken_down_nowhere_else_is_hidden_before_one_that_would_need_more_dashes():
    counts = {"all": 60, "A": 3, "B": 20, "C": 37, "b1": 12, "b2": 8}
    lines = [Line("all", ("A", "B", "C")), Line("B", ("b1", "b2"))]
    status = suppress(counts, lines)
    assert {key for key, state in status.items() if state is HIDDEN} == {"C"}
    assert_safe(counts, lines, status, 5)


def test_keys_outside_every_line_are_only_checked_against_k():
    status = suppress({"x": 2, "y": 9}, [])
    assert status == {"x": SMALL, "y": SHOWN}


def test_published_values_never_carry_a_suppressed_count():
    counts = {"all": 100, "a": 3, "b": 10, "c": 20, "d": 67}
    published = publish(counts, [Line("all", ("a", "b", "c", "d"))])
    assert published["a"] == Published(None, SMALL, 5)
    assert published["b"] == Published(None, HIDDEN, 5)
    assert [str(published[key]) for key in counts] == ["100", "<5", HIDDEN_MARK, "20", "67"]


@pytest.mark.parametrize(
    ("counts", "lines", "message"),
    [
        ({"all": 10, "a": 4}, [Line("all", ("a", "b"))], "no count"),
        ({"all": 10, "a": 4, "b": 5}, [Line("all", ("a", "b"))], "add up to 9, not 10"),
        ({"all": 3, "a": -1, "b": 4}, [Line("all", ("a", "b"))], "non-negative integer"),
        (
            {"all": 9, "r": 9, "c": 9},
            [Line("all", ("r",)), Line("r", ("c",)), Line("all", ("c",))],
            "part of two lines",
        ),
        ({"a": 5, "b": 5}, [Line("a", ("b",)), Line("b", ("a",))], "inside itself"),
    ],
)
def test_inconsistent_tables_are_refused_with_the_reason(counts, lines, message):
    with pytest.raises(SuppressionError, match=message):
        suppress(counts, lines)


def test_an_edited_publication_is_caught_by_the_audit():
    counts = {"all": 100, "a": 3, "b": 10, "c": 20, "d": 67}
    lines = [Line("all", ("a", "b", "c", "d"))]
    status = suppress(counts, lines)
    assert recoverable(counts, lines, status) == set()
    status["b"] = SHOWN
    assert recoverable(counts, lines, status) == {"a"}


def test_a_dash_under_a_headcount_of_k_is_not_chosen_to_protect_a_small_count():
    # Unit A has 5 people, all 5 want the skill. Hiding A's 5 to protect B's 3 would say "at
    # least 5 of 5": A is 5, and B is 17 - 5 - 9. So C's 9 (of 10 people) is hidden instead.
    people = {"org": 24, "A": 5, "B": 9, "C": 10}
    wanting = {"org'": 17, "A'": 5, "B'": 3, "C'": 9}
    counts = people | wanting
    lines = [Line("org", ("A", "B", "C")), Line("org'", ("A'", "B'", "C'"))]
    caps = {"org'": "org", "A'": "A", "B'": "B", "C'": "C"}
    status = suppress(counts, lines, caps=caps)
    assert status["B'"] is SMALL
    assert status["A'"] is SHOWN and status["C'"] is HIDDEN
    assert_safe(counts, lines, status, 5, list(caps.items()))
    # Without the caps the same publication choice would not be safe.
    naive = suppress(counts, lines)
    assert naive["A'"] is HIDDEN
    assert recoverable(counts, lines, naive, caps=caps) == {"A'", "B'"}


def test_an_attacker_adds_caps_up_along_parallel_lines():
    # 25 people and 25 who want the skill: in every role, everyone wants it. Role 0 shows 10
    # people, so its hidden demand is 10, though no single cap or line says so.
    people = {"all": 25, "r0": 10, "r1": 5, "r2": 10}
    wanting = {"all'": 25, "r0'": 10, "r1'": 5, "r2'": 10}
    counts = people | wanting
    lines = [Line("all", ("r0", "r1", "r2")), Line("all'", ("r0'", "r1'", "r2'"))]
    caps = {f"{key}'": key for key in people}
    status = {key: HIDDEN for key in counts} | {"all": SHOWN, "r0": SHOWN, "all'": SHOWN}
    assert recoverable(counts, lines, status, caps=caps) == {"r0'"}
    assert unprotected(counts, lines, status, 5, list(caps.items())) == {"r0'"}


def test_caps_may_be_a_mapping_or_pairs_and_a_count_may_have_several():
    counts = {"all": 30, "a": 3, "b": 12, "c": 15, "x": 12, "y": 20}
    lines = [Line("all", ("a", "b", "c"))]
    by_mapping = suppress(counts, lines, caps={"b": "x"})
    assert by_mapping == suppress(counts, lines, caps=[("b", "x")])
    # b can be hidden only if it is not capped at... its own value twice over: still fine.
    status = suppress(counts, lines, caps=[("b", "x"), ("b", "y"), ("c", "y")])
    assert_safe(counts, lines, status, 5, [("b", "x"), ("b", "y"), ("c", "y")])


@pytest.mark.parametrize(
    ("caps", "message"),
    [
        ({"c": "b"}, r"'c' is 15, more than its cap 'b' \(12\)"),
        ({"b": "nobody"}, "cap 'b' <= 'nobody' uses keys with no count"),
    ],
)
def test_inconsistent_caps_are_refused_with_the_reason(caps, message):
    counts = {"all": 30, "a": 3, "b": 12, "c": 15}
    with pytest.raises(SuppressionError, match=message):
        suppress(counts, [Line("all", ("a", "b", "c"))], caps=caps)


def test_published_counts_never_include_the_rooms_under_caps():
    counts = {"all": 30, "a": 3, "b": 12, "c": 15, "x": 14}
    published = publish(counts, [Line("all", ("a", "b", "c"))], caps={"b": "x"})
    assert set(published) == set(counts)


# --- scale --------------------------------------------------------------------------------------


def skills_report(seed: int = 3):
    """Respondents, and 17 skills' demand capped by them, each counted by 2,000 units in 200
    organisations, 150 countries in 5 regions and 7 roles."""
    chance = random.Random(seed)
    people = {("unit", u): int(chance.expovariate(1 / 25)) for u in range(2000)}
    total = sum(people.values())
    people |= _split_under(chance, total, [total] * 150, ("country",))
    people |= _split_under(chance, total, [total] * 7, ("role",))
    counts, lines, caps = _measure_lines(people, "people")
    for skill in range(17):
        share = chance.uniform(0.05, 0.6)
        wanting = {
            ("unit", u): min(
                people[("unit", u)], int(people[("unit", u)] * share * 2 * chance.random())
            )
            for u in range(2000)
        }
        wanted = sum(wanting.values())
        for dimension, n in (("country", 150), ("role", 7)):
            ceilings = [people[(dimension, i)] for i in range(n)]
            wanting |= _split_under(chance, wanted, ceilings, (dimension,))
        more_counts, more_lines, _ = _measure_lines(wanting, skill)
        counts |= more_counts
        lines += more_lines
        caps += [(key, ("people", *key[1:])) for key in more_counts]
    return counts, lines, caps


def _measure_lines(by_group, measure):
    """One measure's counts and lines: units in organisations, countries in regions, roles."""
    counts = {(measure, *key): value for key, value in by_group.items()}
    lines = []
    totals = {}
    for dimension, outer, groups in (("unit", "org", 200), ("country", "region", 5)):
        members = sorted(key for key in counts if key[1] == dimension)
        totals[outer] = []
        for g in range(groups):
            parts = tuple(members[g::groups])
            counts[(measure, outer, g)] = sum(counts[p] for p in parts)
            lines.append(Line((measure, outer, g), parts))
            totals[outer].append((measure, outer, g))
    counts[(measure, "all")] = sum(value for key, value in by_group.items() if key[0] == "unit")
    roles = tuple(sorted(key for key in counts if key[1] == "role"))
    for parts in (*totals.values(), roles):
        lines.append(Line((measure, "all"), tuple(parts)))
    return counts, lines, []


def _split_under(chance, total, ceilings, prefix):
    """`total` split into len(ceilings) random parts, none above its ceiling."""
    weights = [chance.random() * ceiling for ceiling in ceilings]
    room = sum(weights) or 1
    parts = [
        min(ceiling, int(total * w / room)) for ceiling, w in zip(ceilings, weights, strict=True)
    ]
    while sum(parts) < total:
        i = chance.randrange(len(parts))
        if parts[i] < ceilings[i]:
            parts[i] += 1
    return {(*prefix, i): part for i, part in enumerate(parts)}


def test_a_full_skills_report_is_suppressed_safely():
    # Speed is measured by bench/scoping.py (docs/benchmarks.md), never asserted here.
    counts, lines, caps = skills_report()
    status = suppress(counts, lines, caps=caps)
    hidden = sum(state is HIDDEN for state in status.values())
    small = sum(state is SMALL for state in status.values())
    assert small > 1000 and hidden > 100  # the data really exercises both kinds
    assert recoverable(counts, lines, status, caps=caps) == set()
