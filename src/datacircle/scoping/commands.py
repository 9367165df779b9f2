"""`datacircle scoping …`: the questionnaire as XLSForm, imports, reports, and analysis of a file.

`scoping analyse FILE` needs no database (pure core); the other commands work on a round,
named `organisation/round` (as the round page shows) or by its number.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from datacircle.cli import output_format
from datacircle.core.taxonomy import LANGUAGES

REPORT_FORMATS = ("html", "pdf", "xlsx", "csv")


def add_commands(commands, setup_django) -> None:
    scoping = commands.add_parser(
        "scoping",
        help="skills scoping: XLSForm, import, report, analyse an export file",
        description="Skills scoping rounds from the command line.",
    )
    sub = scoping.add_subparsers(title="scoping commands", metavar="COMMAND", required=True)

    form = sub.add_parser("xlsform", help="write the round's questionnaire as an XLSForm")
    form.add_argument("--round", required=True, help="organisation/round, or the round's number")
    form.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    form.set_defaults(run=lambda args: run_xlsform(args, setup_django))

    load = sub.add_parser(
        "import",
        help="import a KoboToolbox/ODK/CSV/XLSX export into a round (all or nothing)",
        description="Import an export file into a round. A file with any problem imports "
        "nothing and every problem is listed with row and column; importing the same file "
        "again never counts a submission twice.",
    )
    load.add_argument("file", type=Path)
    load.add_argument("--round", required=True, help="organisation/round, or the round's number")
    load.add_argument("--mapping", type=Path, help="YAML mapping file for other CSV/XLSX files")
    load.set_defaults(run=lambda args: run_import(args, setup_django))

    report = sub.add_parser("report", help="write a round's report as HTML, PDF, XLSX or CSV")
    report.add_argument("--round", required=True, help="organisation/round, or the round's number")
    report.add_argument(
        "--format", choices=REPORT_FORMATS, default=None, help="default: from --out"
    )
    report.add_argument("--out", required=True, type=Path)
    report.add_argument("--language", default="en", choices=LANGUAGES)
    report.set_defaults(run=lambda args: run_report(args, setup_django))

    analyse = sub.add_parser(
        "analyse",
        help="analyse an export file directly, without a database",
        description="Read a KoboToolbox/ODK/CSV/XLSX export and print demand and supply per "
        "skill, with small counts suppressed.",
    )
    analyse.add_argument("file", type=Path)
    analyse.add_argument("--mapping", type=Path)
    analyse.add_argument("--min-cell", type=int, default=5, help="smallest count shown (default 5)")
    analyse.add_argument("--json", type=Path, help="also write the whole analysis as JSON")
    analyse.set_defaults(run=run_analyse)


def find_round(reference: str):
    from datacircle.scoping.models import Round

    rounds = Round.objects.select_related("organisation", "baseline")
    if reference.isdigit():
        found = rounds.filter(pk=int(reference)).first()
    else:
        organisation, _slash, slug = reference.partition("/")
        found = rounds.filter(organisation__slug=organisation, slug=slug).first()
    if found is None:
        raise SystemExit(
            f"datacircle: no scoping round {reference!r} (use organisation/round or its number)"
        )
    return found


def _progress_bar(description: str):
    from tqdm import tqdm

    bar = tqdm(total=0, unit="rows", desc=description, file=sys.stderr)

    def advance(done: int, total: int, *_rest, **_kw) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return bar, advance


def run_xlsform(args, setup_django) -> int:
    setup_django()
    from datacircle.scoping.exports import xlsform_bytes

    round = find_round(args.round)
    args.out.write_bytes(xlsform_bytes(round))
    print(f"Wrote {args.out} (validated with pyxform).")
    return 0


def _read(file: Path, mapping_path: Path | None, taxonomy=None):
    from datacircle.core.imports import MappingError, load_mapping, read_responses

    if not file.exists():
        raise SystemExit(f"datacircle: {file}: no such file")
    mapping = None
    if mapping_path:
        try:
            mapping = load_mapping(mapping_path)
        except MappingError as error:
            raise SystemExit(f"datacircle: {error}") from error
    bar, advance = _progress_bar(f"Reading {file.name}")
    with bar:
        result = read_responses(file, taxonomy=taxonomy, mapping=mapping, progress=advance)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"{file}: {len(result.problems)} problem(s); nothing was imported.", file=sys.stderr)
        raise SystemExit(1)
    return result


def run_import(args, setup_django) -> int:
    setup_django()
    from datacircle.scoping import services

    round = find_round(args.round)
    taxonomy = services.taxonomy_for(round.organisation)
    result = _read(args.file, args.mapping, taxonomy)
    bar, advance = _progress_bar("Saving")
    with bar:
        saved = services.import_result(round, result, taxonomy=taxonomy, progress=advance)
    skipped = ", ".join(f"{reason}: {n}" for reason, n in result.skipped.items()) or "none"
    print(
        f"{args.file.name} → {round.reference}: {saved.created} new, {saved.updated} updated, "
        f"{saved.unchanged} already imported; skipped: {skipped}."
    )
    return 0


def run_report(args, setup_django) -> int:
    fmt = output_format(args, REPORT_FORMATS)
    setup_django()
    from datacircle.core.suppression import SuppressionError
    from datacircle.scoping.exports import render_report

    round = find_round(args.round)
    try:
        content, _type, _ext = render_report(round, fmt, args.language)
    except SuppressionError as error:
        raise SystemExit(f"datacircle: {round.reference}: {error}") from error
    args.out.write_bytes(content)
    print(f"Wrote {args.out}.")
    return 0


def run_analyse(args) -> int:
    from datacircle.core.scoping import analyse
    from datacircle.core.suppression import SuppressionError
    from datacircle.core.taxonomy import builtin_taxonomy

    result = _read(args.file, args.mapping)
    try:
        analysis = analyse(result.frame, k=args.min_cell)
    except SuppressionError as error:
        raise SystemExit(f"datacircle: {args.file}: {error}") from error
    taxonomy = builtin_taxonomy()
    print(
        f"{args.file.name}: {analysis.respondents.display} respondents (counts under {analysis.k} shown as <{analysis.k})"
    )
    width = max(len(taxonomy.label(s.code)) for s in analysis.skills) if analysis.skills else 10
    print(f"{'skill':<{width}}  {'want':>7}  {'share':>7}  {'gap':>7}  95% CI of demand")
    for s in analysis.skills:
        ci = f"{s.ci_low:.1%} – {s.ci_high:.1%}" if s.ci_low is not None else "–"
        print(
            f"{taxonomy.label(s.code):<{width}}  {s.demand.display:>7}  {s.supply.display:>7}  {s.gap.display:>7}  {ci}"
        )
    if args.json:
        args.json.write_text(
            json.dumps(analysis.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(f"Wrote {args.json}.")
    return 0
