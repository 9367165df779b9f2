"""`datacircle match` (a matching round from the command line) and `datacircle digest`.

`--round` names the round: `ORGANISATION/TITLE` (or `network/TITLE` for the whole network) makes
a new draft round or computes an existing draft of that name again; a number picks an existing
round. `--dry-run` computes and reports without saving anything.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path


def add_commands(commands, setup_django) -> None:
    match = commands.add_parser(
        "match",
        help="compute a peer-learning matching round (the exact optimum) and report it",
        description="Compute a peer-learning matching round: the pairs of learners and "
        "sharers with the highest total benefit. The round stays a draft for review in the web "
        "app; nobody is emailed until it is published there.",
    )
    match.add_argument(
        "--round",
        required=True,
        help="ORGANISATION/TITLE or network/TITLE (new draft, or recompute a draft of that "
        "name), or the number of an existing draft round",
    )
    match.add_argument("--dry-run", action="store_true", help="compute and report, save nothing")
    match.add_argument("--out", type=Path, help="also write the matches as CSV to this file")
    match.set_defaults(run=lambda args: run_match(args, setup_django))

    digest = commands.add_parser(
        "digest",
        help="send the daily digest emails (run once a day, e.g. from cron)",
        description="Email everyone who chose the daily digest (and anyone whose immediate "
        "email failed) one message with their unsent notices.",
    )
    digest.set_defaults(run=lambda args: run_digest(args, setup_django))


def find_or_new_round(reference: str, save: bool):
    from datacircle.accounts.models import Organisation
    from datacircle.peers.models import MatchingRound

    if reference.isdigit():
        found = MatchingRound.objects.select_related("organisation").filter(pk=int(reference))
        if not found:
            raise SystemExit(f"datacircle: no matching round number {reference}")
        return found[0]
    scope, slash, title = reference.partition("/")
    if not slash or not title.strip():
        raise SystemExit(
            f"datacircle: --round {reference!r}: use ORGANISATION/TITLE, network/TITLE or a number"
        )
    organisation = None
    if scope != "network":
        organisation = Organisation.objects.filter(slug=scope).first()
        if organisation is None:
            raise SystemExit(f"datacircle: no organisation {scope!r} (use its short identifier)")
    existing = (
        MatchingRound.objects.filter(organisation=organisation, title=title.strip())
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    round = MatchingRound(organisation=organisation, title=title.strip())
    if save:
        round.save()
    return round


def run_match(args, setup_django) -> int:
    setup_django()
    from tqdm import tqdm

    from datacircle.core import matching
    from datacircle.peers import services
    from datacircle.peers.explain import csv_rows
    from datacircle.peers.models import MatchingRound
    from datacircle.scoping.services import taxonomy_for

    round = find_or_new_round(args.round, save=not args.dry_run)
    if round.status == MatchingRound.Status.PUBLISHED:
        raise SystemExit(
            f"datacircle: round {round.pk} “{round.title}” is published; start a new round instead"
        )
    bar = tqdm(total=0, unit="learners", desc="Matching", file=sys.stderr)

    def advance(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    with bar:
        if args.dry_run:
            inputs = services.round_inputs(round)
            result = matching.match(
                inputs.learners, inputs.sharers, exclusions=inputs.exclusions, progress=advance
            )
            baseline = matching.greedy(
                inputs.learners, inputs.sharers, exclusions=inputs.exclusions
            )
            summary = {
                "learners": len(inputs.learners),
                "sharers": len(inputs.sharers),
                "matched": len(result.matches),
                "total_benefit": result.total_benefit,
                "greedy_benefit": baseline.total_benefit,
                "greedy_matched": len(baseline.matches),
                "upper_bound": result.upper_bound,
            }
            reasons = Counter(u.reason[0] for u in result.unmatched)
        else:
            summary = services.compute(round, progress=advance)
            reasons = Counter(r[0] for r in round.unmatched.values_list("reason", flat=True))
    scope = round.organisation.slug if round.organisation else "network"
    where = "not saved (dry run)" if args.dry_run else f"saved as draft round {round.pk}"
    print(f"{scope}/{round.title}: {where}")
    print(
        f"  {summary['matched']} of {summary['learners']} learners matched with "
        f"{summary['sharers']} sharers; total benefit {summary['total_benefit']}"
    )
    print(
        f"  greedy baseline: {summary['greedy_benefit']} ({summary['greedy_matched']} matched); "
        f"bound with unlimited places: {summary['upper_bound']}"
    )
    if reasons:
        listed = ", ".join(f"{reason}: {n}" for reason, n in sorted(reasons.items()))
        print(f"  not matched: {listed}")
    if args.out:
        taxonomy = taxonomy_for(round.organisation)
        with args.out.open("w", encoding="utf-8-sig", newline="") as handle:
            if args.dry_run:
                rows = _dry_rows(result, taxonomy)
            else:
                rows = csv_rows(
                    round.matches.select_related("learner", "sharer"),
                    round.unmatched.select_related("learner"),
                    taxonomy,
                )
            csv.writer(handle).writerows(rows)
        print(f"Wrote {args.out}.")
    if not args.dry_run:
        print("Review and publish it in the web app: Help desk & peers → Matching rounds.")
    return 0


def _dry_rows(result, taxonomy):
    """CSV rows for a result that was not saved: the same columns as a saved round's."""
    from types import SimpleNamespace

    from datacircle.accounts.models import Person
    from datacircle.peers.explain import csv_rows

    keys = {int(m.learner) for m in result.matches} | {int(m.sharer) for m in result.matches}
    keys |= {int(u.learner) for u in result.unmatched}
    people = Person.objects.in_bulk(keys)
    matches = [
        SimpleNamespace(
            learner=people[int(m.learner)],
            sharer=people[int(m.sharer)],
            skill=m.skill,
            benefit=m.benefit,
            status="proposed",
            reasons=[list(r) for r in m.reasons],
        )
        for m in result.matches
    ]
    unmatched = [
        SimpleNamespace(learner=people[int(u.learner)], reason=list(u.reason))
        for u in result.unmatched
    ]
    return csv_rows(matches, unmatched, taxonomy)


def run_digest(args, setup_django) -> int:
    setup_django()
    from datacircle.notices.services import send_digests

    sent = send_digests()
    print(f"Sent {sent} digest email(s).")
    return 0
