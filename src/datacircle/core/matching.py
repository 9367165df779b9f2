"""Peer-learning matching round: who learns which skill from whom, as the exact optimum.

A *learner* wants skills (with their current level 0-4); a *sharer* shares skills (with their
level) to at most `capacity` learners at once. `match()` picks the set of (learner, sharer, skill)
matches that maximises the total benefit, each learner getting at most one match and each sharer
at most `capacity`; `greedy()` is the naive baseline the benchmark compares against.

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
exactly as a min-cost flow (OR-Tools `SimpleMinCostFlow`): source -> learner (capacity 1) ->
sharer (capacity 1, cost -benefit) -> sink (capacity = sharer capacity), plus a zero-cost
source -> sink bypass so that leaving a learner unmatched is always feasible. All benefits are
positive, so the minimum cost is exactly minus the maximum total benefit. Inputs are sorted by
key before the network is built, so equal inputs always give equal results.

`Result.upper_bound` is the total if capacity were unlimited (every learner takes their best
edge): the gap between it and `total_benefit` is what scarce sharer capacity costs. (The LP
relaxation of the flow problem is integral, so the LP bound equals `total_benefit` itself.)

Explanations. Every match carries machine-readable reason codes, which the Django layer turns
into sentences: ("skill", code, sharer_level, learner_level), ("language", code) (the first
of the learner's languages that the sharer speaks), ("other-unit",), ("first-match",),
("timezone", hours_apart) when hours_apart > 0. Every unmatched learner carries one reason:
- ("no-wants",): the learner asked for no skill;
- ("nobody-shares", skill, language): no available sharer shares any wanted skill at level >= 3
  and above the learner's level in any of their languages; names the wanted skill with the
  lowest current level (ties: code) and the learner's first language;
- ("excluded",): such sharers exist but every pair is excluded;
- ("timezone",): the remaining pairs are too many hours apart to have a positive benefit;
- ("capacity",): candidates existed but their places went to better overall assignments.

Size. Edges are built by grouping sharers by (skill, language) and sorting each group by level,
so a learner only visits sharers that can actually teach them, never all L x S pairs; the flow
arrays are handed to OR-Tools in bulk. For the 100k x 10k benchmark the next step is to merge
interchangeable learners (same wants, languages, timezone, unit, first-match flag, no
exclusions) into one node with supply = their count, which keeps the optimum exact while the
network shrinks to the number of distinct profiles.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from datacircle.core.taxonomy import SUPPLY_LEVEL


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


@dataclass(frozen=True)
class _Edge:
    learner: int  # index into the sorted learners
    sharer: int  # index into the sorted sharers
    skill: str
    benefit: int


def hours_apart(a: float, b: float) -> float:
    """Clock distance between two UTC offsets, wrapping around the day (+12 and -11 are 1h)."""
    d = abs(a - b) % 24
    return min(d, 24 - d)


def _sorted_inputs(
    learners: Iterable[Learner], sharers: Iterable[Sharer]
) -> tuple[list[Learner], list[Sharer]]:
    ls = sorted(learners, key=lambda p: p.key)
    ss = sorted(sharers, key=lambda p: p.key)
    for kind, people in (("learner", ls), ("sharer", ss)):
        for a, b in zip(people, people[1:], strict=False):
            if a.key == b.key:
                raise MatchingError(f"duplicate {kind} key {a.key!r}")
    for s in ss:
        if s.capacity < 0:
            raise MatchingError(f"sharer {s.key!r} has a negative capacity ({s.capacity})")
    return ls, ss


def _teachers_by_skill_language(sharers: Sequence[Sharer]) -> dict[tuple[str, str], list]:
    """(skill, language) -> [(level, sharer index)], highest level first, only real supply."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for i, s in enumerate(sharers):
        if not s.available or s.capacity == 0:
            continue
        for skill, level in s.shares.items():
            if level >= SUPPLY_LEVEL:
                for language in set(s.languages):
                    groups[(skill, language)].append((level, i))
    for members in groups.values():
        members.sort(key=lambda m: (-m[0], m[1]))
    return groups


