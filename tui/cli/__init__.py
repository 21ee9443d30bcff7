"""The `returns-desk` command line. With no command it opens the desk."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import shlex
import shutil
import sys
from pathlib import Path

import peewee

from models import ConfigurationError, SchemaMismatch, connect, migrate_all
from models.errors import DeskError
from models.imports import BatchRefused

PIN_ENV = "RETURNS_DESK_PIN"
NEW_PIN_ENV = "RETURNS_DESK_NEW_PIN"
EXAMPLE_DB = Path(__file__).resolve().parents[2] / "returns.db.example"
DEMO_DB = Path("returns-demo.db")


class Failure(Exception):
    """A one-line reason to stop with a non-zero exit."""


def _pin(prompt: str, env: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise Failure(f"no PIN: set {env} or run in a terminal to be asked")
    return getpass.getpass(prompt)


def _acting_user(args):
    from models.users import authenticate
    if not args.user:
        raise Failure("this command changes data: say who you are with --user NAME")
    return authenticate(args.user, _pin(f"PIN for {args.user}: ", PIN_ENV))


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror}") from None


# --- commands -----------------------------------------------------------------------------

def cmd_desk(args) -> int:
    from tui.desk.app import make_app
    keymap = _keymap(args.key or [])
    connect(args.db)
    make_app(args.db, keymap=keymap, journal=args.journal).run()
    return 0


def _keymap(pairs: list[str]) -> dict[str, str]:
    """--key BINDING_ID=KEYS, as often as needed: this terminal's own keys."""
    from tui.desk.app import binding_ids
    keymap = {}
    for pair in pairs:
        name, sep, keys = (part.strip() for part in pair.partition("="))
        if not (sep and name and keys):
            raise Failure(f"--key {pair!r}: write BINDING_ID=KEY, e.g. --key receiving_close=f9")
        keymap[name] = keys
    unknown = sorted(set(keymap) - binding_ids())
    if unknown:
        raise Failure(f"--key: no key binding {', '.join(unknown)}; the desk's are: "
                      f"{', '.join(sorted(binding_ids()))}")
    return keymap


def cmd_demo(args) -> int:
    if args.fresh or not DEMO_DB.exists():
        if EXAMPLE_DB.exists():
            shutil.copyfile(EXAMPLE_DB, DEMO_DB)
        else:  # installed without the repository: build the same demo site
            from models.demo import build
            build(DEMO_DB)
        print(f"demo database: {DEMO_DB} (a copy of returns.db.example)")
    url = f"sqlite:///{DEMO_DB}"
    if args.no_desk:
        connect(url)
        return 0
    args.db = url
    return cmd_desk(args)


def cmd_init(args) -> int:
    from models.users import create_first_admin
    connect(args.db, check=False)
    applied = migrate_all()
    pin = _pin(f"new PIN for {args.admin}: ", NEW_PIN_ENV)
    create_first_admin(args.admin, pin)
    print(f"database ready ({len(applied)} migration(s) applied); admin {args.admin} created")
    return 0


def cmd_migrate(args) -> int:
    connect(args.db, check=False)
    applied = migrate_all()
    print(f"applied: {', '.join(applied)}" if applied else "the schema is up to date")
    return 0


def cmd_user(args) -> int:
    from models import users
    connect(args.db)
    if args.action == "list":
        for user in users.list_users():
            state = "disabled" if not user.active else ("locked" if user.locked else "active")
            print(f"{user.name}\t{user.role}\t{user.badge or '-'}\t{state}")
        return 0
    actor = _acting_user(args)
    if args.action == "add":
        if not args.role:
            raise Failure("say the new user's role with --role")
        users.add_user(actor, args.name, args.role, _pin(f"new PIN for {args.name}: ", NEW_PIN_ENV),
                       args.badge)
        print(f"user {args.name} added as {args.role}")
    elif args.action == "disable":
        users.disable_user(actor, args.name)
        print(f"user {args.name} disabled")
    elif args.action == "unlock":
        users.unlock_user(actor, args.name)
        print(f"user {args.name} unlocked")
    elif args.action == "set-pin":
        users.set_pin(actor, args.name, _pin(f"new PIN for {args.name}: ", NEW_PIN_ENV))
        print(f"PIN of {args.name} changed")
    return 0


