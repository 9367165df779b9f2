"""Programme planner: which one-hour session runs in which weekly slot, led by whom.

A data working group plans a programme over a horizon of weekly session times (*slots*) from the
demand of a skills-scoping round. `plan()` chooses a set of *sessions* - (slot, module,
facilitator) triples - that maximises the objective below under the hard constraints, with the
CP-SAT solver of OR-Tools; `score()` computes the objective of any schedule from the rules alone,
`check()` lists every hard-constraint violation of a schedule in words, and `greedy()` is the
naive baseline (and the solver's starting point).

Hard constraints. A session (slot s, module m, facilitator f) is possible only when
- f is available in s (`Facilitator.available` holds the slot's index);
- f leads at least one of m's skills and speaks m's language;
and a schedule must keep
- at most `Problem.sessions_per_slot` sessions in a slot, never the same module twice in one slot;
- every facilitator in at most one session per slot (never double-booked) and in at most
  `monthly_limit` sessions per calendar month (`Slot.month`);
- two sessions of the same module at least `Weights.repeat_spacing_weeks` weeks apart
  (|week a - week b| >= spacing, weeks from `Slot.week`).

Objective (an integer, maximised; the empty programme scores 0 and is always possible):

    demand      sum over skills k of sum_{j=1..n_k} round(demand[k] * W.demand * W.diminishing[j-1])
                where n_k = sessions whose module teaches k, terms beyond the list worth 0:
                the j-th session of a skill is worth less than the first, so one hot skill does
                not take the whole programme. A module teaching two skills counts for both.
  + milestone   W.milestone per session whose module has a skill among the themes of a milestone
                window that is at most W.near_days days from the session's date (0 inside the
                window; themes are skill codes). Once per session, however many windows match.
  - language    floor(W.language_balance * sum_l |n_l * D - d_l * N| / D)
                with N sessions in all, n_l of them in language l, d_l = language_demand[l] and
                D = sum of d_l: W.language_balance per session of deviation from each language's
                fair share N * d_l / D, summed over languages (a session moved from one language
                to another counts twice), rounded down once. l runs over the languages of
                `language_demand` and of the modules; no term when D = 0.
  - unit        floor(W.unit_balance * (U * max_u n_u - N) / U)
                with U the number of distinct facilitator units and n_u the sessions led by
                facilitators of unit u: W.unit_balance per session that the busiest unit leads
                above the fair share N / U, rounded down. No term when U < 2.

The weights are points: one person wanting a skill makes its first session worth W.demand = 100,
so with the default weights the milestone, language and unit terms settle choices between
sessions of similar demand rather than overrule demand.

Model. Only possible triples get a variable. y[s, m] says module m runs in slot s; x[s, m, f]
(one per facilitator who could lead it, and y itself when there is only one) says who leads it,
with sum_f x[s, m, f] = y[s, m]. Capacity, double-booking and monthly limits are sums of y or x;
repeat spacing is one at-most-one per module and window of `repeat_spacing_weeks` consecutive
weeks. Each demand term is a chain of booleans c_1 >= c_2 >= ... >= c_J with
n_k = sum c_j + e_k and e_k > 0 only if c_J (J = the positive terms of the list, at most the
skill's possible sessions), so c_j is exactly [n_k >= j]. The absolute values are CP-SAT
absolute-value equalities (or plain sums when a language has no module or no demand), the
maximum a max equality, and each floor a pair of inequalities D * p <= X <= D * p + D - 1. Every
auxiliary variable is therefore *determined* by the sessions, so the solver's objective of any
solution - optimal or not - equals `score()` of its sessions; the tests check this.

Balance cuts. The language and unit terms are integer-rounding effects: a fractional (LP)
schedule follows every share exactly, so on their own they leave the bound too high by a few
points that no amount of search closes (on the benchmark the solver stalled 8 points, 0.003%,
above the optimum for a minute). The model therefore also states the number of sessions N as a
one-hot z_0..z_Nmax and adds two cuts that hold for every integer schedule:
    sum_l |n_l * D - d_l * N|  >=  sum_v g(v) * z_v
    max_u n_u                  >=  sum_v ceil(v / U') * z_v
where g(v) is the least language deviation any v sessions can have (computed exactly in advance,
`_least_deviation`) and U' the number of units with someone able to lead a possible session.
Branching on N then makes the bound exact; with them the benchmark programmes are proven optimal.

Search. `greedy()` walks the slots in time order, filling each with the (module, facilitator)
pair that raises the objective most (ties: module key, then facilitator key) while it is still
positive; its programme, completed to every variable, is the solver's hint. A `hint` given to
`plan()` (for instance the last published programme) seeds that greedy: its sessions that are
still possible are kept first, in slot order. The solver stops at `time_limit` seconds or when
the relative gap |bound - objective| / max(1, |objective|) (CP-SAT's definition) reaches
`relative_gap` (default 0: search until proven optimal or out of time; note that a 1% gap is
wider than all the non-demand terms together, and the greedy start is usually already inside
it). Two presolve steps are off, probing and the search for big linear overlaps: on the
benchmark they took about 2 and 1 seconds and the proof does not need them. `Plan.optimal` says
whether the optimum was proven (objective = bound). `Plan.status` is "optimal", "feasible"
(stopped with a gap) or "greedy" (the solver found no solution in time: the greedy programme is
returned with the solver's bound).

Determinism. Inputs are sorted by key and the model is built in sorted order. With one worker
and a fixed seed CP-SAT is deterministic, so equal inputs give equal plans as long as the search
ends before the time limit (as on small programmes); with more workers or a binding time limit
the plan may differ between runs, never its validity.

Explanations. Every session carries reason codes that the Django layer turns into sentences:
("skill", code, demand) for each skill of the module that people want (module order),
("milestone", key, days_apart) for each matching window (nearest first, then key) and
("language", code). `Plan.unplanned_demand` lists the wanted skills that no session teaches, with
the people who want them.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from ortools.sat.python import cp_model

from datacircle.core.i18n import gettext_noop, ngettext_lazy

ProgressCallback = Callable[[str], None]


@dataclass(frozen=True)
class Module:
    key: str
    skills: tuple[str, ...]
    language: str
    level: int = 0  # 0-3, the level the session starts from


@dataclass(frozen=True)
class Facilitator:
    key: str
    skills: tuple[str, ...]  # skills they lead
    languages: tuple[str, ...]
    unit: str
    available: frozenset[int]  # indices of the slots they can do
    monthly_limit: int


@dataclass(frozen=True)
class Slot:
    index: int
    start: datetime
    week: int  # weeks since the start of the programme
    month: str  # calendar month of the start, "2026-03"


@dataclass(frozen=True)
class MilestoneWindow:
    key: str
    start: date
    end: date  # inclusive
    themes: tuple[str, ...]  # skill codes


@dataclass(frozen=True)
class Weights:
    demand: int = 100  # per person who wants the skill, first session
    milestone: int = 30
    near_days: int = 7
    repeat_spacing_weeks: int = 4
    language_balance: int = 20
    unit_balance: int = 5
    # Value of the 1st, 2nd, 3rd... session of the same skill, relative to the first.
    diminishing: tuple[float, ...] = (1.0, 0.6, 0.35, 0.2)


@dataclass(frozen=True)
class Problem:
    demand: Mapping[str, int]  # skill code -> people who want it
    language_demand: Mapping[str, int]  # language code -> people
    modules: tuple[Module, ...]
    facilitators: tuple[Facilitator, ...]
    slots: tuple[Slot, ...]
    milestones: tuple[MilestoneWindow, ...] = ()
    weights: Weights = field(default_factory=Weights)
    sessions_per_slot: int = 1


@dataclass(frozen=True)
class Session:
    slot: int
    module: str
    facilitator: str
    reasons: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class Plan:
    sessions: tuple[Session, ...]
    objective: int
    bound: int
    optimal: bool
    gap: float
    unplanned_demand: Mapping[str, int]
    status: str
    seconds: float


class PlanningError(ValueError):
    pass


# --- the problem, indexed ---------------------------------------------------------------------


def _days_apart(day: date, window: MilestoneWindow) -> int:
    if day < window.start:
        return (window.start - day).days
    if day > window.end:
        return (day - window.end).days
    return 0


def _marginal_values(people: int, weights: Weights) -> tuple[int, ...]:
    """Worth of the 1st, 2nd... session of a skill `people` want, without trailing zeros."""
    values = [round(people * weights.demand * factor) for factor in weights.diminishing]
    while values and values[-1] == 0:
        values.pop()
    return tuple(values)


def _validate(problem: Problem) -> None:
    w = problem.weights
    for name in (
        "demand",
        "milestone",
        "near_days",
        "repeat_spacing_weeks",
        "language_balance",
        "unit_balance",
    ):
        value = getattr(w, name)
        if not isinstance(value, int) or value < 0:
            raise PlanningError(
                gettext_noop(
                    "weight %(name)s must be a whole number >= 0, not %(value)s",
                    name=name,
                    value=repr(value),
                )
            )
    factors = tuple(w.diminishing)
    if any(f < 0 for f in factors) or any(
        a < b for a, b in zip(factors, factors[1:], strict=False)
    ):
        # The demand term is modelled as a concave chain: it needs non-increasing values.
        raise PlanningError(
            gettext_noop(
                "diminishing must be >= 0 and never increase, not %(factors)s",
                factors=repr(factors),
            )
        )
    if not isinstance(problem.sessions_per_slot, int) or problem.sessions_per_slot < 0:
        raise PlanningError(
            gettext_noop(
                "sessions_per_slot must be >= 0, not %(value)s",
                value=repr(problem.sessions_per_slot),
            )
        )
    for template, mapping in (
        (gettext_noop("demand for %(code)s must be a whole number >= 0"), problem.demand),
        (
            gettext_noop("language demand for %(code)s must be a whole number >= 0"),
            problem.language_demand,
        ),
    ):
        for code, people in mapping.items():
            if not isinstance(people, int) or people < 0:
                raise PlanningError(gettext_noop(template, code=repr(code)))
    for template, items, attr in (
        (gettext_noop("duplicate module %(key)s"), problem.modules, "key"),
        (gettext_noop("duplicate facilitator %(key)s"), problem.facilitators, "key"),
        (gettext_noop("duplicate slot %(key)s"), problem.slots, "index"),
    ):
        seen: set = set()
        for item in items:
            key = getattr(item, attr)
            if key in seen:
                raise PlanningError(gettext_noop(template, key=repr(key)))
            seen.add(key)
    for m in problem.modules:
        if not 0 <= m.level <= 3:
            raise PlanningError(
                gettext_noop(
                    "module %(key)s: level must be 0-3, not %(level)s",
                    key=repr(m.key),
                    level=repr(m.level),
                )
            )
    for f in problem.facilitators:
        if f.monthly_limit < 0:
            raise PlanningError(
                gettext_noop("facilitator %(key)s: negative monthly limit", key=repr(f.key))
            )
    for window in problem.milestones:
        if window.end < window.start:
            raise PlanningError(
                gettext_noop("milestone %(key)s ends before it starts", key=repr(window.key))
            )


class _Index:
    """The problem in sorted order, with everything the rules need precomputed."""

    def __init__(self, problem: Problem):
        _validate(problem)
        self.problem = problem
        w = self.weights = problem.weights
        self.slots = sorted(problem.slots, key=lambda s: s.index)
        self.slot_pos = {s.index: i for i, s in enumerate(self.slots)}
        self.modules = sorted(problem.modules, key=lambda m: m.key)
        self.module_pos = {m.key: i for i, m in enumerate(self.modules)}
        self.module_skills = [tuple(dict.fromkeys(m.skills)) for m in self.modules]
        self.facilitators = sorted(problem.facilitators, key=lambda f: f.key)
        self.facilitator_pos = {f.key: i for i, f in enumerate(self.facilitators)}

        # Demand: only wanted skills with a positive first value have a term.
        self.skills: list[str] = []
        self.values: list[tuple[int, ...]] = []
        for code in sorted(problem.demand):
            values = _marginal_values(problem.demand[code], w)
            if values:
                self.skills.append(code)
                self.values.append(values)
        self.prefix = [(0, *_accumulate(v)) for v in self.values]
        skill_pos = {code: i for i, code in enumerate(self.skills)}
        self.module_skill_ids = [
            tuple(skill_pos[k] for k in skills if k in skill_pos) for skills in self.module_skills
        ]

        # Languages: shares reduced by their gcd (the penalty does not change, numbers shrink).
        languages = {k for k, v in problem.language_demand.items() if v > 0}
        languages |= {m.language for m in self.modules}
        self.languages = sorted(languages)
        self.language_pos = {code: i for i, code in enumerate(self.languages)}
        shares = [problem.language_demand.get(code, 0) for code in self.languages]
        divisor = math.gcd(*shares) or 1
        self.language_share = [d // divisor for d in shares]
        self.language_total = sum(self.language_share)
        self.module_language = [self.language_pos[m.language] for m in self.modules]

        self.units = sorted({f.unit for f in self.facilitators})
        unit_pos = {u: i for i, u in enumerate(self.units)}
        self.facilitator_unit = [unit_pos[f.unit] for f in self.facilitators]

        self._milestones: dict[tuple[int, int], tuple[tuple, ...]] = {}
        self._near = [self._near_windows(s) for s in self.slots]
        self.candidates = self._candidates()

    def _near_windows(self, slot: Slot) -> list[tuple[int, str, frozenset[str]]]:
        day = slot.start.date()
        near = []
        for window in self.problem.milestones:
            days = _days_apart(day, window)
            if days <= self.weights.near_days:
                near.append((days, window.key, frozenset(window.themes)))
        near.sort(key=lambda t: (t[0], t[1]))
        return near

    def milestones(self, s: int, m: int) -> tuple[tuple, ...]:
        """("milestone", key, days_apart) for every window near slot s on module m's themes."""
        found = self._milestones.get((s, m))
        if found is None:
            skills = set(self.module_skills[m])
            found = tuple(
                ("milestone", key, d) for d, key, themes in self._near[s] if themes & skills
            )
            self._milestones[(s, m)] = found
        return found

    def bonus(self, s: int, m: int) -> int:
        return self.weights.milestone if self.milestones(s, m) else 0

    def possible(self, s: int, m: int, f: int) -> bool:
        module, facilitator = self.modules[m], self.facilitators[f]
        return (
            self.slots[s].index in facilitator.available
            and module.language in facilitator.languages
            and not set(self.module_skills[m]).isdisjoint(facilitator.skills)
        )

    def _candidates(self) -> list[list[tuple[int, tuple[int, ...]]]]:
        """Per slot position: (module, facilitators who could lead it there), in sorted order."""
        able = [
            [
                f
                for f, fac in enumerate(self.facilitators)
                if module.language in fac.languages
                and not set(self.module_skills[m]).isdisjoint(fac.skills)
                and fac.monthly_limit > 0
            ]
            for m, module in enumerate(self.modules)
        ]
        found = []
        for slot in self.slots:
            here = []
            if self.problem.sessions_per_slot > 0:
                for m in range(len(self.modules)):
                    fs = tuple(f for f in able[m] if slot.index in self.facilitators[f].available)
                    if fs:
                        here.append((m, fs))
            found.append(here)
        return found

    def reasons(self, s: int, m: int) -> tuple[tuple, ...]:
        demand = self.problem.demand
        skills = tuple(
            ("skill", k, demand[k]) for k in self.module_skills[m] if demand.get(k, 0) > 0
        )
        return (*skills, *self.milestones(s, m), ("language", self.modules[m].language))

    def session(self, s: int, m: int, f: int) -> Session:
        return Session(
            self.slots[s].index, self.modules[m].key, self.facilitators[f].key, self.reasons(s, m)
        )

    def positions(self, session: Session) -> tuple[int, int, int]:
        try:
            return (
                self.slot_pos[session.slot],
                self.module_pos[session.module],
                self.facilitator_pos[session.facilitator],
            )
        except KeyError as error:
            raise PlanningError(
                gettext_noop(
                    "session %(session)s refers to an unknown %(key)s",
                    session=repr(session),
                    key=str(error),
                )
            ) from None


