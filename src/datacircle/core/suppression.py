"""Small-cell suppression for published aggregate tables (counts of people).

Every count under k is shown as "<k" (primary suppression, `Status.SMALL`), and further cells are
hidden (`Status.HIDDEN`, shown as a dash) until no suppressed count can be worked out exactly by
differencing the published totals (secondary suppression).

The tables are described as *lines*: a total and the parts that add up to it ("all people" = the
units' counts, a unit's count = its teams' counts...), and *caps*: a count that can never exceed
another (a unit's demand for a skill is at most the unit's respondents). The attacker we protect
against knows every shown count exactly, knows that a "<k" cell lies in [0, k-1] and that a dash
lies in [k, inf) (a dash is not small, or it would say "<k"), knows every line adds up and every
cap holds. Each suppressed count must keep at least two values consistent with all of that.

The attacker is modelled by interval (bounds) propagation. A cap `count <= ceiling` is the line
`ceiling = count + room`, the room being an unpublished count: known while both sides are shown,
else only known to be >= 0. Where a line and each of its members are capped by a parallel line
(a skill's demand by unit under the respondents by unit), the rooms add up the same way, and that
sum is added as a line too. Without caps the model is exact: each count is a part of at most one
line (lines form nested breakdowns that may share totals, `Table.from_lines` rejects anything
else), so the lines form an acyclic network of sum constraints over integer intervals, where
bounds consistency means every value left in an interval extends to a complete table. Caps close
cycles (a unit's demand, its organisation's demand, the organisation's respondents, the unit's
respondents), where interval reasoning is not exact in general; with the rooms' lines it agrees
with an exhaustive attacker on the random capped hierarchies of the tests, which also check every
suppression against that attacker.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, NamedTuple, TypeVar

K = TypeVar("K", bound=Hashable)

DEFAULT_K = 5
# What a hidden cell shows; the templates add the translated note ("hidden so that small counts
# cannot be worked out from the totals").
HIDDEN_MARK = "–"
UNBOUNDED = math.inf

Interval = tuple[int, float]  # (lowest, highest) a count can be; highest may be UNBOUNDED


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # under k: shown as "<k"
    HIDDEN = "hidden"  # k or more, hidden so that a small count cannot be derived


class SuppressionError(ValueError):
    """The table cannot be published safely (or was described inconsistently)."""


Caps = Mapping[K, K] | Iterable[tuple[K, K]]  # count -> the count it can never exceed


class Room(NamedTuple):
    """The unpublished difference `ceiling - count` of a cap (internal: never published)."""

    count: Hashable
    ceiling: Hashable


@dataclass(frozen=True)
class Line(Generic[K]):
    """A published sum: `total` == sum of `parts`."""

    total: K
    parts: tuple[K, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", tuple(self.parts))


@dataclass(frozen=True)
class Published:
    """A count as it may appear in a page or export; `value` is None unless the count is shown."""

    value: int | None
    status: Status
    k: int

    def __str__(self) -> str:
        if self.status is Status.SHOWN:
            return str(self.value)
        if self.status is Status.SMALL:
            return f"<{self.k}"
        return HIDDEN_MARK


@dataclass
class Table(Generic[K]):
    """Counts and lines, indexed by position so that the suppression loops stay cheap."""

    keys: list[K]
    values: list[int]
    published: int = 0  # cells [0, published) are the caller's counts, the rest caps' rooms
    totals: list[int] = field(default_factory=list)  # per line: index of its total
    parts: list[tuple[int, ...]] = field(default_factory=list)  # per line: indexes of its parts
    lines_of: list[list[int]] = field(default_factory=list)  # per cell: lines it belongs to
    rooms_of: list[list[int]] = field(default_factory=list)  # per cell: rooms of its caps
    cap_lines: range = range(0)  # the lines `ceiling = count + room`

    @classmethod
    def from_lines(
        cls, counts: Mapping[K, int], lines: Iterable[Line[K]], caps: Caps[K] = ()
    ) -> Table[K]:
        keys = list(counts)
        values = [_checked_count(key, counts[key]) for key in keys]
        table = cls(
            keys,
            values,
            published=len(keys),
            lines_of=[[] for _ in keys],
            rooms_of=[[] for _ in keys],
        )
        position = {key: i for i, key in enumerate(keys)}
        parent: dict[int, Line[K]] = {}
        seen: set[tuple[K, frozenset[K]]] = set()
        for line in lines:
            signature = (line.total, frozenset(line.parts))
            if signature in seen:
                continue  # the same breakdown listed twice tells an attacker nothing new
            seen.add(signature)
            total, parts = table._indexed(line, position)
            for part in parts:
                if part in parent:
                    raise SuppressionError(
                        f"{keys[part]!r} is a part of two lines (totals {parent[part].total!r} "
                        f"and {line.total!r}); describe nested breakdowns as nested lines so "
                        "that every count has one parent"
                    )
                parent[part] = line
            table._add_line(total, parts)
        table._reject_cycles()
        table._add_caps(caps, position)
        return table

    def _add_caps(self, caps: Caps[K], position: Mapping[K, int]) -> None:
        """Each cap `count <= ceiling` becomes the line `ceiling = count + room`."""
        pairs = caps.items() if isinstance(caps, Mapping) else caps
        rooms: dict[tuple[int, int], int] = {}
        first_cap_line = len(self.totals)
        keys, values, totals, parts = self.keys, self.values, self.totals, self.parts
        lines_of, rooms_of = self.lines_of, self.rooms_of
        for count, ceiling in pairs:
            try:
                pair = below, above = position[count], position[ceiling]
            except KeyError:
                missing = [key for key in (count, ceiling) if key not in position]
                raise SuppressionError(
                    f"cap {count!r} <= {ceiling!r} uses keys with no count: {missing!r}"
                ) from None
            if below == above or pair in rooms:
                continue  # a count is trivially its own cap; a repeated cap adds nothing
            if values[below] > values[above]:
                raise SuppressionError(
                    f"{count!r} is {values[below]}, more than its cap {ceiling!r} ({values[above]})"
                )
            # Appended directly rather than through _add_line: there can be tens of thousands.
            room = rooms[pair] = len(values)
            line = len(totals)
            keys.append(Room(count, ceiling))
            values.append(values[above] - values[below])
            totals.append(above)
            parts.append((below, room))
            lines_of.append([line])
            rooms_of.append([])
            lines_of[above].append(line)
            lines_of[below].append(line)
            rooms_of[above].append(room)
            rooms_of[below].append(room)
        self.cap_lines = range(first_cap_line, len(self.totals))
        self._add_room_lines(rooms, first_cap_line)

    def _add_room_lines(self, rooms: Mapping[tuple[int, int], int], lines: int) -> None:
        """Where a line and all its members are capped by a parallel line, the rooms add up too.

        A unit's demand for a skill is at most its respondents, and so are its organisation's;
        then the "respondents not wanting it" also add up from units to organisation. An
        attacker can reason with those sums, which single caps do not carry: add them as lines.
        """
        ceilings: dict[int, list[int]] = defaultdict(list)
        for count, ceiling in rooms:
            ceilings[count].append(ceiling)
        lines_with_total: dict[int, list[int]] = defaultdict(list)
        for n in range(lines):
            lines_with_total[self.totals[n]].append(n)
        for n in range(lines):
            total, parts = self.totals[n], self.parts[n]
            for top in ceilings.get(total, ()):
                for other in lines_with_total[top]:
                    matched = _parallel(parts, self.parts[other], ceilings)
                    if matched is not None:
                        room_parts = tuple(rooms[part, cap] for part, cap in matched)
                        self._add_line(rooms[total, top], room_parts)

    def is_room(self, cell: int) -> bool:
        return cell >= self.published

    def _indexed(self, line: Line[K], position: Mapping[K, int]) -> tuple[int, tuple[int, ...]]:
        missing = [key for key in (line.total, *line.parts) if key not in position]
        if missing:
            raise SuppressionError(
                f"line with total {line.total!r} uses keys with no count: {missing!r}"
            )
        parts = tuple(position[key] for key in line.parts)
        total = position[line.total]
        if len(set(parts)) != len(parts) or total in parts:
            raise SuppressionError(f"line with total {line.total!r} lists a count twice")
        added = sum(self.values[p] for p in parts)
        if added != self.values[total]:
            raise SuppressionError(
                f"line with total {line.total!r}: the parts add up to {added}, "
                f"not {self.values[total]}"
            )
        return total, parts

    def _add_line(self, total: int, parts: tuple[int, ...]) -> None:
        number = len(self.totals)
        self.totals.append(total)
        self.parts.append(parts)
        for cell in (total, *parts):
            self.lines_of[cell].append(number)

    def _reject_cycles(self) -> None:
        """A count may not be (a part of a part of...) itself."""
        parent_total = {p: self.totals[n] for n, parts in enumerate(self.parts) for p in parts}
        cleared: set[int] = set()
        for start in parent_total:
            path: list[int] = []
            cell: int | None = start
            while cell is not None and cell not in cleared:
                if cell in path:
                    raise SuppressionError(f"{self.keys[cell]!r} is counted inside itself")
                path.append(cell)
                cell = parent_total.get(cell)
            cleared.update(path)


def _parallel(
    parts: Sequence[int], ceilings_line: Sequence[int], ceilings: Mapping[int, list[int]]
) -> list[tuple[int, int]] | None:
    """Pair each of `parts` with its own cap among `ceilings_line`, one to one, if they match.

    Greedy: exact when each part has one cap in that line (as in a report, where a group's
    counts are capped by the group's headcount); otherwise a sum may be missed, never invented.
    """
    if len(parts) != len(ceilings_line):
        return None
    free = set(ceilings_line)
    pairs = []
    for part in parts:
        cap = next((c for c in ceilings.get(part, ()) if c in free), None)
        if cap is None:
            return None
        free.discard(cap)
        pairs.append((part, cap))
    return pairs


def _checked_count(key: Hashable, count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise SuppressionError(f"count for {key!r} must be a non-negative integer, not {count!r}")
    return count


def line_bounds(
    total: Interval, shown_parts: int, parts: Sequence[Interval]
) -> tuple[Interval, list[Interval]]:
    """What one line alone says about its members, given what is known of each.

    The line is total == shown_parts + sum(parts). The result is exact for a single line: every
    integer in each returned interval is the value of that member in some solution of the line.
    """
    lowest = shown_parts + sum(low for low, _ in parts)
    unbounded = sum(1 for _, high in parts if high == UNBOUNDED)
    highest_finite = shown_parts + sum(high for _, high in parts if high != UNBOUNDED)
    total_low, total_high = total
    new_total = (
        max(total_low, lowest),
        min(total_high, UNBOUNDED if unbounded else highest_finite),
    )
    new_parts = []
    for low, high in parts:
        others_unbounded = unbounded - (high == UNBOUNDED)
        others_high = UNBOUNDED if others_unbounded else highest_finite - _finite(high)
        others_low = lowest - low
        new_low = low if others_high == UNBOUNDED else max(low, total_low - int(others_high))
        new_parts.append((new_low, min(high, total_high - others_low)))
    return new_total, new_parts


def _finite(high: float) -> float:
    return 0 if high == UNBOUNDED else high


class _Attacker:
    """Bounds on every count, from the published statuses and the lines, kept up to date."""

    def __init__(self, table: Table, k: int) -> None:
        self.table = table
        self.k = k
        self.status = [Status.SHOWN] * len(table.values)
        self.low: list[int] = list(table.values)
        self.high: list[float] = list(table.values)
        self.shown_parts = [sum(table.values[p] for p in parts) for parts in table.parts]
        self.suppressed_parts: list[list[int]] = [[] for _ in table.parts]

    def suppress(self, cell: int, status: Status) -> None:
        self.status[cell] = status
        self.low[cell], self.high[cell] = self.base(cell)
        for line in self.table.lines_of[cell]:
            if self.table.totals[line] != cell:
                self.shown_parts[line] -= self.table.values[cell]
                self.suppressed_parts[line].append(cell)
        # A cap's room is known exactly while its count and ceiling are both shown; once either
        # is suppressed the attacker only knows it is >= 0.
        for room in self.table.rooms_of[cell]:
            if not self.is_suppressed(room):
                self.suppress(room, Status.HIDDEN)

    def base(self, cell: int) -> Interval:
        """What the published status alone says about a count."""
        status = self.status[cell]
        if status is Status.SHOWN:
            value = self.table.values[cell]
            return (value, value)
        if self.table.is_room(cell):
            return (0, UNBOUNDED)
        if status is Status.SMALL:
            return (0, self.k - 1)
        return (self.k, UNBOUNDED)

    def is_suppressed(self, cell: int) -> bool:
        return self.status[cell] is not Status.SHOWN

    def showing(self, line: int) -> list[int]:
        """The published counts of `line` that are still shown (rooms are never published)."""
        members = (self.table.totals[line], *self.table.parts[line])
        return [m for m in members if not self.is_suppressed(m) and not self.table.is_room(m)]

    def suppressed_count(self, line: int) -> int:
        total = self.table.totals[line]
        return len(self.suppressed_parts[line]) + self.is_suppressed(total)

    def region(self, seeds: Iterable[int]) -> list[int]:
        """The suppressed counts linked to `seeds` through lines: all that a change can affect."""
        status, shown = self.status, Status.SHOWN  # locals: this loop visits every dash
        table, suppressed_parts = self.table, self.suppressed_parts
        found = {cell for cell in seeds if status[cell] is not shown}
        visited_lines: set[int] = set()  # each line once: long lines have hundreds of dashes
        queue = deque(found)
        while queue:
            cell = queue.popleft()
            for line in table.lines_of[cell]:
                if line in visited_lines:
                    continue
                visited_lines.add(line)
                total = table.totals[line]
                for member in (total, *suppressed_parts[line]):
                    if member not in found and status[member] is not shown:
                        found.add(member)
                        queue.append(member)
        return sorted(found)

    def propagate(self, cells: Sequence[int]) -> None:
        """Recompute the bounds of a closed region of suppressed counts from scratch."""
        for cell in cells:
            self.low[cell], self.high[cell] = self.base(cell)
        queue = deque(sorted({line for cell in cells for line in self.table.lines_of[cell]}))
        waiting = set(queue)
        while queue:
            line = queue.popleft()
            waiting.discard(line)
            for cell in self.revise(line):
                for other in self.table.lines_of[cell]:
                    if other != line and other not in waiting:
                        waiting.add(other)
                        queue.append(other)

    def revise(self, line: int) -> list[int]:
        """Narrow the members of `line` by what it says; return the counts that were narrowed."""
        if line in self.table.cap_lines:
            return self.revise_cap(line)
        total = self.table.totals[line]
        hidden = self.suppressed_parts[line]
        new_total, new_parts = self.bounds_from(line)
        return self.narrow(zip((total, *hidden), (new_total, *new_parts), strict=True))

    def revise_cap(self, line: int) -> list[int]:
        """`revise` for a line `ceiling = count + room`: the same bounds, without the lists.

        Caps outnumber all other lines, so this is most of the propagation work.
        """
        ceiling = self.table.totals[line]
        count, room = self.table.parts[line]
        low, high, status = self.low, self.high, self.status
        narrowed = []
        for cell, new_low, new_high in (
            (ceiling, low[count] + low[room], high[count] + high[room]),
            (count, low[ceiling] - high[room], high[ceiling] - low[room]),
            (room, low[ceiling] - high[count], high[ceiling] - low[count]),
        ):
            if (new_low > low[cell] or new_high < high[cell]) and status[cell] is not Status.SHOWN:
                low[cell] = max(low[cell], new_low)
                high[cell] = min(high[cell], new_high)
                if low[cell] > high[cell]:
                    raise AssertionError(f"contradictory bounds for {self.table.keys[cell]!r}")
                narrowed.append(cell)
        return narrowed

    def narrow(self, bounds: Iterable[tuple[int, Interval]]) -> list[int]:
        narrowed = []
        for cell, (low, high) in bounds:
            if (low <= self.low[cell] and high >= self.high[cell]) or not self.is_suppressed(cell):
                continue
            self.low[cell] = max(self.low[cell], low)
            self.high[cell] = min(self.high[cell], high)
            if self.low[cell] > self.high[cell]:
                raise AssertionError(f"contradictory bounds for {self.table.keys[cell]!r}")
            narrowed.append(cell)
        return narrowed

    def bounds_from(self, line: int) -> tuple[Interval, list[Interval]]:
        total = self.table.totals[line]
        return line_bounds(
            (self.low[total], self.high[total]),
            self.shown_parts[line],
            [(self.low[p], self.high[p]) for p in self.suppressed_parts[line]],
        )

    def exposed(self, cells: Iterable[int]) -> list[int]:
        """The published counts among `cells` that the attacker has pinned to one value."""
        return [
            c
            for c in cells
            if self.is_suppressed(c) and self.low[c] == self.high[c] and not self.table.is_room(c)
        ]


class _Suppression(_Attacker):
    """Primary then secondary suppression, hiding as few and as small counts as it can."""

    def run(self) -> list[Status]:
        if self.k <= 1:
            return self.status  # "<1" would mean exactly 0: nothing to protect
        published = self.table.values[: self.table.published]
        fresh = [cell for cell, value in enumerate(published) if value < self.k]
        for cell in fresh:
            self.suppress(cell, Status.SMALL)
        exposed: list[int] = []
        while fresh:
            # Exposed counts left over from the last round are recomputed with the new dashes.
            seeds = [*fresh, *exposed]
            seeds += self.settle_lines(seeds)
            region = self.region(seeds)
            self.propagate(region)
            exposed = self.exposed(region)
            fresh = self.protect(exposed) if exposed else []
            if exposed and not fresh:
                fresh = self.protect_from_afar(exposed)
        return self.status

    def settle_lines(self, seeds: Iterable[int]) -> list[int]:
        """Fix every line that gives a count away on its own, before looking across lines.

        A line that pins a member from its own shown counts and statuses must get a dash of its
        own whatever else happens; fixing those first keeps the cross-line repairs (which guess
        which line to blame) for the cases that really need them.
        """
        queue = deque(sorted({line for cell in seeds for line in self.table.lines_of[cell]}))
        hidden = []
        while queue:
            line = queue.popleft()
            suppressed = self.suppressed_count(line)
            if not suppressed or self.safe_if_hidden(line) or not self.showing(line):
                continue
            chosen = self.secondary_choice(line)
            self.suppress(chosen, Status.HIDDEN)
            hidden.append(chosen)
            queue.extend(self.table.lines_of[chosen])
        return hidden

    def protect(self, exposed: Sequence[int]) -> list[int]:
        """Hide one more count in a line that gives away each exposed count.

        Counts whose lines just changed wait for the next round: the new dash may already have
        protected them, and hiding more now would hide more than necessary.
        """
        changed: set[int] = set()
        hidden = []
        for cell in exposed:
            if changed.intersection(self.table.lines_of[cell]):
                continue
            line = self.culprit(cell)
            if line is None:
                continue
            chosen = self.secondary_choice(line)
            self.suppress(chosen, Status.HIDDEN)
            hidden.append(chosen)
            changed.update(self.table.lines_of[chosen])
        return hidden

    def culprit(self, cell: int) -> int | None:
        """Of the lines through `cell` that still show something, the one that pins it most."""
        best: tuple[float, bool] | None = None
        chosen = None
        for line in self.table.lines_of[cell]:
            if not self.showing(line):
                continue
            low, high = self.bounds_of_member(line, cell)
            rank = (high - low, self.table.totals[line] == cell)
            if best is None or rank < best:
                best, chosen = rank, line
        return chosen

    def bounds_of_member(self, line: int, cell: int) -> Interval:
        """What `line` says about `cell` from the other members' bounds and cell's own status.

        The cell's own (already pinned) bounds are left out: otherwise every line through an
        exposed count would look equally guilty.
        """
        known = self.low[cell], self.high[cell]
        self.low[cell], self.high[cell] = self.base(cell)
        try:
            new_total, new_parts = self.bounds_from(line)
        finally:
            self.low[cell], self.high[cell] = known
        if self.table.totals[line] == cell:
            return new_total
        return new_parts[self.suppressed_parts[line].index(cell)]

    def secondary_choice(self, line: int) -> int:
        """The shown member of `line` to hide next.

        Preference: one that alone makes the line safe, then one that its other lines (caps
        above all: a dash under a shown cap of exactly k is k) do not give away, then one that
        does not force yet another dash in its other lines, then a part rather than the total,
        then the smallest count.
        """
        total = self.table.totals[line]
        return min(
            self.showing(line),
            key=lambda c: (
                not self.safe_if_hidden(line, c),
                self.pinned_elsewhere(line, c),
                self.dashes_forced(line, c),
                c == total,
                self.table.values[c],
                c,
            ),
        )

    def safe_if_hidden(self, line: int, candidate: int | None = None) -> bool:
        """Does the line alone, read from its statuses alone, pin nothing (with `candidate` hidden)?

        A cap's room is never published, so its being pinned gives nothing away.
        """
        if line in self.table.cap_lines:
            return self.cap_safe(line, candidate)
        total = self.table.totals[line]
        dash = (self.k, UNBOUNDED)
        members = list(self.suppressed_parts[line])
        parts = [self.base(p) for p in members]
        shown_parts = self.shown_parts[line]
        total_bounds = self.base(total)
        if candidate == total:
            total_bounds = dash
        elif candidate is not None:
            members.append(candidate)
            parts.append(dash)
            shown_parts -= self.table.values[candidate]
        new_total, new_parts = line_bounds(total_bounds, shown_parts, parts)
        total_suppressed = self.is_suppressed(total) or candidate == total
        if total_suppressed and new_total[0] >= new_total[1]:
            return False
        return all(
            low < high or self.table.is_room(member)
            for member, (low, high) in zip(members, new_parts, strict=True)
        )

    def cap_safe(self, line: int, candidate: int | None = None) -> bool:
        """`safe_if_hidden` for a cap: what `line_bounds` says once the room is unknown, [0, inf).

        (Hiding the count or the ceiling hides the room with it.) Every small count has a cap or
        two, and every candidate dash its own, so this runs often.
        """
        count, ceiling = self.table.parts[line][0], self.table.totals[line]
        dash = (self.k, UNBOUNDED)
        count_low, count_high = dash if candidate == count else self.base(count)
        ceiling_low, ceiling_high = dash if candidate == ceiling else self.base(ceiling)
        if (self.is_suppressed(count) or candidate == count) and count_low >= min(
            count_high, ceiling_high
        ):
            return False
        ceiling_hidden = self.is_suppressed(ceiling) or candidate == ceiling
        return not ceiling_hidden or max(ceiling_low, count_low) < ceiling_high

    def pinned_elsewhere(self, line: int, candidate: int) -> bool:
        """Would hiding `candidate` leave one of its other, partly suppressed lines unsafe?

        (Lines with nothing suppressed yet are counted by dashes_forced.)
        """
        return any(
            not self.safe_if_hidden(other, candidate)
            for other in self.table.lines_of[candidate]
            if other != line and (self.suppressed_count(other) > 0 or other in self.table.cap_lines)
        )

    def dashes_forced(self, line: int, candidate: int) -> int:
        """How many other lines would have `candidate` as their only suppressed member.

        (Not its caps: the cap's room would be suppressed with it.)
        """
        return sum(
            1
            for other in self.table.lines_of[candidate]
            if other != line
            and self.suppressed_count(other) == 0
            and other not in self.table.cap_lines
        )

    def protect_from_afar(self, exposed: Sequence[int]) -> list[int]:
        """When every line through an exposed count is fully suppressed, widen a line further out.

        Only tiny k can get here (e.g. k=2: a dash that is the sum of two "<2" cells is exactly
        2); if nothing in reach can be hidden, the statuses themselves give the counts away.
        """
        for cell in exposed:
            line = self.nearest_line_showing_something(cell)
            if line is not None:
                chosen = self.secondary_choice(line)
                self.suppress(chosen, Status.HIDDEN)
                return [chosen]
        raise SuppressionError(
            f"cannot protect {self.table.keys[exposed[0]]!r} with k={self.k}: the pattern of "
            "small and hidden counts alone reveals it; use a larger k"
        )

    def nearest_line_showing_something(self, cell: int) -> int | None:
        visited_lines: set[int] = set()
        visited_cells = {cell}
        queue = deque([cell])
        while queue:
            current = queue.popleft()
            for line in self.table.lines_of[current]:
                if line in visited_lines:
                    continue
                visited_lines.add(line)
                if self.showing(line):
                    return line
                for member in (self.table.totals[line], *self.table.parts[line]):
                    if member not in visited_cells:
                        visited_cells.add(member)
                        queue.append(member)
        return None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while building and solving a table.

    A report's table is ~100,000 small lists that live until the end, so every collection
    rescans them all (a fifth of the time); they form no reference cycles to collect anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def suppress(
    counts: Mapping[K, int],
    lines: Iterable[Line[K]],
    k: int = DEFAULT_K,
    caps: Caps[K] = (),
) -> dict[K, Status]:
    """How each count may be published so that no count under k can be seen or worked out.

    Counts under k are SMALL; HIDDEN counts are the extra ones withheld so that the totals cannot
    be differenced. `caps` maps a count to a count it can never exceed (or lists such pairs,
    for counts with several caps), e.g. a group's demand to the group's respondents: an attacker
    knows that too. Keys that are in no line or cap are only checked against k. Raises
    SuppressionError for an inconsistent table, or when the statuses alone would give a count
    away (a tiny k, e.g. a total of 2 split into two "<2" cells).
    """
    if k < 1:
        raise SuppressionError(f"k must be at least 1, not {k}")
    with _no_cycle_collection():
        table = Table.from_lines(counts, lines, caps)
        status = _Suppression(table, k).run()
    published = table.published
    return dict(zip(table.keys[:published], status[:published], strict=True))


def publish(
    counts: Mapping[K, int],
    lines: Iterable[Line[K]],
    k: int = DEFAULT_K,
    caps: Caps[K] = (),
) -> dict[K, Published]:
    """Each count ready to display: the number, "<k", or a dash."""
    status = suppress(counts, lines, k, caps)
    return {
        key: Published(counts[key] if state is Status.SHOWN else None, state, k)
        for key, state in status.items()
    }


def recoverable(
    counts: Mapping[K, int],
    lines: Iterable[Line[K]],
    status: Mapping[K, Status],
    k: int = DEFAULT_K,
    caps: Caps[K] = (),
) -> set[K]:
    """The suppressed counts an attacker can work out exactly from a publication.

    Useful to audit a table whose statuses were decided elsewhere (or edited by hand).
    """
    with _no_cycle_collection():
        table = Table.from_lines(counts, lines, caps)
        return _audit(table, status, k)


def _audit(table: Table[K], status: Mapping[K, Status], k: int) -> set[K]:
    attacker = _Attacker(table, k)
    for cell, key in enumerate(table.keys[: table.published]):
        state = Status(status[key])
        if (state is Status.SMALL) != (table.values[cell] < k and k > 1):
            raise SuppressionError(
                f"{key!r} is {table.values[cell]} but marked {state.value} for k={k}"
            )
        if state is not Status.SHOWN:
            attacker.suppress(cell, state)
    region = attacker.region(range(len(table.keys)))
    attacker.propagate(region)
    return {table.keys[cell] for cell in attacker.exposed(region)}
