"""`datacircle plan`: plan a working group's programme from the command line.

`--programme N` plans an existing (unpublished) programme again; otherwise a new programme is
made from `--organisation`, `--title`, `--start`, `--weeks`, `--slot` (repeatable, e.g.
"tue 10:00") and optionally `--round` (the scoping round whose demand it covers).
"""

from __future__ import annotations

import sys
from datetime import date

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_commands(commands, setup_django) -> None:
    plan = commands.add_parser(
        "plan",
        help="plan a working-group programme from scoping demand (OR-Tools CP-SAT)",
        description="Plan a programme of sessions: the library's modules led by the working "
        "group's members, covering a scoping round's demand, near milestones. The result is a "
        "draft to review and publish in the web app.",
    )
    plan.add_argument("--programme", type=int, help="plan this existing programme again")
    plan.add_argument("--organisation", help="organisation short identifier (new programme)")
    plan.add_argument("--title", help="title of the new programme")
    plan.add_argument("--round", help="scoping round organisation/round or number (demand)")
    plan.add_argument("--start", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    plan.add_argument("--weeks", type=int, default=26)
    plan.add_argument("--city", default="", help="where the sessions take place")
    plan.add_argument("--online", action="store_true", help="the sessions are online")
    plan.add_argument(
        "--slot",
        action="append",
        default=[],
        help='weekly session time, e.g. "tue 10:00" (repeat for more)',
    )
    plan.set_defaults(run=lambda args: run_plan(args, setup_django))


def parse_slot(text: str) -> dict:
    day, _space, at = text.strip().partition(" ")
    if day[:3].lower() not in DAYS or len(at.split(":")) != 2:
        raise SystemExit(f'datacircle: --slot {text!r}: write a day and a time, e.g. "tue 10:00"')
    hour, minute = at.split(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise SystemExit(f"datacircle: --slot {text!r}: {at!r} is not a time")
    return {"weekday": DAYS.index(day[:3].lower()), "time": f"{int(hour):02d}:{int(minute):02d}"}


def find_or_new(args):
    from datacircle.accounts.models import Organisation
    from datacircle.programme.models import Programme

    if args.programme:
        found = Programme.objects.filter(pk=args.programme).first()
        if found is None:
            raise SystemExit(f"datacircle: no programme number {args.programme}")
        return found
    missing = [name for name in ("organisation", "title", "start") if not getattr(args, name)]
    if missing or not args.slot:
        raise SystemExit(
            "datacircle: a new programme needs --organisation, --title, --start and at least "
            "one --slot (or give --programme N)"
        )
    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        raise SystemExit(f"datacircle: no organisation {args.organisation!r}")
    demand_round = None
    if args.round:
        from datacircle.scoping.commands import find_round

        demand_round = find_round(args.round)
    return Programme.objects.create(
        organisation=organisation,
        title=args.title,
        demand_round=demand_round,
        starts_on=args.start,
        weeks=args.weeks,
        slot_times=[parse_slot(s) for s in args.slot],
        city=args.city,
        online=args.online,
    )


def run_plan(args, setup_django) -> int:
    setup_django()
    from tqdm import tqdm

    from datacircle.core.planning import PlanningError
    from datacircle.programme import plans

    programme = find_or_new(args)
    with tqdm(total=None, desc="Planning", file=sys.stderr, bar_format="{desc}: {elapsed}") as bar:
        try:
            summary = plans.compute(programme, progress=lambda text: bar.set_description(text))
        except (PlanningError, plans.PlanError) as error:
            plans.fail(programme, error.args[0] if error.args else str(error))
            raise SystemExit(f"datacircle: {error}") from error
    quality = (
        "optimal"
        if summary["optimal"]
        else f"objective {summary['objective']} (bound {summary['bound']})"
    )
    print(
        f"Programme {programme.pk} “{programme.title}”: {summary['sessions']} draft session(s), "
        f"{quality}."
    )
    print("Review and publish it in the web app: Programme → Plan a programme.")
    return 0
