"""What sales and management read: a case's timeline, lookups, and the monthly report."""
from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from peewee import fn

from . import audit, clock
from .access import operation
from .attachments import list_attachments, size_text
from .cases import CUSTOMER_CAUSES
from .codes import clean, is_case_no, is_slip_no, unit_id
from .db import columns, execute, is_postgres, load
from .errors import Refused
from .fields import exact_sum
from .i18n import _, ngettext
from .words import reason_word, word
from .workdays import month_bounds
from .tables import (BookedLine, Booking, CaseAssessment, CaseClosing, CaseReminder,
                     CaseReopening, ComplaintCase, Customer, Decision, Inspection,
                     InspectionPortion, MonthlyReportDone, Reversal, Slip, SlipLine, Unit,
                     User)


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    what: str
    who: str = ""


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def timeline(case: ComplaintCase) -> list[Event]:
    """Every step of a case in order: opened (and attachments), accepted or flagged, the late
    decision, assessments, slips, receipts, inspections, decisions, bookings, reminders,
    closings and reopenings."""
    names = dict(User.select(User.id, User.name).tuples())   # one query, not one per step
    opened = (_("case opened: {category}, {severity} (the complaint came in on {day})")
              if case.complaint_received_on else _("case opened: {category}, {severity}"))
    events = [Event(_day(case.opened_on), opened.format(
        category=word("category", case.category), severity=word("severity", case.severity),
        day=case.complaint_received_on),
        names[case.opened_by_id])]
    if case.late:
        events.append(Event(_day(case.opened_on), _(
            "flagged late: the acceptance window ended {day}; needs a supervisor").format(
            day=case.window_ends_on)))
    else:
        events.append(Event(_day(case.opened_on), _("accepted; to close by {day}").format(
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
    for slip in case.slips.order_by(Slip.id):
        events += _slip_events(slip, names)
    if case.closed_on and not case.closings.exists():     # closed before closings were kept
        events.append(Event(_day(case.closed_on), _("case closed: {outcome}").format(
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


def _slip_events(slip: Slip, names: dict[int, str]) -> list[Event]:
    name = slip.slip_no
    events = [Event(_day(slip.issued_on), _("slip {slip} issued ({handling})").format(
        slip=name, handling=word("handling", slip.handling)),
                    names[slip.issued_by_id])]
    events += _approval_events(slip, names)
    day = fn.DATE(Unit.received_at)
    received = (Unit.select(day, fn.MIN(Unit.received_at), fn.COUNT(Unit.id), User.name)
                .join(SlipLine).switch(Unit).join(User)
                .where(SlipLine.slip == slip).group_by(day, User.name).tuples())
    for _day_of, first, count, who in received:
        events.append(Event(_as_datetime(first), ngettext(
            "{n} unit(s)/lot(s) received on {slip}", "{n} unit(s)/lot(s) received on {slip}", count)
            .format(n=count, slip=name), who))
    for reversal in (Reversal.select(Reversal, Unit).join(Unit).join(SlipLine)
                     .where(SlipLine.slip == slip)):
        events.append(Event(reversal.at, _("{unit} reversed: {reason}").format(
            unit=reversal.unit.code, reason=reason_word(reversal.reason)),
                            names[reversal.by_id]))
    inspected = (Inspection.select(fn.DATE(Inspection.at), fn.MIN(Inspection.at), Inspection.result,
                                   fn.COUNT(Inspection.id), User.name)
                 .join(Unit).join(SlipLine).switch(Inspection).join(User)
                 .where(SlipLine.slip == slip)
                 .group_by(fn.DATE(Inspection.at), Inspection.result, User.name).tuples())
    for _day_of, first, result, count, who in inspected:
        events.append(Event(_as_datetime(first), _("{n} inspected on {slip}: {result}").format(
            n=count, slip=name, result=word("inspection_result", result)), who))
    if slip.receiving_closed_at:
        events.append(Event(slip.receiving_closed_at, _("receiving of {slip} closed").format(
            slip=name),
                            names[slip.receiving_closed_by_id]))
    for decision in Decision.select(Decision, SlipLine).join(SlipLine).where(SlipLine.slip == slip):
        events.append(Event(decision.at, _(
            "line {line} over tolerance, decided {choice}: {reason}").format(
            line=decision.line.line_no, choice=word("line_decision", decision.choice),
            reason=decision.reason),
            names[decision.by_id]))
    for booking in slip.bookings:
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


# Lookups a person waits on, in SQL written once (see models.db). A number is tried as a
# case number, then a slip number, then a unit label, in one statement (one round trip);
# COALESCE stops at the first that finds a case, so a case number costs one index look-up.
_CASE = columns(ComplaintCase, "k")
_CASE_BY_NUMBER = f"""
    SELECT {_CASE} FROM complaint_case k WHERE k.id = COALESCE(
        (SELECT x.id FROM complaint_case x WHERE x.case_no = ?),
        (SELECT s.case_id FROM slip s WHERE s.slip_no = ?),
        (SELECT s.case_id FROM unit u
            JOIN slip_line l ON l.id = u.line_id
            JOIN slip s ON s.id = l.slip_id
            WHERE u.id = ?))"""
# Then an order number or a customer code, each on its own index (one OR over both made
# PostgreSQL scan every case); only where neither is one, part of a customer's name, which
# reads every customer (~0.9 ms for 2,000 names on PostgreSQL, python -m bench).
# Found cases come in the cases screen's own order: the open ones first, the nearest deadline
# first (the most overdue at the top; a late complaint, with no deadline yet, before them),
# then the closed and rejected ones, newest first.
_FOUND_ORDER = """
    ORDER BY CASE WHEN k.status IN ('open', 'awaiting_decision') THEN 0 ELSE 1 END,
             CASE WHEN k.status IN ('open', 'awaiting_decision') AND k.due_on IS NOT NULL
                  THEN 1 ELSE 0 END,
             CASE WHEN k.status IN ('open', 'awaiting_decision') THEN k.due_on END,
             k.opened_on DESC, k.id DESC LIMIT ?"""
_CASES_BY_KEY = f"""
    SELECT {_CASE} FROM (
        SELECT * FROM complaint_case WHERE order_no = ?
        UNION
        SELECT * FROM complaint_case
        WHERE customer_id = (SELECT c.id FROM customer c WHERE c.code = ?)) k
    {_FOUND_ORDER}"""
_CASES_BY_NAME = f"""
    SELECT {_CASE} FROM complaint_case k
    WHERE k.customer_id IN (SELECT c.id FROM customer c WHERE c.name {{like}} ?)
    {_FOUND_ORDER}"""


def find_cases(text: str, limit: int = 50) -> list[ComplaintCase]:
    """Cases matching a case number, slip number or unit label id; else an order number or a
    customer's code; else part of a customer's name. The first kind that matches is the
    answer: "JD" finds customer JD's cases, not also those of "SHJD Machinery"."""
    text = text.strip()
    if not text:
        return []
    number = clean(text)
    # Only what can be a number is looked up as one: a long name is not refused for being no
    # case number, and every stored number follows its rule (models.codes).
    numbers = (number if is_case_no(number) else None, number if is_slip_no(number) else None,
               unit_id(number))
    row = execute(_CASE_BY_NUMBER, numbers).fetchone()
    if row is not None:
        return [load(ComplaintCase, row)]
    # A text longer than a column holds (a URL, a stranger's barcode) can't be in it: nothing
    # is found, rather than the column refusing it ("code is longer than 30 characters").
    keys = (_storable(ComplaintCase.order_no, text), _storable(Customer.code, text), limit)
    found = [load(ComplaintCase, row) for row in execute(_CASES_BY_KEY, keys).fetchall()]
    if found or len(text) > Customer.name.max_length:
        return found
    # Customer names match case-insensitively, as peewee's ** does (ILIKE on PostgreSQL).
    by_name = _CASES_BY_NAME.format(like="ILIKE" if is_postgres() else "LIKE")
    params = (f"%{Customer.name.db_value(text)}%", limit)
    return [load(ComplaintCase, row) for row in execute(by_name, params).fetchall()]


def _storable(field, text: str) -> str | None:
    """`text` as `field` holds it, or None where it is too long to be held there."""
    return field.db_value(text) if len(text) <= field.max_length else None


def previous_month(today: dt.date | None = None) -> str:
    first = (today or clock.today()).replace(day=1)
    return f"{first - dt.timedelta(days=1):%Y-%m}"


def share(count: int, total: int) -> Decimal:
    """count as a percentage of total, to 0.1 % (half up); 0 of nothing is 0."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class MonthlyReport:
    """001 §9.10: the month's closed cases by responsibility, category and customer, with
    their share of all closed cases (判定責任歸屬確認及比率)."""
    month: str
    closed: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    closed_by_category: dict[str, int] = field(default_factory=dict)
    closed_by_responsibility: dict[str, int] = field(default_factory=dict)
    closed_by_customer: dict[str, int] = field(default_factory=dict)
    # customer, unit, qty, amount
    booked: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)
    quality_cost: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)

    def shares(self, counts: dict[str, int]) -> dict[str, Decimal]:
        """Each count's share of the month's closed cases, in % to 0.1."""
        return {key: share(count, self.closed) for key, count in counts.items()}

    @property
    def share_by_category(self) -> dict[str, Decimal]:
        return self.shares(self.closed_by_category)

    @property
    def share_by_responsibility(self) -> dict[str, Decimal]:
        return self.shares(self.closed_by_responsibility)

    @property
    def share_by_customer(self) -> dict[str, Decimal]:
        return self.shares(self.closed_by_customer)

    @property
    def booked_amount(self) -> Decimal:
        return sum((row[3] for row in self.booked), Decimal(0))

    @property
    def quality_cost_amount(self) -> Decimal:
        return sum((row[3] for row in self.quality_cost), Decimal(0))


def _most_first(values) -> dict[str, int]:
    return dict(sorted(Tally(values).items(), key=lambda item: (-item[1], item[0])))


def monthly_report(month: str) -> MonthlyReport:
    """001 §9.10, §12: the month's closed cases, bookings and customer-caused quality cost."""
    first, after = month_bounds(month)
    report = MonthlyReport(month)
    closed = (ComplaintCase.select(ComplaintCase.category, ComplaintCase.responsibility,
                                   Customer.code, ComplaintCase.closed_on, ComplaintCase.due_on)
              .join(Customer)
              .where(ComplaintCase.closed_on >= first, ComplaintCase.closed_on < after).tuples())
    rows = list(closed)
    report.closed = len(rows)
    report.closed_late = sum(1 for *_, closed_on, due in rows if due and closed_on > due)
    report.closed_on_time = report.closed - report.closed_late
    report.closed_by_category = _most_first(category for category, *_ in rows)
    report.closed_by_responsibility = _most_first(resp or "unassessed" for _case, resp, *_rest in rows)
    report.closed_by_customer = _most_first(customer for _case, _resp, customer, *_rest in rows)

    start, end = _day(first), _day(after)
    report.booked = list(
        BookedLine.select(Customer.code, SlipLine.unit, exact_sum(BookedLine.qty),
                          exact_sum(BookedLine.amount))
        .join(Booking).switch(BookedLine).join(SlipLine).join(Slip).join(ComplaintCase).join(Customer)
        .where(Booking.at >= start, Booking.at < end, Booking.reopened_at.is_null())
        .group_by(Customer.code, SlipLine.unit).order_by(Customer.code, SlipLine.unit).tuples())

    # 000 §6.6: failed goods of a customer-caused return are the sales side's quality cost.
    # Only a failed or split inspection has a failed portion: the month's passes are not read.
    failed = (InspectionPortion.select(Customer.code, SlipLine.unit, InspectionPortion.qty,
                                       SlipLine.unit_price)
              .join(Inspection).join(Unit).join(SlipLine).join(Slip).join(ComplaintCase).join(Customer)
              .where(Inspection.result.in_(("fail", "split")), Inspection.at >= start,
                     Inspection.at < end, ~InspectionPortion.passed,
                     ComplaintCase.cause.in_(CUSTOMER_CAUSES)).tuples())
    cost: dict[tuple[str, str], list[Decimal]] = {}
    for customer, unit, qty, price in failed:
        totals = cost.setdefault((customer, unit), [Decimal(0), Decimal(0)])
        totals[0] += qty
        totals[1] += qty * price
    report.quality_cost = [(c, u, q, a) for (c, u), (q, a) in sorted(cost.items())]
    return report


def monthly_report_due(today: dt.date | None = None) -> bool:
    """From the 1st to the 9th, until last month's report is marked done (001 §9.10: before
    the 10th)."""
    today = today or clock.today()
    if today.day >= 10:
        return False
    return not MonthlyReportDone.select().where(
        MonthlyReportDone.month == previous_month(today)).exists()


def report_done(month: str) -> MonthlyReportDone | None:
    """Who marked the month's report done, and when; None while it is not."""
    return (MonthlyReportDone.select(MonthlyReportDone, User).join(User)
            .where(MonthlyReportDone.month == month).first())


def customer_names(codes) -> dict[str, str]:
    """The names of these customers, by code: a report shows who, not only a code."""
    codes = list(codes)
    if not codes:
        return {}
    return dict(Customer.select(Customer.code, Customer.name)
                .where(Customer.code.in_(codes)).tuples())


@operation("report.done")
def mark_report_done(user, month: str | None = None) -> MonthlyReportDone:
    """The supervisor has done a month's statistics (last month's unless told)."""
    today = clock.today()
    month = month or previous_month(today)
    try:
        first, _next = month_bounds(month)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    if first >= today.replace(day=1):
        raise Refused(_("the month {month} is not over yet: its report is done after it ends")
                      .format(month=month))
    done = MonthlyReportDone.get_or_none(MonthlyReportDone.month == month)
    if done:
        raise Refused(_("the report for {month} was already marked done by {name} on {day}")
                      .format(month=month, name=done.by.name, day=f"{done.at:%Y-%m-%d}"))
    done = MonthlyReportDone.create(month=month, by=user)
    report = monthly_report(month)
    audit.record(user, "report.done", "report", month, None,
                 {"closed": report.closed, "closed_late": report.closed_late})
    return done
