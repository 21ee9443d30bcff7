"""Reminders (催辦單, 001 §14): a supervisor chases an overdue case at the department that
holds it; the reminder is kept, listed on the case and shown on that department's home."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import audit, clock
from .access import operation
from .cases import is_assessed, locked_case
from .closing import Step, case_steps, unfinished_work
from .errors import NotFound, Refused
from .i18n import _
from .tables import CaseReminder, ComplaintCase, Customer, User
from .text import check_text
from .words import word

DEPARTMENTS = ("quality", "manufacturing", "rd", "sales")
# Whose home shows a department's reminders: the desk has no manufacturing or R&D role, so
# the supervisor, who runs the floor, takes theirs to them.
DEPARTMENTS_OF_ROLE = {"inspector": ("quality",), "sales": ("sales",),
                       "supervisor": ("manufacturing", "rd")}


@operation("case.remind")
def issue_reminder(user, case_no: str, department: str, note: str = "") -> CaseReminder:
    """A reminder on an open case past its close deadline, to the department holding it."""
    case = locked_case(case_no)
    note = check_text(note, _("note"), 2000, multiline=True)
    if department not in DEPARTMENTS:
        raise Refused(_("a reminder goes to {departments}, not {department!r}").format(
            departments=", ".join(DEPARTMENTS), department=department))
    if case.status != "open":
        raise Refused(_("case {case} is {status}: only an open case is chased").format(
            case=case.case_no, status=word("status", case.status)))
    today = clock.today()
    if case.due_on is None or case.due_on >= today:
        raise Refused(_("case {case} is not overdue: it is due by {due}").format(
            case=case.case_no, due=case.due_on))
    reminder = CaseReminder.create(case=case, department=department, due_on=case.due_on,
                                   days_overdue=(today - case.due_on).days, note=note.strip(),
                                   by=user)
    audit.record(user, "case.remind", "case", case.case_no, None,
                 {"department": department, "due_on": case.due_on,
                  "days_overdue": reminder.days_overdue, "note": reminder.note})
    return reminder


def reminders_of(case: ComplaintCase) -> list[CaseReminder]:
    """The case's reminders, oldest first."""
    return list(CaseReminder.select(CaseReminder, User).join(User)
                .where(CaseReminder.case == case).order_by(CaseReminder.id))


def reminders_for(role: str, limit: int = 100) -> list[CaseReminder]:
    """Reminders to the departments this role stands for, on cases still open, newest first:
    what that role's home shows."""
    departments = DEPARTMENTS_OF_ROLE.get(role, ())
    if not departments:
        return []
    return list(CaseReminder.select(CaseReminder, ComplaintCase)
                .join(ComplaintCase)
                .where(CaseReminder.department.in_(departments), ComplaintCase.status == "open")
                .order_by(CaseReminder.id.desc()).limit(limit))


@dataclass(frozen=True)
class ReminderSheet:
    """Everything the printed one-page reminder shows."""
    reminder_no: str                  # case number / the reminder's place on the case: 2611-003/2
    department: str
    issued_by: str
    issued_at: dt.datetime
    note: str
    case_no: str
    customer_code: str
    customer_name: str
    market: str
    order_no: str
    part_no: str
    category: str
    severity: str
    defect: str
    request: str
    opened_on: dt.date
    accepted_on: dt.date | None
    due_on: dt.date
    days_overdue: int
    earlier_reminders: int
    waiting_on: list[str]             # what is not done: the reply, slips, inspections
    steps: list[Step]


def reminder_sheet(reminder_id: int) -> ReminderSheet:
    reminder = (CaseReminder.select(CaseReminder, ComplaintCase, Customer)
                .join(ComplaintCase).join(Customer)
                .where(CaseReminder.id == reminder_id).first())
    if reminder is None:
        raise NotFound(_("no reminder {reminder}").format(reminder=reminder_id))
    case = reminder.case
    earlier = (CaseReminder.select().where(CaseReminder.case == case,
                                           CaseReminder.id < reminder.id).count())
    waiting = ([] if is_assessed(case) else [_("quality's assessment (responsibility, cause, "
                                               "outcome)")]) + unfinished_work(case)
    defect = "; ".join(part for part in (case.defect, case.defect_position, case.defect_when)
                       if part)
    return ReminderSheet(
        reminder_no=f"{case.case_no}/{earlier + 1}", department=reminder.department,
        issued_by=reminder.by.name, issued_at=reminder.at, note=reminder.note,
        case_no=case.case_no, customer_code=case.customer.code, customer_name=case.customer.name,
        market=case.customer.market, order_no=case.order_no, part_no=case.part_no,
        category=case.category, severity=case.severity, defect=defect, request=case.request,
        opened_on=case.opened_on, accepted_on=case.accepted_on, due_on=reminder.due_on,
        days_overdue=reminder.days_overdue, earlier_reminders=earlier, waiting_on=waiting,
        steps=case_steps(case))
