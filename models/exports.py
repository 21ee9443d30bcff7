"""The reconciliation export for finance, streamed row by row in CSV or JSON."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TextIO

from . import settings
from .access import require
from .db import is_postgres
from .i18n import _
from .numbers import CURRENCY_DEFAULT, MINOR_UNITS, money, number
from .reconciliation import allowed_qty, book_qty, line_status, tolerance_in_force
from .reconciliation_rows import ReconciliationRow, reconciliation_records
from .slips import COUNTABLE_UNITS
from .tables import AMOUNT_PLACES, PCT_PLACES, PRICE_PLACES, QTY_PLACES, SlipLine

COLUMNS = ["slip_no", "line_no", "case_no", "customer_code", "part_no", "unit", "approved_qty",
           "received_qty", "tolerance_pct", "allowed_qty", "status", "book_qty", "unit_price",
           "amount", "booked", "currency"]


def export_fields(row: ReconciliationRow) -> dict[str, str]:
    f = row.figures
    return {"slip_no": row.slip_no, "line_no": str(row.line_no), "case_no": row.case_no,
            "customer_code": row.customer_code, "part_no": row.part_no, "unit": row.unit,
            "approved_qty": number(f.approved), "received_qty": number(f.received),
            "tolerance_pct": number(f.tolerance_pct), "allowed_qty": number(f.allowed),
            "status": f.status, "book_qty": number(f.book_qty),
            "unit_price": number(row.unit_price), "amount": money(row.amount, row.currency),
            "booked": "yes" if row.booked else "no", "currency": row.currency}


_NUMERIC = {"line_no", "approved_qty", "received_qty", "tolerance_pct", "allowed_qty",
            "book_qty", "unit_price", "amount"}


def _json_object(fields: dict[str, str]) -> str:
    # Numbers are written from their exact decimal text, never through float.
    parts = []
    for name in COLUMNS:
        value = fields[name]
        if name in _NUMERIC:
            text = value or "null"
        elif name == "booked":
            text = "true" if value == "yes" else "false"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f'"{name}": {text}')
    return "{" + ", ".join(parts) + "}"


def scaled_text(stored: int, places: int, at_least: int = 0) -> str:
    """The exact digits of a stored (scaled) integer, stored x 10^-places, without making a
    Decimal: what number() writes for its value, or money() with at_least=2."""
    if stored < 0:
        return "-" + scaled_text(-stored, places, at_least)
    text = str(stored).rjust(places + 1, "0")
    whole, digits = text[:-places], text[-places:].rstrip("0")
    if len(digits) < at_least:
        digits = digits.ljust(at_least, "0")
    return f"{whole}.{digits}" if digits else whole


class _Texts:
    """The export's texts for each stored line: the figures made by the rule of
    models.reconciliation, the stored numbers written digit for digit. What repeats on a site
    (a line of pieces' figures, a tolerance, a price, a part) is made once: a million lines take
    seconds, not a minute. Every memory is bounded: constant memory."""

    LIMIT = 50_000

    def __init__(self, default_pct: Decimal, currency: str = CURRENCY_DEFAULT):
        self.default_pct = default_pct
        self.currency = currency       # the site's: for customers that named none
        self.lines: dict = {}      # (approved, received, line %, customer %, decided) -> texts
        self.limits: dict = {}     # (approved, line %, customer %) -> what allowed needs
        self.prices: dict = {}     # stored price -> text
        self.parts: dict = {}      # part -> (its unit, "part,unit," as CSV, counted in pieces,
                                   #          the price last seen with it, that price's text)

    def price(self, stored: int) -> str:
        known = self.prices.get(stored)
        return known or _remember(self.prices, stored, scaled_text(stored, PRICE_PLACES))

    def part(self, part: str, unit: str, price: int) -> tuple:
        return _remember(self.parts, part, (unit, f"{csv_field(part)},{csv_field(unit)},",
                                            unit in COUNTABLE_UNITS, price, self.price(price)))

    def line(self, approved: int, received: int, line_pct: int | None,
             customer_pct: int | None, decided: int | None) -> tuple:
        """("approved,received,tolerance %,allowed,status,book qty," texts, the book qty as
        stored, or None)."""
        known = self.lines.get((approved, received, line_pct, customer_pct, decided))
        return known or self.figures(approved, received, line_pct, customer_pct, decided)

    def limit(self, approved: int, line_pct: int | None, customer_pct: int | None) -> tuple:
        """(approved and allowed, scaled to _ALLOWED_PLACES; "approved,"; ",tolerance %,allowed,"),
        made once for each approved quantity and tolerance."""
        tolerance = tolerance_in_force(_read_pct(line_pct), _read_pct(customer_pct),
                                       self.default_pct)
        allowed = allowed_qty(_read_qty(approved), tolerance)
        allowed_scaled = int(allowed.scaleb(_ALLOWED_PLACES))
        if Decimal(allowed_scaled).scaleb(-_ALLOWED_PLACES) != allowed:
            raise ArithmeticError(f"allowed quantity {allowed} has more than "
                                  f"{_ALLOWED_PLACES} decimal places")
        return _remember(self.limits, (approved, line_pct, customer_pct), (
            approved * _TO_ALLOWED, allowed_scaled, quantity_text(approved) + ",",
            f",{number(tolerance)},{number(allowed)},"))

    def figures(self, approved: int, received: int, line_pct: int | None,
                customer_pct: int | None, decided: int | None) -> tuple:
        """What `line` returns, made (figure_texts) and remembered."""
        limit = (self.limits.get((approved, line_pct, customer_pct))
                 or self.limit(approved, line_pct, customer_pct))
        return _remember(self.lines, (approved, received, line_pct, customer_pct, decided),
                         figure_texts(limit, received, decided))


def _decimals(digits: int, places: int, at_least: int = 0) -> str:
    """What follows the whole part of a number whose last `places` decimal digits are
    `digits`: "." and those digits without trailing zeros (at least `at_least`), "" if none."""
    text = f"{digits:0{places}d}".rstrip("0").ljust(at_least, "0")
    return f".{text}" if text else ""


# Stored numbers are written from small tables of their decimal digits, without a Decimal and
# without remembering texts (a weighed line's rarely repeat). The tables stay small: at a
# million lines, the CPU's cache misses on tables of 10,000 texts cost more than they save.
_QTY_UNIT, _MONEY_UNIT = 10 ** QTY_PLACES, 10 ** AMOUNT_PLACES
_QTY_DECIMALS = [_decimals(n, QTY_PLACES) for n in range(_QTY_UNIT)]     # ".125", ".5", ""
# An amount's AMOUNT_PLACES decimals: its cents, _MIDDLE_PLACES more, then QTY_PLACES.
_MIDDLE_PLACES = AMOUNT_PLACES - 2 - QTY_PLACES
_AFTER_CENTS = 10 ** (AMOUNT_PLACES - 2)
_CENTS = [f"{n:02d}" for n in range(100)]
_MIDDLE = [f"{n:0{_MIDDLE_PLACES}d}" for n in range(10 ** _MIDDLE_PLACES)]
_MIDDLE_STRIPPED = [digits.rstrip("0") for digits in _MIDDLE]
_LAST = [f"{n:0{QTY_PLACES}d}".rstrip("0") for n in range(_QTY_UNIT)]
_LINE_NOS = [str(n) for n in range(1000)]     # a slip's line numbers are 1-999 (slips.check_line)


def quantity_text(stored: int) -> str:
    """number() of a stored quantity, exactly: its digits, no trailing zeros."""
    if stored < 0:
        return scaled_text(stored, QTY_PLACES)
    return f"{stored // _QTY_UNIT}{_QTY_DECIMALS[stored % _QTY_UNIT]}"


def money_text(stored: int) -> str:
    """money() of a stored amount: at least two decimals, every one the exact product has."""
    if stored < 0:
        return scaled_text(stored, AMOUNT_PLACES, 2)
    whole, fraction = divmod(stored, _MONEY_UNIT)
    cents, rest = divmod(fraction, _AFTER_CENTS)
    if not rest:
        return f"{whole}.{_CENTS[cents]}"
    middle, last = divmod(rest, _QTY_UNIT)
    if last:
        return f"{whole}.{_CENTS[cents]}{_MIDDLE[middle]}{_LAST[last]}"
    return f"{whole}.{_CENTS[cents]}{_MIDDLE_STRIPPED[middle]}"


# allowed = approved x (1 + tolerance% / 100) is exact with this many decimal places; the rule
# compares quantities scaled to it (stored quantities x 10^4), exactly as it compares Decimals.
_ALLOWED_PLACES = QTY_PLACES + PCT_PLACES + 2
_TO_ALLOWED = 10 ** (_ALLOWED_PLACES - QTY_PLACES)
_read_qty = SlipLine.received_qty.python_value
_read_pct = SlipLine.tolerance_pct.python_value


def figure_texts(limit: tuple, received: int, decided: int | None) -> tuple[str, int | None]:
    """A line's figures from its stored received and decided quantities and its limit (see
    _Texts.limit): the rule of models.reconciliation (line_status, book_qty) run on the exact
    scaled integers (see _ALLOWED_PLACES). Returns ("approved,received,tolerance %,allowed,
    status,book qty," texts, the book qty as stored, or None)."""
    status = line_status(limit[0], received * _TO_ALLOWED, limit[1], decided is not None)
    book = book_qty(status, received, decided)        # a stored quantity, or None
    received_t = (f"{received // _QTY_UNIT}{_QTY_DECIMALS[received % _QTY_UNIT]}"
                  if received >= 0 else quantity_text(received))     # quantity_text, inline
    book_t = "" if book is None else received_t if book == received else quantity_text(book)
    return f"{limit[2]}{received_t}{limit[3]}{status},{book_t},", book


def rounded_money_text(stored: int, places: int) -> str:
    """money(value, currency) of an exact amount stored at AMOUNT_PLACES: rounded half-up
    (away from zero) to `places` decimals, the currency's minor unit, and written with
    exactly that many (models.numbers.round_money, on the integer)."""
    step = 10 ** (AMOUNT_PLACES - places)
    steps = (abs(stored) + step // 2) // step
    sign = "-" if stored < 0 and steps else ""
    if not places:
        return f"{sign}{steps}"
    whole, fraction = divmod(steps, 10 ** places)
    return f"{sign}{whole}.{fraction:0{places}d}"


def amount_text(book: int | None, price: int, places: int) -> str:
    """money() of models.reconciliation.amount(book qty, unit price, currency), from their
    stored integers: their product is the exact amount (AMOUNT_PLACES = QTY_PLACES +
    PRICE_PLACES), rounded to the currency's `places`; empty when nothing is to book."""
    return "" if book is None else rounded_money_text(book * price, places)


def _remember(memory: dict, key, value, limit: int = _Texts.LIMIT):
    if len(memory) >= limit:
        memory.clear()
    memory[key] = value
    return value


_SPECIAL = re.compile('[,"\r\n]').search
# OWASP's CSV injection rule: a spreadsheet runs a cell that starts with one of these as a
# formula (=HYPERLINK(...), =cmd|...). A single quote before it keeps it text, and readable.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused(text: str) -> str:
    """A text cell a spreadsheet will not run: a formula start gets a leading single quote.
    Only for text columns: a negative number in a numeric column stays a number."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_field(text: str) -> str:
    """A text field as csv.writer's QUOTE_MINIMAL writes it, defused (see FORMULA_STARTS)."""
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if _SPECIAL(text) else text


def _csv_lines(records, texts: _Texts, counter: list[int]):
    """CSV of every record, a batch at a time, exactly as csv.DictWriter would write it.
    (The loop reads what _Texts remembers by itself, and each line is one f-string of texts
    made before: it runs a million times. A line's amount is amount_text written inline: a
    call per line cost ~10 % of the loop.)"""
    lines_known, parts, figures, limits, prices = (
        texts.lines, texts.parts, texts.figures, texts.limits, texts.prices)
    line_nos, weighed_figures = _LINE_NOS, figure_texts
    last_slip = None
    for batch in records:
        lines = []
        add = lines.append
        for slip_id, line_no, part, unit, approved, received, line_pct, decided, price in batch:
            if slip_id != last_slip:        # rows come slip by slip
                last_slip = slip_id
                slip, case_no, customer, customer_pct, status, currency = records.slip(slip_id)
                slip_q = csv_field(slip) + ","
                case_q = f",{csv_field(case_no)},{csv_field(customer)},"
                currency = currency or texts.currency
                places = MINOR_UNITS[currency]
                booked = f",yes,{currency}\n" if status == "booked" else f",no,{currency}\n"
            part_q = parts.get(part)
            if part_q is None or part_q[0] != unit:
                part_q = texts.part(part, unit, price)
            if part_q[2]:      # pieces: the same few quantities over and over
                line, book = (lines_known.get((approved, received, line_pct, customer_pct, decided))
                              or figures(approved, received, line_pct, customer_pct, decided))
            else:              # weighed or measured: rarely twice the same (not remembered)
                line, book = weighed_figures(limits.get((approved, line_pct, customer_pct))
                                             or texts.limit(approved, line_pct, customer_pct),
                                             received, decided)
            add(f"{slip_q}{line_nos[line_no] if 0 < line_no < 1000 else line_no}{case_q}"
                f"{part_q[1]}{line}"
                f"{part_q[4] if part_q[3] == price else prices.get(price) or texts.price(price)},"
                f"{'' if book is None else rounded_money_text(book * price, places)}{booked}")
        counter[0] += len(lines)
        yield "".join(lines)


def _json_objects(records, texts: _Texts, counter: list[int]):
    last_slip = None
    for batch in records:
        objects = []
        for slip_id, line_no, part, unit, approved, received, line_pct, decided, price in batch:
            if slip_id != last_slip:
                last_slip = slip_id
                slip, case_no, customer, customer_pct, status, currency = records.slip(slip_id)
                currency = currency or texts.currency
            line, book = texts.line(approved, received, line_pct, customer_pct, decided)
            approved_t, received_t, tolerance_t, allowed_t, state, book_t, _booked = line.split(",")
            objects.append(_json_object({
                "slip_no": slip, "line_no": str(line_no), "case_no": case_no,
                "customer_code": customer, "part_no": part, "unit": unit,
                "approved_qty": approved_t, "received_qty": received_t,
                "tolerance_pct": tolerance_t, "allowed_qty": allowed_t, "status": state,
                "book_qty": book_t, "unit_price": texts.price(price),
                "amount": amount_text(book, price, MINOR_UNITS[currency]),
                "booked": "yes" if status == "booked" else "no", "currency": currency}))
        counter[0] += len(objects)
        yield objects


def export_reconciliation(user, out: TextIO, fmt: str = "csv", month: str | None = None,
                          progress=None) -> int:
    """Write every line's reconciliation; returns the number of rows. Constant memory."""
    require(user, "export")
    if fmt not in ("csv", "json"):
        raise ValueError(_("format must be csv or json, not {format!r}").format(format=fmt))
    texts = _Texts(settings.get("default_tolerance_pct"), settings.get("currency"))
    # SQLite: batches small enough that a batch's rows are still in the CPU's cache when the
    # loop reads them (2000 rows at a time: ~15 % slower at 1,000,000 lines); PostgreSQL:
    # large ones, each is a round trip.
    records = reconciliation_records(month=month, batch=2000 if is_postgres() else 500)
    count = [0]
    reported = 0

    def report():
        nonlocal reported
        if progress:
            for done in range((reported // 1000 + 1) * 1000, count[0] + 1, 1000):
                progress(done)
        reported = count[0]

    if fmt == "csv":
        out.write(",".join(COLUMNS) + "\n")
        for text in _csv_lines(records, texts, count):
            out.write(text)
            report()
    else:
        out.write("[")
        for objects in _json_objects(records, texts, count):
            out.write(("," if reported else "") + "\n" + ",\n".join(objects))
            report()
        out.write("\n]\n")
    return count[0]
