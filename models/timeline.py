"""A case's timeline: every step of it, from the case and its slips' own records, in order
(the case screen, `returns-desk case show`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from .attachments import list_attachments, size_text
from .i18n import _, ngettext
from .tables import (Booking, CaseAssessment, CaseClosing, CaseReminder, CaseReopening,
                     ComplaintCase, Decision, Inspection, Reversal, Slip, SlipLine, Unit, User)
from .words import reason_word, word


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    what: str
    who: str = ""
    day_only: bool = False     # kept as a day (a case's opening): no time of day to tell

    @property
    def when(self) -> str:
        """'2026-12-06 10:59', or '2026-12-06' for a step kept as a day (not '00:00')."""
        return f"{self.at:%Y-%m-%d}" if self.day_only else f"{self.at:%Y-%m-%d %H:%M}"


def _on_day(day: dt.date, what: str, who: str = "") -> Event:
    """A step known to the day only, put first among that day's steps."""
    return Event(dt.datetime.combine(day, dt.time.min), what, who, day_only=True)


def timeline(case: ComplaintCase) -> list[Event]:
    """Every step of a case in order: opened (and attachments), accepted or flagged, the late
    decision, assessments, slips, receipts, inspections, decisions, bookings, reminders,
    closings and reopenings."""
    names = dict(User.select(User.id, User.name).tuples())   # one query, not one per step
    opened = (_("case opened: {category}, {severity} (the complaint came in on {day})")
              if case.complaint_received_on else _("case opened: {category}, {severity}"))
    events = [_on_day(case.opened_on, opened.format(
        category=word("category", case.category), severity=word("severity", case.severity),
        day=case.complaint_received_on),
        names[case.opened_by_id])]
    if case.late:
        events.append(_on_day(case.opened_on, _(
            "flagged late: the acceptance window ended {day}; needs a supervisor").format(
            day=case.window_ends_on)))
    else:
        events.append(_on_day(case.opened_on, _("accepted; to close by {day}").format(
            day=case.due_on)))
    if case.decided_at:
        verdict = (_("late complaint not accepted: {reason}") if case.status == "rejected" else
                   _("late complaint accepted against payment: {reason}")
                   if case.against_payment else _("late complaint accepted: {reason}"))
        events.append(Event(case.decided_at, verdict.format(reason=case.decision_reason),
                            names[case.decided_by_id]))
    if case.defect_qty_set_at:
        events.append(Event(case.defect_qty_set_at, _("defective quantity: {qty}").format(
            qty=case.defect_qty), names[case.defect_qty_set_by_id]))
    events += _case_events(case, names)
    slips = list(case.slips.order_by(Slip.id))
    facts = _SlipFacts([slip.id for slip in slips])
    for slip in slips:
        events += _slip_events(slip, facts, names)
    if case.closed_on and not case.closings.exists():     # closed before closings were kept
        events.append(_on_day(case.closed_on, _("case closed: {outcome}").format(
            outcome=word("outcome", case.outcome)),
                            names.get(case.closed_by_id, "")))
    return sorted(events, key=lambda event: event.at)


def _case_events(case: ComplaintCase, names: dict[int, str]) -> list[Event]:
    events = [Event(a.added_at, _("attached {file} ({type}, {size})").format(
        file=a.file_name, type=a.content_type, size=size_text(a.size)), a.added_by)
              for a in list_attachments(case)]
    for number, a in enumerate(case.assessments.order_by(CaseAssessment.id)):
        outcome = word("outcome", a.outcome) + (f" {a.amount}" if a.amount is not None else "")
        what = (_("reply: {responsibility}, cause {cause}, outcome {outcome}") if number == 0 else
                _("assessment changed: {responsibility}, cause {cause}, outcome {outcome}"))
        events.append(Event(a.at, what.format(responsibility=word("responsibility", a.responsibility),
                                              cause=word("cause", a.cause),
                                              outcome=outcome), names[a.by_id]))
    for reminder in case.reminders.order_by(CaseReminder.id):
        events.append(Event(reminder.at, ngettext(
            "reminder to {department}: {n} day(s) overdue",
            "reminder to {department}: {n} day(s) overdue", reminder.days_overdue).format(
            department=word("department", reminder.department), n=reminder.days_overdue),
            names[reminder.by_id]))
    for closing in case.closings.order_by(CaseClosing.id):
        events.append(Event(closing.at, _closing_text(case, closing), names[closing.by_id]))
    for reopening in case.reopenings.order_by(CaseReopening.id):
        events.append(Event(reopening.at, _("case reopened: {reason}").format(
            reason=reopening.reason), names[reopening.by_id]))
    return events


def _closing_text(case: ComplaintCase, closing: CaseClosing) -> str:
    """'case closed: return, 2 day(s) after the deadline 2026-11-30; closed with ...: why'."""
    late = (ngettext("{n} day(s) after the deadline {day}", "{n} day(s) after the deadline {day}",
                     closing.days_late).format(n=closing.days_late, day=closing.due_on)
            if closing.days_late else _("by the deadline {day}").format(day=closing.due_on))
    if closing.unfinished:
        text = _("case closed: {outcome}, {deadline}; closed with {unfinished}: {reason}")
    elif closing.reason:
        text = _("case closed: {outcome}, {deadline}; {reason}")
    else:
        text = _("case closed: {outcome}, {deadline}")
    return text.format(outcome=word("outcome", case.outcome), deadline=late, unfinished=closing.unfinished,
                       reason=closing.reason)


