"""What every command group shares: how a command is declared, who acts (--user and a PIN),
the one-line Failure, reading an input file, and the progress bar of a batch."""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.i18n import N_, _, ngettext

PIN_ENV = "RETURNS_DESK_PIN"
NEW_PIN_ENV = "RETURNS_DESK_NEW_PIN"

Handler = Callable[[argparse.Namespace], int]

# argparse's own words ("usage:", "options:", its error lines) come from Python's gettext domain
# 'argparse', which has no Chinese: argparse_speaks() points its module-level `_` and `ngettext`
# at the desk's catalogs. These msgids are argparse's own, copied as it writes them, marked
# here so that the catalogs carry them; argparse's other words stay in English.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def argparse_speaks() -> None:
    """argparse says its words through the desk's catalogs, in the language of the moment."""
    argparse._ = _              # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells: a Chinese help text has no spaces to wrap at
    and its characters take two cells each, so argparse's own wrapping (by characters, at
    spaces) would run it past the terminal's edge. English help is wrapped as argparse does."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if cell_width(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_cells(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if cell_width(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))


# Where a help text may wrap: after a wide (CJK) character, with the punctuation that follows
# it (a line never starts with a comma); or a run of other non-space characters; or spaces.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_WRAP_TOKEN = re.compile(rf"[{_WIDE}][,.;:!?)、。]*|[^\s{_WIDE}]+| +")


def cell_width(text: str) -> int:
    from rich.cells import cell_len
    return cell_len(text)


def wrap_cells(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal cells (a longer word stays whole), wrapped
    at spaces and between Chinese characters."""
    lines, line = [], ""
    for token in _WRAP_TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            line += " " if line else ""
        elif line and cell_width(line + token) > width:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes nothing but the global flags."""


@dataclass(frozen=True)
class Command:
    """One command of `returns-desk`: its parser and its handler, declared together.

    `arguments` adds the command's own arguments to its parser; `run` does the work and returns
    the exit code. Before `run`, main connects to --db once, unless `database` is False (the
    command needs no database, or chooses it itself); `check_schema=False` skips the schema
    check, for the commands that create or migrate it. A command with `actions` is a group of
    sub-commands (`case open`, `case decide`): each action is a Command of its own, with its own
    handler, and the group's `arguments` are shared by all of them.
    """
    name: str
    help: str
    run: Handler | None = None
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    database: bool = True
    check_schema: bool = True
    actions: tuple[Command, ...] = ()

    def __post_init__(self) -> None:
        if (self.run is None) == (not self.actions):
            raise TypeError(f"command {self.name!r}: give it a handler (run) or actions, not both")


class Failure(Exception):
    """A one-line reason to stop with a non-zero exit."""


def pin(prompt: str, env: str) -> str:
    """A PIN from the environment variable `env`, else asked on the terminal."""
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise Failure(_("no PIN: set {env} or run in a terminal to be asked").format(env=env))
    return getpass.getpass(prompt)


def acting_user(args: argparse.Namespace):
    """The user named by --user, signed in with their PIN: who a change is recorded against.
    Kept in `args.signed_in`, so a refusal that follows is recorded against them (tui.cli.main)."""
    from models.users import authenticate
    if not args.user:
        raise Failure(_("this command reads or changes the site's data: say who you are with "
                        "--user NAME"))
    args.signed_in = authenticate(args.user, pin(_("PIN for {name}: ").format(name=args.user), PIN_ENV))
    from models.languages import speak_for
    speak_for(args.signed_in)       # from here on the command speaks this user's language
    return args.signed_in


def new_pin(name: str) -> str:
    """A new user's or a changed PIN: from RETURNS_DESK_NEW_PIN, else asked."""
    return pin(_("new PIN for {name}: ").format(name=name), NEW_PIN_ENV)


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise Failure(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)) from None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: str | None, flag: str) -> dt.date | None:
    """A date given as YYYY-MM-DD (no other spelling: 20261112 or 12/11/2026 are refused);
    None when not given."""
    if value is None or value == "":
        return None
    try:
        if _ISO_DATE.fullmatch(value.strip()):
            return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise Failure(_("{flag} {value!r} is not a date: write YYYY-MM-DD").format(flag=flag, value=value))


def needs(args: argparse.Namespace, doing: str, *flags: str) -> None:
    """Refuse in one line (not argparse's usage and exit 2) when a needed flag is missing."""
    missing = [flag for flag in flags
               if getattr(args, flag.lstrip("-").replace("-", "_")) in (None, "")]
    if missing:
        raise Failure(_("{command} needs {flags}").format(command=doing, flags=", ".join(missing)))


def progress(total: int, what: str | None = None) -> Callable[[int], None] | None:
    """A one-line progress bar on a terminal's stderr for batches (of labels unless `what`)."""
    what = _("labels") if what is None else what
    if total < 2 or not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {what}", end=end,
              file=sys.stderr, flush=True)
    return show


def code_word(kind: str, code: str | None) -> str:
    """A code in a command's output as a person reads it: its word (models/words.py) in
    Chinese; in English the code itself, spelled as the flags take it (`--cause
    customer_misuse`), so that English output stays what scripts already read."""
    from models.i18n import SOURCE, language
    if code is None or language() == SOURCE:
        return "-" if code is None else code
    from models.words import word
    return word(kind, code)


def pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal cells: a Chinese character takes two."""
    return text + " " * max(0, width - cell_width(text))
