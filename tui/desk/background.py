"""Database work off the UI thread: refusals reported, one-at-a-time runs, results shown
on the UI thread. (Retrying a busy database needs no Textual: tui.work.retry.)"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from time import monotonic
from typing import TypeVar

from peewee import InterfaceError, OperationalError
from textual.dom import DOMNode
from textual.worker import Worker

from models.db import db
from models.errors import DeskError
from models.i18n import _
from tui.work.retry import first_line

__all__ = ["Leaving", "OneAtATime", "ReadAhead", "app_of", "first_line", "in_db", "on_ui"]

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


class ReadAhead:
    """Reads started before the screen that shows them is built: at a change of user, home's
    lists are read from the moment the person is chosen, while the PIN is typed and checked
    and home is being made (~100-200 ms on the UI thread at 1,000,000 lines), instead of
    after it. A read not taken within FRESH_SECONDS is not used: its screen,
    opened later, reads afresh."""

    FRESH_SECONDS = 2.0

    def __init__(self) -> None:
        self._reads: dict[tuple, tuple[float, Future]] = {}
        # Threads kept for it: starting one costs the UI thread a few ms at every sign-in.
        self._threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read ahead")

    def start(self, key: tuple, read: Callable[[], object]) -> None:
        """Read `key` in a thread of its own; one already started for it and fresh is kept."""
        if key in self._reads and monotonic() - self._reads[key][0] <= self.FRESH_SECONDS:
            return

        def in_own_connection() -> object:
            with db.connection_context():
                return read()
        self._reads[key] = (monotonic(), self._threads.submit(in_own_connection))

    def take(self, key: tuple, read: Callable[[], T]) -> T:
        """Worker thread: what was read ahead for `key` if it is fresh, else `read()` now (a
        read ahead that failed raises here, where in_db tells it)."""
        started, future = self._reads.pop(key, (0.0, None))
        if future is None or monotonic() - started > self.FRESH_SECONDS:
            return read()
        return future.result()


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
        app.call_from_thread(app.refuse, _(
            "the database did not answer ({error}): try again, and call the administrator if "
            "it goes on").format(error=first_line(exc)))