def cmd_setting(args) -> int:
    from models import settings
    connect(args.db)
    if args.action == "list":
        for name, value, help_text in settings.all_settings():
            print(f"{name} = {value}\t# {help_text}")
        return 0
    if args.name is None or args.value is None:
        raise Failure("usage: returns-desk setting set NAME VALUE")
    settings.set_value(_acting_user(args), args.name, args.value)
    print(f"{args.name} = {settings.get_text(args.name)}")
    return 0


def cmd_import(args) -> int:
    from models import imports
    connect(args.db)
    actor = _acting_user(args)
    run = {"customers": imports.import_customers, "cases": imports.import_cases,
           "slips": imports.import_slips}[args.kind]
    done = run(actor, _read(args.file))
    print(f"imported {len(done)} {args.kind}")
    return 0


def cmd_receive(args) -> int:
    from models.imports import receive_upload
    connect(args.db)
    receipts = receive_upload(_acting_user(args), args.slip_no, _read(args.scans))
    new = [r for r in receipts if not r.replayed]
    print(f"received {len(new)} scan(s) on {args.slip_no.upper()}"
          + (f"; {len(receipts) - len(new)} were already recorded" if len(new) < len(receipts) else ""))
    over = sorted({r.line.line_no for r in receipts if r.over})
    if over:
        print(f"over tolerance: line(s) {', '.join(map(str, over))} (finance needs a supervisor's decision)")
    return 0


def cmd_export(args) -> int:
    from models.exports import export_reconciliation
    connect(args.db)
    actor = _acting_user(args)
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        count = export_reconciliation(actor, out, args.format, args.month)
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"{count} line(s) written to {args.out}")
    return 0


def cmd_report(args) -> int:
    from models.numbers import money, number
    from models.reports import monthly_report, previous_month
    connect(args.db)
    report = monthly_report(args.month or previous_month())
    if args.format == "json":
        print(json.dumps({
            "month": report.month,
            "closed_by_category": report.closed_by_category,
            "closed_by_responsibility": report.closed_by_responsibility,
            "closed_by_customer": report.closed_by_customer,
            "booked": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                       for c, u, q, a in report.booked],
            "quality_cost": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                             for c, u, q, a in report.quality_cost],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"Monthly report {report.month}")
    for title, counts in (("closed cases by category", report.closed_by_category),
                          ("closed cases by responsibility", report.closed_by_responsibility),
                          ("closed cases by customer", report.closed_by_customer)):
        print(f"\n{title}:" + ("" if counts else " none"))
        for key, count in sorted(counts.items()):
            print(f"  {key:<20} {count}")
    for title, rows, total in (("booked", report.booked, report.booked_amount),
                               ("quality cost (failed customer-caused returns)",
                                report.quality_cost, report.quality_cost_amount)):
        print(f"\n{title}:" + ("" if rows else " none"))
        for customer, unit, qty, amount in rows:
            print(f"  {customer:<10} {number(qty):>12} {unit:<5} {money(amount):>14}")
        if rows:
            print(f"  {'total':<29} {money(total):>14}")
    return 0


def cmd_label(args) -> int:
    import labels
    from models.printing import record_print, units_for
    from tui.work.labelling import SINGLE_FILE_FORMATS, label_for, options, print_units, write_file
    from models import settings
    connect(args.db)
    actor = _acting_user(args)
    units = units_for(args.target)
    if not units:
        raise Failure(f"{args.target} has no received units to label")
    opts = options()
    if args.size:
        opts["size"] = labels.parse_size(args.size)
    progress = _progress(len(units))
    if args.out:
        out = Path(args.out)
        if args.format in SINGLE_FILE_FORMATS or len(units) == 1 and out.suffix:
            items = [label_for(u) for u in units]
            if args.format in SINGLE_FILE_FORMATS:
                write_file(items, out, args.format, args.dpi, progress, **opts)
            else:
                render = labels.render_png if args.format == "png" else labels.render_svg
                data = render(items[0], dpi=args.dpi or (203 if args.format == "png" else 300), **opts)
                out.write_bytes(data if isinstance(data, bytes) else data.encode())
            record_print(actor, [u.code for u in units], f"file:{out}", ok=True)
            print(f"{len(units)} label(s) written to {out}")
            return 0
        out.mkdir(parents=True, exist_ok=True)   # one file per label in a folder
        printer = f"dir:{out}"
    else:
        printer = args.printer or settings.get("label_printer")
        if not printer:
            raise Failure("say where the labels go: --out FILE or --printer cups:Q|tcp:HOST:9100|dir:PATH "
                          "(or set label_printer)")
    try:
        print_units(actor, units, printer, args.format, args.dpi, progress)
    except labels.PrintError as exc:
        raise Failure(f"printing failed, nothing lost (recorded as failed): {exc}") from None
    print(f"{len(units)} label(s) sent to {printer}")
    return 0


