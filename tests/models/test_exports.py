"""The reconciliation export's fast path is the plain one: every line's texts, written from
the stored integers, are what export_fields writes from Decimals (csv.DictWriter for CSV);
the stored values it reads (two queries on SQLite, one on PostgreSQL) are one snapshot."""
import csv
import io
import json
import sqlite3
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.db import is_postgres
from models.exports import (_NUMERIC, COLUMNS, _csv_lines, _json_object, _json_objects, _Texts,
                            defused,
                            amount_text, export_fields, export_reconciliation, money_text,
                            quantity_text, rounded_money_text, scaled_text)
from models.numbers import MINOR_UNITS, money, number
from models.reconciliation import amount
from models.reconciliation_rows import (reconciliation_records, reconciliation_row,
                                        reconciliation_rows)
from models.tables import AMOUNT_PLACES, PCT_PLACES, PRICE_PLACES, QTY_PLACES, Slip, SlipLine

from ..helpers import case, customer, slip

# any stored integer, and ones with trailing zeros (whole pieces, round prices and cents)
stored = (st.integers(-10**12, 10**12) | st.integers(0, 10**8)
          | st.builds(lambda n, zeros: n * 10**zeros, st.integers(-10**5, 10**5), st.integers(1, 9)))


@settings(max_examples=1000)
@given(stored)
def test_number_texts_are_the_decimal_ones(n):
    assert quantity_text(n) == number(D(n).scaleb(-QTY_PLACES))
    assert scaled_text(n, PRICE_PLACES) == number(D(n).scaleb(-PRICE_PLACES))
    assert money_text(n) == money(D(n).scaleb(-AMOUNT_PLACES))


currencies = st.sampled_from(sorted(MINOR_UNITS))


@settings(max_examples=1000)
@given(stored, currencies)
def test_a_rounded_amount_text_is_the_decimal_one(n, currency):
    """Half-up (away from zero) to the currency's minor unit, exactly its decimals."""
    assert rounded_money_text(n, MINOR_UNITS[currency]) == \
        money(D(n).scaleb(-AMOUNT_PLACES), currency)


@settings(max_examples=500)
@given(st.none() | stored.map(abs), stored.map(abs), currencies)
def test_an_amount_written_from_stored_integers_is_the_rules(book, price, currency):
    """The export's amount (amount_text, inline in its CSV loop) is money() of
    models.reconciliation.amount: booked quantity x unit price (neither is below 0), rounded
    to the currency's minor unit."""
    qty = None if book is None else D(book).scaleb(-QTY_PLACES)
    assert amount_text(book, price, MINOR_UNITS[currency]) == \
        money(amount(qty, D(price).scaleb(-PRICE_PLACES), currency), currency)


class FakeRecords:
    """What reconciliation_records gives, from lists: batches of line rows, slip(id)."""

    def __init__(self, slips: dict, batches: list):
        self.slips, self.batches = slips, batches

    def __iter__(self):
        return iter(self.batches)

    def slip(self, slip_id):
        return self.slips[slip_id]


# printable, as the desk keeps every code and part number (no line breaks)
text = st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
               | st.sampled_from(' ,"'), min_size=1, max_size=8)
pct = st.none() | st.integers(0, 100 * 10**PCT_PLACES)
a_slip = st.tuples(text, text, text, pct, st.sampled_from(["receiving", "received", "booked"]),
                  st.none() | currencies)
pieces = st.integers(0, 50).map(lambda n: n * 10**QTY_PLACES)
quantity = pieces | st.integers(0, 10**7)
a_line = st.tuples(
    st.integers(1, 999), st.sampled_from(["P-1", "P-2", 'P"3,a', "WIRE", "棒 1"]),
    st.sampled_from(["pcs", "set", "kg", "m", "box"]), quantity, quantity, pct,
    st.none() | quantity, st.integers(0, 10**9))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(a_slip, st.lists(a_line, min_size=1, max_size=6)), min_size=1,
                max_size=8),
       st.integers(1, 4), st.integers(0, 50 * 10**PCT_PLACES), currencies)
