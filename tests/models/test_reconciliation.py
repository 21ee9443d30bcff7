"""001 §13.2 end to end: tolerance in force, statuses, decisions, booking and its lock."""
import io
import json
from decimal import Decimal as D

import pytest

from models.errors import Refused
from models.exports import COLUMNS, export_reconciliation
from models.receiving import close_receiving, receive_count, receive_scan
from models.reconciliation import book_slip, decide_line, figures_for, reopen_slip
from models.reconciliation_rows import reconciliation_rows
from models.settings import set_value
from models.slips import get_line
from models.tables import AuditLog, BookedLine, Slip

from ..helpers import inspect_all, ready_slip


def scan(desk, s, part, times):
    for _ in range(times):
        last = receive_scan(desk.clerk, s.slip_no, part)
    return last


def status_of(s, line_no=1):
    return figures_for(get_line(Slip.get_by_id(s.id), line_no))


def test_exactly_at_allowed_is_within_one_past_is_over(desk):
    s = ready_slip(desk, ("P-1", "pcs", "20", "1"), tolerance="5")   # allowed 21
    assert scan(desk, s, "P-1", 21).figures.status == "within"
    assert scan(desk, s, "P-1", 1).figures.status == "over"


def test_inherited_default_vs_explicit_zero(desk):
    set_value(desk.admin, "default_tolerance_pct", "10")
    inherited = ready_slip(desk, ("P-1", "pcs", "10", "1"), tolerance=None, slip_no="RS-A")
    scan(desk, inherited, "P-1", 11)
    assert (status_of(inherited).tolerance_pct, status_of(inherited).status) == (D("10"), "within")

    zero = ready_slip(desk, ("P-1", "pcs", "10", "1"), tolerance="0", slip_no="RS-B")
    scan(desk, zero, "P-1", 11)
    assert (status_of(zero).tolerance_pct, status_of(zero).status) == (D("0"), "over")


