"""Putting the desk in front of a site's people: serving it to browsers (`serve`), and a
PostgreSQL login role for the desk that cannot rewrite history (`pg-role`)."""
from __future__ import annotations

import sys

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_arguments(p) -> None:
    p.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--public-url", help=_("the URL browsers use, when behind a proxy"))


def run_serve(args) -> int:
    try:
        from tui.cli.serving import DeskServer, spare_command
    except ImportError:
        raise Failure(_("serving to a browser needs textual-serve: pip install "
                        "'returns-desk[serve]'")) from None
    # What each browser's desk runs (tui.cli.serving: a spare process, imported ahead), with
    # the desk's own flags given to `serve`: its language and keys are each browser's.
    desk_argv = ["--db", args.db] if args.db else []
    desk_argv += ["--lang", args.lang] if args.lang else []
    for binding in args.key or []:
        desk_argv += ["--key", binding]
    command = spare_command(desk_argv)
    if args.host not in LOOPBACK:
        print(_("warning: listening on {host} with no authentication of its own; put it "
                "behind an authenticating proxy (see the README)").format(host=args.host),
              file=sys.stderr)
    DeskServer(command, host=args.host, port=args.port, public_url=args.public_url,
               title=_("Returns Desk")).serve()
    return 0


def pg_role_arguments(p) -> None:
    p.add_argument("role")


def run_pg_role(args) -> int:
    from models.access import require
    from models.db import is_postgres
    from models.schema import grant_desk_role
    require(acting_user(args), "schema")
    if not is_postgres():
        raise Failure(_("pg-role is for PostgreSQL databases"))
    grant_desk_role(args.role)
    print(_("role {role} may use the desk; it cannot delete anything or change the audit "
            "trail").format(role=args.role))
    return 0


COMMANDS = (
    # Each browser's desk connects on its own; the server itself never opens the database.
    Command("serve", N_("serve the desk to a browser (no authentication of its own: "
                        "localhost only unless behind a proxy)"), run_serve, serve_arguments,
            database=False),
    Command("pg-role", N_("PostgreSQL: a login role for the desk that cannot "
                          "change or delete history (admin, run as the owner)"), run_pg_role,
            pg_role_arguments),
)
