"""Opening the full-screen desk: in this terminal (`returns-desk` with no command) or on a copy
of the demo database (`demo`). Both choose their database themselves: the desk checks --key
before it connects, the demo first makes its database."""
from __future__ import annotations

import shutil
from pathlib import Path

from models import connect
from models.files import new_file
from models.i18n import N_, _
from tui.cli.common import Command, Failure

EXAMPLE_DB = Path(__file__).resolve().parents[2] / "returns.db.example"
DEMO_DB = Path("returns-demo.db")


def run_desk(args) -> int:
    desk_app(args).run()
    return 0


def desk_app(args):
    """The desk these arguments ask for, its database checked, not running yet."""
    from tui.desk.app import make_app
    keymap = _keymap(args.key or [])
    connect(args.db)
    return make_app(args.db, keymap=keymap, journal=args.journal)


def _keymap(pairs: list[str]) -> dict[str, str]:
    """--key BINDING_ID=KEYS, as often as needed: this terminal's own keys."""
    from tui.desk.app import binding_ids
    keymap = {}
    for pair in pairs:
        name, sep, keys = (part.strip() for part in pair.partition("="))
        if not (sep and name and keys):
            raise Failure(_("--key {pair!r}: write BINDING_ID=KEY, e.g. --key "
                            "receiving_close=f9").format(pair=pair))
        keymap[name] = keys
    unknown = sorted(set(keymap) - binding_ids())
    if unknown:
        raise Failure(_("--key: no key binding {unknown}; the desk's are: {known}").format(
            unknown=", ".join(unknown), known=", ".join(sorted(binding_ids()))))
    return keymap


# The desk's own flags (--key, --journal) are global ones, on the top-level parser.
DESK = Command("(no command)", N_("open the full-screen desk"), run_desk, database=False)


def demo_arguments(p) -> None:
    p.add_argument("--fresh", action="store_true", help=_("start again from returns.db.example"))
    p.add_argument("--no-desk", action="store_true", help=_("only prepare returns-demo.db"))


def run_demo(args) -> int:
    if args.fresh or not DEMO_DB.exists():
        if EXAMPLE_DB.exists():
            with new_file(DEMO_DB) as copy:
                shutil.copyfile(EXAMPLE_DB, copy)
        else:  # installed without the repository: build the same demo site
            from models.demo import build
            build(DEMO_DB)
        print(_("demo database: {file} (a copy of returns.db.example)").format(file=DEMO_DB))
    url = f"sqlite:///{DEMO_DB}"
    if args.no_desk:
        connect(url)
        return 0
    args.db = url
    return run_desk(args)


COMMANDS = (
    Command("demo", N_("open the desk on a fresh copy of the demo database"), run_demo,
            demo_arguments, database=False),
)
