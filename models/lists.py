"""Read-only lists and counts the desk's screens show, a page at a time (LIMIT), so a large
site opens as fast as a small one: plain counting and listing that no rule depends on."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from models import clock
from models.cases import CATEGORIES
from models.tables import ComplaintCase, Customer, IssuedTotal, PrintJob, Slip, SlipLine, Unit
from models.workdays import month_bounds

PAGE = 50


@dataclass(frozen=True)
class SlipRow:
    slip_no: str
    case_no: str
    customer: str
    issued_on: dt.date
    status: str
    lines: int


def _in(status: str | tuple[str, ...]):
    return Slip.status.in_((status,) if isinstance(status, str) else status)


def slips(status: str | tuple[str, ...], limit: int = PAGE, offset: int = 0) -> list[SlipRow]:
    """Slips in one status (or any of several), oldest first, one page."""
    lines = SlipLine.select(fn.COUNT(SlipLine.id)).where(SlipLine.slip == Slip.id)
    query = (Slip.select(Slip.slip_no, ComplaintCase.case_no, Customer.code, Slip.issued_on,
                         Slip.status, lines.alias("n"))
             .join(ComplaintCase).join(Customer)
             .where(_in(status))
             .order_by(Slip.issued_on, Slip.id).limit(limit).offset(offset))
    return [SlipRow(*row) for row in query.tuples()]


def count_slips(status: str | tuple[str, ...]) -> int:
    return Slip.select().where(_in(status)).count()


def count_uninspected(slip_no: str) -> int:
    """The slip's received units still waiting for inspection."""
    lines = SlipLine.select(SlipLine.id).join(Slip).where(Slip.slip_no == slip_no)
    return Unit.select().where(Unit.line.in_(lines), Unit.state == "awaiting").count()


def count_unprinted_labels() -> int:
    return PrintJob.select().where(PrintJob.status.in_(("queued", "failed"))).count()


def count_awaiting_units() -> int:
    return Unit.select().where(Unit.state == "awaiting").count()


def _overdue(today: dt.date | None):
    """Open and past its close deadline: a reminder is due (001 §14)."""
    return (ComplaintCase.status == "open") & (ComplaintCase.due_on < (today or clock.today()))


def overdue_cases(today: dt.date | None = None, limit: int = 200) -> list[ComplaintCase]:
    """Open cases past their close deadline, most overdue first (001 §14 reminders)."""
    # with their customers: home shows each one's code (a query per case otherwise)
    return list(ComplaintCase.select(ComplaintCase, Customer).join(Customer)
                .where(_overdue(today)).order_by(ComplaintCase.due_on).limit(limit))


def count_overdue(today: dt.date | None = None) -> int:
    """How many cases `overdue_cases` has in all (home's count)."""
    return ComplaintCase.select().where(_overdue(today)).count()


def late_awaiting(limit: int = PAGE) -> list[ComplaintCase]:
    """Late complaints waiting for a supervisor, oldest first."""
    return list(ComplaintCase.select(ComplaintCase, Customer).join(Customer)
                .where(ComplaintCase.status == "awaiting_decision")
                .order_by(ComplaintCase.opened_on, ComplaintCase.id).limit(limit))


def count_late_awaiting() -> int:
    return ComplaintCase.select().where(ComplaintCase.status == "awaiting_decision").count()


def open_cases(limit: int = PAGE) -> list[ComplaintCase]:
    """Open cases, the nearest deadline first: what the case screen shows before a search."""
    return list(ComplaintCase.select(ComplaintCase, Customer).join(Customer)
                .where(ComplaintCase.status.in_(("open", "awaiting_decision")))
                .order_by(ComplaintCase.due_on.asc(nulls="first"), ComplaintCase.id)
                .limit(limit))


def unit_rows(units: list[Unit]) -> dict[int, tuple[str, str, str, str]]:
    """line id -> (part_no, unit, slip_no, case_no) for a page of units, in one query."""
    ids = {unit.line_id for unit in units}
    if not ids:
        return {}
    query = (SlipLine.select(SlipLine.id, SlipLine.part_no, SlipLine.unit, Slip.slip_no,
                             ComplaintCase.case_no)
             .join(Slip).join(ComplaintCase).where(SlipLine.id.in_(ids)))
    return {row[0]: row[1:] for row in query.tuples()}


def count_lines(month: str | None = None) -> int:
    """How many rows the reconciliation export will write (for its progress bar)."""
    query = SlipLine.select().join(Slip)
    if month:
        first, after = month_bounds(month)
        query = query.where(Slip.issued_on >= first, Slip.issued_on < after)
    return query.count()


@dataclass(frozen=True)
class MonthlyReturns:
    months: list[str]                       # "2026-10", oldest first
    by_category: dict[str, list[int]]       # category -> slips issued per month


def returns_per_month(months: int = 12, today: dt.date | None = None) -> MonthlyReturns:
    """Return slips issued per month, by the complaint's category, for the last `months`."""
    today = today or clock.today()
    year, month = today.year, today.month
    labels = []
    for _ in range(months):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    labels.reverse()
    # from their running totals (models.month_totals): a year of a big site has ~35,000 slips
    query = (IssuedTotal.select(IssuedTotal.month, IssuedTotal.category, IssuedTotal.slips)
             .where(IssuedTotal.month >= labels[0]).tuples())
    counts = {category: [0] * months for category in CATEGORIES}
    column = {label: n for n, label in enumerate(labels)}
    for month_label, category, count in query:
        n = column.get(month_label)
        if n is not None and category in counts:
            counts[category][n] += count
    return MonthlyReturns(labels, counts)
