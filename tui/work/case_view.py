"""One complaint case as the Cases screen shows it: its facts, deadlines, attachments,
reminders, steps and timeline, read in a worker thread and handed over as plain data."""
from __future__ import annotations

from dataclasses import dataclass

from models import clock
from models.attachments import AttachmentInfo, list_attachments, size_text
from models.cases import days_left, get_case, is_assessed, reply_due_on
from models.closing import case_steps, unfinished_work
from models.numbers import money, qty
from models.reminders import reminders_of
from models.reports import timeline
from models.text import shown
from tui.work.words import step_text, word


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
        return f"overdue by {-left} day(s)"
    return "due today" if left == 0 else f"{left} day(s) left"


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
    defect = "; ".join(part for part in (case.defect, case.defect_position and
                                         f"at {case.defect_position}", case.defect_when and
                                         f"when {case.defect_when}") if part)
    came_in = (f" · complaint came in {case.complaint_received_on}"
               if case.complaint_received_on else "")
    reply = (f"replied {case.replied_at:%Y-%m-%d}" if case.replied_at
             else f"reply due {reply_due_on(case)}")
    facts = "\n".join([
        f"Case {case.case_no} · {word('status', case.status)} · {word('category', case.category)}, "
        f"{word('severity', case.severity)}",
        f"customer {shown(case.customer.code)} {shown(case.customer.name)} "
        f"({word('market', case.customer.market)})",
        (f"order {shown(case.order_no)} · part {shown(case.part_no)} · "
         f"shipped {qty(case.shipped_qty)} · "
         "defective " + (qty(case.defect_qty) if case.defect_qty is not None
                         else "not yet determined (customer still processing)")),
        f"delivered {case.delivered_on or '—'} · received by the customer "
        f"{case.customer_received_on} · window ended {case.window_ends_on}"
        + (" · LATE" if case.late else "") + came_in,
        f"opened {case.opened_on} by {case.opened_by.name} · {reply}",
        f"defect: {shown(defect) or '—'}",
        f"asks for: {shown(case.request) or '—'}",
        (f"responsibility: {word('responsibility', case.responsibility)} · cause: "
         f"{word('cause', case.cause)} · outcome: {word('outcome', case.outcome)}{amount}"),
    ])
    if case.status == "awaiting_decision":
        deadline = "late complaint: waits for a supervisor's decision"
    elif case.status == "closed":
        deadline = f"closed on {case.closed_on}" + (f" (due {case.due_on})" if case.due_on else "")
    elif case.due_on is None or case.status != "open":
        deadline = word("status", case.status)
    else:
        deadline = f"to close by {case.due_on}: {days_text(left)}"
    unfinished = ([] if assessed else ["quality's assessment (responsibility, cause, outcome)"]) \
        + (unfinished_work(case) if case.status == "open" else [])
    files = list_attachments(case)
    reminders = [Reminder(r.id, f"{n}. to {word('department', r.department)} on {r.at:%Y-%m-%d} "
                                f"by {r.by.name} ({r.days_overdue} day(s) overdue)"
                                + (f": {r.note}" if r.note else ""))
                 for n, r in enumerate(reminders_of(case), start=1)]
    sections = []
    if case.status == "open" and unfinished:
        sections.append("Still to do:\n" + "\n".join(f"  • {what}" for what in unfinished))
    sections.append("Attachments:\n" + ("\n".join(f"  {n}. {attachment_line(info)}"
                                                  for n, info in enumerate(files, start=1))
                                        or "  none"))
    if reminders:
        sections.append("Reminders:\n" + "\n".join(f"  {r.shown}" for r in reminders))
    sections.append("Steps:\n" + "\n".join(f"  {step_text(step)}" for step in case_steps(case)))
    sections.append("Timeline:\n" + "\n".join(
        f"  {event.at:%Y-%m-%d}  {event.what}" + (f" — {event.who}" if event.who else "")
        for event in timeline(case)))
    return CaseDetail(case.case_no, case.status, case.customer.code, case.defect_qty is not None,
                      assessed, facts, deadline, reply,
                      left is not None and left < 0 or case.status == "awaiting_decision",
                      unfinished, files, reminders, "\n\n".join(sections))
