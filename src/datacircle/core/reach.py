"""Reach tables: deliveries of modules counted by country, organisation, module, year or
language, with the people reached published under the small-cell rule.

A table is one breakdown: its rows (one per combination of the chosen dimensions) add up to its
total. Counts of deliveries are not about people and are always shown; counts of participants
go through `core.suppression`, so a count under k shows as "<k" and no suppressed count can be
worked out from the total and the other rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datacircle.core.suppression import DEFAULT_K, Line, Published, publish

DIMENSIONS = ("module", "organisation", "country", "year", "language")
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
    dimensions = tuple(by)
    unknown = [name for name in dimensions if name not in DIMENSIONS]
    if unknown or len(set(dimensions)) != len(dimensions):
        raise ValueError(f"dimensions must be distinct names from {DIMENSIONS}, not {dimensions}")
    sessions: dict[tuple, int] = defaultdict(int)
    people: dict[tuple, int] = defaultdict(int)
    for delivery in deliveries:
        if delivery.participants < 0:
            raise ValueError(f"a delivery of {delivery.module} has a negative participant count")
        key = tuple(getattr(delivery, name) for name in dimensions)
        sessions[key] += 1
        people[key] += delivery.participants
    keys = sorted(people, key=lambda key: tuple((str(type(v)), v) for v in key))
    counts: dict[tuple, int] = {TOTAL: sum(people.values())}
    counts.update((key, people[key]) for key in keys)
    published = publish(counts, [Line(TOTAL, tuple(keys))] if keys else [], k)
    rows = [Row(key, sessions[key], published[key]) for key in keys]
    # Largest first by what a reader can see: deliveries, never a suppressed count.
    rows.sort(key=lambda row: -row.deliveries)
    total = Row(TOTAL, sum(sessions.values()), published[TOTAL])
    return Reach(dimensions, tuple(rows), total, k)
