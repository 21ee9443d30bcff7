"""Approved vs actually returned, the rule of 001 §13.2, and booking the result.

Within tolerance the ACTUAL quantity is booked; beyond it a supervisor decides.
allowed = approved x (1 + tolerance% / 100); received <= allowed is within.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from . import audit, clock, month_totals, settings
from .access import operation, require
from .db import execute
from .errors import Refused
from .i18n import _, ngettext
from .numbers import round_money
from .slips import (get_line, lines_of, locked_slip, refuse_if_barred, round_down_to_unit,
                    sign_for_arrivals)
from .tables import PCT_PLACES, BookedLine, Booking, Customer, Decision, Slip, SlipLine, Unit, User
from .text import check_text
from .words import word

DECISIONS = ("accept_actual", "cap_allowed", "approved_only")
LINE_STATUSES = ("open", "under", "within", "over", "decided")


def allowed_qty(approved: Decimal, tolerance_pct: Decimal) -> Decimal:
    return approved * (1 + tolerance_pct / 100)


# received > allowed_qty(approved, tolerance in force), in SQL on the stored integers (line
# alias l, customer alias c; the parameter is the company default as stored), for queries that
# must not read every line to find the few over: received x 10^(PCT_PLACES+2) > approved x
# (10^(PCT_PLACES+2) + pct) is the same comparison, exact (tests/test_over_tolerance_sql.py).
_HUNDRED_PCT = 100 * 10 ** PCT_PLACES
OVER_TOLERANCE_SQL = (f"l.received_qty * {_HUNDRED_PCT} > l.approved_qty * "
                      f"({_HUNDRED_PCT} + COALESCE(l.tolerance_pct, c.tolerance_pct, ?))")


def tolerance_in_force(line_pct: Decimal | None, customer_pct: Decimal | None,
                       default_pct: Decimal) -> Decimal:
    """The slip line's override, else the customer's own, else the company default."""
    if line_pct is not None:
        return line_pct
    if customer_pct is not None:
        return customer_pct
    return default_pct


def line_status(approved: Decimal, received: Decimal, allowed: Decimal,
                decided: bool = False) -> str:
    if received == 0:
        return "open"
    if received < approved:
        return "under"
    if received <= allowed:
        return "within"
    return "decided" if decided else "over"


def book_qty(status: str, received: Decimal, decision_qty: Decimal | None) -> Decimal | None:
    """What the rule says to book: the actual quantity, or what the supervisor decided;
    nothing while the line is open or over its tolerance."""
    if status in ("open", "over"):
        return None
    return decision_qty if status == "decided" else received


@overload
def amount(qty: Decimal, unit_price: Decimal, currency: str) -> Decimal: ...
@overload
def amount(qty: Decimal | None, unit_price: Decimal, currency: str) -> Decimal | None: ...
def amount(qty, unit_price, currency):
    """Amount = booked quantity x unit price (001 §13.1), rounded half-up to the currency's
    minor unit once, here, for each line (docs/rules.md): what is shown, booked and exported;
    a slip's amount is its lines' added. None while nothing is to book."""
    return None if qty is None else round_money(qty * unit_price, currency)


def currency_in_force(customer_currency: str | None, site_currency: str) -> str:
    """The customer's own currency, else the site's `currency` setting."""
    return customer_currency or site_currency


def slip_currency(slip: Slip) -> str:
    """The currency of a slip's amounts: its customer's, else the site's."""
    return currency_in_force(slip.case.customer.currency, settings.get("currency"))


def total_amount(amounts: Iterable[Decimal | None]) -> Decimal:
    """What a slip books: its lines' amounts added; a line with nothing to book adds nothing."""
    return sum((value for value in amounts if value is not None), Decimal(0))


@dataclass(frozen=True)
class LineFigures:
    approved: Decimal
    received: Decimal
    tolerance_pct: Decimal
    allowed: Decimal
    status: str
    book_qty: Decimal | None     # what the rule says to book; None while open or over

    @property
    def decidable(self) -> bool:
        """Received beyond its tolerance: a supervisor decides what is booked (again)."""
        return self.status in ("over", "decided")


