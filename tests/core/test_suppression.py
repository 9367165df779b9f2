"""Small-cell suppression: no count under k can be seen, or worked out from the published totals.

The property is checked against an exact brute-force attacker (a search over every table the
attacker cannot rule out), independent of the interval reasoning inside the module.
"""

from __future__ import annotations

import random
import time
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


def alternative_exists(counts, lines, status, k, target) -> bool:
    """Is there a table, consistent with everything published, where `target` has another value?

    Exhaustive depth-first search over non-negative integers: shown counts are fixed, "<k" counts
    range over 0..k-1, dashes over k..cap, every line must add up. Pruning only drops branches that
    cannot add up, so the answer is exact (up to the cap, which is far above any real count).
    """
    cap = 3 * k + max(counts.values())
    domains = {}
    for key, state in status.items():
        if state is SHOWN:
            domains[key] = [counts[key]]
        else:
            values = range(k) if state is SMALL else range(k, cap + 1)
            # Values near the truth first: an alternative is usually one person away.
            domains[key] = sorted(values, key=lambda v, key=key: abs(v - counts[key]))
    domains[target] = [v for v in domains[target] if v != counts[target]]
    return _solve({}, lines, domains)


def _solve(assigned: dict, lines: Sequence[Line], domains: Mapping) -> bool:
    assigned = dict(assigned)
    if not _propagate(assigned, lines, domains):
        return False
    free = [key for key in domains if key not in assigned]
    if not free:
        return True
    key = min(free, key=lambda k: len(domains[k]))
    return any(_solve({**assigned, key: value}, lines, domains) for value in domains[key])


def _propagate(assigned: dict, lines: Sequence[Line], domains: Mapping) -> bool:
    """Fill in counts forced by a line with one unknown; False when a line cannot add up."""
    for key, values in domains.items():
        if len(values) == 1:
            assigned.setdefault(key, values[0])
        if not values:
            return False
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = (line.total, *line.parts)
            unknown = [m for m in members if m not in assigned]
            known_parts = sum(assigned[p] for p in line.parts if p in assigned)
            if not unknown:
                if assigned[line.total] != known_parts:
                    return False
                continue
            low = known_parts + sum(min(domains[p]) for p in line.parts if p not in assigned)
            if line.total in assigned and low > assigned[line.total]:
                return False
            if len(unknown) == 1:
                (member,) = unknown
                forced = assigned.get(line.total, 0) - known_parts
                value = known_parts if member == line.total else forced
                if value not in domains[member]:
                    return False
                assigned[member] = value
                changed = True
    return True


def unprotected(counts, lines, status, k) -> set:
    """Suppressed counts that the brute-force attacker pins to a single value."""
    return {
        key
        for key, state in status.items()
        if state is not SHOWN and not alternative_exists(counts, lines, status, k, key)
    }


def assert_safe(counts, lines, status, k):
    for key, state in status.items():
        assert (state is SMALL) == (counts[key] < k), (key, counts[key], state)
    assert unprotected(counts, lines, status, k) == set()


def test_the_attacker_does_find_a_difference_left_open():
    counts = {"all": 20, "a": 3, "b": 17}
    lines = [Line("all", ("a", "b"))]
    assert unprotected(counts, lines, {"all": SHOWN, "a": SMALL, "b": SHOWN}, 5) == {"a"}
    # A dash is known to be at least k: 0 + 5 = 5 leaves nothing to guess.
    counts = {"all": 5, "a": 0, "b": 5}
    exposed = unprotected(counts, lines, {"all": SHOWN, "a": SMALL, "b": HIDDEN}, 5)
    assert exposed == {"a", "b"}


# --- tables -------------------------------------------------------------------------------------


