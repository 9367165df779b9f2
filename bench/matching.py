"""Benchmark the peer-learning matching: exact optimum vs the greedy baseline, and the LP bound.

Run by hand from the repository root (results go to docs/benchmarks.md):
    .venv/bin/python bench/matching.py --learners 100000 --sharers 10000
It generates a realistic network deterministically (20 organisations, each with its timezone,
one or two working languages among en/fr/es/ar and about 5 units; wants and shares drawn with the
demo's skill weights; 30% of sharers are learners too; about 5% of learners have exclusions),
then times `match()` and `greedy()` separately (wall clock; peak resident memory of the process,
inputs included) and prints total benefit, matched count, the unlimited-capacity upper bound,
the LP bound (GLOP, see --lp-learners) and the greedy gap.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import time
from bisect import bisect
from itertools import accumulate

from datacircle.core.demo import SHARE_WEIGHTS, WANT_WEIGHTS
from datacircle.core.matching import Learner, Sharer, greedy, lp_bound, match

LANGUAGES = ("en", "fr", "es", "ar")
# UTC offsets where Red Cross and Red Crescent offices are: the Americas to the Pacific.
OFFSETS = (-6.0, -5.0, -5.0, -4.0, -3.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 5.5)
OFFSETS += (6.0, 7.0, 8.0, 8.0)


def organisations(rng: random.Random, count: int = 20) -> list[dict]:
    """Organisations with a timezone, working languages (first = main) and units."""
    orgs = []
    for index in range(count):
        first = rng.choices(LANGUAGES, weights=(50, 25, 15, 10))[0]
        languages = [first]
        if rng.random() < 0.6:
            languages.append(rng.choice([lang for lang in LANGUAGES if lang != first]))
        units = [f"org{index:02d}/unit{u}" for u in range(rng.randint(3, 7))]
        orgs.append(
            {
                "timezone": OFFSETS[index % len(OFFSETS)],
                "languages": tuple(languages),
                "units": units,
                "weight": rng.uniform(0.3, 3.0),
            }
        )
    return orgs


def network(learners: int, sharers: int, seed: int = 2026):
    """(learners, sharers, exclusions), the same for the same arguments."""
    rng = random.Random(seed)
    orgs = organisations(rng)
    org_cum = tuple(accumulate(o["weight"] for o in orgs))
    want_skills, want_cum = tuple(WANT_WEIGHTS), tuple(accumulate(WANT_WEIGHTS.values()))
    share_skills, share_cum = tuple(SHARE_WEIGHTS), tuple(accumulate(SHARE_WEIGHTS.values()))

    def pick(items, cum):
        return items[bisect(cum, rng.random() * cum[-1])]

    def person():
        org = pick(orgs, org_cum)
        first, *others = org["languages"]
        languages = (first, rng.choice(others)) if others and rng.random() < 0.4 else (first,)
        return org, languages, rng.choice(org["units"])

    # People 0 .. sharers-1 share; learners start at 70% of the sharers, so 30% do both.
    first_learner = int(sharers * 0.7)
    shares_of: dict[int, dict[str, int]] = {}
    sharer_list = []
    for index in range(sharers):
        org, languages, unit = person()
        shares = {
            pick(share_skills, share_cum): 4 if rng.random() < 0.3 else 3
            for _ in range(rng.randint(1, 3))
        }
        shares_of[index] = shares
        sharer_list.append(
            Sharer(
                f"p{index:07d}",
                shares,
                languages,
                org["timezone"],
                unit,
                capacity=rng.randint(1, 3),
                available=rng.random() < 0.9,
            )
        )
    by_skill: dict[str, list[str]] = {}
    for s in sharer_list:
        for skill in s.shares:
            by_skill.setdefault(skill, []).append(s.key)
    learner_list = []
    exclusions = []
    for index in range(first_learner, first_learner + learners):
        org, languages, unit = person()
        timezone = org["timezone"]
        if index < sharers:  # a sharer too: the same person on both sides
            same = sharer_list[index]
            languages, unit, timezone = same.languages, same.unit, same.timezone_offset
        own = shares_of.get(index, {})
        wants: dict[str, int] = {}
        target = rng.randint(1, 4)
        for _ in range(2 * target):
            skill = pick(want_skills, want_cum)
            if skill not in own and len(wants) < target:
                wants[skill] = rng.choices((0, 1, 2), weights=(30, 45, 25))[0]
        key = f"p{index:07d}"
        learner_list.append(
            Learner(key, wants, languages, timezone, unit, matched_before=rng.random() < 0.3)
        )
        if rng.random() < 0.05:  # earlier or declined pairings, mostly with relevant sharers
            for _ in range(rng.randint(1, 3)):
                pool = by_skill.get(rng.choice(list(wants)), []) if rng.random() < 0.7 else []
                other = rng.choice(pool) if pool else rng.choice(sharer_list).key
                exclusions.append((key, other) if rng.random() < 0.5 else (other, key))
    return learner_list, sharer_list, exclusions


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--sharers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--lp-learners",
        type=int,
        default=10_000,
        help="learners of the instance the LP bound (GLOP) is computed on, sharers scaled "
        "alike; 0 skips it (default: 10,000; GLOP takes minutes at 100,000)",
    )
    args = parser.parse_args()
    print(f"# {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")

    (learners, sharers, exclusions), seconds = timed(
        network, args.learners, args.sharers, args.seed
    )
    wants = sum(len(p.wants) for p in learners)
    print(
        f"network: {len(learners):,} learners ({wants:,} wanted skills), {len(sharers):,} "
        f"sharers ({sum(s.capacity for s in sharers if s.available):,} places), "
        f"{len(exclusions):,} exclusions; generated in {seconds:.1f} s; "
        f"peak RSS {peak_mib():,.0f} MiB"
    )
    calls = []
    best, best_s = timed(
        match, learners, sharers, exclusions=exclusions, progress=lambda d, t: calls.append(d)
    )
    best_rss = peak_mib()
    naive, naive_s = timed(greedy, learners, sharers, exclusions=exclusions)
    naive_rss = peak_mib()
    print(f"progress callbacks during match(): {len(calls)}")
    print("\n| method | seconds | peak RSS (MiB) | matched | total benefit | vs optimum |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, result, secs, rss in (
        ("`match()` exact optimum", best, best_s, best_rss),
        ("`greedy()` baseline", naive, naive_s, naive_rss),
    ):
        share = result.total_benefit / best.total_benefit if best.total_benefit else 1.0
        print(
            f"| {name} | {secs:.2f} | {rss:,.0f} | {len(result.matches):,} | "
            f"{result.total_benefit:,} | {share:.2%} |"
        )
    gap = best.total_benefit - naive.total_benefit
    print(
        f"\nupper bound (unlimited places): {best.upper_bound:,}; greedy gap: {gap:,} "
        f"({gap / max(best.total_benefit, 1):.2%} of the optimum)"
    )
    reasons: dict[str, int] = {}
    for u in best.unmatched:
        reasons[u.reason[0]] = reasons.get(u.reason[0], 0) + 1
    print("unmatched by reason: " + ", ".join(f"{k} {v:,}" for k, v in sorted(reasons.items())))

    lp_learners = args.lp_learners
    if lp_learners:
        lp_sharers = max(1, args.sharers * lp_learners // args.learners)
        if lp_learners == args.learners:
            reference, lp_inputs = best, (learners, sharers, exclusions)
        else:
            lp_inputs = network(lp_learners, lp_sharers, args.seed)
            reference = match(lp_inputs[0], lp_inputs[1], exclusions=lp_inputs[2])
        bound, lp_s = timed(lp_bound, lp_inputs[0], lp_inputs[1], exclusions=lp_inputs[2])
        print(
            f"LP bound (GLOP) on {lp_learners:,} x {lp_sharers:,}: {bound:,.2f} in {lp_s:.1f} s; "
            f"optimum {reference.total_benefit:,}; equal: "
            f"{abs(bound - reference.total_benefit) < 1e-6}; peak RSS {peak_mib():,.0f} MiB"
        )


if __name__ == "__main__":
    main()