def _candidates(learner: Learner, groups: Mapping) -> dict[int, dict[str, int]]:
    """Sharer index -> {skill: sharer level} for every sharer able to teach this learner."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for skill, current in learner.wants.items():
        needed = max(SUPPLY_LEVEL, current + 1)
        for language in learner.languages:
            for level, i in groups.get((skill, language), ()):
                if level < needed:
                    break  # groups are sorted by level, nobody further on qualifies
                found[i][skill] = level
    return found


def _pair_benefit(learner: Learner, sharer: Sharer, weights: Weights) -> int:
    """The part of the benefit that does not depend on the skill."""
    bonus = weights.other_unit if learner.unit != sharer.unit else 0
    bonus += 0 if learner.matched_before else weights.first_match
    distance = hours_apart(learner.timezone_offset, sharer.timezone_offset)
    return bonus - math.ceil(weights.timezone_per_hour * distance - 1e-9)


def _skill_fit(gap: int, weights: Weights) -> int:
    return weights.skill_per_level * min(gap, weights.max_gap)


def _is_excluded(a: str, b: str, exclusions: set[tuple[str, str]]) -> bool:
    return (a, b) in exclusions or (b, a) in exclusions


@dataclass(frozen=True)
class _Network:
    learners: list[Learner]
    sharers: list[Sharer]
    edges: list[_Edge]  # best skill per pair, benefit > 0, sorted by (learner, sharer)
    reasons_unreachable: dict[int, tuple]  # learner index -> why they have no edge at all


def _build_network(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    weights: Weights,
    exclusions: Collection[tuple[str, str]],
) -> _Network:
    ls, ss = _sorted_inputs(learners, sharers)
    groups = _teachers_by_skill_language(ss)
    excluded = {tuple(pair) for pair in exclusions}
    edges: list[_Edge] = []
    unreachable: dict[int, tuple] = {}
    for li, learner in enumerate(ls):
        candidates = _candidates(learner, groups)
        candidates = {si: v for si, v in candidates.items() if ss[si].key != learner.key}
        allowed = {
            si: v
            for si, v in candidates.items()
            if not _is_excluded(learner.key, ss[si].key, excluded)
        }
        own = [
            _best_edge(li, si, learner, ss[si], skills, weights) for si, skills in allowed.items()
        ]
        own = [e for e in own if e.benefit > 0]
        edges.extend(sorted(own, key=lambda e: e.sharer))
        if not own:
            unreachable[li] = _no_edge_reason(learner, candidates, allowed)
    return _Network(ls, ss, edges, unreachable)


def _best_edge(
    li: int, si: int, learner: Learner, sharer: Sharer, skills: Mapping[str, int], weights: Weights
) -> _Edge:
    pair = _pair_benefit(learner, sharer, weights)
    skill = min(skills, key=lambda k: (-_skill_fit(skills[k] - learner.wants[k], weights), k))
    return _Edge(li, si, skill, pair + _skill_fit(skills[skill] - learner.wants[skill], weights))


def _no_edge_reason(learner: Learner, candidates: Mapping, allowed: Mapping) -> tuple:
    if not learner.wants:
        return ("no-wants",)
    if not candidates:
        skill = min(learner.wants, key=lambda k: (learner.wants[k], k))
        language = learner.languages[0] if learner.languages else ""
        return ("nobody-shares", skill, language)
    if not allowed:
        return ("excluded",)
    return ("timezone",)


def _solve_flow(network: _Network) -> list[_Edge]:
    """The chosen edges of a maximum-benefit b-matching, via min-cost flow."""
    n_l, n_s = len(network.learners), len(network.sharers)
    if not network.edges:
        return []
    source, sink = n_l + n_s, n_l + n_s + 1
    tails = np.concatenate(
        [
            np.full(n_l, source),
            np.array([e.learner for e in network.edges]),
            n_l + np.arange(n_s),
            [source],
        ]
    )
    heads = np.concatenate(
        [
            np.arange(n_l),
            n_l + np.array([e.sharer for e in network.edges]),
            np.full(n_s, sink),
            [sink],
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(n_l + len(network.edges), dtype=np.int64),
            [s.capacity for s in network.sharers],
            [n_l],  # bypass: unmatched learners flow straight to the sink at no cost
        ]
    )
    costs = np.concatenate([np.zeros(n_l), [-e.benefit for e in network.edges], np.zeros(n_s), [0]])
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    supplies = np.zeros(n_l + n_s + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_l, -n_l
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise MatchingError(f"min-cost flow did not reach the optimum (status {status})")
    edge_arcs = arcs[n_l : n_l + len(network.edges)]
    used = flow.flows(edge_arcs)
    return [e for e, f in zip(network.edges, used, strict=True) if f > 0]


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


def _result(network: _Network, chosen: Sequence[_Edge]) -> Result:
    ls, ss = network.learners, network.sharers
    matches = tuple(
        Match(
            learner=ls[e.learner].key,
            sharer=ss[e.sharer].key,
            skill=e.skill,
            benefit=e.benefit,
            reasons=_match_reasons(ls[e.learner], ss[e.sharer], e.skill),
        )
        for e in sorted(chosen, key=lambda e: e.learner)
    )
    matched = {e.learner for e in chosen}
    unmatched = tuple(
        Unmatched(ls[i].key, network.reasons_unreachable.get(i, ("capacity",)))
        for i in range(len(ls))
        if i not in matched
    )
    return Result(
        matches=matches,
        unmatched=unmatched,
        total_benefit=sum(e.benefit for e in chosen),
        upper_bound=_unlimited_capacity_bound(network.edges),
    )


def _unlimited_capacity_bound(edges: Iterable[_Edge]) -> int:
    best: dict[int, int] = {}
    for e in edges:
        best[e.learner] = max(best.get(e.learner, 0), e.benefit)
    return sum(best.values())


def match(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
) -> Result:
    """The exact maximum-total-benefit matching round (see the module docstring)."""
    network = _build_network(learners, sharers, weights, exclusions)
    return _result(network, _solve_flow(network))


def greedy(
    learners: Iterable[Learner],
    sharers: Iterable[Sharer],
    *,
    weights: Weights = Weights(),
    exclusions: Collection[tuple[str, str]] = (),
) -> Result:
    """Baseline: learners in key order each take their best edge to a sharer with room left."""
    network = _build_network(learners, sharers, weights, exclusions)
    room = [s.capacity for s in network.sharers]
    by_learner: dict[int, list[_Edge]] = defaultdict(list)
    for e in network.edges:
        by_learner[e.learner].append(e)
    chosen: list[_Edge] = []
    for li in range(len(network.learners)):
        open_edges = [e for e in by_learner[li] if room[e.sharer] > 0]
        if open_edges:
            best = min(open_edges, key=lambda e: (-e.benefit, e.sharer))
            room[best.sharer] -= 1
            chosen.append(best)
    return _result(network, chosen)


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
    network = _build_network([learner], [replace(sharer, capacity=1)], weights, exclusions)
    if not network.edges:
        return Unmatched(learner.key, network.reasons_unreachable[0])
    return _result(network, network.edges).matches[0]
