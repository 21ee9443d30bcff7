"""The reconciliation's rows: every slip line with its figures, streamed in slip and line order
for the export, the finance screen and receiving (the rule itself is models/reconciliation.py)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from . import settings
from .db import db, execute, is_postgres, stream
from .reconciliation import (OVER_TOLERANCE_SQL, LineFigures, amount, book_for,
                             currency_in_force, figures, tolerance_in_force)
from .slips import slip_number
from .tables import Slip, SlipLine
from .workdays import month_bounds


@dataclass(frozen=True)
class ReconciliationRow:
    slip_no: str
    line_no: int
    case_no: str
    customer_code: str
    part_no: str
    unit: str
    unit_price: Decimal
    booked: bool
    figures: LineFigures
    currency: str                # the customer's, else the site's

    @property
    def amount(self) -> Decimal | None:
        return amount(self.figures.book_qty, self.unit_price, self.currency)

    def booked_if(self, choice: str) -> tuple[Decimal, Decimal]:
        """The quantity and amount a supervisor's `choice` on this line would book."""
        qty = book_for(choice, self.figures, self.unit)
        return qty, amount(qty, self.unit_price, self.currency)


# Every line with what its figures need, in slip and line order: the export reads a whole
# site through it, so it is written once here and read as stored (see models.db). A line's
# row carries its slip's id; the slip's own values (number, case, customer and the customer's
# tolerance, status) come once per slip (see Records).
_LINE_COLUMNS = """l.slip_id, l.line_no, l.part_no, l.unit, l.approved_qty, l.received_qty,
           l.tolerance_pct, d.book_qty, l.unit_price"""
_SLIP_COLUMNS = "s.slip_no, k.case_no, c.code, c.tolerance_pct, s.status, c.currency"
_LINES = f"""
    SELECT {_LINE_COLUMNS}
    FROM slip_line l
    JOIN slip s ON s.id = l.slip_id
    LEFT JOIN decision d ON d.id = (SELECT MAX(x.id) FROM decision x WHERE x.line_id = l.id)
                        AND d.received_qty = l.received_qty
    WHERE {{where}}
    ORDER BY s.slip_no, l.line_no"""
_SLIPS = f"""
    SELECT s.id, {_SLIP_COLUMNS}
    FROM slip s
    JOIN complaint_case k ON k.id = s.case_id
    JOIN customer c ON c.id = k.customer_id
    WHERE {{where}}
    ORDER BY s.slip_no"""
# Both in one statement: each line's row with its slip's values after the line's own.
_LINES_WITH_CUSTOMERS = """
    FROM slip_line l
    JOIN slip s ON s.id = l.slip_id
    JOIN complaint_case k ON k.id = s.case_id
    JOIN customer c ON c.id = k.customer_id"""
_LINES_FROM = _LINES_WITH_CUSTOMERS + """
    LEFT JOIN decision d ON d.id = (SELECT MAX(x.id) FROM decision x WHERE x.line_id = l.id)
                        AND d.received_qty = l.received_qty"""
_LINES_WITH_SLIPS = f"""
    SELECT {_LINE_COLUMNS}, {_SLIP_COLUMNS} {_LINES_FROM}
    WHERE {{where}}
    ORDER BY s.slip_no, l.line_no"""
_LINE_WIDTH = _LINE_COLUMNS.count(",") + 1


