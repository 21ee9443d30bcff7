"""A database that is busy or away is waited for, not blamed on the person at the desk."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from models.db import db
from models.journal import UNAVAILABLE

T = TypeVar("T")


class StillAway(Exception):
    """The database did not take the action within the time allowed; the reason is the text."""


def never() -> bool:
    return False


def with_retry(action: Callable[[], T], waiting: Callable[[str], None],
               give_up_after: float | None = None,
               cancelled: Callable[[], bool] = never) -> T | None:
    """Run `action` in its own connection until the database takes it (worker thread only).

    A busy or unreachable database is not the clerk's mistake: nothing is dropped, the
    caller is told it is waiting (`waiting(reason)`), and the same action is tried again.
    Returns None if `cancelled()` says so (the desk is closing) before it succeeds; raises
    StillAway after `give_up_after` seconds, if given.
    """
    delay, started = 0.2, time.monotonic()
    while True:
        try:
            with db.connection_context():
                return action()
        except UNAVAILABLE as exc:
            if give_up_after is not None and time.monotonic() - started >= give_up_after:
                raise StillAway(first_line(exc)) from None
            if cancelled():
                return None
            waiting(first_line(exc))
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