@st.composite
def hierarchies(draw):
    """A total split into groups and subgroups, and independently into roles."""
    groups = draw(
        st.lists(
            st.lists(st.integers(0, 12), min_size=1, max_size=3),
            min_size=1,
            max_size=3,
        )
    )
    counts: dict = {}
    lines = []
    for g, subgroups in enumerate(groups):
        for s, count in enumerate(subgroups):
            counts[("sub", g, s)] = count
        counts[("group", g)] = sum(subgroups)
        lines.append(Line(("group", g), tuple(("sub", g, s) for s in range(len(subgroups)))))
    total = sum(counts[("group", g)] for g in range(len(groups)))
    counts["all"] = total
    lines.append(Line("all", tuple(("group", g) for g in range(len(groups)))))
    roles = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=roles - 1, max_size=roles - 1)))
    for r, (start, end) in enumerate(zip([0, *cuts], [*cuts, total], strict=True)):
        counts[("role", r)] = end - start
    lines.append(Line("all", tuple(("role", r) for r in range(roles))))
    return counts, lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies(), st.sampled_from([2, 3, 5]))
def test_no_suppressed_count_can_be_worked_out(table, k):
    counts, lines = table
    try:
        status = suppress(counts, lines, k)
    except SuppressionError:
        # Allowed only when the statuses alone give counts away, which needs a tiny k.
        assert k == 2
        return
    assert_safe(counts, lines, status, k)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies(), st.sampled_from([2, 3, 5]), st.randoms(use_true_random=False))
def test_the_audit_agrees_with_the_brute_force_attacker(table, k, chance):
    """`recoverable` is exact, for any statuses, not only the ones `suppress` picks."""
    counts, lines = table
    status = {
        key: SMALL if value < k else chance.choice([SHOWN, HIDDEN]) for key, value in counts.items()
    }
    assert recoverable(counts, lines, status, k) == unprotected(counts, lines, status, k)


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


# --- scale --------------------------------------------------------------------------------------


def skills_report(seed: int = 3):
    """17 skills x (2,000 units in 200 organisations, 150 countries in 5 regions, 7 roles)."""
    chance = random.Random(seed)
    counts: dict = {}
    lines = []
    for skill in range(17):
        units = {("unit", skill, u): int(chance.expovariate(1 / 12)) for u in range(2000)}
        counts.update(units)
        total = sum(units.values())
        countries = _split(chance, total, 150, ("country", skill))
        counts.update(countries)
        orgs = _rollup(counts, lines, ("org", skill), list(units), 200)
        regions = _rollup(counts, lines, ("region", skill), list(countries), 5)
        roles = _split(chance, total, 7, ("role", skill))
        counts.update(roles)
        counts[("all", skill)] = total
        lines += [
            Line(("all", skill), tuple(orgs)),
            Line(("all", skill), tuple(regions)),
            Line(("all", skill), tuple(roles)),
        ]
    return counts, lines


def _rollup(counts, lines, prefix, members, groups):
    totals = []
    for g in range(groups):
        parts = tuple(members[g::groups])
        counts[(*prefix, g)] = sum(counts[p] for p in parts)
        lines.append(Line((*prefix, g), parts))
        totals.append((*prefix, g))
    return totals


def _split(chance, total, n, prefix):
    cuts = sorted(chance.randint(0, total) for _ in range(n - 1))
    return {
        (*prefix, i): b - a for i, (a, b) in enumerate(zip([0, *cuts], [*cuts, total], strict=True))
    }


def test_a_full_skills_report_is_suppressed_quickly_and_safely():
    counts, lines = skills_report()
    started = time.perf_counter()
    status = suppress(counts, lines)
    elapsed = time.perf_counter() - started
    hidden = sum(state is HIDDEN for state in status.values())
    small = sum(state is SMALL for state in status.values())
    print(
        f"\n{len(counts)} counts, {len(lines)} lines: {small} small, {hidden} hidden, {elapsed:.3f}s"
    )
    assert small > 1000 and hidden > 100  # the data really exercises both kinds
    assert recoverable(counts, lines, status) == set()
    assert elapsed < 1.0
