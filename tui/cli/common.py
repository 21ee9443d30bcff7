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

PIN_ENV = "RETURNS_DESK_PIN"
NEW_PIN_ENV = "RETURNS_DESK_NEW_PIN"

Handler = Callable[[argparse.Namespace], int]


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
        raise Failure(f"no PIN: set {env} or run in a terminal to be asked")
    return getpass.getpass(prompt)


def acting_user(args: argparse.Namespace):
    """The user named by --user, signed in with their PIN: who a change is recorded against.
    Kept in `args.signed_in`, so a refusal that follows is recorded against them (tui.cli.main)."""
    from models.users import authenticate
    if not args.user:
        raise Failure("this command reads or changes the site's data: say who you are with "
                      "--user NAME")
    args.signed_in = authenticate(args.user, pin(f"PIN for {args.user}: ", PIN_ENV))
    from models.languages import speak_for
    speak_for(args.signed_in)       # from here on the command speaks this user's language
    return args.signed_in


def new_pin(name: str) -> str:
    """A new user's or a changed PIN: from RETURNS_DESK_NEW_PIN, else asked."""
    return pin(f"new PIN for {name}: ", NEW_PIN_ENV)


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise Failure(f"cannot read {path}: {exc.strerror}") from None


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
    raise Failure(f"{flag} {value!r} is not a date: write YYYY-MM-DD")


def needs(args: argparse.Namespace, doing: str, *flags: str) -> None:
    """Refuse in one line (not argparse's usage and exit 2) when a needed flag is missing."""
    missing = [flag for flag in flags
               if getattr(args, flag.lstrip("-").replace("-", "_")) in (None, "")]
    if missing:
        raise Failure(f"{doing} needs {', '.join(missing)}")


def progress(total: int, what: str = "labels") -> Callable[[int], None] | None:
    """A one-line progress bar on a terminal's stderr for batches."""
    if total < 2 or not sys.stderr.isatty():
        return None

    def show(done: int) -> None:
        filled = 30 * done // total
        end = "\n" if done == total else ""
        print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {what}", end=end,
              file=sys.stderr, flush=True)
    return show
