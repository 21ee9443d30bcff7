"""The label print queue: every label a unit gets, and every reprint, is a recorded job.

Receiving queues the unit's label in the same transaction as the unit, so a label whose
printing fails (or that waits for a printer to be set) is never lost. Rendering and sending
belong to `labels/`; a printer worker claims jobs (`claim_jobs`), reports back with
`mark_printed` / `mark_failed`, and gives back what it did not print (`release_jobs`).
A reversed unit's jobs not printed yet are cancelled (models.receiving.reverse_unit).
"""
from __future__ import annotations

import datetime as dt

from . import audit, clock, settings
from .access import operation
from .codes import identify
from .db import for_update, transaction
from .errors import NotFound, Refused
from .i18n import _
from .tables import ComplaintCase, Customer, PrintJob, Slip, SlipLine, Unit
from .text import shown
from .units import get_unit


@operation("label.print")
def queue_reprint(user, unit_code: str, copies: int = 1, printer: str | None = None) -> PrintJob:
    unit = get_unit(unit_code)
    if unit.state == "reversed":
        raise Refused(_("{unit} was reversed (taken off its slip): it gets no label").format(
            unit=unit.code))
    if not 1 <= copies <= 20:
        raise Refused(_("print 1 to 20 copies at a time"))
    job = PrintJob.create(unit=unit, printer=printer if printer is not None
                          else settings.get("label_printer"),
                          copies=copies, reprint=True, status="queued", requested_by=user)
    audit.record(user, "label.reprint", "unit", unit.code, None, {"copies": copies, "job": job.id})
    return job


@operation("label.print")
def record_print(user, unit_codes: list[str], printer: str, ok: bool, error: str = "") -> list[PrintJob]:
    """A label run outside the queue (the `label` command): one finished job per unit."""
    jobs = []
    for code in unit_codes:
        unit = get_unit(code)
        earlier = PrintJob.select().where(PrintJob.unit == unit).exists()
        jobs.append(PrintJob.create(unit=unit, printer=printer, reprint=earlier, requested_by=user,
                                    status="printed" if ok else "failed", attempts=1,
                                    last_error=error[:500], printed_at=clock.now() if ok else None))
    audit.record(user, "label.print" if ok else "label.print_failed", "printer", printer[:40], None,
                 {"units": len(unit_codes), "error": error[:200]})
    return jobs


WAITING = ("queued", "failed")
# A worker that died mid-print never reports back: its jobs are offered again after this.
CLAIM_EXPIRES = dt.timedelta(minutes=5)


def pending_jobs(limit: int = 50) -> list[PrintJob]:
    """Jobs not printed yet (queued, failed or being printed), oldest first."""
    return list(PrintJob.select().where(PrintJob.status.in_(WAITING + ("printing",)))
                .order_by(PrintJob.id).limit(limit))


def claim_jobs(limit: int = 50) -> list[PrintJob]:
    """The waiting jobs this terminal's printer worker prints now, oldest first. Claimed in
    one locked transaction, so two terminals sharing a printer never print a label twice."""
    offered = ((PrintJob.status.in_(WAITING))
               | ((PrintJob.status == "printing") & (PrintJob.claimed_at < clock.now() - CLAIM_EXPIRES)))
    with transaction():
        jobs = list(for_update(PrintJob.select().where(offered).order_by(PrintJob.id).limit(limit)))
        if jobs:
            PrintJob.update(status="printing", claimed_at=clock.now()).where(
                PrintJob.id.in_([job.id for job in jobs])).execute()
    return jobs


def release_jobs(job_ids: list[int]) -> None:
    """Give claimed jobs back to the queue unprinted (the worker stopped early)."""
    if job_ids:
        PrintJob.update(status="queued", claimed_at=None).where(
            PrintJob.id.in_(job_ids), PrintJob.status == "printing").execute()


def was_cancelled(job_id: int) -> bool:
    """A claimed job whose unit was reversed since (reverse_unit cancels it): not to be sent."""
    return PrintJob.select().where(PrintJob.id == job_id, PrintJob.status == "cancelled").exists()


def label_printed(unit: Unit) -> bool:
    """Whether a label of `unit` went out (a reversed unit's label is then taken off it)."""
    return PrintJob.select().where(PrintJob.unit == unit.id, PrintJob.status == "printed").exists()


def mark_printed(job_id: int, printer: str) -> None:
    """The job went to `printer` (the site's, for a job queued before one was set)."""
    PrintJob.update(status="printed", printed_at=clock.now(), printer=printer[:200],
                    attempts=PrintJob.attempts + 1, last_error="").where(
        PrintJob.id == job_id).execute()


def mark_failed(job_id: int, error: str) -> None:
    """A failed job is offered again, unless it was cancelled meanwhile."""
    PrintJob.update(status="failed", attempts=PrintJob.attempts + 1,
                    last_error=error[:500]).where(PrintJob.id == job_id,
                                                  PrintJob.status != "cancelled").execute()


def label_facts(unit: Unit) -> dict:
    """What a label shows, as plain values (labels.LabelData(**label_facts(unit))). Its texts
    are shown() inert: a label (and a ZPL printer) never gets a control character stored
    before the desk refused them."""
    row = (Unit.select(Unit, SlipLine, Slip, ComplaintCase, Customer)
           .join(SlipLine).join(Slip).join(ComplaintCase).join(Customer)
           .where(Unit.id == unit.id).get())
    line = row.line
    return dict(unit_code=row.code, case_no=line.slip.case.case_no, slip_no=line.slip.slip_no,
                line_no=line.line_no, part_no=shown(line.part_no),
                customer_code=shown(line.slip.case.customer.code),
                customer_name=shown(line.slip.case.customer.name),
                description=shown(line.description),
                received_on=row.received_at.date(), quantity=row.qty, unit=line.unit)


def units_for(target: str) -> list[Unit]:
    """The units a label command names: one unit, every unit of a slip, or of a case.
    Reversed units get no labels."""
    found = identify(target)
    if found is None:
        raise NotFound(_("{target!r} is not a unit, slip or case").format(target=target))
    if found.kind == "unit":
        return [get_unit(found.key)]
    query = (Unit.select().join(SlipLine).join(Slip).join(ComplaintCase)
             .where(Unit.state != "reversed"))
    if found.kind == "slip":
        query = query.where(Slip.slip_no == found.slip_no)
    else:
        query = query.where(ComplaintCase.case_no == found.case_no)
    return list(query.order_by(Unit.id))