def _accumulate(values: Iterable[int]) -> list[int]:
    total, out = 0, []
    for v in values:
        total += v
        out.append(total)
    return out


class _Tally:
    """Counts of a schedule, enough to compute its objective: the one definition `score()`,
    `greedy()` and the solver hint share."""

    def __init__(self, index: _Index):
        self.index = index
        self.skill = [0] * len(index.skills)
        self.language = [0] * len(index.languages)
        self.unit = [0] * len(index.units)
        self.sessions = 0
        self.bonus = 0

    def add(self, s: int, m: int, f: int, sign: int = 1) -> None:
        index = self.index
        for k in index.module_skill_ids[m]:
            self.skill[k] += sign
        self.language[index.module_language[m]] += sign
        self.unit[index.facilitator_unit[f]] += sign
        self.sessions += sign
        self.bonus += sign * index.bonus(s, m)

    def demand_value(self) -> int:
        return sum(
            prefix[min(n, len(prefix) - 1)]
            for prefix, n in zip(self.index.prefix, self.skill, strict=True)
        )

    def language_deviation(self) -> int:
        """sum_l |n_l * D - d_l * N| (shares reduced)."""
        index, total = self.index, self.sessions
        return sum(
            abs(n * index.language_total - d * total)
            for n, d in zip(self.language, index.language_share, strict=True)
        )

    def language_penalty(self) -> int:
        index = self.index
        if index.language_total == 0:
            return 0
        return index.weights.language_balance * self.language_deviation() // index.language_total

    def unit_excess(self) -> int:
        """U * max_u n_u - N."""
        return len(self.unit) * max(self.unit, default=0) - self.sessions

    def unit_penalty(self) -> int:
        units = len(self.index.units)
        if units < 2:
            return 0
        return self.index.weights.unit_balance * self.unit_excess() // units

    def value(self) -> int:
        return self.demand_value() + self.bonus - self.language_penalty() - self.unit_penalty()


