"""Reach tables: deliveries of modules counted by country, organisation, module, year, language
or city, with the people reached published under the small-cell rule.

A table is one breakdown: its rows (one per combination of the chosen dimensions) add up to its
total. Counts of deliveries are not about people and are always shown; counts of participants
go through `core.suppression`, so a count under k shows as "<k" and no suppressed count can be
worked out from the totals and the other rows.

A page that shows several breakdowns of the same deliveries (by country and by organisation; an
organisation's by module and by year; a module's by country and by city) must protect them
together: they share one total, and a breakdown nested in another (the cities of a country) adds
up to its parent's row. Suppressing each table on its own could hide a total in one table that
another shows, which gives the small counts away, so `breakdowns` makes every table a line of
one suppression, and a count has the same status in every table it appears in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datacircle.core.suppression import DEFAULT_K, Line, Published, publish

DIMENSIONS = ("module", "organisation", "country", "year", "language", "city")
TOTAL = ("*",)  # the key of a table's total row; no row key is made of one "*"


@dataclass(frozen=True)
class Delivery:
    """One delivery of a module, as the reach tables see it (no people, only a count)."""

    module: str  # reference: organisation/slug
    organisation: str  # slug of the organisation that delivered it
    country: str  # ISO 3166-1 alpha-2, "" when online or unknown
    year: int
    language: str
    participants: int
    city: str = ""  # "" when online or not given


@dataclass(frozen=True)
class Row:
    key: tuple[str | int, ...]  # one value per dimension of the table
    deliveries: int
    participants: Published


@dataclass(frozen=True)
class Reach:
    dimensions: tuple[str, ...]
    rows: tuple[Row, ...]  # largest reach first, then by key
    total: Row  # key TOTAL
    k: int

    def row(self, *key: str | int) -> Row | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None


def reach(deliveries: Iterable[Delivery], by: Sequence[str], k: int = DEFAULT_K) -> Reach:
    """The breakdown of `deliveries` by the dimensions `by` (any of DIMENSIONS, in that order
    of the key), people counts suppressed under `k`."""
    table = tuple(by)
    return breakdowns(deliveries, [table], k)[table]


Table = tuple[str, ...]


def _ordered(keys: Iterable[tuple]) -> list[tuple]:
    # Keys mixing text and years sort without comparing the two.
    return sorted(keys, key=lambda key: tuple((str(type(v)), v) for v in key))


def _parent(table: Table, tables: Sequence[Table]) -> Table | None:
    """The longest other table whose dimensions begin `table`'s: its rows are split by `table`."""
    prefixes = [t for t in tables if len(t) < len(table) and table[: len(t)] == t]
    return max(prefixes, key=len) if prefixes else None


def _check(tables: Sequence[Table]) -> None:
    if len(set(tables)) != len(tables):
        raise ValueError(f"each table may be asked for once, not {tables}")
    for table in tables:
        unknown = [name for name in table if name not in DIMENSIONS]
        if not table or unknown or len(set(table)) != len(table):
            raise ValueError(
                f"a table's dimensions must be distinct names from {DIMENSIONS}, not {table}"
            )


def breakdowns(
    records: Iterable[Delivery], tables: Sequence[Sequence[str]], k: int = DEFAULT_K
) -> dict[Table, Reach]:
    """Each of `tables` (tuples of DIMENSIONS) as a `Reach`, people counts suppressed together.

    A table whose dimensions begin with another table's (("country", "city") after ("country",))
    is nested in it: the rows of one country add up to that country's row. Every other table
    splits the total.
    """
    tables = [tuple(table) for table in tables]
    _check(tables)
    sessions: dict[Table, dict[tuple, int]] = {table: defaultdict(int) for table in tables}
    people: dict[Table, dict[tuple, int]] = {table: defaultdict(int) for table in tables}
    total_sessions = total_people = 0
    for record in records:
        if record.participants < 0:
            raise ValueError(f"a delivery of {record.module} has a negative participant count")
        total_sessions += 1
        total_people += record.participants
        for table in tables:
            key = tuple(getattr(record, name) for name in table)
            sessions[table][key] += 1
            people[table][key] += record.participants
    keys = {table: _ordered(people[table]) for table in tables}
    counts: dict = {TOTAL: total_people}
    lines = []
    for table in tables:
        counts.update(((table, key), people[table][key]) for key in keys[table])
        parent = _parent(table, tables)
        if parent is None:
            if keys[table]:
                lines.append(Line(TOTAL, tuple((table, key) for key in keys[table])))
            continue
        children: dict[tuple, list] = defaultdict(list)
        for key in keys[table]:
            children[key[: len(parent)]].append((table, key))
        lines.extend(Line((parent, prefix), tuple(parts)) for prefix, parts in children.items())
    published = publish(counts, lines, k)
    total = Row(TOTAL, total_sessions, published[TOTAL])
    result = {}
    for table in tables:
        rows = [Row(key, sessions[table][key], published[(table, key)]) for key in keys[table]]
        # Largest first by what a reader can see: deliveries, never a suppressed count.
        rows.sort(key=lambda row: -row.deliveries)
        result[table] = Reach(table, tuple(rows), total, k)
    return result


def rows_under(reach: Reach, *prefix: str | int) -> list[Row]:
    """The rows of `reach` whose key begins with `prefix` (one organisation's, one module's…)."""
    return [row for row in reach.rows if row.key[: len(prefix)] == prefix]