class Records:
    """The stored values behind `reconciliation_rows` (scaled integers: see
    ExactDecimalField), in slip and line order, in batches of `batch` line rows: slip id,
    line, part, unit, approved, received, line %, decided book qty, unit price. `slip(id)`
    gives the values of the slip of the line row just read: slip number, case, customer,
    customer %, status, customer's currency (None: the site's). Constant memory.

    SQLite: every value of a row read costs (a line row of 13 values ~30 % more than one of
    9), so the slips are a second query in the same order, read alongside the lines in one
    read transaction (one snapshot; no lock taken: DEFERRED). PostgreSQL: one statement, each
    row split here (its server-side cursors each take their own snapshot)."""

    def __init__(self, where: str, params: list, batch: int):
        self._where, self._params, self._batch = where, params, batch
        self._slips: dict | None = None        # PostgreSQL: slip id -> values, this batch's
        self._slip_rows = None                 # SQLite: the slips query's rows, read on
        self._slip = (None, None)              # SQLite: the latest slip read: id, values

    def __iter__(self):
        if is_postgres():
            return self._split(stream(_LINES_WITH_SLIPS.format(where=self._where),
                                      self._params, self._batch))
        return self._merged()

    def slip(self, slip_id: int) -> tuple:
        if self._slips is not None:
            return self._slips[slip_id]
        if self._slip[0] != slip_id:
            for row in self._slip_rows:           # slips without lines are passed over
                if row[0] == slip_id:
                    self._slip = (slip_id, row[1:])
                    break
            else:
                raise LookupError(f"slip {slip_id} is not among the slips read")
        return self._slip[1]

    def _merged(self):
        with db.atomic("DEFERRED"):
            slips = stream(_SLIPS.format(where=self._where), self._params, self._batch)
            lines = stream(_LINES.format(where=self._where), self._params, self._batch)
            self._slip_rows = itertools.chain.from_iterable(slips)
            try:
                yield from lines
            finally:
                lines.close()
                slips.close()

    def _split(self, batches):
        width = _LINE_WIDTH
        for batch in batches:
            self._slips = slips = {}
            rows = []
            for row in batch:
                if row[0] not in slips:
                    slips[row[0]] = row[width:]
                rows.append(row[:width])
            yield rows


def reconciliation_records(month: str | None = None, slip_no: str | None = None,
                           batch: int = 2000) -> Records:
    """Every line's stored values, a batch at a time (see Records).

    `month` ("YYYY-MM") selects the slips issued in that month."""
    where, params = ["1 = 1"], []
    if month:
        first, after = month_bounds(month)
        where.append("s.issued_on >= ? AND s.issued_on < ?")
        params += [Slip.issued_on.db_value(first), Slip.issued_on.db_value(after)]
    if slip_no:
        where.append("s.slip_no = ?")
        params.append(slip_number(slip_no))
    return Records(" AND ".join(where), params, batch)


def reconciliation_rows(month: str | None = None, slip_no: str | None = None):
    """Every slip line with its figures, streamed in slip and line order.

    `month` ("YYYY-MM") selects the slips issued in that month.
    """
    default, currency = settings.get("default_tolerance_pct"), settings.get("currency")
    records = reconciliation_records(month, slip_no)
    for batch in records:
        for slip_id, *line in batch:
            yield reconciliation_row(records.slip(slip_id), line, default, currency)


def reconciliation_row(slip: tuple, line: tuple | list, default_pct: Decimal,
                       site_currency: str) -> ReconciliationRow:
    """A line's ReconciliationRow from its stored values (see Records): its slip's and its own
    (line, part, unit, approved, received, line %, decided book qty, unit price)."""
    qty, price_of = SlipLine.approved_qty.python_value, SlipLine.unit_price.python_value
    pct = SlipLine.tolerance_pct.python_value
    slip_no, case_no, customer, customer_pct, status, customer_currency = slip
    line_no, part, unit, approved, received, line_pct, decided, price = line
    tolerance = tolerance_in_force(pct(line_pct), pct(customer_pct), default_pct)
    return ReconciliationRow(slip_no, line_no, case_no, customer, part, unit, price_of(price),
                             status == "booked",
                             figures(qty(approved), qty(received), tolerance, qty(decided)),
                             currency_in_force(customer_currency, site_currency))


# Lines a supervisor must rule on before finance books: on slips whose receiving is closed,
# received beyond their tolerance in force (_OVER), with no decision on their current quantity
# (_UNDECIDED, of the line row `{line}`: its latest decision was on another quantity, or it has
# none; _LINES_FROM joins that same latest decision, to read what it books).
# "l.received_qty > l.approved_qty" is the condition of the index that finds them (migrations
# 0012, 0015), written as it is there so that SQLite uses it.
_OVER = "s.status = 'received' AND l.received_qty > l.approved_qty AND " + OVER_TOLERANCE_SQL
_UNDECIDED = """COALESCE((SELECT x.received_qty FROM decision x WHERE x.line_id = {line}.id
                          ORDER BY x.id DESC LIMIT 1), -1) <> {line}.received_qty"""