# --- the rules: score and check ---------------------------------------------------------------


def score(problem: Problem, sessions: Iterable[Session]) -> int:
    """The objective of a schedule (see the module docstring), whether it is valid or not."""
    index = _Index(problem)
    tally = _Tally(index)
    for session in sessions:
        tally.add(*index.positions(session))
    return tally.value()


def check(problem: Problem, sessions: Iterable[Session]) -> list[str]:
    """Every hard-constraint violation of a schedule, in words; empty when it is valid."""
    index = _Index(problem)
    problems: list[str] = []
    known: list[tuple[Session, int, int, int]] = []
    for session in sessions:
        where = f"slot {session.slot}"
        missing = [
            f"{kind} {key!r}"
            for kind, key, table in (
                ("slot", session.slot, index.slot_pos),
                ("module", session.module, index.module_pos),
                ("facilitator", session.facilitator, index.facilitator_pos),
            )
            if key not in table
        ]
        if missing:
            problems.append(f"{where}: unknown {', '.join(missing)}")
            continue
        s, m, f = index.positions(session)
        known.append((session, s, m, f))
        module, fac = index.modules[m], index.facilitators[f]
        who = f"facilitator {fac.key!r}"
        if session.slot not in fac.available:
            problems.append(f"{where}: {who} is not available")
        if set(index.module_skills[m]).isdisjoint(fac.skills):
            problems.append(f"{where}: {who} leads none of the skills of module {module.key!r}")
        if module.language not in fac.languages:
            problems.append(
                f"{where}: {who} does not speak {module.language!r}, "
                f"the language of module {module.key!r}"
            )

    per_slot: dict[int, list[tuple[int, int]]] = defaultdict(list)
    per_month: dict[tuple[int, str], int] = defaultdict(int)
    per_module: dict[int, list[int]] = defaultdict(list)
    for _session, s, m, f in known:
        per_slot[s].append((m, f))
        per_month[(f, index.slots[s].month)] += 1
        per_module[m].append(s)
    capacity = problem.sessions_per_slot
    for s in sorted(per_slot):
        held = per_slot[s]
        where = f"slot {index.slots[s].index}"
        if len(held) > capacity:
            problems.append(f"{where}: {len(held)} sessions, more than the {capacity} a slot holds")
        for f in sorted({f for _m, f in held}):
            count = sum(1 for _m, g in held if g == f)
            if count > 1:
                problems.append(
                    f"{where}: facilitator {index.facilitators[f].key!r} is double-booked "
                    f"({count} sessions)"
                )
    for (f, month), count in sorted(per_month.items()):
        fac = index.facilitators[f]
        if count > fac.monthly_limit:
            problems.append(
                f"{month}: facilitator {fac.key!r} leads {count} sessions, "
                f"more than their monthly limit of {fac.monthly_limit}"
            )
    spacing = index.weights.repeat_spacing_weeks
    for m in sorted(per_module):
        held_at = sorted(per_module[m])
        for a, b in zip(held_at, held_at[1:], strict=False):
            key = index.modules[m].key
            first, second = index.slots[a], index.slots[b]
            if a == b:
                problems.append(f"slot {first.index}: module {key!r} twice in the same slot")
            elif abs(second.week - first.week) < spacing:
                problems.append(
                    f"module {key!r} repeated too soon: slots {first.index} and {second.index} "
                    f"are {abs(second.week - first.week)} weeks apart, at least {spacing} needed"
                )
    return problems