def test_csv_and_json_lines_are_export_fields(slips, batch, default, site_currency):
    """Random stored values (pieces, weights, every tolerance and decision, quotes and commas)
    through the export's loops, against export_fields of reconciliation_row's Decimals."""
    default_pct = D(default).scaleb(-PCT_PLACES)
    rows = [(slip_id, *line) for slip_id, (_, lines) in enumerate(slips) for line in lines]
    records = FakeRecords({slip_id: values for slip_id, (values, _) in enumerate(slips)},
                          [rows[i:i + batch] for i in range(0, len(rows), batch)])
    plain = [export_fields(reconciliation_row(records.slip(row[0]), row[1:], default_pct,
                                              site_currency))
             for row in rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    # The CSV's text cells are defused (a formula start gets a quote); its numbers are not.
    writer.writerows([{name: value if name in _NUMERIC else defused(value)
                       for name, value in fields.items()} for fields in plain])
    count = [0]
    texts = _Texts(default_pct, site_currency)
    assert "".join(_csv_lines(records, texts, count)) == out.getvalue()
    assert count[0] == len(rows)
    texts = _Texts(default_pct, site_currency)
    objects = [o for batch in _json_objects(records, texts, [0]) for o in batch]
    assert objects == [_json_object(fields) for fields in plain]


def _three_slips(desk):
    """Three slips of two customers; the middle one's lines are gone (as a slip with none)."""
    customer(desk, "C1", tolerance="10")
    customer(desk, "C,2")
    first = slip(desk, case(desk, "C1").case_no, ("P-1", "pcs", "10", "2.5"),
                 ("WIRE", "kg", "12.5", "3.3333"))
    empty = slip(desk, case(desk, "C1").case_no, ("P-1", "pcs", "1", "1"))
    last = slip(desk, case(desk, "C,2").case_no, ("NUT", "pcs", "4", "1"))
    SlipLine.delete().where(SlipLine.slip == empty).execute()
    return first, empty, last


def test_each_line_has_its_own_slips_values(desk):
    first, _, last = _three_slips(desk)
    rows = [(r.slip_no, r.line_no, r.case_no, r.customer_code, r.part_no, r.figures.tolerance_pct)
            for r in reconciliation_rows()]
    assert rows == [(first.slip_no, 1, first.case.case_no, "C1", "P-1", D(10)),
                    (first.slip_no, 2, first.case.case_no, "C1", "WIRE", D(10)),
                    (last.slip_no, 1, last.case.case_no, "C,2", "NUT", D(5))]
    out = io.StringIO()
    assert export_reconciliation(desk.finance, out) == 3
    assert out.getvalue().splitlines()[3].startswith(f'{last.slip_no},1,{last.case.case_no},"C,2",')
    assert [r.slip_no for r in reconciliation_rows(slip_no=last.slip_no)] == [last.slip_no]


def _another_terminal(desk, statements: list[str]) -> None:
    if is_postgres():
        import psycopg2
        conn = psycopg2.connect(desk.url)
    else:
        conn = sqlite3.connect(desk.url[len("sqlite:///"):])
    with conn:
        for statement in statements:
            conn.cursor().execute(statement)
    conn.close()


@pytest.mark.parametrize("batch", [1, 1000])
def test_an_export_reads_the_site_as_it_was_when_it_began(desk, batch):
    """Slips booked and lines changed by another terminal while an export is half read do not
    show in it: its slips and lines are one snapshot (read a line at a time, or every line in
    the first batch, before any slip)."""
    first, _, last = _three_slips(desk)
    records = reconciliation_records(batch=batch)
    batches = iter(records)
    rows = next(batches)
    _another_terminal(desk, ["UPDATE slip SET status = 'booked'",
                             "UPDATE slip_line SET received_qty = 4000"])
    rows = [(row, records.slip(row[0])) for row in rows]
    rows += [(row, records.slip(row[0])) for batch in batches for row in batch]
    assert [row[5] for row, _ in rows] == [0, 0, 0]                 # received, as it was
    assert [slip for _, slip in rows] == [
        (first.slip_no, first.case.case_no, "C1", 1000, "receiving", None),
        (first.slip_no, first.case.case_no, "C1", 1000, "receiving", None),
        (last.slip_no, last.case.case_no, "C,2", None, "receiving", None)]
    assert Slip.get_by_id(last.id).status == "booked"              # the next read sees it


def test_formula_starts_are_defused_in_the_csv_and_exact_in_json(desk):
    """OWASP's CSV injection rule: a text cell starting with = + - @ tab or CR is written with
    a leading quote; JSON keeps the text exact; a negative number stays a number."""
    customer(desk, "=HYPERLINK(1)")
    formulas = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)"]
    made = slip(desk, case(desk, "=HYPERLINK(1)").case_no,
                *[(part, "pcs", "1", "1") for part in formulas])
    SlipLine.update(received_qty=D(-3)).where(SlipLine.slip == made, SlipLine.line_no == 1).execute()
    out = io.StringIO()
    export_reconciliation(desk.finance, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["part_no"] for row in table] == ["'" + part for part in formulas]
    assert {row["customer_code"] for row in table} == {"'=HYPERLINK(1)"}
    assert table[0]["received_qty"] == "-3"          # a number, not defused
    json_out = io.StringIO()
    export_reconciliation(desk.finance, json_out, "json")
    objects = json.loads(json_out.getvalue())
    assert [o["part_no"] for o in objects] == formulas
    assert objects[0]["customer_code"] == "=HYPERLINK(1)"
    assert objects[0]["received_qty"] == -3
    # Tab and carriage return (stored only before the desk refused them) are defused too.
    assert [defused(text) for text in ("\tx", "\rx", "x=1", "")] == ["'\tx", "'\rx", "x=1", ""]