_WAITING = f"{_OVER} AND {_UNDECIDED.format(line='l')}"
_WAITING_PER_SLIP = f"""
    SELECT s.slip_no, COUNT(*) {_LINES_WITH_CUSTOMERS}
    WHERE {_WAITING} {{among}}
    GROUP BY s.slip_no
    ORDER BY s.slip_no {{limit}}"""
# The same, the lines over tolerance found first and only their decisions read: at 1,000,000
# lines PostgreSQL otherwise hashed every decision (~74,000) to rule out ~3,900 lines, or read
# the decisions of all ~7,500 lines received beyond approved (~30 -> ~22 ms; ~11 ms with the
# indexes of migration 0015; SQLite ~12 ms either way).
_OVER_THEN_UNDECIDED = f"""
    WITH beyond AS MATERIALIZED (
        SELECT s.slip_no, l.id, l.received_qty {_LINES_WITH_CUSTOMERS}
        WHERE {_OVER} {{among}})
    SELECT slip_no, COUNT(*), SUM(COUNT(*)) OVER () FROM beyond
    WHERE {_UNDECIDED.format(line="beyond")}
    GROUP BY slip_no
    ORDER BY slip_no {{limit}}"""


def _stored_default_pct() -> int:
    return SlipLine.tolerance_pct.db_value(settings.get("default_tolerance_pct"))


def _among(slip_nos: list[str] | None) -> tuple[str, list[str]]:
    """The condition and parameters that keep to these slips (None: every slip)."""
    if slip_nos is None:
        return "", []
    if not slip_nos:
        return " AND 0 = 1", []
    return f" AND s.slip_no IN ({', '.join('?' * len(slip_nos))})", list(slip_nos)


def lines_waiting_for_decision(slip_nos: list[str] | None = None) -> list[ReconciliationRow]:
    """The lines over their tolerance that wait for a supervisor's decision (F7 at finance),
    in slip and line order, on these slips (None: every slip): what home lists for
    supervisors and finance."""
    default, currency = settings.get("default_tolerance_pct"), settings.get("currency")
    among, slips = _among(slip_nos)
    rows = (reconciliation_row(row[_LINE_WIDTH:], row[1:_LINE_WIDTH], default, currency)
            for row in execute(_LINES_WITH_SLIPS.format(where=_WAITING + among),
                               [_stored_default_pct(), *slips]).fetchall())
    return [row for row in rows if row.figures.status == "over"]   # the rule's own word on it


def waiting_for_decision_per_slip(slip_nos: list[str] | None = None) -> dict[str, int]:
    """Slip number -> how many of its lines wait for a supervisor's decision, in slip order,
    on these slips (None: every slip): finance marks its page's."""
    among, slips = _among(slip_nos)
    query = _OVER_THEN_UNDECIDED.format(among=among, limit="")
    return {slip_no: count for slip_no, count, _all in
            execute(query, [_stored_default_pct(), *slips]).fetchall()}


def lines_waiting_in_all(first: int) -> tuple[int, dict[str, int]]:
    """How many lines wait for a supervisor's decision on every slip, and the first `first`
    slips with theirs, in slip order (home: at 1,000,000 lines ~2,400 slips have some)."""
    query = _OVER_THEN_UNDECIDED.format(among="", limit=f"LIMIT {int(first)}")
    rows = execute(query, [_stored_default_pct()]).fetchall()
    return (int(rows[0][2]) if rows else 0), {slip_no: count for slip_no, count, _all in rows}


def next_slip_waiting(after: str) -> tuple[str, int] | None:
    """The first slip after `after`, in slip order, with lines waiting for a supervisor's
    decision, and how many; round to the first of all when none comes after; None when no
    line waits anywhere (F7 and Enter at finance)."""
    query = _WAITING_PER_SLIP.format(among=" AND s.slip_no > ?", limit="LIMIT 1")
    default = _stored_default_pct()
    return (execute(query, (default, after)).fetchone()
            or execute(query, (default, "")).fetchone())
