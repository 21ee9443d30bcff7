"""Database work off the UI thread: refusals reported, one-at-a-time runs, retries."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from peewee import InterfaceError, OperationalError
from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from models.db import db
from models.errors import DeskError

T = TypeVar("T")


class OneAtATime:
    """Runs `work` in a thread worker, one run at a time.

    Textual's `exclusive=True` cancels the running worker, and a thread cannot stop
    half way through a write: two sweeps of the same queue would overlap. Here a kick
    while `work` runs only asks for one more run after it. The running flag is read and
    written on the UI thread only, so no lock is needed.
    """

    def __init__(self, node: DOMNode, work: Callable[[], None], name: str) -> None:
        self._node, self._work, self._name = node, work, name
        self._app = node.app     # the node may leave the DOM while its work finishes
        self._worker: Worker | None = None
        self._again = False

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def kick(self) -> None:
        self._again = True
        if self._worker is None:
            self._start()

    def _start(self) -> None:
        self._again = False
        # Not `exclusive=True`: it would cancel the run that is just finishing (see above).
        self._worker = self._node.run_worker(self._run, name=self._name, group=self._name,
                                             thread=True)

    def _run(self) -> None:
        self._work()
        self._app.call_from_thread(self._finished)

    def _finished(self) -> None:
        self._worker = None
        if self._again:
            self._start()


class StillAway(Exception):
    """The database did not take the action within the time allowed; the reason is the text."""


def with_retry(action: Callable[[], T], waiting: Callable[[str], None],
               give_up_after: float | None = None) -> T | None:
    """Run `action` in its own connection until the database takes it (worker thread only).

    A busy or unreachable database is not the clerk's mistake: nothing is dropped, the
    screen says it is waiting (`waiting(reason)`), and the same action is tried again.
    Returns None if the worker is cancelled (the desk is closing) before it succeeds; raises
    StillAway after `give_up_after` seconds, if given.
    """
    delay, started = 0.2, time.monotonic()
    while True:
        try:
            with db.connection_context():
                return action()
        except (OperationalError, InterfaceError) as exc:
            if give_up_after is not None and time.monotonic() - started >= give_up_after:
                raise StillAway(first_line(exc)) from None
            if get_current_worker().is_cancelled:
                return None
            waiting(first_line(exc))
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


class Leaving:
    """Mixin for screens whose workers may outlive them: when someone else signs in, the
    previous person's screens are discarded, maybe mid-work. A discarded screen no longer
    finds its app through the DOM, so it keeps it (`desk_app`) and says it is `gone`."""

    gone = False
    desk_app = None

    def on_mount(self) -> None:
        self.desk_app = self.app

    def on_unmount(self) -> None:
        self.gone = True


def app_of(node):
    return getattr(node, "desk_app", None) or node.app


def on_ui(screen, callback: Callable[..., object], *args, **kwargs) -> None:
    """Worker thread: run `callback` on the UI thread, unless `screen` is gone by then."""
    def if_still_there():
        if not getattr(screen, "gone", False):
            return callback(*args, **kwargs)
    app_of(screen).call_from_thread(if_still_there)


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def in_db(node: DOMNode) -> Iterator[None]:
    """A worker's own connection; a refusal or a database that does not answer is told to the
    person at the desk (error notice and bell), and the worker stops there.

    Use it in worker threads only, around the whole body:

        with in_db(self):
            rows = query()
            on_ui(self, self.show, rows)
    """
    try:
        with db.connection_context():
            yield
    except DeskError as exc:
        app = app_of(node)
        app.call_from_thread(app.refuse, str(exc))
    except (OperationalError, InterfaceError) as exc:
        app = app_of(node)
        app.call_from_thread(app.refuse, f"the database did not answer ({first_line(exc)}): "
                                         "try again, and call the administrator if it goes on")
