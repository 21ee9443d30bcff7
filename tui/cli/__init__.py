"""The `returns-desk` command line. With no command it opens the desk.

This module only assembles: the global flags, one sub-parser per command from the modules in
GROUPS, one connection to the database, and the errors handled once (one line on stderr,
exit 1). The commands themselves live in one module per group, each declaring its parsers and
its handlers together as `COMMANDS`, a tuple of `tui.cli.common.Command`.

To add a command group: write `tui/cli/NAME.py` with

    def arguments(p): p.add_argument(...)                   # the command's own arguments
    def run(args) -> int: ...                               # the work; returns the exit code
    COMMANDS = (Command("name", N_("one line of help"), run, arguments),)

and add the module to GROUPS below (`returns-desk --help` lists commands in GROUPS' order).
Every text a person reads is marked (docs/translating.md): a command's help with N_ (COMMANDS
is made at import, before the language is known; `_add` translates it), an argument's help=
and a message with _() where they are made.
A command with sub-actions (`case open`, `case decide`) is one Command whose actions are
Commands with their own handlers:

    COMMANDS = (Command("case", N_("complaint cases"), actions=(
        Command("open", N_("open a case"), run_open, open_arguments), ...)),)

A command that needs no database, or must choose it itself, says `database=False`; one that
creates or migrates the schema says `check_schema=False`. A handler raises
`Failure(_("what to do"))` to refuse in one line; the errors of `models/` (DeskError,
ValueError, ...) are reported the same way, here, once.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import peewee

from models import ConfigurationError, SchemaMismatch, connect
from models.errors import DeskError, PermissionDenied
from models.i18n import LANGUAGE_ENV, SOURCE, _, choose, set_language, set_override
from models.imports import BatchRefused
from models.text import shown, shown_lines
from tui.cli import (audit_trail, backups, cases, database, deployment, incoming,
                     label_printing, opening, reporting, settings, slips, units, users)
from tui.cli.common import PIN_ENV, Command, Failure, HelpFormatter, argparse_speaks
from tui.cli.opening import DESK

# The command groups, a module each under tui/cli/; `--help` lists their commands in this order.
GROUPS = (opening, database, users, settings, incoming, cases, slips, units, reporting,
          label_printing, backups, audit_trail, deployment)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its texts in the language of the moment (made after the language is chosen:
    --lang or $RETURNS_DESK_LANG, else English, as --help comes before any database)."""
    argparse_speaks()
    parser = argparse.ArgumentParser(
        prog="returns-desk", formatter_class=HelpFormatter,
        description=_("Returns and inspection desk. With no command, opens the full-screen "
                      "desk."))
    parser.add_argument("--db", help=_("database URL: sqlite:///PATH or "
                                       "postgresql://USER@HOST/DB (default: $RETURNS_DESK_DB, "
                                       "else sqlite:///returns.db)"))
    parser.add_argument("--user", help=_("who acts (PIN from ${env}, else asked)").format(
        env=PIN_ENV))
    parser.add_argument("--key", action="append", metavar="BINDING_ID=KEY",
                        help=_("the desk: this terminal's key for an action, e.g. "
                               "receiving_close=f9 or go_settings=ctrl+s (as often as needed)"))
    parser.add_argument("--journal", type=Path, metavar="FILE",
                        help=_("the desk: where this terminal keeps scans while the database "
                               "is away (default under $XDG_STATE_HOME or ~/.local/state)"))
    parser.add_argument("--lang", metavar="LANGUAGE",
                        help=_("this terminal's language, before the user's and the site's: "
                               "zh-Hant, zh-Hans or en (default: ${env})").format(
                                   env=LANGUAGE_ENV))
    parser.set_defaults(command=DESK)   # no command: the desk
    sub = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    for group in GROUPS:
        for command in group.COMMANDS:
            _add(sub, command)
    return parser


def _add(sub, command: Command, above: str = "") -> None:
    parser = sub.add_parser(command.name, help=_(command.help), formatter_class=HelpFormatter)
    command.arguments(parser)
    path = f"{above} {command.name}".strip()
    if command.actions:
        actions = parser.add_subparsers(title=_("actions"), metavar="ACTION", required=True)
        for action in command.actions:
            _add(actions, action, path)
    else:
        # --user may also come after the command (`case close 2611-001 --user sup`); SUPPRESS
        # keeps a --user given before it when none is given here.
        parser.add_argument("--user", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        parser.set_defaults(command=command, command_path=path)


def _error(message: str) -> None:
    """The one line a refusal ends with. The last guard: a message that quotes a file, a scan or
    an argument never writes a control character or an escape to the terminal."""
    print(f"returns-desk: {shown_lines(message)}", file=sys.stderr)


def _terminal_language(argv: list[str]) -> str | None:
    """The global --lang, read before the parser is built so that --help speaks it too (a
    command's own --lang, as `user add --lang`, comes after the command's name)."""
    commands = {command.name for group in GROUPS for command in group.COMMANDS}
    for at, token in enumerate(argv):
        if token in commands:
            break
        if token == "--lang" and at + 1 < len(argv):
            return argv[at + 1]
        if token.startswith("--lang="):
            return token.partition("=")[2]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_override(None)
    set_language(SOURCE)
    try:
        # Until the database says the site's (and --user's) language: the terminal's, or English.
        set_override(_terminal_language(argv))
        set_language(choose(None, None))
    except ValueError as exc:
        _error(_("--lang or ${env}: {reason}").format(env=LANGUAGE_ENV, reason=exc))
        return 1
    args = build_parser().parse_args(argv)
    command: Command = args.command
    try:
        if command.database:
            connect(args.db, check=command.check_schema)
            if command.check_schema:     # a site with its settings (not one being made)
                from models.languages import speak_for
                speak_for(None)
        return command.run(args)
    except PermissionDenied as exc:
        print(f"returns-desk: {exc}", file=sys.stderr)
        _record_refusal(args, exc)
    except BatchRefused as exc:
        _error(str(exc))
        for line in exc.lines():
            print(f"  {shown(line)}", file=sys.stderr)
    except (DeskError, Failure, ConfigurationError, SchemaMismatch, ValueError) as exc:
        _error(str(exc))
    except peewee.OperationalError as exc:
        print("returns-desk: " + _("cannot use the database: {reason}").format(
            reason=shown(str(exc).strip().splitlines()[0])), file=sys.stderr)
    except BrokenPipeError:  # e.g. `returns-desk export ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except KeyboardInterrupt:
        print("returns-desk: " + _("interrupted"), file=sys.stderr)
    return 1


def _record_refusal(args: argparse.Namespace, exc: PermissionDenied) -> None:
    """A signed-in user's refused command goes in the audit trail beside their sign-in. The
    refused work has been rolled back by now; this is written on its own."""
    user = getattr(args, "signed_in", None)
    if user is None:
        return
    what = getattr(args, "action", None) or getattr(args, "what", None)
    command = f"{args.command_path} {what}" if isinstance(what, str) else args.command_path
    from models.audit import refusal
    try:
        refusal(user, command, exc.permission, str(exc))
    except (DeskError, peewee.PeeweeException) as failed:   # the refusal is still said above
        print("returns-desk: " + _("(the refusal could not be recorded: {reason})").format(
            reason=failed), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
