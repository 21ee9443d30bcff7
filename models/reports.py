"""What sales and management read: a case's timeline, lookups, and the monthly report."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple


from . import audit, clock, settings
from .access import operation
from .cases import CUSTOMER_CAUSES
from .codes import clean, is_case_no, is_slip_no, unit_id
from .db import columns, execute, is_postgres, load
from .errors import Refused
from .i18n import _
from .numbers import round_money
from .reconciliation import currency_in_force
from .workdays import month_bounds
from .tables import BookedTotal, ComplaintCase, Customer, MonthlyReportDone, User


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


class AmountRow(NamedTuple):
    """What a customer had in one unit, and its amount in the customer's currency."""
    customer: str
    unit: str
    qty: Decimal
    amount: Decimal
    currency: str


class AmountRows(Sequence[AmountRow]):
    """A month's amount rows as read (customer, unit, stored qty, stored amount, customer's
    currency, ...), each made an AmountRow in the customer's currency (else the site's) only
    when it is asked for: a big site's month books for ~1,500 customers and units (~3 ms to
    make them all, 1,000,000 lines), and the desk shows ~30 at a time. `rounded`: each amount
    to its currency's minor unit."""

    def __init__(self, stored: list[tuple], site_currency: str, rounded: bool) -> None:
        self.stored, self.site_currency, self.rounded = stored, site_currency, rounded

    def __len__(self) -> int:
        return len(self.stored)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        customer, unit, qty, amount, currency = self.stored[index][:5]
        currency = currency_in_force(currency, self.site_currency)
        value = BookedTotal.amount.python_value(amount)
        if self.rounded:
            value = round_money(value, currency)
        return AmountRow(customer, unit, BookedTotal.qty.python_value(qty), value, currency)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return repr(list(self))

    def totals(self) -> dict[str, Decimal]:
        """The amounts added per currency, in the order the currencies first come: an amount
        in EUR and one in CNY are two totals, never one. Unrounded, they are added as stored
        (exact integers), without making the rows."""
        added: dict[str, Decimal] = {}
        if self.rounded:
            for row in self:
                added[row.currency] = added.get(row.currency, Decimal(0)) + row.amount
            return added
        stored: dict[str, int] = {}
        for row in self.stored:
            currency = currency_in_force(row[4], self.site_currency)
            stored[currency] = stored.get(currency, 0) + row[3]
        return {currency: BookedTotal.amount.python_value(total)
                for currency, total in stored.items()}


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
    booked: AmountRows = field(default_factory=lambda: AmountRows([], "", rounded=False))
    quality_cost: AmountRows = field(default_factory=lambda: AmountRows([], "", rounded=True))
    names: dict[str, str] = field(default_factory=dict)     # every row's customer, by code

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
    def booked_totals(self) -> dict[str, Decimal]:
        return self.booked.totals()

    @property
    def quality_cost_totals(self) -> dict[str, Decimal]:
        return self.quality_cost.totals()


# The report's reads, in SQL written once (see models.db): a month of a big site has ~1,500
# closed cases, and its booked and failed goods are read from their running totals
# (models.month_totals), a few hundred rows, not the month's ~9,000 booked lines.
_CLOSED = """
    SELECT k.category, k.responsibility, c.code, COUNT(*),
           SUM(CASE WHEN k.due_on IS NOT NULL AND k.closed_on > k.due_on THEN 1 ELSE 0 END),
           c.name
    FROM complaint_case k JOIN customer c ON c.id = k.customer_id
    WHERE k.closed_on >= ? AND k.closed_on < ?
    GROUP BY k.category, k.responsibility, c.code, c.name"""
_BOOKED = """
    SELECT c.code, t.unit, t.qty, t.amount, c.currency, c.name
    FROM booked_total t JOIN customer c ON c.id = t.customer_id
    WHERE t.month = ? AND t.lines > 0
    ORDER BY c.code, t.unit"""
# 000 §6.6: failed goods of a customer-caused return are the sales side's quality cost.
_FAILED = f"""
    SELECT c.code, t.unit, SUM(t.qty), SUM(t.amount), c.currency, c.name
    FROM failed_total t
    JOIN complaint_case k ON k.id = t.case_id
    JOIN customer c ON c.id = k.customer_id
    WHERE t.month = ? AND k.cause IN ({", ".join(f"'{cause}'" for cause in CUSTOMER_CAUSES)})
    GROUP BY c.code, t.unit, c.currency, c.name
    ORDER BY c.code, t.unit"""


def _tally(groups, key) -> dict[str, int]:
    """Counts by `key` of the closed cases' groups, the most first."""
    counts: dict[str, int] = {}
    for group in groups:
        counts[key(group)] = counts.get(key(group), 0) + group[3]
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def monthly_report(month: str) -> MonthlyReport:
    """001 §9.10, §12: the month's closed cases, bookings and customer-caused quality cost."""
    first, after = month_bounds(month)
    report = MonthlyReport(month)
    stored_day = ComplaintCase.closed_on.db_value
    groups = execute(_CLOSED, (stored_day(first), stored_day(after))).fetchall()
    report.closed = sum(group[3] for group in groups)
    report.closed_late = sum(group[4] for group in groups)
    report.closed_on_time = report.closed - report.closed_late
    report.closed_by_category = _tally(groups, lambda group: group[0])
    report.closed_by_responsibility = _tally(groups, lambda group: group[1] or "unassessed")
    report.closed_by_customer = _tally(groups, lambda group: group[2])
    report.names = {group[2]: group[5] for group in groups}
    site_currency = settings.get("currency")
    report.booked = _amount_rows(_BOOKED, month, report.names, site_currency, rounded=False)
    # rounded once per customer and unit, to their currency's minor unit (as a booked line is)
    report.quality_cost = _amount_rows(_FAILED, month, report.names, site_currency, rounded=True)
    return report


def _amount_rows(query: str, month: str, names: dict[str, str], site_currency: str,
                 rounded: bool) -> AmountRows:
    """The month's rows of `query` (customer, unit, qty, amount, currency, name); each
    customer's name is added to `names`."""
    stored = execute(query, (month,)).fetchall()
    names.update((row[0], row[5]) for row in stored)
    return AmountRows(stored, site_currency, rounded)


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