class _SlipFacts:
    """What the timeline tells of a case's slips, read for all of them at once (a query per
    kind of step, not one per slip and kind: a case of 5 slips read 30 statements more)."""

    def __init__(self, slip_ids: list[int]) -> None:
        of_slips = SlipLine.slip.in_(slip_ids)
        self.handlings = _by_slip(SlipLine.select(SlipLine.slip, SlipLine.handling).distinct()
                                  .where(of_slips).order_by(SlipLine.slip, SlipLine.handling)
                                  .tuples())
        day = fn.DATE(Unit.received_at)
        self.received = _by_slip(
            Unit.select(SlipLine.slip, day, fn.MIN(Unit.received_at), fn.COUNT(Unit.id), User.name)
            .join(SlipLine).switch(Unit).join(User).where(of_slips)
            .group_by(SlipLine.slip, day, User.name).order_by(SlipLine.slip, day, User.name)
            .tuples())
        self.reversals = _by_slip((reversal.unit.line.slip_id, reversal) for reversal in (
            Reversal.select(Reversal, Unit, SlipLine).join(Unit).join(SlipLine).where(of_slips)
            .order_by(Reversal.id)))
        inspected_on = fn.DATE(Inspection.at)
        self.inspected = _by_slip(
            Inspection.select(SlipLine.slip, inspected_on, fn.MIN(Inspection.at),
                              Inspection.result, fn.COUNT(Inspection.id), User.name)
            .join(Unit).join(SlipLine).switch(Inspection).join(User).where(of_slips)
            .group_by(SlipLine.slip, inspected_on, Inspection.result, User.name)
            .order_by(SlipLine.slip, inspected_on, Inspection.result, User.name).tuples())
        self.decisions = _by_slip((decision.line.slip_id, decision) for decision in (
            Decision.select(Decision, SlipLine).join(SlipLine).where(of_slips)
            .order_by(Decision.id)))
        self.bookings = _by_slip((booking.slip_id, booking) for booking in (
            Booking.select().where(Booking.slip.in_(slip_ids)).order_by(Booking.id)))


def _by_slip(rows) -> dict[int, list]:
    """Rows whose first value is a slip's id, by that id, the rest of each row kept (a row of
    two values: its second)."""
    found: dict[int, list] = {}
    for slip_id, *rest in rows:
        found.setdefault(slip_id, []).append(rest[0] if len(rest) == 1 else rest)
    return found


def _slip_events(slip: Slip, facts: _SlipFacts, names: dict[int, str]) -> list[Event]:
    name, key = slip.slip_no, slip.id
    handling = ", ".join(facts.handlings.get(key, ()))
    events = [_on_day(slip.issued_on, _("slip {slip} issued ({handling})").format(
        slip=name, handling=word("handling", handling)), names[slip.issued_by_id])]
    events += _approval_events(slip, names)
    for _day_of, first, count, who in facts.received.get(key, ()):
        events.append(Event(_as_datetime(first), ngettext(
            "{n} unit(s)/lot(s) received on {slip}", "{n} unit(s)/lot(s) received on {slip}", count)
            .format(n=count, slip=name), who))
    for reversal in facts.reversals.get(key, ()):
        events.append(Event(reversal.at, _("{unit} reversed: {reason}").format(
            unit=reversal.unit.code, reason=reason_word(reversal.reason)),
                            names[reversal.by_id]))
    for _day_of, first, result, count, who in facts.inspected.get(key, ()):
        events.append(Event(_as_datetime(first), _("{n} inspected on {slip}: {result}").format(
            n=count, slip=name, result=word("inspection_result", result)), who))
    if slip.receiving_closed_at:
        events.append(Event(slip.receiving_closed_at, _("receiving of {slip} closed").format(
            slip=name),
                            names[slip.receiving_closed_by_id]))
    for decision in facts.decisions.get(key, ()):
        events.append(Event(decision.at, _(
            "line {line} over tolerance, decided {choice}: {reason}").format(
            line=decision.line.line_no, choice=word("line_decision", decision.choice),
            reason=decision.reason),
            names[decision.by_id]))
    for booking in facts.bookings.get(key, ()):
        events.append(Event(booking.at, _("{slip} booked: amount {amount}").format(
            slip=name, amount=booking.amount), names[booking.by_id]))
        if booking.override_by_id:
            events.append(Event(booking.at, _(
                "{slip} booked before every unit was inspected: {reason}").format(
                slip=name, reason=booking.override_reason), names[booking.override_by_id]))
        if booking.reopened_at:
            events.append(Event(booking.reopened_at, _("{slip} reopened: {reason}").format(
                slip=name, reason=booking.reopen_reason),
                                names[booking.reopened_by_id]))
    return events


def _approval_events(slip: Slip, names: dict[int, str]) -> list[Event]:
    """The regional manager's approval (as entered, by whom) and the slip's own approval."""
    events = []
    if slip.regional_recorded_at:
        events.append(Event(slip.regional_recorded_at, _(
            "regional manager {manager} approved the return of {slip}").format(
            manager=slip.regional_manager, slip=slip.slip_no),
                            names[slip.regional_recorded_by_id]))
    if slip.approved_at:
        who = names[slip.approved_by_id] if slip.approved_by_id else slip.approval_text
        events.append(Event(slip.approved_at, _("slip {slip} approved").format(slip=slip.slip_no),
                            who))
    return events


def _as_datetime(value) -> dt.datetime:
    # SQLite hands aggregates back as text.
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