def book_for(choice: str, figures: LineFigures, unit: str) -> Decimal:
    """What a supervisor's decision on a line over its tolerance books: everything received,
    up to the allowed quantity, or the approved quantity only. Capped, a countable unit books
    whole pieces (10 pcs at 5 % allow 10.5: 10 are booked)."""
    if choice == "accept_actual":
        return figures.received
    if choice == "cap_allowed":
        return round_down_to_unit(figures.allowed, unit)
    if choice == "approved_only":
        return figures.approved
    raise Refused(_("decide accept_actual, cap_allowed or approved_only, not {choice!r}").format(
        choice=choice))


def figures(approved: Decimal, received: Decimal, tolerance_pct: Decimal,
            decision_qty: Decimal | None = None) -> LineFigures:
    allowed = allowed_qty(approved, tolerance_pct)
    status = line_status(approved, received, allowed, decided=decision_qty is not None)
    return LineFigures(approved, received, tolerance_pct, allowed, status,
                       book_qty(status, received, decision_qty))


# What a line's figures depend on besides the line itself: the customer's tolerance and the
# latest supervisor decision (valid only while the received quantity is what it ruled on).
# FACT_COLUMNS need FACT_JOINS; written once (see models.db).
FACT_COLUMNS = "c.tolerance_pct, d.received_qty, d.book_qty"
FACT_JOINS = """
    JOIN complaint_case k ON k.id = s.case_id
    JOIN customer c ON c.id = k.customer_id
    LEFT JOIN decision d ON d.id = (SELECT MAX(x.id) FROM decision x WHERE x.line_id = l.id)"""
_FIGURE_FACTS = f"""
    SELECT {FACT_COLUMNS} FROM slip_line l JOIN slip s ON s.id = l.slip_id {FACT_JOINS}
    WHERE l.id = ?"""


@dataclass(frozen=True)
class LineFacts:
    """A slip line with what its figures depend on, read in one statement."""
    line: SlipLine
    customer_pct: Decimal | None
    decision: tuple[Decimal, Decimal] | None     # the latest one: (received it ruled on, book)

    def figures(self, default_pct: Decimal) -> LineFigures:
        """The line's figures at its current received quantity."""
        line = self.line
        tolerance = tolerance_in_force(line.tolerance_pct, self.customer_pct, default_pct)
        valid = self.decision is not None and self.decision[0] == line.received_qty
        return figures(line.approved_qty, line.received_qty, tolerance,
                       self.decision[1] if valid else None)


def line_facts(row, start: int, line: SlipLine) -> LineFacts:
    """LineFacts of `line` from FACT_COLUMNS read at `row[start:]`."""
    customer_pct, ruled_on, book = row[start:start + 3]
    qty = SlipLine.received_qty.python_value
    return LineFacts(line, Customer.tolerance_pct.python_value(customer_pct),
                     None if ruled_on is None else (qty(ruled_on), qty(book)))


def figures_for(line: SlipLine) -> LineFigures:
    row = execute(_FIGURE_FACTS, (line.id,)).fetchone()
    return line_facts(row, 0, line).figures(settings.get("default_tolerance_pct"))


@operation("line.decide")
def decide_line(user, slip_no: str, line_no: int, choice: str, reason: str) -> Decision:
    """A supervisor rules on a line received beyond its tolerance (請示)."""
    slip = locked_slip(slip_no)
    if slip.status == "booked":
        raise Refused(_("slip {slip} is booked: reopen it first").format(slip=slip.slip_no))
    line = get_line(slip, line_no)
    current = figures_for(line)
    if not current.decidable:
        raise Refused(_("line {line} is {status}, not over its tolerance: nothing to decide")
                      .format(line=line_no, status=word("line_status", current.status)))
    book = book_for(choice, current, line.unit)
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("give the reason for the decision"))
    decision = Decision.create(line=line, choice=choice, reason=reason.strip(),
                               received_qty=line.received_qty, book_qty=book, by=user)
    audit.record(user, "line.decide", "line", f"{slip.slip_no}/{line_no}",
                 {"status": current.status},
                 {"status": "decided", "choice": choice, "book_qty": book, "reason": reason.strip()})
    return decision


