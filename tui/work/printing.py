"""Sending queued labels to the site's printer (worker thread, inside a connection).

The labels are made and sent in one long-lived process of their own (`renderer()`): made in
the printer's thread, their QR codes and images (~2.4 ms a label alone, mostly Python) held
the interpreter lock against the UI thread, and a scan that came while a label was being
made waited for it.
"""
from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import resource_tracker

import labels
from models import settings
from models.lists import count_unprinted_labels
from models.printing import (claim_jobs, mark_failed, mark_printed, pending_jobs,
                             release_jobs, was_cancelled)
from tui.work.labelling import label_for, options

BATCH = 50
# What can go wrong with one label; the job is marked failed with the reason and retried later.
LABEL_ERRORS = (labels.PrintError, labels.PayloadError, labels.LabelTooSmall, labels.FontNotFound,
                ValueError, OSError)


_renderer: ProcessPoolExecutor | None = None
_renderer_lock = threading.Lock()


def prepare_printing() -> None:
    """Before the screen opens: multiprocessing's helper process is started with the real
    stderr (once Textual has taken stderr over, starting it fails: "bad value(s) in
    fds_to_keep"). The label process itself starts with the first label."""
    resource_tracker.ensure_running()


def renderer() -> ProcessPoolExecutor:
    """The process that makes and sends labels, started on first use and kept (spawned: a
    fork of a threaded app is not safe). It needs only `labels`, never the database."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ProcessPoolExecutor(max_workers=1,
                                            mp_context=multiprocessing.get_context("spawn"))
        return _renderer


def stop_printing() -> None:
    """The label process ends with the desk. Left to the interpreter's exit, a desk that runs
    in a child process itself (the bench) waited for it for ever: by then multiprocessing no
    longer sends the process its signal to stop."""
    global _renderer
    with _renderer_lock:
        running, _renderer = _renderer, None
    if running is not None:
        running.shutdown(wait=True, cancel_futures=True)


def send(items: list[labels.LabelData], printer: str, **opts) -> int:
    """labels.print_labels in the label process (worker thread: it waits for the answer)."""
    global _renderer
    try:
        return renderer().submit(labels.print_labels, items, printer, **opts).result()
    except BrokenProcessPool:
        with _renderer_lock:
            _renderer = None      # the next label starts a new one
        raise labels.PrintError("the label process stopped unexpectedly; a new one starts "
                                "with the next label") from None


@dataclass(frozen=True)
class PrintRun:
    status: str        # for the status line of the screens
    failed: bool       # the printer refused: wait before trying again


def print_queued(batch: int = BATCH) -> PrintRun:
    """Print what waits in the queue, oldest first; stop at the first failure (the printer is
    probably off or out of labels: the rest goes back to the queue)."""
    site_printer = settings.get("label_printer")
    if not site_printer and not any(job.printer for job in pending_jobs(batch)):
        waiting = count_unprinted_labels()
        return PrintRun(f"label queued: no printer set ({waiting} waiting; the admin sets "
                        "label_printer)" if waiting else "", False)
    jobs = claim_jobs(batch)
    printed = 0
    for number, job in enumerate(jobs):
        printer = job.printer or site_printer
        if not printer:
            release_jobs([job.id])
            continue
        if was_cancelled(job.id):     # its unit was reversed while earlier labels went out
            continue
        try:
            send([label_for(job.unit)] * job.copies, printer, **options())
        except LABEL_ERRORS as exc:
            mark_failed(job.id, str(exc))
            release_jobs([later.id for later in jobs[number + 1:]])
            return PrintRun(f"label for {job.unit.code} not printed: {exc} — kept in the queue, "
                            "tried again every minute", True)
        mark_printed(job.id)
        printed += 1
    return PrintRun(f"{printed} label(s) printed" if printed else "", False)
