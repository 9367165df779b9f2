"""`datacircle modules …`: lint module files (no database needed), import and export modules.

`lint` exits with 1 when any file has an error (warnings alone exit 0), so CI can run it on a
folder of modules.
"""

from __future__ import annotations

import sys
from pathlib import Path


def add_commands(commands, setup_django) -> None:
    modules = commands.add_parser(
        "modules",
        help="session modules: lint files, import into and export from the library",
        description="Session modules (Markdown with YAML front matter) from the command line.",
    )
    sub = modules.add_subparsers(title="modules commands", metavar="COMMAND", required=True)

    lint = sub.add_parser(
        "lint",
        help="check module files against the design rules (exit code 1 on errors)",
        description="Check .md module files (or folders of them, or .zip bundles) against the "
        "format and the design rules; prints one line per finding with file and line.",
    )
    lint.add_argument("paths", nargs="+", type=Path)
    lint.set_defaults(run=run_lint)

    load = sub.add_parser(
        "import",
        help="import module files or zip bundles into the library (all or nothing)",
        description="Import .md module files, folders of them, or .zip bundles. If any file "
        "has a problem nothing is imported; importing the same files again changes nothing.",
    )
    load.add_argument("paths", nargs="+", type=Path)
    load.set_defaults(run=lambda args: run_import(args, setup_django))

    export = sub.add_parser(
        "export",
        help="export modules as .md files into a folder, or as one .zip bundle",
        description="Export the library's modules (latest published version, or the working "
        "copy of modules never published): to a folder of .md files, or a .zip if OUT ends so.",
    )
    export.add_argument("--out", required=True, type=Path, help="a folder, or a .zip file")
    export.add_argument(
        "--organisation", help="only this organisation's modules (datacircle: the starter library)"
    )
    export.set_defaults(run=lambda args: run_export(args, setup_django))


def expand(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.md")))
            found.extend(sorted(path.rglob("*.zip")))
        elif path.exists():
            found.append(path)
        else:
            raise SystemExit(f"datacircle: {path}: no such file or folder")
    return found


def run_lint(args) -> int:
    from datacircle.core import lint, modules
    from datacircle.core.taxonomy import builtin_taxonomy

    codes = builtin_taxonomy().codes
    errors = warnings = checked = 0
    for path in expand(args.paths):
        try:
            if path.suffix.lower() == ".zip":
                items = [
                    (f"{path}:{name}", modules.dump(m), m)
                    for name, m in modules.read_bundle(
                        path.read_bytes(), source=str(path), skill_codes=codes
                    )
                ]
            else:
                text = path.read_text(encoding="utf-8")
                items = [
                    (str(path), text, modules.parse(text, source=str(path), skill_codes=codes))
                ]
        except modules.ModuleFormatError as error:
            for problem in error.problems:
                print(f"{problem}", file=sys.stdout)
            errors += len(error.problems)
            continue
        except UnicodeDecodeError:
            print(f"{path}: not UTF-8 text")
            errors += 1
            continue
        for source, text, module in items:
            checked += 1
            for finding in lint.lint(module, positions=modules.positions(text)):
                print(lint.format_finding(finding, source))
                if finding.severity == "error":
                    errors += 1
                else:
                    warnings += 1
    print(f"{checked} module(s) checked: {errors} error(s), {warnings} warning(s).")
    return 1 if errors else 0


def run_import(args, setup_django) -> int:
    setup_django()
    from datacircle.core.modules import ModuleFormatError
    from datacircle.library import services

    try:
        report = services.import_modules(services.read_files(expand(args.paths)))
    except ModuleFormatError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was imported.", file=sys.stderr)
        return 1
    except services.LibraryError as error:
        print(f"datacircle: {error} Nothing was imported.", file=sys.stderr)
        return 1
    print(
        f"{len(report.created)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged module(s)."
    )
    for missing in report.unresolved:
        print(f"  not linked (not in this library): {missing}")
    return 0


def run_export(args, setup_django) -> int:
    setup_django()
    from datacircle.core import modules
    from datacircle.library.models import STARTER, Module

    chosen = Module.objects.select_related("organisation").order_by("organisation__slug", "slug")
    if args.organisation == STARTER:
        chosen = chosen.filter(organisation__isnull=True)
    elif args.organisation:
        chosen = chosen.filter(organisation__slug=args.organisation)
    texts = []
    for module in chosen:
        latest = module.latest_version
        texts.append((module, latest.source if latest else module.source))
    if args.out.suffix.lower() == ".zip":
        args.out.write_bytes(modules.write_bundle(modules.parse(text) for _m, text in texts))
    else:
        for module, text in texts:
            folder = args.out / module.organisation_slug
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{module.slug}.md").write_text(text, encoding="utf-8")
    print(f"Exported {len(texts)} module(s) to {args.out}.")
    return 0