@operation("book")
def book_slip(user, slip_no: str, override_by: User | None = None,
              override_reason: str = "") -> Booking:
    """Finance books what the rule says; the slip is then locked. Inspection comes first
    (000 §6.6): while units wait for it, only a supervisor's override (`override_by`, whose
    PIN the desk or the command line has checked, with a reason) lets the slip be booked."""
    slip = locked_slip(slip_no)
    if slip.status == "booked":
        raise Refused(_("slip {slip} is already booked").format(slip=slip.slip_no))
    case = slip.case
    refuse_if_barred(slip, case.status, "booked")
    if slip.status == "receiving":
        # Finance books what actually came (001 §13.2): booking a slip still open for receiving
        # signs for what has arrived, as the clerk's close does, and receives nothing more.
        if not any(line.received_qty for line in lines_of(slip)):
            raise Refused(_("nothing has arrived on slip {slip} yet: nothing to book").format(
                slip=slip.slip_no))
        sign_for_arrivals(user, slip, "closed by booking")
    if case.status == "awaiting_decision":
        raise Refused(_("case {case} was complained about late and waits for a supervisor's "
                        "decision: book it after that").format(case=case.case_no))
    currency = slip_currency(slip)
    rows = [(line, figures_for(line)) for line in lines_of(slip)]
    waiting = [str(line.line_no) for line, f in rows if f.status == "over"]
    if waiting:
        raise Refused(_("line(s) {lines} of slip {slip} are over tolerance: a supervisor must "
                        "decide them first").format(lines=", ".join(waiting), slip=slip.slip_no))
    override = _inspection_override(slip, override_by, override_reason)
    booked = [(line, f.book_qty, amount(f.book_qty, line.unit_price, currency))
              for line, f in rows if f.book_qty is not None]
    total = total_amount(line_amount for _line, _qty, line_amount in booked)
    booking = Booking.create(slip=slip, amount=total, by=user,
                             override_by=override[0] if override else None,
                             override_reason=override[1] if override else None)
    BookedLine.insert_many([
        dict(booking=booking, line=line, qty=qty, unit_price=line.unit_price, amount=line_amount)
        for line, qty, line_amount in booked]).execute()
    month_totals.add_booking(booking, case.customer_id,
                             [(line.unit, qty, line_amount) for line, qty, line_amount in booked])
    slip.status = "booked"
    slip.save()
    after = {"status": "booked", "amount": total, "currency": currency,
             "lines": {line.line_no: qty for line, qty, _line_amount in booked}}
    if override:
        after.update(override_by=override[0].name, override_reason=override[1],
                     uninspected_units=override[2])
    audit.record(user, "slip.book", "slip", slip.slip_no, {"status": "received"}, after)
    return booking


def _inspection_override(slip: Slip, by: User | None,
                         reason: str) -> tuple[User, str, int] | None:
    """The override to record (None when every unit is inspected): the supervisor, the
    reason, and how many units were still waiting for inspection."""
    units = (Unit.select().join(SlipLine)
             .where(SlipLine.slip == slip, Unit.state == "awaiting").count())
    if not units:
        return None
    if by is None:
        raise Refused(ngettext("{n} unit(s) of slip {slip} wait for inspection: inspect them "
                               "first, or a supervisor lets it book now with a reason",
                               "{n} unit(s) of slip {slip} wait for inspection: inspect them "
                               "first, or a supervisor lets it book now with a reason", units)
                      .format(n=units, slip=slip.slip_no))
    supervisor = require(by, "slip.override")
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("give the reason for booking before every unit is inspected"))
    return supervisor, reason.strip(), units


@operation("slip.reopen")
def reopen_slip(user, slip_no: str, reason: str) -> Slip:
    """A supervisor unlocks a slip: booked -> received (booking voided), received -> receiving."""
    slip = locked_slip(slip_no)
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("give the reason for reopening"))
    before = slip.status
    if slip.status == "booked":
        month_totals.take_off_bookings(slip)
        Booking.update(reopened_by=user, reopened_at=clock.now(), reopen_reason=reason.strip()
                       ).where(Booking.slip == slip, Booking.reopened_at.is_null()).execute()
        slip.status = "received"
    elif slip.status == "received":
        slip.status = "receiving"
    elif slip.status == "receiving":
        raise Refused(_("slip {slip} is still being received: nothing to reopen").format(
            slip=slip.slip_no))
    else:
        raise Refused(_("slip {slip} waits for approval: nothing to reopen").format(
            slip=slip.slip_no))
    slip.save()
    audit.record(user, "slip.reopen", "slip", slip.slip_no, {"status": before},
                 {"status": slip.status, "reason": reason.strip()})
    return slip