def _progress(total: int):
    """A one-line progress bar on a terminal's stderr for batches."""
    if total < 2 or not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} labels", end=end,
              file=sys.stderr, flush=True)
    return show


def cmd_audit(args) -> int:
    import datetime as dt
    from models.audit import history
    connect(args.db)
    since = dt.datetime.fromisoformat(args.since) if args.since else None
    entries = history(_acting_user(args), since=since, who=args.who, entity=args.entity,
                      key=args.key, limit=args.limit)
    for entry in entries:
        who = entry.user.name if entry.user else "-"
        change = f"{entry.before or ''} -> {entry.after or ''}".strip(" ->")
        print(f"{entry.at}  {who:<12} {entry.action:<20} {entry.entity} {entry.entity_key}  {change}")
    return 0


def cmd_restore(args) -> int:
    from models.backup import restore
    connect(args.db)
    actor = _acting_user(args)
    if not args.yes:
        raise Failure("restoring replaces everything in the database: add --yes if you mean it")
    restore(actor, args.file)
    print(f"database restored from {args.file}")
    return 0


def cmd_pg_role(args) -> int:
    from models.db import is_postgres
    from models.schema import grant_desk_role
    connect(args.db)
    if not is_postgres():
        raise Failure("pg-role is for PostgreSQL databases")
    grant_desk_role(args.role)
    print(f"role {args.role} may use the desk; it cannot delete anything or change the audit trail")
    return 0


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_plan(args) -> tuple[str, str, int]:
    """What `serve` runs for each browser, and where it listens (loopback unless told)."""
    db = f" --db {shlex.quote(args.db)}" if args.db else ""
    return f"{shlex.quote(sys.executable)} -m tui.cli{db}", args.host, args.port


def cmd_serve(args) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise Failure("serving to a browser needs textual-serve: pip install 'returns-desk[serve]'") from None
    command, host, port = serve_plan(args)
    if host not in LOOPBACK:
        print(f"warning: listening on {host} with no authentication of its own; put it behind "
              "an authenticating proxy (see the README)", file=sys.stderr)
    Server(command, host=host, port=port, public_url=args.public_url,
           title="Returns Desk").serve()
    return 0


def cmd_backup(args) -> int:
    from models.backup import backup
    connect(args.db)
    target = backup(_acting_user(args), args.file)
    print(f"backup written to {target}")
    return 0