def test_line_override_beats_customer(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1", "0"), tolerance="50")
    scan(desk, s, "P-1", 11)
    assert status_of(s).status == "over"


def test_default_changes_apply_to_inherited_lines_only(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    scan(desk, s, "P-1", 11)
    set_value(desk.admin, "default_tolerance_pct", "10")
    assert status_of(s).status == "within"
    set_value(desk.admin, "default_tolerance_pct", "5")
    assert status_of(s).status == "over"


def test_fractional_kg(desk):
    s = ready_slip(desk, ("WIRE", "kg", "12.5", "3.10"), tolerance="2.5")  # allowed 12.8125
    receive_count(desk.clerk, s.slip_no, "WIRE", "12.8")
    assert status_of(s).status == "within"
    receive_count(desk.clerk, s.slip_no, "WIRE", "0.012")
    assert status_of(s).status == "within"     # 12.812 <= 12.8125
    receive_count(desk.clerk, s.slip_no, "WIRE", "0.001")
    assert status_of(s).status == "over"       # 12.813


@pytest.mark.parametrize("choice, booked", [
    ("accept_actual", D(13)), ("cap_allowed", D(10)), ("approved_only", D(10)),
])   # capped: 10 pcs at 5 % allow 10.5, and pieces are booked whole
def test_supervisor_decides_over_lines(desk, choice, booked):
    s = ready_slip(desk, ("P-1", "pcs", "10", "2.50"), tolerance="5")
    scan(desk, s, "P-1", 13)
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)
    with pytest.raises(Refused, match="over tolerance: a supervisor must decide"):
        book_slip(desk.finance, s.slip_no)
    with pytest.raises(Refused, match="reason"):
        decide_line(desk.supervisor, s.slip_no, 1, choice, "")
    [row] = reconciliation_rows(slip_no=s.slip_no)      # what finance is shown for the choice
    assert row.booked_if(choice) == (booked, booked * D("2.50"))
    decide_line(desk.supervisor, s.slip_no, 1, choice, "phoned the customer")
    assert (status_of(s).status, status_of(s).book_qty) == ("decided", booked)
    booking = book_slip(desk.finance, s.slip_no)
    assert booking.amount == booked * D("2.50")
    line = BookedLine.get(BookedLine.booking == booking)
    assert (line.qty, line.amount) == (booked, booked * D("2.50"))


def test_decision_is_void_when_the_quantity_changes(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"), tolerance="0")
    scan(desk, s, "P-1", 11)
    decide_line(desk.supervisor, s.slip_no, 1, "accept_actual", "ok")
    scan(desk, s, "P-1", 1)
    assert status_of(s).status == "over"


def test_nothing_to_decide_on_a_within_line(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    scan(desk, s, "P-1", 10)
    with pytest.raises(Refused, match="nothing to decide"):
        decide_line(desk.supervisor, s.slip_no, 1, "accept_actual", "why not")


def test_booking_locks_until_a_supervisor_reopens(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1.10"), ("WIRE", "kg", "5", "3.3333"))
    with pytest.raises(Refused, match="nothing has arrived on slip"):
        book_slip(desk.finance, s.slip_no)
    scan(desk, s, "P-1", 7)
    inspect_all(desk, s.slip_no)                 # booked while still receiving: signed for
    booking = book_slip(desk.finance, s.slip_no)
    assert booking.amount == D("7.70")           # the open kg line books nothing
    assert [json.loads(a.after) for a in AuditLog.select().where(AuditLog.action == "receive.close")] == \
        [{"status": "received", "note": "closed by booking"}]
    with pytest.raises(Refused, match="already booked"):
        book_slip(desk.finance, s.slip_no)
    with pytest.raises(Refused, match="booked: reopen it first"):
        decide_line(desk.supervisor, s.slip_no, 1, "accept_actual", "x")
    with pytest.raises(Refused, match="booked: nothing more"):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    reopen_slip(desk.supervisor, s.slip_no, "wrong price")
    assert Slip.get_by_id(s.id).status == "received"
    again = book_slip(desk.finance, s.slip_no)
    assert again.id != booking.id
    assert AuditLog.select().where(AuditLog.action == "slip.book").count() == 2


def test_export_csv_and_json(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "2.5"), ("WIRE", "kg", "12.5", "3.3333"),
                   ("NUT", "pcs", "4", "1"), tolerance="10")
    scan(desk, s, "P-1", 12)
    receive_count(desk.clerk, s.slip_no, "WIRE", "12.5")
    out = io.StringIO()
    assert export_reconciliation(desk.finance, out, "csv") == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].endswith(",P-1,pcs,10,12,10,11,over,,2.5,,no,CNY")
    # 12.5 kg x 3.3333 = 41.66625: rounded half-up to the fen (the site's currency, CNY)
    assert lines[2].endswith(",WIRE,kg,12.5,12.5,10,13.75,within,12.5,3.3333,41.67,no,CNY")
    assert lines[3].endswith(",NUT,pcs,4,0,10,4.4,open,,1,,no,CNY")
    out = io.StringIO()
    export_reconciliation(desk.finance, out, "json")
    rows = json.loads(out.getvalue(), parse_float=D)
    assert rows[1]["amount"] == D("41.67") and rows[1]["book_qty"] == D("12.5")
    assert rows[1]["currency"] == "CNY"
    assert rows[0]["status"] == "over" and rows[0]["book_qty"] is None


def test_export_by_month_of_issue(desk):
    ready_slip(desk, ("P-1", "pcs", "10", "1"))
    issued = Slip.get().issued_on
    assert len(list(reconciliation_rows(month=f"{issued:%Y-%m}"))) == 1
    assert list(reconciliation_rows(month="2001-01")) == []


def test_late_case_books_only_after_the_decision(desk):
    import datetime as dt
    from models.cases import decide_late
    from ..helpers import case, customer, slip
    customer(desk)
    late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
    s = slip(desk, late.case_no, ("P-1", "pcs", "10", "1"))
    scan(desk, s, "P-1", 10)
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)
    with pytest.raises(Refused, match="waits for a supervisor's decision"):
        book_slip(desk.finance, s.slip_no)
    decide_late(desk.supervisor, late.case_no, "accept", "long-standing customer")
    assert book_slip(desk.finance, s.slip_no).amount == D(10)


def test_export_csv_is_what_csv_dictwriter_writes(desk):
    """The export's own CSV writer, byte for byte the plain one (export_fields through
    csv.DictWriter) on lines that exercise it: quotes and commas, pieces and weights, amounts
    below one and with every decimal, a decided line, a line's own tolerance, nothing received."""
    import csv
    from models.exports import export_fields
    s = ready_slip(desk, ('P"1,a', "pcs", "3", "0.0001"), ("WIRE", "kg", "0.5", "0.0125"),
                   ("ROD", "m", "2", "3.3333", "0"), ("NUT", "pcs", "4", "1"),
                   ("BIG", "pcs", "1", "1234567.89"), ("DUST", "kg", "1", "7"), tolerance="2.5")
    scan(desk, s, 'P"1,a', 3)
    receive_count(desk.clerk, s.slip_no, "WIRE", "0.513")
    receive_count(desk.clerk, s.slip_no, "ROD", "2.1")
    scan(desk, s, "BIG", 1)
    receive_count(desk.clerk, s.slip_no, "DUST", "0.001")
    decide_line(desk.supervisor, s.slip_no, 3, "cap_allowed", "measured generously")
    out, plain = io.StringIO(), io.StringIO()
    export_reconciliation(desk.finance, out, "csv")
    writer = csv.DictWriter(plain, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_fields(row) for row in reconciliation_rows())
    assert out.getvalue() == plain.getvalue()
    assert ",ROD,m,2,2.1,0,2,decided,2,3.3333,6.67,no,CNY" in out.getvalue()
