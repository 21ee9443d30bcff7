"""What runs inside the label process (tui.work.printing starts it): it imports `labels`
only, never the database nor the screen.

It shares the terminal with the desk: whatever it wrote to stderr (Python's warnings, a
traceback) landed in the middle of the screen. Its stderr goes to the desk's log, and what
`labels` warns of while printing (a label without its Chinese text) goes back with the
answer, for the desk to log and to tell the admin.
"""
from __future__ import annotations

import os
import threading
import time
import warnings

import labels


PARENT_CHECK_SECONDS = 1.0


def started(log_path: str | None, desk_pid: int) -> None:
    """First thing in the label process: its stderr into the desk's log, and a watch on the
    desk that started it (its pid given: a desk killed before this runs has already left its
    label process to another parent)."""
    if log_path:
        log_file = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log_file, 2)
        os.close(log_file)
    threading.Thread(target=_end_with, args=(desk_pid,), name="desk watch",
                     daemon=True).start()


def _end_with(desk_pid: int) -> None:
    """A desk killed (kill -9, a crash) never tells its label process to stop, and the process
    holds both ends of its own job queue, so it would wait for the next job for ever: one
    process left behind at every crash. Its parent changes when the desk is gone."""
    while os.getppid() == desk_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def ready() -> bool:
    """Nothing: a first job that has the process started and `labels` imported."""
    return True


def print_telling(items: list[labels.LabelData], printer: str, **opts) -> tuple[int, list[str]]:
    """labels.print_labels, and the warnings it gave meanwhile (each once a process)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sent = labels.print_labels(items, printer, **opts)
    return sent, [str(warning.message) for warning in caught]
