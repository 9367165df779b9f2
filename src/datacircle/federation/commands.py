"""`datacircle pull URL [--dry-run]` and `datacircle peers`: import published modules from another
Data Circle, and list the peers with what their last pull did.

`pull` exits with 1 when the pull fails (nothing is changed then), so a cron job can alert.
"""

from __future__ import annotations

import sys


def add_commands(commands, setup_django) -> None:
    pull = commands.add_parser(
        "pull",
        help="import the published modules of another Data Circle (a peer)",
        description="Pull the published modules of another Data Circle through its catalogue "
        "API: new and changed modules come in with where they came from, unchanged ones are "
        "not fetched again, modules of organisations managed here are left alone. All or "
        "nothing; the peer is added when it is new. Exit code 1 on failure.",
    )
    pull.add_argument(
        "url", help="the peer's site (https://circle.example.org) or catalogue (…/api/v1/)"
    )
    pull.add_argument(
        "--dry-run", action="store_true", help="show what would change, change nothing"
    )
    pull.set_defaults(run=lambda args: run_pull(args, setup_django))

    peers = commands.add_parser(
        "peers",
        help="list the peers this Data Circle pulls from, with their last result",
        description="List the peers (other Data Circles) and what their last pull did.",
    )
    peers.set_defaults(run=lambda args: run_peers(args, setup_django))


def _progress_bar():
    from tqdm import tqdm

    bar = tqdm(total=0, unit="modules", desc="Pulling", file=sys.stderr)

    def advance(done: int, total: int, step: str) -> None:
        bar.set_description_str(step[:60], refresh=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, advance


def run_pull(args, setup_django) -> int:
    setup_django()
    from django.db import transaction

    from datacircle.federation import pull
    from datacircle.federation.models import Peer

    try:
        base = pull.normalise_base(args.url)
        peer = Peer.objects.filter(url=base).first()
        bar, advance = _progress_bar()
        try:
            if peer is not None:
                report = pull.pull(peer, dry_run=args.dry_run, progress=advance)
            elif args.dry_run:
                # A dry run adds nothing, not even the peer: it lives only inside this
                # transaction, which is rolled back.
                with transaction.atomic():
                    peer = pull.add_peer(base)
                    report = pull.pull(peer, dry_run=True, progress=advance)
                    transaction.set_rollback(True)
            else:
                peer = pull.add_peer(base)
                print(f"Added the peer {peer} ({peer.url}).", file=sys.stderr)
                report = pull.pull(peer, progress=advance)
        finally:
            bar.close()
    except pull.PullError as error:
        print(f"datacircle pull: {error}", file=sys.stderr)
        print("No module was changed.", file=sys.stderr)
        return 1
    for line in report_lines(report.as_dict()):
        print(line)
    return 0


def report_lines(report: dict) -> list[str]:
    """A pull's report (Peer.last_report) as lines of text."""
    if report.get("error"):
        return [f"failed: {report['error']}"]
    lead = "Dry run, nothing changed: would pull" if report.get("dry_run") else "Pulled"
    lines = [
        f"{lead} from {report.get('peer', '')}: {len(report.get('created', []))} new, "
        f"{len(report.get('updated', []))} updated, {report.get('unchanged', 0)} unchanged, "
        f"{len(report.get('skipped', []))} skipped module(s)."
    ]
    lines += [f"  new: {reference}" for reference in report.get("created", [])]
    lines += [f"  updated: {reference}" for reference in report.get("updated", [])]
    lines += [f"  organisation added: {slug}" for slug in report.get("organisations", [])]
    lines += [f"  skipped: {reference}: {why}" for reference, why in report.get("skipped", [])]
    lines += [f"  no longer offered (kept here): {ref}" for ref in report.get("gone", [])]
    lines += [
        f"  not linked (not in this library): {text}" for text in report.get("unresolved", [])
    ]
    return lines


def run_peers(args, setup_django) -> int:
    setup_django()
    from datacircle.federation.models import Peer

    peers = list(Peer.objects.all())
    if not peers:
        print("No peers yet: add one with `datacircle pull URL`.")
        return 0
    for peer in peers:
        when = peer.last_pulled_at.strftime("%Y-%m-%d %H:%M") if peer.last_pulled_at else "never"
        print(f"{peer.name or '(no name)'}  {peer.url}")
        status = peer.get_last_status_display() if peer.last_status else "never pulled"
        summary = report_lines(peer.last_report)[0] if peer.last_report else ""
        print(f"  last pulled: {when} ({status}){' — ' + summary if summary else ''}")
    return 0