# --- parser -------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="returns-desk",
        description="Returns and inspection desk. With no command, opens the full-screen desk.")
    parser.add_argument("--db", help="database URL: sqlite:///PATH or postgresql://USER@HOST/DB "
                                     "(default: $RETURNS_DESK_DB, else sqlite:///returns.db)")
    parser.add_argument("--user", help=f"who acts (PIN from ${PIN_ENV}, else asked)")
    parser.add_argument("--key", action="append", metavar="BINDING_ID=KEY",
                        help="the desk: this terminal's key for an action, e.g. "
                             "receiving_close=f9 or go_settings=ctrl+s (as often as needed)")
    parser.add_argument("--journal", type=Path, metavar="FILE",
                        help="the desk: where this terminal keeps scans while the database is "
                             "away (default under $XDG_STATE_HOME or ~/.local/state)")
    parser.set_defaults(run=cmd_desk)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("demo", help="open the desk on a fresh copy of the demo database")
    p.add_argument("--fresh", action="store_true", help="start again from returns.db.example")
    p.add_argument("--no-desk", action="store_true", help="only prepare returns-demo.db")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("init", help="create the schema and the first admin on an empty database")
    p.add_argument("--admin", required=True, metavar="NAME")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("migrate", help="bring the database schema up to this version")
    p.set_defaults(run=cmd_migrate)

    p = sub.add_parser("user", help="list, add, disable or unlock users (admin)")
    p.add_argument("action", choices=["list", "add", "disable", "unlock", "set-pin"])
    p.add_argument("name", nargs="?")
    p.add_argument("--role", help="clerk, inspector, finance, sales, supervisor or admin")
    p.add_argument("--badge", help="badge barcode for signing in by scan")
    p.set_defaults(run=cmd_user)

    p = sub.add_parser("setting", help="list settings, or set one (admin)")
    p.add_argument("action", choices=["list", "set"])
    p.add_argument("name", nargs="?")
    p.add_argument("value", nargs="?")
    p.set_defaults(run=cmd_setting)

    p = sub.add_parser("import", help="import customers, cases or slips from CSV (all or nothing)")
    p.add_argument("kind", choices=["customers", "cases", "slips"])
    p.add_argument("file")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("receive", help="receive a batch scanner's upload against a slip")
    p.add_argument("slip_no")
    p.add_argument("--scans", required=True, metavar="FILE",
                   help="one code per line, or code,quantity for counted goods")
    p.set_defaults(run=cmd_receive)

    p = sub.add_parser("export", help="export the reconciliation (finance)")
    p.add_argument("what", choices=["reconciliation"])
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--month", metavar="YYYY-MM", help="only slips issued in this month")
    p.add_argument("--out", metavar="FILE", help="write to a file instead of the screen")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("report", help="the monthly report (default: last month)")
    p.add_argument("what", choices=["monthly"])
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("label", help="render or print labels of a unit, every unit of a slip, or of a case")
    p.add_argument("target", metavar="UNIT|SLIP|CASE")
    p.add_argument("--format", choices=["png", "svg", "pdf", "sheet", "zpl"], default="pdf",
                   help="pdf: a page per label; sheet: A4 sheets of labels (default pdf)")
    p.add_argument("--size", help="50x25mm (default), 2x1in, 4x6in or WxHmm")
    p.add_argument("--dpi", type=int, choices=[203, 300])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help="a file (a folder for several png/svg labels)")
    where.add_argument("--printer", metavar="SPEC", help="cups:QUEUE, tcp:HOST:9100 or dir:PATH")
    p.set_defaults(run=cmd_label)

    p = sub.add_parser("backup", help="write a backup of the database (admin)")
    p.add_argument("file")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (admin)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="yes, replace everything")
    p.set_defaults(run=cmd_restore)

    p = sub.add_parser("audit", help="who changed what, when (supervisor, admin)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (default: everything)")
    p.add_argument("--who", metavar="NAME", help="only this user's changes")
    p.add_argument("--entity", help="case, slip, unit, line, user, customer, setting ...")
    p.add_argument("--key", help="e.g. a case number, slip number or unit id")
    p.add_argument("--limit", type=int, default=1000, help="at most this many, newest (default 1000)")
    p.set_defaults(run=cmd_audit)

    p = sub.add_parser("serve", help="serve the desk to a browser (no authentication of its own: "
                                      "localhost only unless behind a proxy)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--public-url", help="the URL browsers use, when behind a proxy")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("pg-role", help="PostgreSQL: a login role for the desk that cannot "
                                       "change or delete history (run as the owner)")
    p.add_argument("role")
    p.set_defaults(run=cmd_pg_role)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BatchRefused as exc:
        print(f"returns-desk: {exc}", file=sys.stderr)
        for line in exc.lines():
            print(f"  {line}", file=sys.stderr)
    except (DeskError, Failure, ConfigurationError, SchemaMismatch, ValueError) as exc:
        print(f"returns-desk: {exc}", file=sys.stderr)
    except peewee.OperationalError as exc:
        print(f"returns-desk: cannot use the database: {str(exc).strip().splitlines()[0]}",
              file=sys.stderr)
    except BrokenPipeError:  # e.g. `returns-desk export ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        print("returns-desk: interrupted", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
