"""`datacircle maturity …`: list the scans, and write a scan's results as PDF, XLSX or HTML.

A scan is named `organisation/title` (as `maturity scans` lists it) or by its number.
"""

from __future__ import annotations

from pathlib import Path

from datacircle.cli import output_format
from datacircle.core.taxonomy import LANGUAGES

REPORT_FORMATS = ("pdf", "xlsx", "html")


def add_commands(commands, setup_django) -> None:
    maturity = commands.add_parser(
        "maturity",
        help="digital maturity quick scan: list scans, write a scan's results",
        description="Maturity scans from the command line.",
    )
    sub = maturity.add_subparsers(title="maturity commands", metavar="COMMAND", required=True)

    listing = sub.add_parser("scans", help="list the scans with their status and respondents")
    listing.add_argument("--organisation", help="only this organisation's (short identifier)")
    listing.set_defaults(run=lambda args: run_scans(args, setup_django))

    report = sub.add_parser(
        "report",
        help="write a scan's results as PDF, XLSX or HTML",
        description="Write a scan's results: stage per dimension, radar, spread, targets, "
        "benchmark against peers, trend and next steps. Only aggregates of at least 3 people "
        "are ever written.",
    )
    report.add_argument("--scan", required=True, help="organisation/title, or the scan's number")
    report.add_argument("--out", required=True, type=Path, help="the file to write")
    report.add_argument(
        "--format", choices=REPORT_FORMATS, default=None, help="default: from --out's extension"
    )
    report.add_argument("--unit", help="only this work unit (its name)")
    report.add_argument("--language", default="en", choices=LANGUAGES)
    report.set_defaults(run=lambda args: run_report(args, setup_django))


def find_scan(reference: str):
    from datacircle.maturity.models import Scan

    scans = Scan.objects.select_related("organisation", "questionnaire")
    if reference.isdigit():
        found = scans.filter(pk=int(reference)).first()
    else:
        organisation, _slash, title = reference.partition("/")
        found = scans.filter(organisation__slug=organisation, title__iexact=title.strip()).first()
    if found is None:
        raise SystemExit(
            f"datacircle: no maturity scan {reference!r} (use organisation/title or its number; "
            "`datacircle maturity scans` lists them)"
        )
    return found


def run_scans(args, setup_django) -> int:
    setup_django()
    from datacircle.maturity.models import Scan
    from datacircle.maturity.services import respondent_counts, shown_count

    scans = Scan.objects.select_related("organisation", "questionnaire").order_by(
        "organisation__slug", "opens_on", "pk"
    )
    if args.organisation:
        scans = scans.filter(organisation__slug=args.organisation)
    scans = list(scans)
    if not scans:
        print("No maturity scans.")
        return 0
    counts = respondent_counts(scans)
    width = max(len(s.reference) for s in scans)
    print(f"{'#':>4}  {'scan':<{width}}  {'status':<6}  {'opens':<10}  version  respondents")
    for s in scans:
        print(
            f"{s.pk:>4}  {s.reference:<{width}}  {s.status:<6}  {s.opens_on.isoformat():<10}  "
            f"{s.questionnaire.version:>7}  {shown_count(counts.get(s.pk, 0)):>11}"
        )
    return 0


def run_report(args, setup_django) -> int:
    fmt = output_format(args, REPORT_FORMATS)
    setup_django()
    from datacircle.maturity.exports import render_results

    scan = find_scan(args.scan)
    unit = None
    if args.unit:
        unit = scan.organisation.units.filter(name__iexact=args.unit.strip()).first()
        if unit is None:
            names = ", ".join(scan.organisation.units.values_list("name", flat=True)) or "none"
            raise SystemExit(
                f"datacircle: {scan.organisation.slug} has no unit {args.unit!r} (units: {names})"
            )
    content, _type, _ext = render_results(scan, fmt, args.language, unit=unit)
    args.out.write_bytes(content)
    print(f"Wrote {args.out}.")
    return 0