# --- greedy -----------------------------------------------------------------------------------


class _Greedy:
    """A schedule built session by session, each addition kept valid."""

    def __init__(self, index: _Index):
        self.index = index
        self.tally = _Tally(index)
        self.held: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.month: dict[tuple[int, str], int] = defaultdict(int)
        self.weeks: dict[int, list[int]] = defaultdict(list)
        self.sessions: list[tuple[int, int, int]] = []

    def fits(self, s: int, m: int, f: int) -> bool:
        index = self.index
        held = self.held[s]
        if len(held) >= index.problem.sessions_per_slot:
            return False
        if any(m == m2 or f == f2 for m2, f2 in held):
            return False
        fac = index.facilitators[f]
        if self.month[(f, index.slots[s].month)] >= fac.monthly_limit:
            return False
        week, spacing = index.slots[s].week, index.weights.repeat_spacing_weeks
        return all(abs(week - w) >= spacing for w in self.weeks[m])

    def add(self, s: int, m: int, f: int) -> None:
        self.held[s].append((m, f))
        self.month[(f, self.index.slots[s].month)] += 1
        self.weeks[m].append(self.index.slots[s].week)
        self.tally.add(s, m, f)
        self.sessions.append((s, m, f))

    def best(self, s: int) -> tuple[int, int, int] | None:
        """The (gain, module, facilitator) that raises the objective most in slot s, if any."""
        base = self.tally.value()
        best = None
        for m, fs in self.index.candidates[s]:
            for f in fs:
                if not self.fits(s, m, f):
                    continue
                self.tally.add(s, m, f)
                gain = self.tally.value() - base
                self.tally.add(s, m, f, -1)
                # Strictly better only: candidates come in (module, facilitator) key order.
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, m, f)
        return best

    def fill(self) -> None:
        for s in range(len(self.index.slots)):
            while (found := self.best(s)) is not None:
                self.add(s, found[1], found[2])


