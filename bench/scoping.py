"""Benchmark skills scoping: analyse a Kobo export, import it into a database, render the report.

Run by hand from the repository root (results go to docs/benchmarks.md):
    .venv/bin/python bench/scoping.py --responses 1000000 --import-responses 100000 \
        --report-responses 100000
It writes a KoboToolbox-shaped CSV of demo answers (kept in --work, reused when present), then
times: pyarrow reading it; `datacircle scoping analyse` end to end; the pandas script in
bench/pandas_scoping.py; importing into a fresh database (DATABASE_URL, default SQLite); and the
report page with its analysis cached, as a coordinator opens it.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--import-responses", type=int, default=100_000)
    parser.add_argument("--report-responses", type=int, default=100_000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "datacircle-bench"
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the file timings")
    parser.add_argument("--database-only", action="store_true", help="skip the file timings")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    print(f"# {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    if not args.database_only:
        file_benchmarks(args)
    database_benchmarks(args)


def file_benchmarks(args) -> None:
    big = export(args.work, args.responses)
    size = big.stat().st_size / 2**20
    print(f"\n{args.responses:,} responses: {big.name}, {size:,.0f} MiB")
    arrow = best(args.repeat, [sys.executable, "-c", ARROW_READ, str(big)])
    analyse = best(
        args.repeat, [sys.executable, "-m", "datacircle.cli", "scoping", "analyse", str(big)]
    )
    pandas = best(
        args.repeat, [sys.executable, str(ROOT / "bench" / "pandas_scoping.py"), str(big)]
    )
    print("| step | seconds | vs pyarrow read |")
    print("|---|---:|---:|")
    for name, seconds in (
        ("pyarrow.csv.read_csv (read only)", arrow),
        ("`datacircle scoping analyse` (end to end)", analyse),
        ("pandas script (bench/pandas_scoping.py)", pandas),
    ):
        print(f"| {name} | {seconds:.2f} | {seconds / arrow:.2f}× |")
    print(f"\nanalyse is {pandas / analyse:.1f}× faster than the pandas script")


ARROW_READ = (
    "import sys, pyarrow.csv as c; "
    "t = c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter=';')); print(t.num_rows)"
)


def export(folder: Path, responses: int) -> Path:
    """A Kobo CSV of `responses` demo answers (everyone in a network of that many answers)."""
    path = folder / f"kobo-{responses}.csv"
    if path.exists():
        return path
    from datacircle.core.demo import build_network
    from datacircle.core.demo_scoping import demo_responses, write_kobo_csv

    start = time.perf_counter()
    frame = demo_responses(build_network(people=responses, seed=2026), response_rate=1.0)
    write_kobo_csv(frame, path)
    print(f"generated {path} in {time.perf_counter() - start:.0f} s")
    return path


def best(repeat: int, command: list[str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return min(times)


def database_benchmarks(args) -> None:
    os.environ.setdefault("DATACIRCLE_HOME", tempfile.mkdtemp(prefix="datacircle-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datacircle.web.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from datacircle.accounts.models import Organisation
    from datacircle.core.imports import read_responses
    from datacircle.scoping import services
    from datacircle.scoping.models import Round

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-rc",
        defaults={"name": "Bench Red Cross", "kind": "national_society", "country": "KE"},
    )
    print(f"\ndatabase: {connection.vendor}")
    print("| step | responses | seconds | responses/s |")
    print("|---|---:|---:|---:|")
    for count, label in ((args.import_responses, "import"), (args.report_responses, "report")):
        path = export(args.work, count)
        result = read_responses(path)
        round = Round.objects.create(
            organisation=organisation,
            title=f"{label} {count}",
            slug=f"{label}-{count}-{time.time_ns()}",
        )
        start = time.perf_counter()
        services.import_result(round, result)
        seconds = time.perf_counter() - start
        if label == "import":
            print(
                f"| import into the database (save_frame) | {count:,} | {seconds:.1f} | {count / seconds:,.0f} |"
            )
            continue
        start = time.perf_counter()
        services.analysis_for(round)
        print(
            f"| first analysis of the round (then cached) | {count:,} | {time.perf_counter() - start:.2f} | |"
        )
        user = _coordinator(organisation)
        client = Client()
        client.force_login(user)
        url = f"/scoping/rounds/{round.pk}/report/"
        assert client.get(url).status_code == 200
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
        print(f"| report page, analysis cached (best of 5) | {count:,} | {min(timings):.3f} | |")


def _coordinator(organisation):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person

    user, _ = get_user_model().objects.get_or_create(username="bench-coordinator")
    Person.objects.get_or_create(
        user=user,
        defaults={
            "organisation": organisation,
            "given_name": "Bench",
            "kind": "staff",
            "role": "coordinator",
            "languages": ["en"],
        },
    )
    return user


if __name__ == "__main__":
    main()
