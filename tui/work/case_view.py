"""One complaint case as the Cases screen shows it: its facts, deadlines, attachments,
reminders, steps and timeline, read in a worker thread and handed over as plain data."""
from __future__ import annotations

from dataclasses import dataclass

from models import clock
from models.attachments import AttachmentInfo, list_attachments, size_text
from models.cases import days_left, get_case, is_assessed, reply_due_on
from models.closing import case_steps, unfinished_work
from models.i18n import _, ngettext
from models.numbers import money, qty
from models.reminders import reminders_of
from models.timeline import timeline
from models.text import shown
from models.words import step_text, word


@dataclass(frozen=True)
class Reminder:
    id: int
    shown: str          # "1. to quality on 2026-12-03 (4 days overdue)"


@dataclass(frozen=True)
class CaseDetail:
    case_no: str
    status: str
    customer_code: str
    defect_qty_known: bool
    assessed: bool
    facts: str
    deadline: str
    reply: str          # quality's reply: "reply due 2026-11-19" or "replied 2026-11-18"
    overdue: bool
    unfinished: list[str]
    attachments: list[AttachmentInfo]
    reminders: list[Reminder]
    events: str


def days_text(left: int | None) -> str:
    if left is None:
        return ""
    if left < 0:
        return ngettext("overdue by {n} day", "overdue by {n} days", -left).format(n=-left)
    return _("due today") if left == 0 else ngettext("{n} day left", "{n} days left",
                                                      left).format(n=left)


def attachment_line(info: AttachmentInfo) -> str:
    return (f"{info.file_name} · {info.content_type} · {size_text(info.size)} · "
            f"{info.added_by} {info.added_at:%Y-%m-%d %H:%M}")


def case_detail(case_no: str) -> CaseDetail:
    """Worker thread: everything the case pane shows."""
    case = get_case(case_no)
    today = clock.today()
    left = days_left(case, today)
    assessed = is_assessed(case)
    amount = f" {money(case.outcome_amount)}" if case.outcome_amount is not None else ""
    defect = _("; ").join(part for part in (
        case.defect,
        case.defect_position and _("at {where}").format(where=case.defect_position),
        case.defect_when and _("when {when}").format(when=case.defect_when)) if part)
    came_in = (_(" · complaint came in {day}").format(day=case.complaint_received_on)
               if case.complaint_received_on else "")
    reply = (_("replied {day}").format(day=f"{case.replied_at:%Y-%m-%d}") if case.replied_at
             else _("reply due {day}").format(day=reply_due_on(case)))
    defective = (qty(case.defect_qty) if case.defect_qty is not None
                 else _("not yet determined (customer still processing)"))
    facts = "\n".join([
        _("Case {case} · {status} · {category}, {severity}").format(
            case=case.case_no, status=word("status", case.status),
            category=word("category", case.category), severity=word("severity", case.severity)),
        _("customer {code} {name} ({market})").format(
            code=shown(case.customer.code), name=shown(case.customer.name),
            market=word("market", case.customer.market)),
        _("order {order} · part {part} · shipped {shipped} · defective {defective}").format(
            order=shown(case.order_no), part=shown(case.part_no), shipped=qty(case.shipped_qty),
            defective=defective),
        _("delivered {delivered} · received by the customer {received} · window ended "
          "{window_end}").format(delivered=case.delivered_on or "—",
                                 received=case.customer_received_on,
                                 window_end=case.window_ends_on)
        + (_(" · LATE") if case.late else "") + came_in,
        _("opened {day} by {name} · {reply}").format(
            day=case.opened_on, name=case.opened_by.name, reply=reply),
        _("defect: {defect}").format(defect=shown(defect) or "—"),
        _("asks for: {request}").format(request=shown(case.request) or "—"),
        _("responsibility: {responsibility} · cause: {cause} · outcome: {outcome}{amount}").format(
            responsibility=word("responsibility", case.responsibility),
            cause=word("cause", case.cause), outcome=word("outcome", case.outcome),
            amount=amount),
    ])
    if case.status == "awaiting_decision":
        deadline = _("late complaint: waits for a supervisor's decision")
    elif case.status == "closed":
        deadline = (_("closed on {day} (due {due})").format(day=case.closed_on, due=case.due_on)
                    if case.due_on else _("closed on {day}").format(day=case.closed_on))
    elif case.due_on is None or case.status != "open":
        deadline = word("status", case.status)
    else:
        deadline = _("to close by {due}: {left}").format(due=case.due_on, left=days_text(left))
    unfinished = ([] if assessed else [_("quality's assessment (responsibility, cause, outcome)")]) \
        + (unfinished_work(case) if case.status == "open" else [])
    files = list_attachments(case)
    reminders = [Reminder(r.id, ngettext(
        "{number}. to {department} on {day} by {name} ({n} day overdue)",
        "{number}. to {department} on {day} by {name} ({n} days overdue)", r.days_overdue).format(
            number=number, department=word("department", r.department), day=f"{r.at:%Y-%m-%d}",
            name=r.by.name, n=r.days_overdue) + (f": {r.note}" if r.note else ""))
        for number, r in enumerate(reminders_of(case), start=1)]
    sections = []
    if case.status == "open" and unfinished:
        sections.append(_("Still to do:") + "\n" + "\n".join(f"  • {what}" for what in unfinished))
    sections.append(_("Attachments:") + "\n" + ("\n".join(f"  {n}. {attachment_line(info)}"
                                                         for n, info in enumerate(files, start=1))
                                               or "  " + _("none")))
    if reminders:
        sections.append(_("Reminders:") + "\n" + "\n".join(f"  {r.shown}" for r in reminders))
    sections.append(_("Steps:") + "\n" + "\n".join(f"  {step_text(step)}"
                                                   for step in case_steps(case)))
    sections.append(_("Timeline:") + "\n" + "\n".join(
        f"  {event.at:%Y-%m-%d}  {event.what}" + (f" — {event.who}" if event.who else "")
        for event in timeline(case)))
    return CaseDetail(case.case_no, case.status, case.customer.code, case.defect_qty is not None,
                      assessed, facts, deadline, reply,
                      left is not None and left < 0 or case.status == "awaiting_decision",
                      unfinished, files, reminders, "\n\n".join(sections))
