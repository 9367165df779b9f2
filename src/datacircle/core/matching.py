"""Peer-learning matching round: who learns which skill from whom, as the exact optimum.

A *learner* wants skills (with their current level 0-4); a *sharer* shares skills (with their
level) to at most `capacity` learners at once. `match()` picks the set of (learner, sharer, skill)
matches that maximises the total benefit, each learner getting at most one match and each sharer
at most `capacity`; `greedy()` is the naive baseline the benchmark compares against, and
`lp_bound()` solves the linear-programming relaxation with a general LP solver (GLOP) as an
independent check of the optimum.

Edges. A learner may be matched with a sharer for a skill only when:
- the sharer is available (not on a break) and is not the learner (same key = same person);
- the sharer's level is >= `SUPPLY_LEVEL` (3, "can do alone") and above the learner's level;
- they have at least one language in common (hard: a match nobody can talk in is useless);
- the pair is not excluded. Exclusions are *unordered*: ("a", "b") also keeps b from learning
  from a, because a declined or earlier pairing says something about the two people, not the
  direction.

Benefit of an edge (all integers, see `Weights`):
    skill_per_level * min(sharer level - learner level, max_gap)     skill fit, capped
  + other_unit   if the two work in different units                  widen the circle
  + first_match  if the learner was never matched before              priority for newcomers
  - ceil(timezone_per_hour * hours apart)                            hours wrap at 24
Edges whose benefit would be <= 0 are dropped (a match worse than no match). Between one learner
and one sharer only the best skill is kept (ties: the skill code that sorts first), because the
learner gets at most one match anyway.

Optimum. Maximising total benefit with these degree limits is a bipartite b-matching, solved
exactly as a min-cost flow (OR-Tools `SimpleMinCostFlow`). One arc per (learner, sharer) pair
would mean hundreds of millions of arcs for 100,000 learners and 10,000 sharers, so the network
is *aggregated*, using the fact that a benefit depends on people only through a few attributes:

    source -> learner                 capacity 1, cost -first_match (if never matched before)
    learner -> class C                one arc per wanted skill, capacity 1;
                                      C = (skill, learner level, unit, timezone, languages)
    C -> X                            cost -skill fit, one arc per (language, sharer level)
                                      that can teach C; X = (cell, unit, timezone) where a
                                      *cell* is (skill, language, sharer level)
    X -> group of the cell            cost +timezone penalty - other_unit; a *group* is the
                                      sharers of one cell in one timezone, split into one *hub*
                                      per sharer unit. "Every unit but mine" is reached through
                                      a prefix chain and a suffix chain over the group's hubs
                                      (hubs sorted by unit: P_i reaches hubs 0..i, S_i reaches
                                      hubs i..k-1), so X needs at most three arcs per group:
                                      P_(own-1), S_(own+1) and its own unit's hub, the latter
                                      without the other_unit bonus
    chain -> hub -> sharer -> sink    sharer -> sink capacity = sharer capacity

plus a zero-cost source -> sink bypass so that leaving a learner unmatched is always feasible.
Every source-sink path is exactly one valid (learner, sharer, skill) triple and costs exactly
minus its benefit, and every valid triple has such a path, so the min-cost flow equals the
optimum over all triples. Paths are not filtered by benefit > 0: a negative-benefit path is never
in an optimum (sending that learner through the bypass is better), and zero-benefit matches are
dropped afterwards without changing the total. The network has about as many arcs as learners
have wanted skills, whatever the number of sharers.

Exclusions and self-pairs. A learner who is excluded with some sharer, or who shares a skill
they want (same key), must not reach that person. Only the cells holding such a person are a
problem; for those the learner gets private C and X nodes whose arcs avoid the hubs holding
the person (the rest of the group through the chains, or hub by hub between two such hubs) and
reach the other members of those hubs one by one. Every other route stays shared.

From flows to matches. The flow is decomposed path by path in node order (nodes are numbered so
that every arc goes forward), handing each learner on in key order, which yields a concrete
sharer per matched learner. The pair then gets its best skill (ties: code): a path may have used
another skill only if it had the same benefit (otherwise the flow was not optimal), so the total
is checked to equal minus the optimal cost. Inputs are sorted by key and every structure is
built in sorted order, so equal inputs always give equal results.

`Result.upper_bound` is the total if capacity were unlimited (every learner takes their best
edge), computed as the longest path from each learner in the same acyclic network: the gap
between it and `total_benefit` is what scarce sharer capacity costs. The LP relaxation of the
flow problem is integral (the constraint matrix of a network is totally unimodular), so the LP
bound equals `total_benefit`; `lp_bound()` computes it anyway with GLOP.

Greedy. `greedy()` walks the learners in key order, each taking their best edge to a sharer with
room left (ties: the sharer whose key sorts first). It reuses the classes and X nodes: per X, the
hubs of its cell sit in bands of equal benefit, each band a heap keyed by the hub's first member
with room, refreshed lazily as places run out; X nodes private to a learner with exclusions scan
their cell hub by hub instead. So it too never enumerates pairs, and stays a true greedy.

Explanations. Every match carries machine-readable reason codes, which the Django layer turns
into sentences: ("skill", code, sharer_level, learner_level), ("language", code) (the first
of the learner's languages that the sharer speaks), ("other-unit",), ("first-match",),
("timezone", hours_apart) when hours_apart > 0. Every unmatched learner carries one reason,
found from the cells and the longest paths rather than from pairs:
- ("no-wants",): the learner asked for no skill;
- ("nobody-shares", skill, language): no available sharer shares any wanted skill at level >= 3
  and above the learner's level in any of their languages; names the wanted skill with the
  lowest current level (ties: code) and the learner's first language;
- ("excluded",): such sharers exist but every pair is excluded;
- ("timezone",): the remaining pairs are too many hours apart to have a positive benefit;
- ("capacity",): candidates existed but their places went to better overall assignments.

`progress(done, total)`, when given, is called a few times while the network is built (done
counts learners) and once after each later step; total is the number of learners plus 2.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from datacircle.core.i18n import gettext_noop
from datacircle.core.taxonomy import SUPPLY_LEVEL

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Learner:
    key: str
    wants: Mapping[str, int]  # skill code -> current level 0-4
    languages: tuple[str, ...]  # in order of preference
    timezone_offset: float  # hours from UTC
    unit: str
    matched_before: bool = False


@dataclass(frozen=True)
class Sharer:
    key: str
    shares: Mapping[str, int]  # skill code -> level 0-4
    languages: tuple[str, ...]
    timezone_offset: float
    unit: str
    capacity: int  # learners at once
    available: bool = True


@dataclass(frozen=True)
class Weights:
    skill_per_level: int = 10
    max_gap: int = 3  # a gap beyond this teaches no better: cap the skill fit
    other_unit: int = 5
    first_match: int = 15
    timezone_per_hour: int = 1


@dataclass(frozen=True)
class Match:
    learner: str
    sharer: str
    skill: str
    benefit: int
    reasons: tuple[tuple, ...]


@dataclass(frozen=True)
class Unmatched:
    learner: str
    reason: tuple


@dataclass(frozen=True)
class Result:
    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    total_benefit: int
    upper_bound: int | None


class MatchingError(ValueError):
    pass


def hours_apart(a: float, b: float) -> float:
    """Clock distance between two UTC offsets, wrapping around the day (+12 and -11 are 1h)."""
    d = abs(a - b) % 24
    return min(d, 24 - d)


def _sorted_inputs(
    learners: Iterable[Learner], sharers: Iterable[Sharer]
) -> tuple[list[Learner], list[Sharer]]:
    ls = sorted(learners, key=lambda p: p.key)
    ss = sorted(sharers, key=lambda p: p.key)
    for template, people in (
        (gettext_noop("duplicate learner key %(key)s"), ls),
        (gettext_noop("duplicate sharer key %(key)s"), ss),
    ):
        for a, b in zip(people, people[1:], strict=False):
            if a.key == b.key:
                raise MatchingError(gettext_noop(template, key=repr(a.key)))
    for s in ss:
        if s.capacity < 0:
            raise MatchingError(
                gettext_noop(
                    "sharer %(key)s has a negative capacity (%(capacity)s)",
                    key=repr(s.key),
                    capacity=s.capacity,
                )
            )
    return ls, ss


def _skill_fit(gap: int, weights: Weights) -> int:
    return weights.skill_per_level * min(gap, weights.max_gap)


def _timezone_penalty(a: float, b: float, weights: Weights) -> int:
    return math.ceil(weights.timezone_per_hour * hours_apart(a, b) - 1e-9)


def _pair_benefit(learner: Learner, sharer: Sharer, weights: Weights) -> int:
    """The part of the benefit that does not depend on the skill."""
    bonus = weights.other_unit if learner.unit != sharer.unit else 0
    bonus += 0 if learner.matched_before else weights.first_match
    return bonus - _timezone_penalty(learner.timezone_offset, sharer.timezone_offset, weights)


def _best_skill(learner: Learner, sharer: Sharer, weights: Weights) -> str | None:
    """The skill of the pair's edge (largest fit, ties: code), ignoring language and benefit."""
    best: tuple[int, str] | None = None
    for skill, current in learner.wants.items():
        level = sharer.shares.get(skill)
        if level is None or level < SUPPLY_LEVEL or level <= current:
            continue
        option = (-_skill_fit(level - current, weights), skill)
        if best is None or option < best:
            best = option
    return None if best is None else best[1]


