"""Closing a complaint case, reopening it, and how late each of its steps was.

Quality closes a case once its slips are booked and their goods inspected; otherwise only a
supervisor, with a reason. The closing date is kept against the 13/17-day deadline (001 §10.1)
and never changed: reopening adds a record of its own.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from . import audit, clock, settings
from .access import allowed, operation
from .cases import is_assessed, locked_case, reply_due_on
from .errors import Refused
from .i18n import _, ngettext
from .tables import (Booking, CaseClosing, CaseReopening, ComplaintCase, Inspection, Slip,
                     SlipLine, Unit)
from .text import check_text
from .words import word
from .workdays import working_days_after


def unfinished_work(case: ComplaintCase) -> list[str]:
    """What keeps quality from closing the case: slips not booked, goods not inspected."""
    waiting = []
    for slip in case.slips.order_by(Slip.id):
        if slip.status != "booked":
            waiting.append(_("slip {slip} is not booked ({status})").format(
                slip=slip.slip_no, status=word("slip_status", slip.status)))
    uninspected = (Unit.select(Slip.slip_no, fn.COUNT(Unit.id))
                   .join(SlipLine).join(Slip).switch(Unit)
                   .join(Inspection, JOIN.LEFT_OUTER, on=(Inspection.unit == Unit.id))
                   .where(Slip.case == case, Unit.state != "reversed", Inspection.id.is_null())
                   .group_by(Slip.slip_no).order_by(Slip.slip_no).tuples())
    for slip_no, count in uninspected:
        waiting.append(ngettext("{n} unit(s) of {slip} not inspected",
                                "{n} unit(s) of {slip} not inspected", count).format(
            n=count, slip=slip_no))
    return waiting


@operation("case.close")
def close_case(user, case_no: str, reason: str | None = None) -> ComplaintCase:
    """Close an assessed case. With slips not booked or goods not inspected, only a supervisor
    closes it, and says why."""
    case = locked_case(case_no)
    if case.status != "open":
        raise Refused(_("case {case} is {status}, not open").format(case=case.case_no,
                                                                 status=word("status", case.status)))
    if not is_assessed(case):
        raise Refused(_("record the responsibility, cause and outcome of {case} first").format(
            case=case.case_no))
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    unfinished = unfinished_work(case)
    if unfinished and not allowed(user.role, "case.close_anyway"):
        raise Refused(_("case {case} cannot be closed yet: {unfinished} (a supervisor may close "
                        "it anyway, with a reason)").format(case=case.case_no,
                                                            unfinished="; ".join(unfinished)))
    if unfinished and not reason:
        raise Refused(_("case {case}: {unfinished}: give the reason to close it anyway").format(
            case=case.case_no, unfinished="; ".join(unfinished)))
    today = clock.today()
    days_late = max(0, (today - case.due_on).days) if case.due_on else 0
    closing = CaseClosing.create(case=case, closed_on=today, due_on=case.due_on,
                                 days_late=days_late, reason=reason or None,
                                 unfinished="; ".join(unfinished), by=user)
    case.status, case.closed_on, case.closed_by = "closed", today, user
    case.save()
    audit.record(user, "case.close", "case", case.case_no, {"status": "open"},
                 {"status": "closed", "closed_on": today, "due_on": case.due_on,
                  "days_late": days_late, "reason": closing.reason,
                  "unfinished": closing.unfinished})
    return case


@operation("case.reopen")
def reopen_case(user, case_no: str, reason: str) -> ComplaintCase:
    """A closed case back to open (the customer did not accept the outcome, 001 §9.9 ...).
    Its closing stays on record; the deadline stays what it was."""
    case = locked_case(case_no)
    if case.status != "closed":
        raise Refused(_("case {case} is {status}: only a closed case is reopened").format(
            case=case.case_no, status=word("status", case.status)))
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("give the reason for reopening the case"))
    closing = case.closings.order_by(CaseClosing.id.desc()).first()
    CaseReopening.create(case=case, closing=closing, reason=reason, by=user)
    before = {"status": "closed", "closed_on": case.closed_on}
    case.status, case.closed_on, case.closed_by = "open", None, None
    case.save()
    audit.record(user, "case.reopen", "case", case.case_no, before,
                 {"status": "open", "reason": reason})
    return case


@dataclass(frozen=True)
class Step:
    """One step of a case against its deadline. days_late: None where the step has no
    deadline; for a step not done, as of today. `working`: counted in working days."""
    name: str
    due_on: dt.date | None
    done_on: dt.date | None
    days_late: int | None
    working: bool = False
    # The step's code (models/words.py STEPS: its word) and, for a slip's step, the slip:
    # `name` ("slip RS2611-0005 issued") is the code's English text, for the command line.
    code: str = field(default="", compare=False)
    slip: str = field(default="", compare=False)


def _step(name: str, due: dt.date | None, done: dt.date | None, today: dt.date,
          working: bool = False, slip: str = "") -> Step:
    code = name
    if slip:
        name = f"slip {slip} {code}"
    if due is None:
        return Step(name, None, done, None, working, code, slip)
    until = done or today
    if working:
        late = working_days_after(due, until, settings.get("holidays"),
                                  settings.get("extra_workdays"))
    else:
        late = max(0, (until - due).days)
    return Step(name, due, done, late, working, code, slip)


def _date(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def case_steps(case: ComplaintCase, today: dt.date | None = None) -> list[Step]:
    """The case's steps with due date, done date and days late: entered within the acceptance
    window (working days), the late complaint decided, quality's reply (working days), each
    slip issued, received and booked, and the case closed (calendar days, 001 §10.1)."""
    today = today or clock.today()
    steps = [_step("opened", case.window_ends_on, case.opened_on, today, working=True)]
    if case.late:
        steps.append(_step("decided", None, _date(case.decided_at), today))
    if case.status != "rejected":
        steps.append(_step("replied", reply_due_on(case), _date(case.replied_at), today,
                           working=True))
    for slip in case.slips.order_by(Slip.id):
        booked = (slip.bookings.where(Booking.reopened_at.is_null())
                  .order_by(Booking.id.desc()).first())
        for name, done in (("issued", slip.issued_on),
                           ("received", _date(slip.receiving_closed_at)),
                           ("booked", _date(booked.at) if booked else None)):
            steps.append(_step(name, case.due_on, done, today, slip=slip.slip_no))
    if case.status != "rejected":
        steps.append(_step("closed", case.due_on, case.closed_on, today))
    return steps
