"""A month's booked amounts and failed goods, added up as they happen, for the monthly report;
and its slips issued per category, for home's chart.

A month of a big site books ~9,000 lines and fails ~2,800 inspected units. Adding them up each
time the report opened took ~12 ms on SQLite and 50-90 ms on PostgreSQL (1,000,000 lines,
python -m bench), ahead of every other part of the report. So each booking adds its lines to
its month's row here, a reopening takes them off again, and each failed inspection adds its
failed quantity, all in the operation's own transaction: the report then reads a few hundred
rows. An addition is one INSERT ... ON CONFLICT DO UPDATE, so two terminals booking for the same
customer at once both count.

Home's chart of the last twelve months counted the year's ~35,000 slips by their case's
category at every sign-in (~20 ms on either database at 1,000,000 lines, while home was being
made); each issued slip now adds one to its month and category (a case's category is set when
it is opened and never changed).

`rebuild_sql()` makes the rows again from the records themselves: migrations 0013 and 0014 run
their own frozen copies on an existing database, the bench runs it on the site it generates, and the tests
check the running totals against it."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from peewee import EXCLUDED

from .tables import (BookedLine, BookedTotal, Booking, FailedTotal, IssuedTotal, Slip,
                     SlipLine)


def _add(table, key: dict, amounts: dict) -> None:
    """Add `amounts` to the row of `key`, made at zero if there is none yet."""
    update = {getattr(table, name): getattr(table, name) + getattr(EXCLUDED, name)
              for name in amounts}
    (table.insert(**key, **amounts)
     .on_conflict(conflict_target=[getattr(table, name) for name in key], update=update)
     .execute())


def _booked_by_unit(lines) -> dict[str, list]:
    """(lines, qty, amount) of booked lines, per unit of measure."""
    sums: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for unit, qty, amount in lines:
        sums[unit][0] += 1
        sums[unit][1] += qty
        sums[unit][2] += amount
    return sums


def add_booking(booking: Booking, customer_id: int, lines, sign: int = 1) -> None:
    """A booking's lines, (unit, qty, amount), added to its month (sign -1: taken off)."""
    month = f"{booking.at:%Y-%m}"
    for unit, (count, qty, amount) in _booked_by_unit(lines).items():
        _add(BookedTotal, {"month": month, "customer": customer_id, "unit": unit},
             {"lines": sign * count, "qty": sign * qty, "amount": sign * amount})


def take_off_bookings(slip: Slip) -> None:
    """The slip's bookings not reopened yet, taken off their months: call it before they are
    marked reopened."""
    customer_id = slip.case.customer_id
    for booking in Booking.select().where(Booking.slip == slip, Booking.reopened_at.is_null()):
        lines = (BookedLine.select(SlipLine.unit, BookedLine.qty, BookedLine.amount)
                 .join(SlipLine).where(BookedLine.booking == booking).tuples())
        add_booking(booking, customer_id, lines, sign=-1)


def add_failed(month: str, case_id: int, unit: str, qty: Decimal, price: Decimal) -> None:
    """Goods that failed inspection in `month`, at their line's unit price."""
    if qty:
        _add(FailedTotal, {"month": month, "case": case_id, "unit": unit},
             {"qty": qty, "amount": qty * price})


def add_issued(slip: Slip, category: str) -> None:
    """A slip issued for a case of `category`, counted in its month."""
    _add(IssuedTotal, {"month": f"{slip.issued_on:%Y-%m}", "category": category}, {"slips": 1})


def _month_of(column: str, postgres: bool) -> str:
    return f"to_char({column}, 'YYYY-MM')" if postgres else f"strftime('%Y-%m', {column})"


def rebuild_sql(postgres: bool) -> list[str]:
    """Statements that make every month's totals again from the bookings, inspections and
    slips."""
    booked_month, failed_month = _month_of("g.at", postgres), _month_of("i.at", postgres)
    issued_month = _month_of("s.issued_on", postgres)
    return [
        "DELETE FROM booked_total",
        f"""INSERT INTO booked_total (month, customer_id, unit, lines, qty, amount)
            SELECT {booked_month}, k.customer_id, l.unit, COUNT(*), SUM(b.qty), SUM(b.amount)
            FROM booking g
            JOIN slip s ON s.id = g.slip_id
            JOIN complaint_case k ON k.id = s.case_id
            JOIN booked_line b ON b.booking_id = g.id
            JOIN slip_line l ON l.id = b.line_id
            WHERE g.reopened_at IS NULL
            GROUP BY {booked_month}, k.customer_id, l.unit""",
        "DELETE FROM failed_total",
        # qty is kept to 3 places and the price to 4: their product is the amount's 7 places
        f"""INSERT INTO failed_total (month, case_id, unit, qty, amount)
            SELECT {failed_month}, s.case_id, l.unit, SUM(p.qty), SUM(p.qty * l.unit_price)
            FROM inspection i
            JOIN inspection_portion p ON p.inspection_id = i.id
            JOIN unit u ON u.id = i.unit_id
            JOIN slip_line l ON l.id = u.line_id
            JOIN slip s ON s.id = l.slip_id
            WHERE NOT p.passed
            GROUP BY {failed_month}, s.case_id, l.unit""",
        "DELETE FROM issued_total",
        f"""INSERT INTO issued_total (month, category, slips)
            SELECT {issued_month}, k.category, COUNT(*)
            FROM slip s
            JOIN complaint_case k ON k.id = s.case_id
            GROUP BY {issued_month}, k.category""",
    ]