def _unique(items: Iterable[str]) -> list[str]:
    return sorted(set(items))


# --- the sharer side: cells, groups, hubs --------------------------------------------------------

# Node kinds, in the order their ids are laid out: every arc goes from a lower kind to a higher
# one, except inside the chains, whose ids are laid out so that chain arcs go forward too.
_SOURCE, _LEARNER, _CLASS, _X, _PREFIX, _SUFFIX, _HUB, _SHARER, _SINK = range(9)
_KIND_BITS = 4
_NEG = -(2**62)  # "no path" in the longest-path table


def _ref(kind: int, local: int) -> int:
    return (local << _KIND_BITS) | kind


class _Supply:
    """Available sharers with places, grouped into cells, groups (one timezone) and hubs (one
    unit); everything numbered in sorted key order so that equal inputs give equal networks."""

    def __init__(self, sharers: Sequence[Sharer]):
        hubs: dict[tuple, list[int]] = defaultdict(list)
        for i, s in enumerate(sharers):
            if not s.available or s.capacity == 0:
                continue
            for skill, level in sorted(s.shares.items()):
                if level >= SUPPLY_LEVEL:
                    for language in _unique(s.languages):
                        hubs[(skill, language, level, s.timezone_offset, s.unit)].append(i)
        hub_keys = sorted(hubs)
        self.hub_members: list[list[int]] = [hubs[k] for k in hub_keys]
        self.hub_unit: list[str] = [k[4] for k in hub_keys]
        cells: dict[tuple, int] = {}
        self.cell_key: list[tuple[str, str, int]] = []
        self.cell_groups: list[list[int]] = []
        self.cell_size: list[int] = []
        self.group_tz: list[float] = []
        self.group_hubs: list[list[int]] = []
        self.group_position: list[dict[str, int]] = []
        self.group_prefix: list[int] = []  # local id of P_0 + k - 1 (P is laid out reversed)
        self.group_suffix: list[int] = []  # local id of S_0
        self.placement: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        chain_nodes = 0
        for h, (skill, language, level, tz, _unit) in enumerate(hub_keys):
            cell = cells.get((skill, language, level))
            if cell is None:
                cell = cells[(skill, language, level)] = len(self.cell_key)
                self.cell_key.append((skill, language, level))
                self.cell_groups.append([])
                self.cell_size.append(0)
            groups = self.cell_groups[cell]
            if not groups or self.group_tz[groups[-1]] != tz:
                groups.append(len(self.group_tz))
                self.group_tz.append(tz)
                self.group_hubs.append([])
                self.group_position.append({})
            g = groups[-1]
            self.group_position[g][self.hub_unit[h]] = len(self.group_hubs[g])
            for i in self.hub_members[h]:
                self.placement[i][cell] = (g, len(self.group_hubs[g]))
            self.group_hubs[g].append(h)
            self.cell_size[cell] += len(self.hub_members[h])
        for hub_list in self.group_hubs:
            self.group_prefix.append(chain_nodes)
            self.group_suffix.append(chain_nodes)
            chain_nodes += len(hub_list)
        self.chain_nodes = chain_nodes
        self.placement = dict(self.placement)  # sharer -> {cell: (group, position in group)}
        # (skill, language) -> [(level, cell)] so that a learner finds the cells able to teach.
        self.levels: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for cell, (skill, language, level) in enumerate(self.cell_key):
            self.levels[(skill, language)].append((level, cell))

    def prefix(self, g: int, i: int) -> int:
        """Local id of P_i of group g (reaches hubs 0..i); reversed so that P_i -> P_(i-1) goes
        forward."""
        return self.group_prefix[g] + len(self.group_hubs[g]) - 1 - i

    def suffix(self, g: int, i: int) -> int:
        return self.group_suffix[g] + i


