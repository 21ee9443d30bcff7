"""Sending queued labels to the site's printer (worker thread, inside a connection).

The labels are made and sent in one long-lived process of their own (`renderer()`): made in
the printer's thread, their QR codes and images (~2.4 ms a label alone, mostly Python) held
the interpreter lock against the UI thread, and a scan that came while a label was being
made waited for it.

The queue is drained at the printer's own pace (`drain_queue`): batch after batch until
nothing waits, each job recording the printer it went to. What the label process warns of
(a label printed without its Chinese text) comes back with the answer, for the desk's log
and the admin; that process writes nothing over the screen.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import resource_tracker
from pathlib import Path

import labels
from models import settings
from models.i18n import _, ngettext
from models.lists import count_unprinted_labels
from models.printing import (claim_jobs, mark_failed, mark_printed, pending_jobs,
                             release_jobs, was_cancelled)
from tui.work import label_process
from tui.work.labelling import english, label_for, options

BATCH = 50
# What can go wrong with one label; the job is marked failed with the reason and retried later.
LABEL_ERRORS = (labels.PrintError, labels.PayloadError, labels.LabelTooSmall, labels.FontNotFound,
                ValueError, OSError)
log = logging.getLogger("returns_desk.labels")

_renderer: ProcessPoolExecutor | None = None
_renderer_lock = threading.Lock()
_log_path: Path | None = None


def prepare_printing(log_path: Path | None = None) -> None:
    """Before the screen opens: multiprocessing's helper process is started with the real
    stderr (once Textual has taken stderr over, starting it fails: "bad value(s) in
    fds_to_keep"). The label process itself starts when the printer is first kicked, and
    writes what it has to say into `log_path` (the desk's log), not over the screen."""
    global _log_path
    _log_path = log_path
    resource_tracker.ensure_running()


def renderer() -> ProcessPoolExecutor:
    """The process that makes and sends labels, started on first use and kept (spawned: a
    fork of a threaded app is not safe). It needs only `labels`, never the database."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=label_process.started,
                initargs=(str(_log_path) if _log_path else None, os.getpid()))
        return _renderer


def warm_up() -> None:
    """Start the label process if it is not running, without waiting for it: once labels
    wait or a printer is set, the next label does not wait ~0.5 s for it to start."""
    with _renderer_lock:
        running = _renderer is not None
    if not running:
        renderer().submit(label_process.ready)


def stop_printing() -> None:
    """The label process ends with the desk. Left to the interpreter's exit, a desk that runs
    in a child process itself (the bench) waited for it for ever: by then multiprocessing no
    longer sends the process its signal to stop."""
    global _renderer
    with _renderer_lock:
        running, _renderer = _renderer, None
    if running is not None:
        running.shutdown(wait=True, cancel_futures=True)


def send(items: list[labels.LabelData], printer: str, **opts) -> tuple[int, list[str]]:
    """Print `items` in the label process (worker thread: it waits for the answer): how
    many were sent, and the warnings, each also written to the desk's log."""
    global _renderer
    try:
        sent, said = renderer().submit(label_process.print_telling, items, printer, **opts).result()
    except BrokenProcessPool:
        with _renderer_lock:
            _renderer = None      # the next label starts a new one
        raise labels.PrintError(_("the label process stopped unexpectedly; a new one starts "
                                  "with the next label")) from None
    for warning in said:
        log.warning("label printed to %s: %s", printer, warning)
    return sent, said


@dataclass(frozen=True)
class PrintRun:
    status: str                     # for the status line of the screens
    failed: bool                    # the printer refused: wait before trying again
    printed: int = 0                # labels printed in this run
    warnings: tuple[str, ...] = ()  # what printing them warned of, for the admin
    no_printer: bool = False        # labels wait for the admin to set label_printer


def print_queued(batch: int = BATCH, keep_going: Callable[[], bool] = lambda: True) -> PrintRun:
    """Print one batch of what waits in the queue, oldest first; stop at the first failure
    (the printer is probably off or out of labels: the rest goes back to the queue), or
    when `keep_going()` says so (the desk is closing)."""
    site_printer = settings.get("label_printer")
    if not site_printer and not any(job.printer for job in pending_jobs(batch)):
        waiting = count_unprinted_labels()
        if waiting:
            warm_up()      # the admin may set a printer any moment
        return PrintRun(_("label queued: no printer set ({n} waiting; the admin sets "
                          "label_printer)").format(n=waiting) if waiting else "",
                        False, no_printer=bool(waiting))
    warm_up()
    jobs = claim_jobs(batch)
    printed, said, opts = 0, [], options()
    for number, job in enumerate(jobs):
        printer = job.printer or site_printer
        if not keep_going():
            release_jobs([later.id for later in jobs[number:]])
            break
        if not printer:
            release_jobs([job.id])
            continue
        if was_cancelled(job.id):     # its unit was reversed while earlier labels went out
            continue
        try:
            said += send([label_for(job.unit)] * job.copies, printer, **opts)[1]
        except LABEL_ERRORS as exc:
            mark_failed(job.id, english(exc))
            release_jobs([later.id for later in jobs[number + 1:]])
            return PrintRun(_("label for {unit} not printed: {error} — kept in the queue, "
                              "tried again shortly").format(unit=job.unit.code, error=exc),
                            True, printed, tuple(said))
        mark_printed(job.id, printer)
        printed += 1
    return PrintRun(printed_text(printed) if printed else "", False, printed, tuple(said))


def printed_text(count: int) -> str:
    return ngettext("{n} label printed", "{n} labels printed", count).format(n=count)


def drain_queue(report: Callable[[PrintRun], None] = lambda run: None,
                keep_going: Callable[[], bool] = lambda: True) -> PrintRun:
    """Print batch after batch until nothing waits: as fast as the printer takes them, not
    a batch per timer tick. `report(run)` after each batch printed (the screens' status
    line); then the last run, with every label printed counted."""
    total, said = 0, []
    while True:
        run = print_queued(keep_going=keep_going)
        total += run.printed
        said += run.warnings
        if run.failed or run.printed == 0 or not keep_going():
            break
        report(PrintRun(printed_text(total) + "…", False, run.printed, run.warnings))
        said = []
    status = run.status if run.failed or run.no_printer or not total else printed_text(total)
    return PrintRun(status, run.failed, total, tuple(said), run.no_printer)
