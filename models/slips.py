"""Return slips (成品退貨單) issued against a complaint case, and their lines."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import audit, clock
from .access import operation
from .cases import get_case
from .codes import checked_slip_no, clean, slip_no_for, slip_series
from .db import columns, execute, execute_all, is_postgres, load, lock_suffix, relate
from .errors import NotFound, Refused
from .fields import to_decimal
from .numbering import next_serial
from .settings import KNOWN
from .tables import PRICE_PLACES, QTY_PLACES, Slip, SlipLine

HANDLINGS = ("return", "reprocess")
COUNTABLE_UNITS = ("pcs", "set", "box", "pair", "roll")   # whole numbers only
MAX_QTY = Decimal(10) ** 9
_UNIT = re.compile(r"[a-z][a-z0-9]{0,7}")


@dataclass
class LineSpec:
    line_no: int
    part_no: str
    description: str
    unit: str
    approved_qty: Decimal | str
    unit_price: Decimal | str
    tolerance_pct: Decimal | str | None = None   # None: the customer's, else the default


def is_countable(unit: str) -> bool:
    return unit in COUNTABLE_UNITS


def parse_quantity(value, unit: str, what: str = "quantity") -> Decimal:
    """A positive quantity in `unit`: whole for pieces, up to 3 decimals for kg, m ..."""
    try:
        qty = to_decimal(value, QTY_PLACES, what)
    except (ValueError, TypeError) as exc:
        raise Refused(str(exc)) from None
    if qty <= 0:
        raise Refused(f"{what} must be more than 0, not {value}")
    if qty > MAX_QTY:
        raise Refused(f"{what} {value} is not a believable quantity")
    if is_countable(unit) and qty != qty.to_integral_value():
        raise Refused(f"{what} {value} {unit}: {unit} are counted in whole numbers")
    return qty


def check_handling(handling: str) -> None:
    if handling not in HANDLINGS:
        raise Refused(f"handling must be return or reprocess, not {handling!r}")


def check_line(spec: LineSpec) -> dict:
    if not isinstance(spec.line_no, int) or not 1 <= spec.line_no <= 999:
        raise Refused(f"line number {spec.line_no!r} must be from 1 to 999")
    where = f"slip line {spec.line_no}"
    part_no = (spec.part_no or "").strip()
    if not part_no or len(part_no) > 60 or not part_no.isprintable():
        raise Refused(f"{where}: a part number is 1-60 printable characters")
    unit = (spec.unit or "").strip().lower()
    if not _UNIT.fullmatch(unit):
        raise Refused(f"{where}: unit {spec.unit!r} is not a unit like pcs, kg or m")
    try:
        price = to_decimal(spec.unit_price, PRICE_PLACES, "unit price")
        tolerance = (None if spec.tolerance_pct in (None, "")
                     else KNOWN["default_tolerance_pct"].parse(str(spec.tolerance_pct)))
    except (ValueError, TypeError) as exc:
        raise Refused(f"{where}: {exc}") from None
    if price < 0:
        raise Refused(f"{where}: a unit price cannot be negative")
    return dict(line_no=spec.line_no, part_no=part_no, description=(spec.description or "")[:200],
                unit=unit, approved_qty=parse_quantity(spec.approved_qty, unit, f"{where}: approved quantity"),
                unit_price=price, tolerance_pct=tolerance)


@operation("slip.issue")
def issue_slip(user, case_no: str, lines: list[LineSpec], reason: str, handling: str,
               approved_by: str = "", slip_no: str | None = None) -> Slip:
    """Issue a return slip for an accepted case; its lines say what may come back."""
    today = clock.today()
    case = get_case(case_no)
    # A late case may still get its slip (the goods come back anyway); booking waits for
    # the supervisor's decision.
    if case.status not in ("open", "awaiting_decision"):
        raise Refused(f"case {case.case_no} is {case.status}: no more slips can be issued for it")
    check_handling(handling)
    if not lines:
        raise Refused("a slip needs at least one line")
    rows = [check_line(spec) for spec in lines]
    for key, what in (("line_no", "line number"), ("part_no", "part number")):
        seen = [row[key] for row in rows]
        repeated = sorted({str(v) for v in seen if seen.count(v) > 1})
        if repeated:
            raise Refused(f"{what} {', '.join(repeated)} appears twice on the slip")
    if slip_no:
        slip_no = checked_slip_no(slip_no)
        if Slip.get_or_none(Slip.slip_no == slip_no):
            raise Refused(f"slip {slip_no} already exists")
    else:
        slip_no = slip_no_for(today, next_serial(slip_series(today)))
    slip = Slip.create(slip_no=slip_no, case=case, reason=reason.strip(), handling=handling,
                       approved_by=approved_by.strip(), issued_on=today, issued_by=user,
                       status="receiving")
    SlipLine.insert_many([dict(row, slip=slip) for row in rows]).execute()
    audit.record(user, "slip.issue", "slip", slip_no, None,
                 {"case": case.case_no, "handling": handling, "lines": rows})
    return slip


# Lookups a person waits on, in SQL written once (see models.db).
_SLIP = f"SELECT {columns(Slip, 's')} FROM slip s WHERE s.slip_no = ?"
_LINES = f"SELECT {columns(SlipLine, 'l')} FROM slip_line l WHERE l.slip_id = ? ORDER BY l.line_no"
_LINE = f"SELECT {columns(SlipLine, 'l')} FROM slip_line l WHERE l.slip_id = ? AND l.line_no = ?"
_SLIP_WITH_LINES = f"""
    SELECT {columns(Slip, 's')}, {columns(SlipLine, 'l')}
    FROM slip s LEFT JOIN slip_line l ON l.slip_id = s.id
    WHERE s.slip_no = ? ORDER BY l.line_no"""
_SLIP_COLUMNS = len(Slip._meta.sorted_fields)
_LOCK = "SELECT s.id FROM slip s WHERE s.slip_no = ? FOR UPDATE"


def slip_number(slip_no: str) -> str:
    """A slip number as typed or scanned, as the database has it (too long: Refused)."""
    return Slip.slip_no.db_value(clean(slip_no))


def no_slip(slip_no: str) -> NotFound:
    return NotFound(f"no return slip {slip_no.strip()}")


def get_slip(slip_no: str) -> Slip:
    row = execute(_SLIP, (slip_number(slip_no),)).fetchone()
    if row is None:
        raise no_slip(slip_no)
    return load(Slip, row)


def locked_slip(slip_no: str) -> Slip:
    """The slip, held against other terminals until this transaction ends."""
    row = execute(_SLIP + lock_suffix(), (slip_number(slip_no),)).fetchone()
    if row is None:
        raise no_slip(slip_no)
    return load(Slip, row)


def read_locked(number: str, text: str, params: tuple | list):
    """`text` run once the slip numbered `number` is held against other terminals until this
    transaction ends, in one round trip; its cursor. On PostgreSQL the lock is a statement of
    its own sent just before, not FOR UPDATE on `text`: a statement reads what was committed
    when it began, so one that waited for the lock would not see what the terminal that held
    it wrote. On SQLite the IMMEDIATE transaction already holds the write lock."""
    if is_postgres():
        return execute_all((_LOCK, (number,)), (text, params))
    return execute(text, params)


def lines_of(slip: Slip) -> list[SlipLine]:
    lines = [load(SlipLine, row) for row in execute(_LINES, (slip.id,)).fetchall()]
    for line in lines:
        relate(line, "slip", slip)
    return lines


def slip_with_lines(slip_no: str) -> tuple[Slip, list[SlipLine]]:
    """The slip and its lines in line order, in one statement (get_slip and lines_of in one)."""
    rows = execute(_SLIP_WITH_LINES, (slip_number(slip_no),)).fetchall()
    if not rows:
        raise no_slip(slip_no)
    slip = load(Slip, rows[0])
    lines = [load(SlipLine, row, _SLIP_COLUMNS) for row in rows if row[_SLIP_COLUMNS] is not None]
    for line in lines:
        relate(line, "slip", slip)
    return slip, lines


def get_line(slip: Slip, line_no: int) -> SlipLine:
    row = execute(_LINE, (slip.id, line_no)).fetchone()
    if row is None:
        raise NotFound(f"slip {slip.slip_no} has no line {line_no}")
    line = load(SlipLine, row)
    relate(line, "slip", slip)
    return line