# --- the network ---------------------------------------------------------------------------------


@dataclass
class _Network:
    learners: list[Learner]
    sharers: list[Sharer]
    weights: Weights
    supply: _Supply
    tails: np.ndarray  # global node ids, every arc goes forward
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    tail_kind: np.ndarray
    n_nodes: int
    source: int
    sink: int
    learner_base: int  # global id of learner 0
    sharer_base: int
    status: list[int]  # per learner: 0 no wants, 1 nobody shares, 2 excluded, 3 has candidates
    best: np.ndarray  # per learner: best edge benefit (longest path), _NEG if none
    special: dict[int, tuple[frozenset[int], frozenset[int]]]  # learner -> (forbidden, cells)
    class_routes: list[list[tuple[int, int, int]]]  # class -> [(X, skill fit, cell)]
    private_xs: set[int]  # X nodes of one learner, whose cell holds someone they must not reach
    joined: list[int]  # classes of learner i: joined[starts[i]:starts[i + 1]]
    starts: list[int]


_NO_WANTS, _NOBODY, _EXCLUDED, _CANDIDATES = range(4)


class _Builder:
    """Appends arcs (as kind-tagged local ids) for the network described in the docstring."""

    def __init__(
        self, learners: list[Learner], sharers: list[Sharer], supply: _Supply, weights: Weights
    ):
        self.learners = learners
        self.sharers = sharers
        self.supply = supply
        self.weights = weights
        self.big = max(1, len(learners))
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.n_x = 0
        self.classes: dict[tuple, int] = {}  # shared class key -> id, -1 if nobody teaches it
        self.class_routes: list[list[tuple[int, int, int]]] = []  # class -> [(X, fit, cell)]
        self.xs: dict[tuple, int] = {}
        self.private_xs: set[int] = set()
        self.penalties: dict[tuple[float, float], int] = {}
        self.cells: dict[tuple, list[tuple[int, int]]] = {}
        # learner -> class arcs (capacity 1, cost 0), kept apart: they are most of the network.
        self.joined_learner: list[int] = []
        self.joined_class: list[int] = []

    def arc(self, tail: int, head: int, cost: int, cap: int | None = None) -> None:
        self.tails.append(tail)
        self.heads.append(head)
        self.costs.append(cost)
        self.caps.append(self.big if cap is None else cap)

    def penalty(self, a: float, b: float) -> int:
        key = (a, b)
        found = self.penalties.get(key)
        if found is None:
            found = self.penalties[key] = _timezone_penalty(a, b, self.weights)
        return found

    def chains(self) -> None:
        sup = self.supply
        for g, hub_list in enumerate(sup.group_hubs):
            k = len(hub_list)
            for i, h in enumerate(hub_list):
                self.arc(_ref(_PREFIX, sup.prefix(g, i)), _ref(_HUB, h), 0)
                if i > 0:
                    self.arc(
                        _ref(_PREFIX, sup.prefix(g, i)), _ref(_PREFIX, sup.prefix(g, i - 1)), 0
                    )
                self.arc(_ref(_SUFFIX, sup.suffix(g, i)), _ref(_HUB, h), 0)
                if i < k - 1:
                    self.arc(
                        _ref(_SUFFIX, sup.suffix(g, i)), _ref(_SUFFIX, sup.suffix(g, i + 1)), 0
                    )
        for h, members in enumerate(sup.hub_members):
            for i in members:
                self.arc(_ref(_HUB, h), _ref(_SHARER, i), 0)

    def reach_group(
        self, tail: int, g: int, unit: str, timezone: float, forbidden: frozenset[int] = frozenset()
    ) -> None:
        """Arcs from `tail` to every sharer of group g but the forbidden, with the right cost."""
        sup = self.supply
        hub_list = sup.group_hubs[g]
        k = len(hub_list)
        penalty = self.penalty(timezone, sup.group_tz[g])
        other = penalty - self.weights.other_unit
        own = sup.group_position[g].get(unit)
        blocked = sorted(
            {sup.placement[f][cell][1] for f, cell in self._forbidden_here(g, forbidden)}
        )
        skip = sorted(set(blocked) | ({own} if own is not None else set()))
        previous = -1
        for stop in [*skip, k]:
            first, last = previous + 1, stop - 1
            if first <= last:
                if first == 0:
                    self.arc(tail, _ref(_PREFIX, sup.prefix(g, last)), other)
                elif last == k - 1:
                    self.arc(tail, _ref(_SUFFIX, sup.suffix(g, first)), other)
                else:  # between two skipped hubs: neither chain fits, take the hubs one by one
                    for position in range(first, last + 1):
                        self.arc(tail, _ref(_HUB, hub_list[position]), other)
            previous = stop
        if own is not None and own not in blocked:
            self.arc(tail, _ref(_HUB, hub_list[own]), penalty)
        for position in blocked:
            cost = penalty if position == own else other
            for i in sup.hub_members[hub_list[position]]:
                if i not in forbidden:
                    self.arc(tail, _ref(_SHARER, i), cost)

    def _forbidden_here(self, g: int, forbidden: frozenset[int]) -> list[tuple[int, int]]:
        sup = self.supply
        found = []
        for f in forbidden:
            for cell, (group, _position) in sup.placement.get(f, {}).items():
                if group == g:
                    found.append((f, cell))
        return found

    def shared_x(self, cell: int, unit: str, timezone: float) -> int:
        key = (cell, unit, timezone)
        x = self.xs.get(key)
        if x is None:
            x = self.xs[key] = self.n_x
            self.n_x += 1
            for g in self.supply.cell_groups[cell]:
                self.reach_group(_ref(_X, x), g, unit, timezone)
        return x

    def private_x(self, cell: int, unit: str, timezone: float, forbidden: frozenset[int]) -> int:
        x = self.n_x
        self.n_x += 1
        self.private_xs.add(x)
        for g in self.supply.cell_groups[cell]:
            self.reach_group(_ref(_X, x), g, unit, timezone, forbidden)
        return x

    def cells_for(self, skill: str, current: int, languages: tuple[str, ...]) -> list:
        """[(cell, skill fit)] of the cells able to teach `skill` to someone at `current`."""
        key = (skill, current, languages)
        cells = self.cells.get(key)
        if cells is None:
            needed = max(SUPPLY_LEVEL, current + 1)
            cells = self.cells[key] = [
                (cell, _skill_fit(level - current, self.weights))
                for language in languages
                for level, cell in self.supply.levels.get((skill, language), ())
                if level >= needed
            ]
        return cells

    def new_class(self, routes: list[tuple[int, int, int]]) -> int:
        for x, fit, _cell in routes:
            self.arc(_ref(_CLASS, len(self.class_routes)), _ref(_X, x), -fit)
        self.class_routes.append(routes)
        return len(self.class_routes) - 1

    def shared_class(self, key: tuple) -> int:
        """Class C = key (skill, level, unit, timezone, languages), shared by its learners;
        -1 when no cell can teach it."""
        skill, current, unit, timezone, languages = key
        cells = self.cells_for(skill, current, languages)
        c = -1
        if cells:
            c = self.new_class(
                [(self.shared_x(cell, unit, timezone), fit, cell) for cell, fit in cells]
            )
        self.classes[key] = c
        return c

    def join(self, li: int, c: int) -> None:
        self.joined_learner.append(li)
        self.joined_class.append(c)


