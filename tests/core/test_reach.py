"""Reach tables: every breakdown adds up to its total, counts of people under k never show, and no
suppressed count can be worked out from the total and the other rows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.reach import DIMENSIONS, TOTAL, Delivery, reach
from datacircle.core.suppression import Line, Status, recoverable

deliveries = st.lists(
    st.builds(
        Delivery,
        module=st.sampled_from(["datacircle/a", "datacircle/b", "kenya-rc/a"]),
        organisation=st.sampled_from(["kenya-rc", "senegal-rc", "ifrc"]),
        country=st.sampled_from(["KE", "SN", ""]),
        year=st.sampled_from([2025, 2026]),
        language=st.sampled_from(["en", "fr"]),
        participants=st.integers(0, 30),
    ),
    max_size=25,
)
breakdowns = st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=3, unique=True)


def true_people(items, by):
    counts = {}
    for item in items:
        key = tuple(getattr(item, name) for name in by)
        counts[key] = counts.get(key, 0) + item.participants
    return counts


@settings(max_examples=150, deadline=None)
@given(items=deliveries, by=breakdowns, k=st.integers(3, 10))
def test_rows_add_up_and_small_cells_never_show(items, by, k):
    table = reach(items, by, k)
    people = true_people(items, by)
    assert sum(row.deliveries for row in table.rows) == table.total.deliveries == len(items)
    assert {row.key for row in table.rows} == set(people)
    assert all(
        table.rows[i].deliveries >= table.rows[i + 1].deliveries for i in range(len(table.rows) - 1)
    )
    for row in table.rows:
        published = row.participants
        truth = people[row.key]
        if published.status is Status.SMALL:
            assert truth < k and str(published) == f"<{k}"
        elif published.status is Status.SHOWN:
            assert published.value == truth >= k
        else:
            assert truth >= k and published.value is None


@settings(max_examples=150, deadline=None)
@given(items=deliveries, by=breakdowns, k=st.integers(3, 10))
def test_no_suppressed_count_is_recoverable_with_the_total(items, by, k):
    table = reach(items, by, k)
    people = true_people(items, by)
    counts = {TOTAL: sum(people.values()), **people}
    status = {TOTAL: table.total.participants.status}
    status.update((row.key, row.participants.status) for row in table.rows)
    lines = [Line(TOTAL, tuple(people))] if people else []
    assert recoverable(counts, lines, status, k) == set()


def test_a_single_small_country_hides_a_second_count():
    items = [
        Delivery("datacircle/a", "kenya-rc", "KE", 2025, "en", 40),
        Delivery("datacircle/a", "kenya-rc", "KE", 2026, "en", 12),
        Delivery("datacircle/a", "senegal-rc", "SN", 2026, "fr", 3),
    ]
    table = reach(items, ["country"])
    assert str(table.row("SN").participants) == "<5"
    assert table.row("KE").deliveries == 2
    shown = [str(table.row("KE").participants), str(table.total.participants)]
    assert "–" in shown  # either Kenya's 52 or the total 55 is withheld


@pytest.mark.parametrize("by", [["town"], ["country", "country"], []])
def test_unknown_or_repeated_dimensions_are_refused(by):
    with pytest.raises(ValueError, match="dimensions"):
        reach([], by)


def test_negative_participants_are_refused():
    with pytest.raises(ValueError, match="negative"):
        reach([Delivery("datacircle/a", "kenya-rc", "KE", 2025, "en", -1)], ["country"])