def _greedy(index: _Index, start: Iterable[Session] = ()) -> _Greedy:
    built = _Greedy(index)
    kept = []
    for session in start:
        try:
            s, m, f = index.positions(session)
        except PlanningError:
            continue  # a module or person that is gone: the hint simply loses that session
        if index.possible(s, m, f):
            kept.append((s, m, f))
    for s, m, f in sorted(set(kept)):
        if built.fits(s, m, f):
            built.add(s, m, f)
    built.fill()
    return built


def greedy(problem: Problem, start: Iterable[Session] = ()) -> tuple[Session, ...]:
    """The greedy programme (see the module docstring), after the still-possible sessions of
    `start` if given. Always valid."""
    index = _Index(problem)
    built = _greedy(index, start)
    return tuple(index.session(s, m, f) for s, m, f in sorted(built.sessions))


# --- the CP-SAT model -------------------------------------------------------------------------


class _Model:
    """The model of the module docstring, with a way to hint every variable from a schedule."""

    def __init__(self, index: _Index):
        self.index = index
        model = self.model = cp_model.CpModel()
        self.y: dict[tuple[int, int], cp_model.IntVar] = {}
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        # (auxiliary variable, its value as a function of a schedule's tally): for the hint
        self.derived: list[tuple[cp_model.IntVar, Callable[[_Tally], int]]] = []
        self._z: list | None = None
        self._n: cp_model.IntVar | None = None
        self._sessions()
        self._hard_constraints()
        objective = [self._demand(), self._milestones(), -self._language(), -self._unit()]
        model.maximize(sum(objective))

    # Variables and hard constraints.

    def _sessions(self) -> None:
        model = self.model
        for s, candidates in enumerate(self.index.candidates):
            for m, fs in candidates:
                y = self.y[(s, m)] = model.new_bool_var(f"y_{s}_{m}")
                if len(fs) == 1:
                    self.x[(s, m, fs[0])] = y
                    continue
                xs = []
                for f in fs:
                    x = self.x[(s, m, f)] = model.new_bool_var(f"x_{s}_{m}_{f}")
                    xs.append(x)
                model.add(sum(xs) == y)

    def _hard_constraints(self) -> None:
        index, model = self.index, self.model
        capacity = index.problem.sessions_per_slot
        per_slot: dict[int, list] = defaultdict(list)
        for (s, _m), y in self.y.items():
            per_slot[s].append(y)
        for ys in per_slot.values():
            if len(ys) > capacity:
                model.add(sum(ys) <= capacity)
        busy: dict[tuple[int, int], list] = defaultdict(list)
        month: dict[tuple[int, str], list] = defaultdict(list)
        for (s, _m, f), x in self.x.items():
            busy[(s, f)].append(x)
            month[(f, index.slots[s].month)].append(x)
        for xs in busy.values():
            if len(xs) > 1:
                model.add_at_most_one(xs)
        for (f, _month), xs in month.items():
            limit = index.facilitators[f].monthly_limit
            if len(xs) > limit:
                model.add(sum(xs) <= limit)
        spacing = index.weights.repeat_spacing_weeks
        held: dict[int, list[int]] = defaultdict(list)
        for s, m in self.y:
            held[m].append(s)
        if spacing > 0:
            for m, slots in held.items():
                weeks = [index.slots[s].week for s in slots]
                last_end = -1
                for week in sorted(set(weeks)):
                    # Slots of weeks [week, week + spacing): no two of them may both hold m.
                    members = [
                        s for s, w in zip(slots, weeks, strict=True) if week <= w < week + spacing
                    ]
                    end = max(members)
                    if len(members) > 1 and end > last_end:
                        model.add_at_most_one(self.y[(s, m)] for s in members)
                        last_end = end

    # Objective terms.

    def _demand(self):
        index, model = self.index, self.model
        teaching: dict[int, list] = defaultdict(list)
        for (_s, m), y in self.y.items():
            for k in index.module_skill_ids[m]:
                teaching[k].append(y)
        terms = []
        for k, ys in sorted(teaching.items()):
            values = index.values[k]
            chain = min(len(values), len(ys))
            c = [model.new_bool_var(f"c_{k}_{j}") for j in range(chain)]
            for j in range(chain - 1):
                model.add_implication(c[j + 1], c[j])
            rest = len(ys) - chain
            if rest > 0:
                # Sessions beyond the chain are worth nothing, but only once the chain is full.
                e = model.new_int_var(0, rest, f"e_{k}")
                model.add(e <= rest * c[-1])
                model.add(sum(c) + e == sum(ys))
                self.derived.append((e, lambda t, k=k, chain=chain: max(0, t.skill[k] - chain)))
            else:
                model.add(sum(c) == sum(ys))
            for j, var in enumerate(c):
                self.derived.append((var, lambda t, k=k, j=j: int(t.skill[k] > j)))
                terms.append(values[j] * var)
        return sum(terms)

    def _milestones(self):
        index = self.index
        return sum(index.bonus(s, m) * y for (s, m), y in self.y.items() if index.bonus(s, m))

    def _session_count_bound(self) -> int:
        slots_used = sum(1 for c in self.index.candidates if c)
        return min(len(self.y), slots_used * self.index.problem.sessions_per_slot)

    def _total(self) -> cp_model.IntVar:
        """N, the number of sessions, as one variable."""
        if self._n is None:
            self._n = self.model.new_int_var(0, self._session_count_bound(), "sessions")
            self.model.add(self._n == sum(self.y.values()))
            self.derived.append((self._n, lambda t: t.sessions))
        return self._n

    def _count(self) -> list:
        """z[v] = "the programme has exactly v sessions", v = 0..the most it can have.

        The balance terms are small integer-rounding effects: a fractional (LP) schedule can
        follow every share exactly, so without help the bound never sees them. Knowing N, the
        least possible deviation is a number computed here in advance (see `_least_deviation`),
        which gives the solver a valid cut per term that branching on N makes tight.
        """
        if self._z is None:
            model = self.model
            self._z = [
                model.new_bool_var(f"count_{v}") for v in range(self._session_count_bound() + 1)
            ]
            model.add_exactly_one(self._z)
            model.add(sum(v * z for v, z in enumerate(self._z)) == self._total())
            for v, z in enumerate(self._z):
                self.derived.append((z, lambda t, v=v: int(t.sessions == v)))
        return self._z

    def _language(self):
        index, model = self.index, self.model
        total, weight = index.language_total, index.weights.language_balance
        if total == 0 or weight == 0 or not self.y:
            return 0
        n_max = self._session_count_bound()
        all_sessions = self._total()
        in_language: dict[int, list] = defaultdict(list)
        for (_s, m), y in self.y.items():
            in_language[index.module_language[m]].append(y)
        deviations = []
        for lang, share in enumerate(index.language_share):
            ys = in_language.get(lang, [])
            if not ys:
                deviations.append(share * all_sessions)  # nobody can teach in it: all deviation
            elif share == 0:
                deviations.append(total * sum(ys))  # nobody asked for it: every session deviates
            else:
                a = model.new_int_var(0, n_max * total, f"dev_{lang}")
                # Counted once in a variable: presolve is slow on many long expressions.
                n = model.new_int_var(0, n_max, f"in_language_{lang}")
                model.add(n == sum(ys))
                self.derived.append((n, lambda t, lang=lang: t.language[lang]))
                model.add_abs_equality(a, total * n - share * all_sessions)
                self.derived.append(
                    (
                        a,
                        lambda t, lang=lang, share=share: abs(
                            t.language[lang] * total - share * t.sessions
                        ),
                    )
                )
                deviations.append(a)
        deviation = sum(deviations)
        teachable = sorted(in_language)
        least = [_least_deviation(index.language_share, teachable, v) for v in range(n_max + 1)]
        model.add(deviation >= sum(g * z for g, z in zip(least, self._count(), strict=True) if g))
        top = weight * 2 * n_max
        penalty = model.new_int_var(0, top, "language_penalty")
        # penalty = floor(weight * deviation / total), pinned from both sides.
        model.add(total * penalty <= weight * deviation)
        model.add(weight * deviation <= total * penalty + total - 1)
        self.derived.append((penalty, _Tally.language_penalty))
        return penalty

    def _unit(self):
        index, model = self.index, self.model
        units, weight = len(index.units), index.weights.unit_balance
        if units < 2 or weight == 0 or not self.x:
            return 0
        n_max = self._session_count_bound()
        led: dict[int, list] = defaultdict(list)
        for (_s, _m, f), x in self.x.items():
            led[index.facilitator_unit[f]].append(x)
        counts = []
        for u in sorted(led):
            n = model.new_int_var(0, n_max, f"unit_{u}")
            model.add(n == sum(led[u]))
            self.derived.append((n, lambda t, u=u: t.unit[u]))
            counts.append(n)
        busiest = model.new_int_var(0, n_max, "busiest_unit")
        model.add_max_equality(busiest, [*counts, 0])
        self.derived.append((busiest, lambda t: max(t.unit, default=0)))
        # With v sessions over the units that can lead any, the busiest leads at least v / those.
        model.add(busiest >= sum(-(-v // len(led)) * z for v, z in enumerate(self._count()) if v))
        excess = units * busiest - self._total()
        penalty = model.new_int_var(0, weight * n_max, "unit_penalty")
        model.add(units * penalty <= weight * excess)
        model.add(weight * excess <= units * penalty + units - 1)
        self.derived.append((penalty, _Tally.unit_penalty))
        return penalty

    def hint(self, sessions: Iterable[tuple[int, int, int]]) -> None:
        """Hint every variable with its value in a valid schedule (a complete, feasible hint)."""
        chosen = set(sessions)
        tally = _Tally(self.index)
        for s, m, f in chosen:
            tally.add(s, m, f)
        held = {(s, m) for s, m, _f in chosen}
        model = self.model
        for key, y in self.y.items():
            model.add_hint(y, key in held)
        for key, x in self.x.items():
            if x is not self.y[key[:2]]:
                model.add_hint(x, key in chosen)
        for var, value in self.derived:
            model.add_hint(var, value(tally))


def _least_deviation(shares: list[int], teachable: list[int], sessions: int) -> int:
    """min sum_l |n_l * D - d_l * N| over whole n_l >= 0 with sum n_l = N = `sessions`, where
    only the `teachable` languages (those with a possible session) may have n_l > 0.

    Start every teachable language at its rounded-down fair count floor(N * d_l / D), which costs
    its remainder r_l = N * d_l mod D; the k sessions still missing each go one language up: the
    first step of a language changes its cost by D - 2 * r_l, any later step by D (the costs are
    convex), so the cheapest first steps go first.
    """
    total = sum(shares)
    cost, placed, steps = 0, 0, []
    allowed = set(teachable)
    for lang, share in enumerate(shares):
        fair, remainder = divmod(sessions * share, total)
        if lang in allowed:
            cost += remainder
            placed += fair
            steps.append(total - 2 * remainder)
        else:
            cost += sessions * share
    missing = sessions - placed
    steps.sort()
    cost += sum(steps[:missing]) + max(0, missing - len(steps)) * total
    return cost


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressCallback):
        super().__init__()
        self.progress = progress
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        self.progress(
            gettext_noop(
                "solution %(count)s: objective %(objective)s, bound %(bound)s",
                count=self.count,
                objective=round(self.objective_value),
                bound=math.floor(self.best_objective_bound + 1e-6),
            )
        )


# The last step of planning, by how good the programme is.
_FINISHED = {
    "optimal": gettext_noop("optimal: objective %(objective)s, bound %(bound)s"),
    "feasible": gettext_noop("feasible: objective %(objective)s, bound %(bound)s"),
    "greedy": gettext_noop("greedy: objective %(objective)s, bound %(bound)s"),
}


def _unplanned(index: _Index, chosen: Iterable[tuple[int, int, int]]) -> dict[str, int]:
    """Wanted skills that no session teaches, with the people who want them."""
    demand = index.problem.demand
    covered = {k for _s, m, _f in chosen for k in index.module_skills[m]}
    return {k: demand[k] for k in sorted(demand) if demand[k] > 0 and k not in covered}


def plan(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    relative_gap: float = 0.0,
    progress: ProgressCallback | None = None,
    hint: Iterable[Session] = (),
    seed: int = 0,
) -> Plan:
    """The best programme CP-SAT finds within the limits (see the module docstring)."""
    began = time.perf_counter()
    say = progress or (lambda _message: None)
    index = _Index(problem)
    start = _greedy(index, hint)
    candidates = sum(len(fs) for c in index.candidates for _m, fs in c)
    say(
        ngettext_lazy(
            "%(count)s possible session; greedy start: objective %(objective)s",
            "%(count)s possible sessions; greedy start: objective %(objective)s",
            candidates,
            count=candidates,
            objective=start.tally.value(),
        )
    )

    built = _Model(index)
    built.hint(start.sessions)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = time_limit
    params.num_workers = workers
    params.relative_gap_limit = relative_gap
    params.random_seed = seed
    params.cp_model_probing_level = 0
    params.find_big_linear_overlap = False
    status = solver.solve(built.model, _Reporter(progress) if progress else None)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [key for key, x in built.x.items() if solver.boolean_value(x)]
        objective = round(solver.objective_value)
        kind = "solver"
    elif status == cp_model.UNKNOWN:
        chosen = list(start.sessions)
        objective = start.tally.value()
        kind = "greedy"
    else:  # the empty programme is always feasible: anything else is a bug in the model
        raise PlanningError(
            gettext_noop("the solver says %(status)s", status=solver.status_name(status))
        )
    found_bound = solver.best_objective_bound
    if not math.isfinite(found_bound):  # stopped before any bound: every term at its best
        found_bound = sum(p[-1] for p in index.prefix) + index.weights.milestone * len(built.y)
    bound = max(objective, math.floor(found_bound + 1e-6))
    optimal = bound == objective
    status_name = "optimal" if optimal else ("feasible" if kind == "solver" else "greedy")
    say(gettext_noop(_FINISHED[status_name], objective=objective, bound=bound))
    return Plan(
        sessions=tuple(index.session(s, m, f) for s, m, f in sorted(chosen)),
        objective=objective,
        bound=bound,
        optimal=optimal,
        gap=(bound - objective) / max(1, abs(objective)),
        unplanned_demand=_unplanned(index, chosen),
        status=status_name,
        seconds=time.perf_counter() - began,
    )