def _forbidden_sharers(
    learners: Sequence[Learner],
    sharers: Sequence[Sharer],
    supply: _Supply,
    exclusions: Collection[tuple[str, str]],
) -> dict[int, frozenset[int]]:
    """Learner -> sharers (with places) it must not reach: itself, and its exclusions."""
    learner_index = {p.key: i for i, p in enumerate(learners)}
    sharer_index = {p.key: i for i, p in enumerate(sharers) if i in supply.placement}
    found: dict[int, set[int]] = defaultdict(set)
    for key, i in sharer_index.items():
        if key in learner_index:
            found[learner_index[key]].add(i)
    for pair in exclusions:
        a, b = tuple(pair)
        for learner_key, sharer_key in ((a, b), (b, a)):
            if learner_key in learner_index and sharer_key in sharer_index:
                found[learner_index[learner_key]].add(sharer_index[sharer_key])
    return {i: frozenset(f) for i, f in found.items()}


def _build(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    weights: Weights,
    exclusions: Collection[tuple[str, str]],
    progress: ProgressCallback | None,
) -> _Network:
    ls, ss = _sorted_inputs(learners, sharers)
    total = len(ls) + 2
    if progress is not None:
        progress(0, total)
    supply = _Supply(ss)
    forbidden = _forbidden_sharers(ls, ss, supply, exclusions)
    builder = _Builder(ls, ss, supply, weights)
    builder.chains()
    status: list[int] = []
    special: dict[int, tuple[frozenset[int], frozenset[int]]] = {}
    step = max(1, len(ls) // 10)
    for li, learner in enumerate(ls):
        if progress is not None and li and li % step == 0:
            progress(li, total)
        status.append(_add_learner(builder, li, learner, forbidden.get(li), special))
    network = _finish(builder, ls, ss, status, special)
    if progress is not None:
        progress(len(ls), total)
    return network


def _add_learner(
    builder: _Builder,
    li: int,
    learner: Learner,
    forbidden: frozenset[int] | None,
    special: dict,
) -> int:
    """Arcs of one learner; returns its status for the unmatched reasons."""
    if not learner.wants:
        return _NO_WANTS
    unit, timezone = learner.unit, learner.timezone_offset
    languages = tuple(_unique(learner.languages))
    if not forbidden:  # the common case, kept short: 100,000 learners go through here
        found = False
        classes = builder.classes
        for skill, current in sorted(learner.wants.items()):
            key = (skill, current, unit, timezone, languages)
            c = classes.get(key)
            if c is None:
                c = builder.shared_class(key)
            if c >= 0:
                builder.join(li, c)
                found = True
        return _CANDIDATES if found else _NOBODY
    supply = builder.supply
    candidates = allowed = False
    tainted_all: set[int] = set()
    for skill, current in sorted(learner.wants.items()):
        cells = builder.cells_for(skill, current, languages)
        tainted = set()
        for cell, _fit in cells:
            holders = [f for f in forbidden if cell in supply.placement[f]]
            if holders:
                tainted.add(cell)
            own = sum(builder.sharers[f].key == learner.key for f in holders)
            candidates = candidates or supply.cell_size[cell] - own > 0
            allowed = allowed or supply.cell_size[cell] - len(holders) > 0
        if not cells:
            continue
        if not tainted:
            key = (skill, current, unit, timezone, languages)
            c = builder.classes.get(key)
            if c is None:
                c = builder.shared_class(key)
        else:
            # Someone this learner must not reach teaches in these cells: private C and X.
            tainted_all |= tainted
            c = builder.new_class(
                [
                    (
                        builder.private_x(cell, unit, timezone, forbidden)
                        if cell in tainted
                        else builder.shared_x(cell, unit, timezone),
                        fit,
                        cell,
                    )
                    for cell, fit in cells
                ]
            )
        builder.join(li, c)
    special[li] = (forbidden, frozenset(tainted_all))
    if not candidates:
        return _NOBODY
    return _CANDIDATES if allowed else _EXCLUDED


def _finish(
    builder: _Builder,
    ls: list[Learner],
    ss: list[Sharer],
    status: list[int],
    special: dict,
) -> _Network:
    supply = builder.supply
    n_l, n_s = len(ls), len(ss)
    sizes = [1, n_l, len(builder.class_routes), builder.n_x, supply.chain_nodes]
    sizes += [supply.chain_nodes]
    sizes += [len(supply.hub_members), n_s, 1]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    source, sink = int(offsets[_SOURCE]), int(offsets[_SINK])
    learner_base, sharer_base = int(offsets[_LEARNER]), int(offsets[_SHARER])

    def globalise(refs: list[int]) -> tuple[np.ndarray, np.ndarray]:
        codes = np.asarray(refs, dtype=np.int64)
        kinds = codes & ((1 << _KIND_BITS) - 1)
        return offsets[kinds] + (codes >> _KIND_BITS), kinds

    inner_tails, inner_kinds = globalise(builder.tails)
    inner_heads, _ = globalise(builder.heads)
    first = np.array([0 if p.matched_before else builder.weights.first_match for p in ls])
    first = first.astype(np.int64).reshape(-1)
    capacities = np.array([s.capacity for s in ss], dtype=np.int64).reshape(-1)
    joined = len(builder.joined_learner)
    joined_tails = learner_base + np.asarray(builder.joined_learner, dtype=np.int64)
    joined_heads = offsets[_CLASS] + np.asarray(builder.joined_class, dtype=np.int64)
    tails = np.concatenate(
        [np.full(n_l, source), joined_tails, inner_tails, sharer_base + np.arange(n_s), [source]]
    ).astype(np.int64)
    heads = np.concatenate(
        [learner_base + np.arange(n_l), joined_heads, inner_heads, np.full(n_s, sink), [sink]]
    ).astype(np.int64)
    caps = np.concatenate(
        [
            np.ones(n_l + joined),
            np.asarray(builder.caps, dtype=np.int64),
            capacities,
            [n_l],
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [-first, np.zeros(joined), np.asarray(builder.costs, dtype=np.int64), np.zeros(n_s), [0]]
    ).astype(np.int64)
    tail_kind = np.concatenate(
        [
            np.full(n_l, _SOURCE),
            np.full(joined, _LEARNER),
            inner_kinds,
            np.full(n_s, _SHARER),
            [_SOURCE],
        ]
    ).astype(np.int64)
    network = _Network(
        learners=ls,
        sharers=ss,
        weights=builder.weights,
        supply=supply,
        tails=tails,
        heads=heads,
        capacities=caps,
        costs=costs,
        tail_kind=tail_kind,
        n_nodes=sink + 1,
        source=source,
        sink=sink,
        learner_base=learner_base,
        sharer_base=sharer_base,
        status=status,
        best=np.full(n_l, _NEG, dtype=np.int64),
        special=special,
        class_routes=builder.class_routes,
        private_xs=builder.private_xs,
        joined=builder.joined_class,
        starts=np.searchsorted(
            np.asarray(builder.joined_learner, dtype=np.int64), np.arange(n_l + 1)
        ).tolist(),
    )
    network.best = _longest_paths(network) + first
    network.best[network.best < _NEG // 2] = _NEG
    return network


def _longest_paths(network: _Network) -> np.ndarray:
    """Best benefit of any path from each learner to the sink, without the first-match bonus:
    the best edge of each learner, the network having one path per valid triple."""
    best = np.full(network.n_nodes, _NEG, dtype=np.int64)
    best[network.sink] = 0
    tails, heads, costs, kinds = network.tails, network.heads, network.costs, network.tail_kind
    for kind in (_SHARER, _HUB, _SUFFIX, _PREFIX, _X, _CLASS, _LEARNER):
        chosen = np.flatnonzero(kinds == kind)
        if kind in (_PREFIX, _SUFFIX):
            # Chain arcs lead to later nodes of the same kind: go backwards, one arc at a time.
            order = chosen[np.argsort(-tails[chosen], kind="stable")]
            values = best.tolist()
            for t, h, c in zip(
                tails[order].tolist(), heads[order].tolist(), costs[order].tolist(), strict=True
            ):
                if values[h] > _NEG and values[h] - c > values[t]:
                    values[t] = values[h] - c
            best = np.asarray(values, dtype=np.int64)
            continue
        reach = best[heads[chosen]]
        ok = reach > _NEG
        np.maximum.at(best, tails[chosen][ok], reach[ok] - costs[chosen][ok])
    return best[network.learner_base : network.learner_base + len(network.learners)]


# --- solving and reading the flow back -----------------------------------------------------------


def _solve(network: _Network) -> list[tuple[int, int]]:
    """(learner, sharer) index pairs of a maximum-benefit b-matching, via min-cost flow."""
    n_l = len(network.learners)
    if not n_l:
        return []
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        network.tails.astype(np.int32),
        network.heads.astype(np.int32),
        network.capacities,
        network.costs,
    )
    supplies = np.zeros(network.n_nodes, dtype=np.int64)
    supplies[network.source], supplies[network.sink] = n_l, -n_l
    flow.set_nodes_supplies(np.arange(network.n_nodes, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MatchingError(
            gettext_noop(
                "min-cost flow did not reach the optimum (status %(status)s)", status=str(status)
            )
        )
    flows = flow.flows(arcs)
    pairs = _decompose(network, flows)
    found = sum(_benefit(network, li, si) for li, si in pairs)
    if found != -flow.optimal_cost():
        raise MatchingError(
            gettext_noop(
                "decomposed matching is worth %(found)s, the flow %(flow)s: "
                "the network does not follow the rules (a bug)",
                found=found,
                flow=-flow.optimal_cost(),
            )
        )
    return pairs


def _decompose(network: _Network, flows: np.ndarray) -> list[tuple[int, int]]:
    """Follow each unit of flow from its learner to its sharer, in node order."""
    used = np.flatnonzero(flows > 0)
    kinds = network.tail_kind[used]
    tokens: dict[int, list[int]] = defaultdict(list)
    entering = used[kinds == _LEARNER]
    for t, h in zip(
        network.tails[entering].tolist(), network.heads[entering].tolist(), strict=True
    ):
        tokens[h].append(t - network.learner_base)
    inner = used[(kinds > _LEARNER) & (kinds < _SHARER)]
    inner = inner[np.lexsort((inner, network.tails[inner]))]
    waiting: list[int] = []
    current = -1
    for t, h, f in zip(
        network.tails[inner].tolist(),
        network.heads[inner].tolist(),
        flows[inner].tolist(),
        strict=True,
    ):
        if t != current:
            current, waiting = t, tokens.pop(t, [])
        tokens[h].extend(waiting[:f])
        del waiting[:f]
    pairs = []
    for node in sorted(tokens):
        if node >= network.sharer_base and node < network.sink:
            pairs.extend((li, node - network.sharer_base) for li in tokens[node])
    return sorted(pairs)


def _benefit(network: _Network, li: int, si: int) -> int:
    learner, sharer = network.learners[li], network.sharers[si]
    skill = _best_skill(learner, sharer, network.weights)
    if skill is None:
        raise MatchingError(
            gettext_noop(
                "%(learner)s cannot learn from %(sharer)s (a bug)",
                learner=repr(learner.key),
                sharer=repr(sharer.key),
            )
        )
    gap = sharer.shares[skill] - learner.wants[skill]
    return _pair_benefit(learner, sharer, network.weights) + _skill_fit(gap, network.weights)


def _match_reasons(learner: Learner, sharer: Sharer, skill: str) -> tuple:
    reasons: list[tuple] = [("skill", skill, sharer.shares[skill], learner.wants[skill])]
    common = next(lang for lang in learner.languages if lang in sharer.languages)
    reasons.append(("language", common))
    if learner.unit != sharer.unit:
        reasons.append(("other-unit",))
    if not learner.matched_before:
        reasons.append(("first-match",))
    distance = hours_apart(learner.timezone_offset, sharer.timezone_offset)
    if distance > 0:
        reasons.append(("timezone", float(distance)))
    return tuple(reasons)


def _unmatched_reason(network: _Network, li: int) -> tuple:
    learner = network.learners[li]
    status = network.status[li]
    if status == _NO_WANTS:
        return ("no-wants",)
    if status == _NOBODY:
        skill = min(learner.wants, key=lambda k: (learner.wants[k], k))
        language = learner.languages[0] if learner.languages else ""
        return ("nobody-shares", skill, language)
    if status == _EXCLUDED:
        return ("excluded",)
    return ("capacity",) if network.best[li] > 0 else ("timezone",)


def _result(network: _Network, pairs: Iterable[tuple[int, int]]) -> Result:
    ls, ss, weights = network.learners, network.sharers, network.weights
    matches = []
    matched = set()
    for li, si in sorted(pairs):
        learner, sharer = ls[li], ss[si]
        skill = _best_skill(learner, sharer, weights)
        benefit = _benefit(network, li, si)
        if benefit <= 0:
            continue  # an edge worth nothing is no match (it changes no total)
        matched.add(li)
        matches.append(
            Match(learner.key, sharer.key, skill, benefit, _match_reasons(learner, sharer, skill))
        )
    unmatched = tuple(
        Unmatched(ls[i].key, _unmatched_reason(network, i))
        for i in range(len(ls))
        if i not in matched
    )
    best = network.best
    return Result(
        matches=tuple(matches),
        unmatched=unmatched,
        total_benefit=sum(m.benefit for m in matches),
        upper_bound=int(best[best > 0].sum()),
    )


def match(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
    progress: ProgressCallback | None = None,
) -> Result:
    """The exact maximum-total-benefit matching round (see the module docstring)."""
    network = _build(learners, sharers, weights, exclusions, progress)
    total = len(network.learners) + 2
    pairs = _solve(network)
    if progress is not None:
        progress(total - 1, total)
    result = _result(network, pairs)
    if progress is not None:
        progress(total, total)
    return result


# --- the greedy baseline -------------------------------------------------------------------------


class _Rooms:
    """Places left per sharer, and per hub the first member (by key) that still has one."""

    def __init__(self, network: _Network):
        self.room = [s.capacity for s in network.sharers]
        self.members = network.supply.hub_members
        self.at = [0] * len(self.members)

    def first_free(self, hub: int, forbidden: frozenset[int] = frozenset()) -> int | None:
        members, room = self.members[hub], self.room
        at = self.at[hub]
        while at < len(members) and room[members[at]] == 0:
            at += 1
        self.at[hub] = at  # a sharer without room never gets it back: skip them for good
        for i in members[at:]:
            if room[i] and i not in forbidden:
                return i
        return None


class _Shelf:
    """For one shared X node: the hubs of its cell in bands of equal benefit, best band first,
    each band a heap of (first free member, hub), refreshed lazily as places run out."""

    def __init__(self, rooms: _Rooms, supply: _Supply, cell: int, unit: str, tz: float, weights):
        bands: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for g in supply.cell_groups[cell]:
            penalty = _timezone_penalty(tz, supply.group_tz[g], weights)
            for h in supply.group_hubs[g]:
                value = -penalty + (weights.other_unit if supply.hub_unit[h] != unit else 0)
                free = rooms.first_free(h)
                if free is not None:
                    bands[value].append((free, h))
        self.bands = []
        for value in sorted(bands, reverse=True):
            heapq.heapify(bands[value])
            self.bands.append((value, bands[value]))
        self.at = 0
        self.rooms = rooms

    def top(self) -> tuple[int, int] | None:
        """(value, sharer) of the best free place, lowest sharer index among equals."""
        while self.at < len(self.bands):
            value, heap = self.bands[self.at]
            while heap:
                sharer, hub = heap[0]
                free = self.rooms.first_free(hub)
                if free is None:
                    heapq.heappop(heap)
                elif free != sharer:
                    heapq.heapreplace(heap, (free, hub))
                else:
                    return value, sharer
            self.at += 1
        return None


def greedy(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
    progress: ProgressCallback | None = None,
) -> Result:
    """Baseline: learners in key order each take their best edge to a sharer with room left
    (ties: the sharer whose key sorts first)."""
    network = _build(learners, sharers, weights, exclusions, progress)
    total = len(network.learners) + 2
    supply = network.supply
    rooms = _Rooms(network)
    shelves: dict[int, _Shelf] = {}
    joined, starts, routes = network.joined, network.starts, network.class_routes
    pairs = []
    for li, learner in enumerate(network.learners):
        first = 0 if learner.matched_before else weights.first_match
        best: tuple[int, int] | None = None  # (-benefit, sharer): the smallest wins
        for c in joined[starts[li] : starts[li + 1]]:
            for x, fit, cell in routes[c]:
                if x in network.private_xs:
                    forbidden = network.special[li][0]
                    options = _scan_cell(rooms, supply, cell, learner, forbidden, weights)
                else:
                    shelf = shelves.get(x)
                    if shelf is None:
                        shelf = shelves[x] = _Shelf(
                            rooms, supply, cell, learner.unit, learner.timezone_offset, weights
                        )
                    top = shelf.top()
                    options = [] if top is None else [top]
                for value, sharer in options:
                    option = (-(first + fit + value), sharer)
                    if option[0] < 0 and (best is None or option < best):
                        best = option
        if best is not None:
            rooms.room[best[1]] -= 1
            pairs.append((li, best[1]))
    if progress is not None:
        progress(total - 1, total)
    result = _result(network, pairs)
    if progress is not None:
        progress(total, total)
    return result


def _scan_cell(rooms, supply, cell, learner, forbidden, weights) -> list[tuple[int, int]]:
    """(value, sharer) per hub of a cell holding someone this learner must not reach."""
    options = []
    for g in supply.cell_groups[cell]:
        penalty = _timezone_penalty(learner.timezone_offset, supply.group_tz[g], weights)
        for h in supply.group_hubs[g]:
            free = rooms.first_free(h, forbidden)
            if free is not None:
                bonus = weights.other_unit if supply.hub_unit[h] != learner.unit else 0
                options.append((bonus - penalty, free))
    return options


# --- the LP bound --------------------------------------------------------------------------------


def lp_bound(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
) -> float:
    """The LP relaxation of the round (fractional matches allowed), solved with GLOP.

    It is the same aggregated network as `match()` with flows allowed to be fractional; every
    fractional flow splits into paths, each a valid (learner, sharer, skill) triple, so this is
    the LP relaxation of the b-matching itself. Flow matrices are totally unimodular, so it
    equals `match().total_benefit`: a general LP solver confirming it is an independent check.
    """
    from ortools.linear_solver import linear_solver_pb2, pywraplp

    network = _build(learners, sharers, weights, exclusions, None)
    n_l = len(network.learners)
    model = linear_solver_pb2.MPModelProto(maximize=False)
    for cap, cost in zip(network.capacities.tolist(), network.costs.tolist(), strict=True):
        model.variable.add(lower_bound=0.0, upper_bound=float(cap), objective_coefficient=cost)
    # Flow conservation: out - in = supply, one row per node.
    ends = np.concatenate([network.tails, network.heads])
    signs = np.concatenate([np.ones(len(network.tails)), -np.ones(len(network.heads))])
    arcs = np.concatenate([np.arange(len(network.tails))] * 2)
    order = np.argsort(ends, kind="stable")
    ends, signs, arcs = ends[order], signs[order], arcs[order]
    starts = np.searchsorted(ends, np.arange(network.n_nodes + 1))
    for node in range(network.n_nodes):
        supply = n_l if node == network.source else -n_l if node == network.sink else 0
        row = model.constraint.add(lower_bound=supply, upper_bound=supply)
        row.var_index.extend(arcs[starts[node] : starts[node + 1]].tolist())
        row.coefficient.extend(signs[starts[node] : starts[node + 1]].tolist())
    request = linear_solver_pb2.MPModelRequest(
        model=model, solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING
    )
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        raise MatchingError(
            gettext_noop(
                "the LP relaxation was not solved (status %(status)s)", status=response.status
            )
        )
    return -response.objective_value


def pair(
    learner: Learner,
    sharer: Sharer,
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
) -> Match | Unmatched:
    """These two as `match()` would pair them (best skill, benefit, reasons), or the reason why
    the rules forbid it; for a coordinator who edits a round by hand. Capacity is not checked:
    the caller knows how many places the sharer has left."""
    result = match([learner], [replace(sharer, capacity=1)], weights=weights, exclusions=exclusions)
    return result.matches[0] if result.matches else result.unmatched[0]
