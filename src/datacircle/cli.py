"""The `datacircle` command: run the web app, build the demo, and administer an installation.

Each sub-command is a thin wrapper; the work lives in the core and the Django apps.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

DEFAULT_DEMO_PEOPLE = 600


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    return args.run(args) or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="datacircle",
        description="Data Circle: data skills, peer learning and a data working group for "
        "humanitarian organisations.",
        epilog="Configuration comes from environment variables (DATACIRCLE_HOME, DATABASE_URL, "
        "SECRET_KEY, ALLOWED_HOSTS, ...); see the README.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="apply migrations, then serve the web app with a production WSGI server",
        description="Apply database migrations, collect static assets, then serve Data Circle "
        "with gunicorn. Use several workers (and several machines behind a load balancer) "
        "with PostgreSQL in production.",
    )
    add_server_options(serve)
    serve.set_defaults(run=run_serve)

    demo = commands.add_parser(
        "demo",
        help="build a fresh demo database with a synthetic network and serve it",
        description="Build a fresh demo database (a SQLite file in DATACIRCLE_HOME, separate "
        "from your real data) holding a synthetic network of organisations, units and people, "
        "then serve it and print the demo logins.",
    )
    demo.add_argument(
        "--people",
        type=demo_size,
        default=DEFAULT_DEMO_PEOPLE,
        help=f"number of people to generate (default {DEFAULT_DEMO_PEOPLE})",
    )
    demo.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    demo.add_argument("--no-serve", action="store_true", help="build the demo database, then stop")
    add_server_options(demo)
    demo.set_defaults(run=run_demo)

    admin = commands.add_parser(
        "createadmin",
        help="create a network administrator login",
        description="Create a login with every permission (a Django superuser). Asks for the "
        "password, or reads it from DATACIRCLE_ADMIN_PASSWORD when not run from a terminal.",
    )
    admin.add_argument("--username", help="login name (asked for when missing)")
    admin.add_argument("--email", help="email address (asked for when missing)")
    admin.set_defaults(run=run_createadmin)

    manage = commands.add_parser(
        "manage",
        help="run a Django management command (migrate, shell, check, ...)",
        description="Run any Django management command against this installation, e.g. "
        "`datacircle manage migrate` or `datacircle manage check --deploy`.",
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its options")
    manage.set_defaults(run=run_manage)

    worker = commands.add_parser(
        "worker",
        help="run background jobs (imports, reports) queued by the web app",
        description="Run queued background jobs. Needed when DATACIRCLE_JOBS=worker, the "
        "setting for several app servers behind a load balancer; run one or more anywhere.",
    )
    worker.add_argument("--once", action="store_true", help="run what is queued, then stop")
    worker.set_defaults(run=run_worker)

    from datacircle.scoping.commands import add_commands as add_scoping_commands

    add_scoping_commands(commands, setup_django)
    from datacircle.peers.commands import add_commands as add_peers_commands

    add_peers_commands(commands, setup_django)
    from datacircle.library.commands import add_commands as add_library_commands

    add_library_commands(commands, setup_django)
    from datacircle.programme.commands import add_commands as add_programme_commands

    add_programme_commands(commands, setup_django)
    from datacircle.catalogue.commands import add_commands as add_catalogue_commands

    add_catalogue_commands(commands, setup_django)
    from datacircle.federation.commands import add_commands as add_federation_commands

    add_federation_commands(commands, setup_django)
    from datacircle.maturity.commands import add_commands as add_maturity_commands

    add_maturity_commands(commands, setup_django)
    return parser


def add_server_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    command.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    command.add_argument(
        "--workers",
        type=positive_int,
        default=default_workers(),
        help="worker processes (default: 2 × CPU cores + 1, at most 8)",
    )


def output_format(args: argparse.Namespace, formats: Sequence[str]) -> str:
    """The format a report command writes: --format, or else --out's extension."""
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in formats:
        raise SystemExit(
            f"datacircle: say --format ({', '.join(formats)}) or use one as --out's extension"
        )
    return fmt


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def demo_size(text: str) -> int:
    from datacircle.core.demo import MIN_PEOPLE

    value = int(text)
    if value < MIN_PEOPLE:
        raise argparse.ArgumentTypeError(f"must be {MIN_PEOPLE} or more (one per demo login)")
    return value


def default_workers() -> int:
    return min(8, 2 * (os.cpu_count() or 1) + 1)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datacircle.web.settings")
    import django

    django.setup()


MIGRATION_LOCK = 0x44617461  # any constant shared by every machine of one installation


def prepare_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    from datacircle.library.services import load_starter_library
    from datacircle.maturity.services import load_builtin_questionnaire

    # Several machines may start at once: on PostgreSQL one migrates while the others wait.
    locked = connection.vendor == "postgresql"
    if locked:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        call_command("migrate", interactive=False, verbosity=0)
        # The starter library comes with every installation and every upgrade; loading it
        # again changes nothing.
        load_starter_library()
        # Likewise the built-in maturity questionnaire: a new version adds a row, old ones stay.
        load_builtin_questionnaire()
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])
    call_command("collectstatic", interactive=False, verbosity=0)


