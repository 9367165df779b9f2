"""Benchmark: generate the demo network, and load it into a fresh database.

Run by hand from the repository root (results go to docs/benchmarks.md):
    .venv/bin/python bench/demo_network.py --people 10000 100000 1000000 --load-up-to 100000
DATABASE_URL picks the database for the load (default: a SQLite file in a temporary folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--load-up-to", type=int, default=100_000, help="largest size to load")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from datacircle.core.demo import build_network

    print(f"# {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| people | generate (s) | people/s | load (s) | database |")
    print("|---:|---:|---:|---:|---|")
    for size in args.people:
        network = build_network(people=size, seed=args.seed)
        start = time.perf_counter()
        for _person in network.people():
            pass
        generate = time.perf_counter() - start
        load, vendor = load_seconds(network) if size <= args.load_up_to else (None, "–")
        load_text = f"{load:.1f}" if load is not None else "–"
        print(f"| {size:,} | {generate:.2f} | {size / generate:,.0f} | {load_text} | {vendor} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the whole run: {peak:.0f} MiB")


def load_seconds(network) -> tuple[float, str]:
    """Migrate a fresh database and time `load_network` on it."""
    os.environ.setdefault("DATACIRCLE_HOME", tempfile.mkdtemp(prefix="datacircle-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datacircle.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from datacircle.accounts.demo import load_network

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # the previous size's people
    start = time.perf_counter()
    load_network(network)
    return time.perf_counter() - start, connection.vendor


if __name__ == "__main__":
    sys.exit(main())
