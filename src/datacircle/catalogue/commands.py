"""`datacircle catalogue token …`: make, list and revoke the API tokens of the shared catalogue.

`create` prints the token and nothing else, so a script can capture it; it is never shown again
(only its hash is kept).
"""

from __future__ import annotations

import sys


def add_commands(commands, setup_django) -> None:
    catalogue = commands.add_parser(
        "catalogue",
        help="the shared catalogue API: tokens for writing to it",
        description="The shared catalogue API (/api/v1/): published modules, organisations "
        "and deliveries. Reading is open; writing needs an organisation's token.",
    )
    sub = catalogue.add_subparsers(title="catalogue commands", metavar="COMMAND", required=True)
    token = sub.add_parser(
        "token",
        help="make, list and revoke API tokens",
        description="API tokens let another system import an organisation's modules and "
        "record its deliveries.",
    )
    tokens = token.add_subparsers(title="token commands", metavar="COMMAND", required=True)

    create = tokens.add_parser(
        "create",
        help="make a token for an organisation and print it (shown only once)",
        description="Make a token that writes for ORGANISATION and print it; only its hash "
        "is kept, so store it now.",
    )
    create.add_argument("--organisation", required=True, help="the organisation's slug")
    create.add_argument("--name", required=True, help="what the token is for")
    create.set_defaults(run=lambda args: run_create(args, setup_django))

    listing = tokens.add_parser(
        "list",
        help="list tokens (prefix, organisation, name, created, last used, revoked)",
        description="List tokens by their first characters; the tokens themselves are not kept.",
    )
    listing.add_argument("--organisation", help="only this organisation's tokens")
    listing.set_defaults(run=lambda args: run_list(args, setup_django))

    revoke = tokens.add_parser(
        "revoke",
        help="revoke a token by its first characters (as listed)",
        description="Revoke the token that starts with PREFIX (the 8 characters `list` shows).",
    )
    revoke.add_argument("prefix", help="the token's first 8 characters, e.g. dc_AbC12")
    revoke.set_defaults(run=lambda args: run_revoke(args, setup_django))


def run_create(args, setup_django) -> int:
    setup_django()
    from datacircle.accounts.models import Organisation
    from datacircle.catalogue import auth

    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        print(f"datacircle: no organisation “{args.organisation}”.", file=sys.stderr)
        return 2
    try:
        _row, token = auth.issue(organisation, args.name, None)
    except auth.TokenError as error:
        print(f"datacircle: {error}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"


def run_list(args, setup_django) -> int:
    setup_django()
    from datacircle.catalogue.models import ApiToken

    rows = ApiToken.objects.select_related("organisation").order_by("organisation__slug", "pk")
    if args.organisation:
        rows = rows.filter(organisation__slug=args.organisation)
    rows = list(rows)
    if not rows:
        print("No token.")
        return 0
    print(
        "prefix    organisation          created           last used         revoked           name"
    )
    for row in rows:
        print(
            f"{row.key_prefix:<9} {row.organisation.slug:<21} {_when(row.created_at):<17} "
            f"{_when(row.last_used_at):<17} {_when(row.revoked_at):<17} {row.name}"
        )
    return 0


def run_revoke(args, setup_django) -> int:
    setup_django()
    from datacircle.catalogue import auth
    from datacircle.catalogue.models import ApiToken

    row = ApiToken.objects.filter(key_prefix=args.prefix.strip()).first()
    if row is None:
        print(f"datacircle: no token starts with “{args.prefix}”.", file=sys.stderr)
        return 2
    already = row.revoked
    auth.revoke(row)
    state = "was already revoked" if already else "is revoked"
    print(f"Token {row.key_prefix}… ({row.organisation.slug}: {row.name}) {state}.")
    return 0
