"""Sending queued labels to the site's printer (worker thread, inside a connection)."""
from __future__ import annotations

from dataclasses import dataclass

import labels
from models import settings
from models.lists import count_unprinted_labels
from models.printing import (claim_jobs, mark_failed, mark_printed, pending_jobs,
                             release_jobs)
from tui.labelling import label_for, options

BATCH = 50
# What can go wrong with one label; the job is marked failed with the reason and retried later.
LABEL_ERRORS = (labels.PrintError, labels.PayloadError, labels.LabelTooSmall, labels.FontNotFound,
                ValueError, OSError)


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
        try:
            labels.print_labels([label_for(job.unit)] * job.copies, printer, **options())
        except LABEL_ERRORS as exc:
            mark_failed(job.id, str(exc))
            release_jobs([later.id for later in jobs[number + 1:]])
            return PrintRun(f"label for {job.unit.code} not printed: {exc} — kept in the queue, "
                            "tried again every minute", True)
        mark_printed(job.id)
        printed += 1
    return PrintRun(f"{printed} label(s) printed" if printed else "", False)