def run_serve(args: argparse.Namespace) -> int:
    setup_django()
    prepare_database()
    serve_forever(args)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from datacircle.web import config

    database = config.home() / "demo.sqlite3"
    for leftover in (
        database,
        database.with_name("demo.sqlite3-wal"),
        database.with_name("demo.sqlite3-shm"),
    ):
        leftover.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    setup_django()

    from tqdm import tqdm

    from datacircle.accounts.demo import DEMO_PASSWORD, load_network
    from datacircle.accounts.models import Person
    from datacircle.core.demo import build_network

    print(f"Building a fresh demo database in {database} …", flush=True)
    prepare_database()
    network = build_network(people=args.people, seed=args.seed)
    with tqdm(total=network.size, unit="people", desc="Demo people", file=sys.stdout) as bar:
        summary = load_network(network, advance=bar.update)
    from datacircle.scoping.demo import load_rounds

    rounds = load_rounds(network)
    from datacircle.helpdesk.demo import load_demo as load_helpdesk
    from datacircle.peers.demo import load_profiles, load_round

    profiles = load_profiles(network)
    peer_round = load_round()
    helpdesk = load_helpdesk(network)
    from datacircle.library.demo import load_demo as load_library

    library = load_library()
    from datacircle.programme.demo import load_demo as load_programme

    programme = load_programme()
    from datacircle.network.demo import load_demo as load_reach

    reach = load_reach(seed=args.seed)
    from datacircle.partners.demo import load_demo as load_partners

    partners = load_partners(seed=args.seed)
    print(
        f"Demo network: {summary['organisations']} organisations, {summary['units']} work units, "
        f"{summary['people']} people; {len(rounds)} scoping rounds; {profiles} learning "
        f"profiles and {peer_round.matches.count() if peer_round else 0} peer-learning matches; "
        f"{helpdesk['questions']} help-desk questions and {helpdesk['faq_entries']} FAQ entries; "
        f"{library['modules']} library modules; a working group of {programme['members']} with "
        f"{programme['sessions']} planned sessions."
    )
    print(
        f"Reach: {reach['deliveries']} deliveries in {reach['countries']} countries by "
        f"{reach['organisations']} organisations, {reach['feedback']} feedback answers."
    )
    print(
        f"Partners and allies: {partners['partners']} partners, {partners['contacts']} contacts "
        f"(with consent recorded), {partners['engagements']} engagements."
    )
    from datacircle.maturity.demo import load_demo as load_maturity

    maturity = load_maturity(seed=args.seed)
    print(
        f"Maturity: {maturity['scans']} scans in {maturity['organisations']} organisations, "
        f"{maturity['responses']} responses."
    )
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    width = max(len(login) for login, _role, _organisation in summary["logins"])
    for login, role, organisation in summary["logins"]:
        label = str(Person.Role(role).label)
        print(f"  {login:<{width}}  {label:<14} {organisation}")
    if args.no_serve:
        return 0
    # Serve from a fresh process: building the demo ran Polars' thread pool in this one, and
    # gunicorn's forked workers must not inherit it (a forked pool can hang the worker at exit).
    sys.stdout.flush()
    os.execv(  # noqa: S606 (our own interpreter and module, fixed arguments)
        sys.executable,
        [
            sys.executable,
            "-m",
            "datacircle.cli",
            "serve",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
        ],
    )
    return 0  # pragma: no cover (execv does not return)


def serve_forever(args: argparse.Namespace) -> None:
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))

        def load(self):
            from datacircle.web.wsgi import application

            return application

    connections.close_all()  # each forked worker opens its own connections
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Data Circle is running at http://{host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    Server().run()


def run_createadmin(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    interactive = sys.stdin.isatty()
    options = {"interactive": interactive, "verbosity": 1}
    if args.username:
        options["username"] = args.username
    if args.email:
        options["email"] = args.email
    if not interactive:
        password = os.environ.get("DATACIRCLE_ADMIN_PASSWORD")
        if not (password and args.username and args.email):
            print(
                "createadmin: not run from a terminal, so give --username, --email and the "
                "password in DATACIRCLE_ADMIN_PASSWORD.",
                file=sys.stderr,
            )
            return 2
        os.environ["DJANGO_SUPERUSER_PASSWORD"] = password
    try:
        call_command("createsuperuser", **options)
    except CommandError as error:
        print(f"createadmin: {error}", file=sys.stderr)
        return 2
    return 0


def run_worker(args: argparse.Namespace) -> int:
    setup_django()
    from datacircle.jobs.runner import work

    ran = work(once=args.once)
    if args.once:
        print(f"Ran {ran} job(s).")
    return 0


def run_manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["datacircle manage", *args.arguments])
    return 0


if __name__ == "__main__":
    sys.exit(main())
