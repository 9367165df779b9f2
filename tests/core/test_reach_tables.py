"""Several breakdowns published together: each adds up, nested ones add up to their parent's
rows, and no suppressed count can be worked out from all the tables at once."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.reach import TOTAL, Delivery, breakdowns, reach, rows_under
from datacircle.core.reach import Delivery as Record
from datacircle.core.suppression import Line, Status, recoverable

records = st.lists(
    st.builds(
        Record,
        module=st.sampled_from(["datacircle/a", "datacircle/b", "kenya-rc/a"]),
        organisation=st.sampled_from(["kenya-rc", "senegal-rc"]),
        country=st.sampled_from(["KE", "SN", ""]),
        year=st.sampled_from([2025, 2026]),
        language=st.sampled_from(["en", "fr"]),
        participants=st.integers(0, 25),
        city=st.sampled_from(["", "Nairobi", "Dakar"]),
    ),
    max_size=20,
)
# The shapes the pages use: two splits of the total, and splits nested in them.
TABLE_SETS = [
    (("organisation",), ("country",)),
    (("organisation",), ("organisation", "module"), ("organisation", "year")),
    (("country",), ("country", "module"), ("country", "module", "city")),
    (
        ("organisation",),
        ("country",),
        ("organisation", "language"),
        ("country", "module"),
        ("country", "module", "city"),
    ),
]


def truth(items, table):
    people = defaultdict(int)
    for item in items:
        people[tuple(getattr(item, name) for name in table)] += item.participants
    return people


def parent_of(table, tables):
    prefixes = [t for t in tables if len(t) < len(table) and table[: len(t)] == t]
    return max(prefixes, key=len) if prefixes else None


@settings(max_examples=120, deadline=None)
@given(items=records, tables=st.sampled_from(TABLE_SETS), k=st.integers(3, 8))
def test_tables_add_up_and_hide_every_small_count_together(items, tables, k):
    result = breakdowns(items, tables, k)
    counts = {TOTAL: sum(item.participants for item in items)}
    status = {TOTAL: next(iter(result.values())).total.participants.status}
    lines = []
    for table in tables:
        people = truth(items, table)
        reach_table = result[table]
        assert reach_table.total.deliveries == len(items)
        assert sum(row.deliveries for row in reach_table.rows) == len(items)
        assert reach_table.total.participants == result[tables[0]].total.participants
        for row in reach_table.rows:
            published, value = row.participants, people[row.key]
            if published.status is Status.SHOWN:
                assert published.value == value
            assert (published.status is Status.SMALL) == (value < k)
            counts[(table, row.key)] = value
            status[(table, row.key)] = published.status
        parent = parent_of(table, tables)
        if parent is None:
            if people:
                lines.append(Line(TOTAL, tuple((table, key) for key in people)))
            continue
        for parent_row in result[parent].rows:
            children = rows_under(reach_table, *parent_row.key)
            assert sum(row.deliveries for row in children) == parent_row.deliveries
            lines.append(Line((parent, parent_row.key), tuple((table, r.key) for r in children)))
    # An attacker who reads every table at once cannot pin any suppressed count.
    assert recoverable(counts, lines, status, k) == set()


def test_tables_suppressed_one_by_one_could_contradict_each_other():
    # Two modules of 4 people each in one year: alone, the table by module must hide its total
    # (8 pins both "<5"), while the table by year shows it.
    items = [
        Delivery("datacircle/a", "kenya-rc", "KE", 2025, "en", 4),
        Delivery("datacircle/b", "kenya-rc", "KE", 2025, "en", 4),
    ]
    assert str(reach(items, ["module"]).total.participants) == "–"
    assert str(reach(items, ["year"]).total.participants) == "8"
    together = breakdowns(items, [("module",), ("year",)])
    assert str(together[("year",)].total.participants) == "–"
    assert [str(row.participants) for row in together[("year",)].rows] == ["–"]


def test_cities_nest_in_their_country():
    items = [
        Record("datacircle/a", "kenya-rc", "KE", 2025, "en", 30, "Nairobi"),
        Record("datacircle/a", "kenya-rc", "KE", 2025, "en", 3, "Mombasa"),
        Record("datacircle/a", "senegal-rc", "SN", 2025, "fr", 20, "Dakar"),
        Record("datacircle/a", "senegal-rc", "SN", 2025, "fr", 25, "Thiès"),
    ]
    result = breakdowns(items, [("country",), ("country", "city")])
    cities = {row.key[1]: str(row.participants) for row in result[("country", "city")].rows}
    # Kenya's 33 is shown, so Nairobi's 30 must not be; Senegal's cities are safe to show.
    assert cities == {"Nairobi": "–", "Mombasa": "<5", "Dakar": "20", "Thiès": "25"}
    assert str(result[("country",)].row("KE").participants) == "33"


@pytest.mark.parametrize(
    "tables",
    [[("planet",)], [("country", "country")], [("country",), ("country",)], [()]],
)
def test_bad_tables_are_refused(tables):
    with pytest.raises(ValueError):
        breakdowns([], tables)


def test_no_records_give_empty_tables():
    result = breakdowns([], [("country",)])
    assert result[("country",)].rows == () and result[("country",)].total.deliveries == 0
