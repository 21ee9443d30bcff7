"""What sales and management read: a case's timeline, lookups, and the monthly report."""
from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import fn

from . import clock
from .cases import CUSTOMER_CAUSES
from .codes import clean, is_case_no, is_slip_no, unit_id
from .db import columns, execute, is_postgres, load
from .fields import exact_sum
from .workdays import month_bounds
from .tables import (BookedLine, Booking, ComplaintCase, Customer, Decision, Inspection,
                     InspectionPortion, Reversal, Slip, SlipLine, Unit, User)


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    what: str
    who: str = ""


def _day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def timeline(case: ComplaintCase) -> list[Event]:
    """Every step of a case in order: opened, accepted or flagged, slips, receipts, inspections,
    decisions, bookings, closing."""
    events = [Event(_day(case.opened_on), f"case opened: {case.category}, {case.severity}",
                    case.opened_by.name)]
    if case.late:
        events.append(Event(_day(case.opened_on), f"flagged late: the acceptance window ended "
                                                  f"{case.window_ends_on}; needs a supervisor"))
    else:
        events.append(Event(_day(case.opened_on), f"accepted; to close by {case.due_on}"))
    if case.decided_at:
        verdict = {"open": "accepted" + (" against payment" if case.against_payment else ""),
                   "rejected": "not accepted"}.get(case.status, "decided")
        events.append(Event(case.decided_at, f"late complaint {verdict}: {case.decision_reason}",
                            case.decided_by.name))
    for slip in case.slips.order_by(Slip.id):
        events += _slip_events(slip)
    if case.closed_on:
        events.append(Event(_day(case.closed_on), f"case closed: {case.outcome}",
                            case.closed_by.name if case.closed_by else ""))
    return sorted(events, key=lambda event: event.at)


def _slip_events(slip: Slip) -> list[Event]:
    name = slip.slip_no
    events = [Event(_day(slip.issued_on), f"slip {name} issued ({slip.handling})",
                    slip.issued_by.name)]
    day = fn.DATE(Unit.received_at)
    received = (Unit.select(day, fn.MIN(Unit.received_at), fn.COUNT(Unit.id), User.name)
                .join(SlipLine).switch(Unit).join(User)
                .where(SlipLine.slip == slip).group_by(day, User.name).tuples())
    for _, first, count, who in received:
        events.append(Event(_as_datetime(first), f"{count} unit(s)/lot(s) received on {name}", who))
    for reversal in (Reversal.select(Reversal, Unit).join(Unit).join(SlipLine)
                     .where(SlipLine.slip == slip)):
        events.append(Event(reversal.at, f"{reversal.unit.code} reversed: {reversal.reason}",
                            reversal.by.name))
    inspected = (Inspection.select(fn.DATE(Inspection.at), fn.MIN(Inspection.at), Inspection.result,
                                   fn.COUNT(Inspection.id), User.name)
                 .join(Unit).join(SlipLine).switch(Inspection).join(User)
                 .where(SlipLine.slip == slip)
                 .group_by(fn.DATE(Inspection.at), Inspection.result, User.name).tuples())
    for _, first, result, count, who in inspected:
        events.append(Event(_as_datetime(first), f"{count} inspected on {name}: {result}", who))
    if slip.receiving_closed_at:
        events.append(Event(slip.receiving_closed_at, f"receiving of {name} closed",
                            slip.receiving_closed_by.name))
    for decision in Decision.select().join(SlipLine).where(SlipLine.slip == slip):
        events.append(Event(decision.at, f"line {decision.line.line_no} over tolerance, decided "
                                         f"{decision.choice}: {decision.reason}", decision.by.name))
    for booking in slip.bookings:
        events.append(Event(booking.at, f"{name} booked: amount {booking.amount}", booking.by.name))
        if booking.reopened_at:
            events.append(Event(booking.reopened_at, f"{name} reopened: {booking.reopen_reason}",
                                booking.reopened_by.name))
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
_CASES_BY_KEY = f"""
    SELECT {_CASE} FROM complaint_case k WHERE k.order_no = ?
    UNION
    SELECT {_CASE} FROM complaint_case k
    WHERE k.customer_id = (SELECT c.id FROM customer c WHERE c.code = ?)
    ORDER BY opened_on DESC, id DESC LIMIT ?"""
_CASES_BY_NAME = f"""
    SELECT {_CASE} FROM complaint_case k
    WHERE k.customer_id IN (SELECT c.id FROM customer c WHERE c.name {{like}} ?)
    ORDER BY opened_on DESC, id DESC LIMIT ?"""


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


@dataclass
class MonthlyReport:
    month: str
    closed_by_category: dict[str, int] = field(default_factory=dict)
    closed_by_responsibility: dict[str, int] = field(default_factory=dict)
    closed_by_customer: dict[str, int] = field(default_factory=dict)
    booked: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)  # customer, unit, qty, amount
    quality_cost: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def booked_amount(self) -> Decimal:
        return sum((row[3] for row in self.booked), Decimal(0))

    @property
    def quality_cost_amount(self) -> Decimal:
        return sum((row[3] for row in self.quality_cost), Decimal(0))


def monthly_report(month: str) -> MonthlyReport:
    """001 §9.10, §12: the month's closed cases, bookings and customer-caused quality cost."""
    first, after = month_bounds(month)
    report = MonthlyReport(month)
    closed = (ComplaintCase.select(ComplaintCase.category, ComplaintCase.responsibility, Customer.code)
              .join(Customer)
              .where(ComplaintCase.closed_on >= first, ComplaintCase.closed_on < after).tuples())
    rows = list(closed)
    report.closed_by_category = dict(Tally(category for category, _, _ in rows))
    report.closed_by_responsibility = dict(Tally(resp or "unassessed" for _, resp, _ in rows))
    report.closed_by_customer = dict(Tally(customer for _, _, customer in rows))

    start, end = _day(first), _day(after)
    report.booked = list(
        BookedLine.select(Customer.code, SlipLine.unit, exact_sum(BookedLine.qty),
                          exact_sum(BookedLine.amount))
        .join(Booking).switch(BookedLine).join(SlipLine).join(Slip).join(ComplaintCase).join(Customer)
        .where(Booking.at >= start, Booking.at < end, Booking.reopened_at.is_null())
        .group_by(Customer.code, SlipLine.unit).order_by(Customer.code, SlipLine.unit).tuples())

    # 000 §6.6: failed goods of a customer-caused return are the sales side's quality cost.
    failed = (InspectionPortion.select(Customer.code, SlipLine.unit, InspectionPortion.qty,
                                       SlipLine.unit_price)
              .join(Inspection).join(Unit).join(SlipLine).join(Slip).join(ComplaintCase).join(Customer)
              .where(Inspection.at >= start, Inspection.at < end, ~InspectionPortion.passed,
                     ComplaintCase.cause.in_(CUSTOMER_CAUSES)).tuples())
    cost: dict[tuple[str, str], list[Decimal]] = {}
    for customer, unit, qty, price in failed:
        totals = cost.setdefault((customer, unit), [Decimal(0), Decimal(0)])
        totals[0] += qty
        totals[1] += qty * price
    report.quality_cost = [(c, u, q, a) for (c, u), (q, a) in sorted(cost.items())]
    return report
