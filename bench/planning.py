"""Benchmark the programme planner: CP-SAT's plan vs the greedy baseline, with the bound.

Run by hand from the repository root (results go to docs/benchmarks.md):
    .venv/bin/python bench/planning.py
It generates a programme deterministically (--seed): 26 weeks from Monday 1 June 2026 with two
weekly session times (Tuesday 10:00 and Thursday 14:00 UTC), 40 facilitators in 8 units, 30
modules over the 17 demo skills in en/fr/es/ar, demand from a scoping round of about 1,300
people (the demo's want weights), 6 milestone windows. Each facilitator leads 2-4 skills (the
demo's share weights), speaks one or two languages, prefers one weekly time or both, is away for
a two-week leave, and ends up available for about 40% of the slots; monthly limits 1-3.
It then times `greedy()` and `plan()` (wall clock, model building included) and prints the
objective, the bound, the gap and whether the optimum was proven, checking both programmes
with `check()` and the plan's objective against `score()`.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from datetime import UTC, date, datetime, timedelta

from datacircle.core.demo import SHARE_WEIGHTS, SKILLS, WANT_WEIGHTS
from datacircle.core.planning import (
    Facilitator,
    MilestoneWindow,
    Module,
    Problem,
    Slot,
    check,
    greedy,
    plan,
    score,
)

LANGUAGES = ("en", "fr", "es", "ar")
LANGUAGE_WEIGHTS = (50, 25, 15, 10)
FIRST_MONDAY = date(2026, 6, 1)
TIMES = ((1, 10), (3, 14))  # (weekday, hour): Tuesday morning, Thursday afternoon

MILESTONES = (
    MilestoneWindow(
        "annual-review",
        date(2026, 7, 13),
        date(2026, 7, 17),
        ("dashboards", "information-products"),
    ),
    MilestoneWindow(
        "world-humanitarian-day",
        date(2026, 8, 19),
        date(2026, 8, 19),
        ("storytelling", "information-products"),
    ),
    MilestoneWindow(
        "world-first-aid-day", date(2026, 9, 12), date(2026, 9, 12), ("collection", "data-literacy")
    ),
    MilestoneWindow(
        "disaster-risk-reduction-day",
        date(2026, 10, 13),
        date(2026, 10, 13),
        ("gis", "analysis", "dashboards"),
    ),
    MilestoneWindow("gis-day", date(2026, 11, 18), date(2026, 11, 18), ("gis",)),
    MilestoneWindow(
        "international-volunteer-day",
        date(2026, 12, 5),
        date(2026, 12, 5),
        ("data-literacy", "collection"),
    ),
)


def _weighted_sample(rng: random.Random, weights: dict[str, int], k: int) -> tuple[str, ...]:
    """k distinct codes drawn with the given weights, in draw order."""
    pool = dict(weights)
    chosen = []
    for _ in range(k):
        code = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(code)
        del pool[code]
    return tuple(chosen)


def programme(
    weeks: int = 26, facilitators: int = 40, modules: int = 30, seed: int = 2026
) -> Problem:
    """The benchmark problem, the same for the same arguments."""
    rng = random.Random(seed)
    slots = []
    for week in range(weeks):
        for weekday, hour in TIMES:
            day = FIRST_MONDAY + timedelta(weeks=week, days=weekday)
            start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
            slots.append(Slot(len(slots), start, week, f"{start:%Y-%m}"))

    made_modules = []
    for i in range(modules):
        skills = _weighted_sample(rng, WANT_WEIGHTS, rng.choice((1, 1, 2)))
        language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        made_modules.append(Module(f"m{i:02d}", skills, language, rng.randint(0, 3)))

    units = [f"unit-{u}" for u in range(8)]
    made_facilitators = []
    for i in range(facilitators):
        skills = _weighted_sample(rng, SHARE_WEIGHTS, rng.randint(2, 4))
        first = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        languages = [first]
        if rng.random() < 0.5:
            languages.append(rng.choice([x for x in LANGUAGES if x != first]))
        # Preferred weekly times: one of the two (40% each) or both (20%); each preferred slot
        # free with probability 0.72, minus a two-week leave: about 40% of all slots.
        preferred = rng.choices(((0,), (1,), (0, 1)), weights=(40, 40, 20))[0]
        leave = rng.randrange(weeks - 1)
        available = frozenset(
            s.index
            for s in slots
            if s.index % len(TIMES) in preferred
            and s.week not in (leave, leave + 1)
            and rng.random() < 0.72
        )
        made_facilitators.append(
            Facilitator(
                f"f{i:02d}",
                skills,
                tuple(languages),
                rng.choice(units),
                available,
                rng.randint(1, 3),
            )
        )

    people = 1300
    total_weight = sum(WANT_WEIGHTS.values())
    demand = {
        code: max(1, round(people * WANT_WEIGHTS[code] / total_weight * rng.uniform(0.8, 1.2)))
        for code in SKILLS
    }
    language_demand = {
        code: round(people * w / sum(LANGUAGE_WEIGHTS))
        for code, w in zip(LANGUAGES, LANGUAGE_WEIGHTS, strict=True)
    }
    return Problem(
        demand=demand,
        language_demand=language_demand,
        modules=tuple(made_modules),
        facilitators=tuple(made_facilitators),
        slots=tuple(slots),
        milestones=MILESTONES,
    )


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run(problem: Problem, args: argparse.Namespace) -> dict:
    """Greedy and plan() on one problem, both checked; when the plan came within 1% and 0.1%."""
    began = time.perf_counter()
    baseline = greedy(problem)
    greedy_seconds = time.perf_counter() - began
    greedy_score = score(problem, baseline)
    assert not check(problem, baseline), check(problem, baseline)

    reached: dict[float, float] = {}

    def progress(message: str) -> None:
        if args.verbose:
            print(f"  {time.perf_counter() - began:6.2f}s {message}")
        if message.startswith("solution"):
            objective = int(message.split("objective ")[1].split(",")[0])
            bound = int(message.split("bound ")[1])
            for limit in (0.01, 0.001):
                if limit not in reached and bound - objective <= limit * max(1, abs(objective)):
                    reached[limit] = time.perf_counter() - started

    started = time.perf_counter()
    result = plan(
        problem,
        time_limit=args.time_limit,
        workers=args.workers,
        relative_gap=args.gap,
        progress=progress,
    )
    problems = check(problem, result.sessions)
    assert not problems, problems
    assert score(problem, result.sessions) == result.objective
    return {
        "greedy": greedy_score,
        "greedy_sessions": len(baseline),
        "greedy_seconds": greedy_seconds,
        "result": result,
        "within_1": reached.get(0.01),
        "within_01": reached.get(0.001),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--facilitators", type=int, default=40)
    parser.add_argument("--modules", type=int, default=30)
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[2026], help="seeds of the generator"
    )
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gap", type=float, default=0.0, help="relative gap to stop at")
    parser.add_argument("--verbose", action="store_true", help="print the solver's progress")
    args = parser.parse_args()

    print(f"machine: {cpu_name()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        "| seed | slots | available | greedy | sessions | plan | sessions | bound | gap | "
        "optimal | within 1% | within 0.1% | plan (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for seed in args.seeds:
        problem = programme(args.weeks, args.facilitators, args.modules, seed)
        share = sum(len(f.available) for f in problem.facilitators) / (
            len(problem.facilitators) * len(problem.slots)
        )
        out = run(problem, args)
        r = out["result"]
        when = {k: "-" if out[k] is None else f"{out[k]:.1f} s" for k in ("within_1", "within_01")}
        print(
            f"| {seed} | {len(problem.slots)} | {share:.0%} | {out['greedy']:,} | "
            f"{out['greedy_sessions']} | {r.objective:,} | {len(r.sessions)} | {r.bound:,} | "
            f"{r.gap:.3%} | {'yes' if r.optimal else 'no'} | {when['within_1']} | "
            f"{when['within_01']} | {r.seconds:.1f} |"
        )
        if args.verbose:
            print(f"  unplanned demand: {dict(r.unplanned_demand) or 'none'}")


if __name__ == "__main__":
    main()
