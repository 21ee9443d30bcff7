"""Issue 15 on the command line: `slip` (issue from a CSV of lines, regional and supervisor
approval, a decision over tolerance, booking with or without an override, reopening),
`inspect` and `unit reverse`: each one's success and its refusals (one line, exit 1, nothing
written). The states before a command are built with models/ (tests/helpers.py); the
command under test runs through `returns-desk`. SQLite and PostgreSQL."""
import datetime as dt
from decimal import Decimal as D

import pytest

from models import clock
from models.cases import assess
from models.receiving import close_receiving, receive_count, receive_scan
from models.tables import Booking, Decision, Inspection, Reversal, Slip, SlipLine, Unit

from ..cli_helpers import LINES_HEADER, ok, refused
from ..helpers import case, customer, ready_slip

ON = dt.datetime(2026, 11, 18, 11)


@pytest.fixture
def site(desk, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")

    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    with clock.frozen(ON):
        yield write


def an_assessed_case(desk, cause="quality") -> str:
    customer(desk)
    case_no = case(desk).case_no
    assess(desk.inspector, case_no, "ours" if cause == "quality" else "not_ours", cause, "return")
    return case_no


def test_slip_issue_reads_each_lines_own_reason_and_handling(desk, site, capsys):
    case_no = an_assessed_case(desk)
    lines = site("l.csv", LINES_HEADER + "1,BOLT,Bolt M8,pcs,10,0.50,,dents,return\n"
                 "2,WIRE,Copper wire,kg,12.5,8.00,2,rust,reprocess\n")
    assert "clerk is clerk" in refused(capsys, "--user", "clerk", "slip", "issue", "--case",
                                       case_no, "--lines", lines)
    out = ok(capsys, "--user", "sales", "slip", "issue", "--case", case_no, "--lines", lines,
             "--basis", "complaint accepted")
    slip = Slip.get(Slip.slip_no == out.splitlines()[0])
    assert (slip.status, slip.basis, slip.issued_by.name, slip.approved_at) == \
        ("awaiting_approval", "complaint accepted", "sales", None)
    assert [(line.part_no, line.approved_qty, line.tolerance_pct, line.reason, line.handling)
            for line in slip.lines.order_by(SlipLine.line_no)] == \
        [("BOLT", D(10), None, "dents", "return"), ("WIRE", D("12.5"), D(2), "rust", "reprocess")]


def test_a_bad_lines_file_is_refused_whole_naming_each_row_and_column(desk, site, capsys,
                                                                     tmp_path):
    case_no = an_assessed_case(desk)
    issue = ["--user", "sales", "slip", "issue", "--case", case_no, "--lines"]
    bad = site("bad.csv", LINES_HEADER + "1,BOLT,Bolt,pcs,1.5,0.50,,dents,return\n"
               "2,NUT,Nut,pcs,3,abc,,dents,return\n3,WASH,Washer,pcs,3,0.1,,dents,keep\n")
    line = refused(capsys, *issue, bad)
    assert "line 2 (approved_qty)" in line and "pcs are counted in whole numbers" in line
    assert "line 3 (unit_price): " in line and "line 4 (handling): " in line
    assert line.endswith("no slip was issued")
    header = site("h.csv", "line_no,part_no,unit,approved_qty\n1,BOLT,pcs,1\n")
    assert "the header must be: line_no,part_no,description" in refused(capsys, *issue, header)
    missing = str(tmp_path / "none.csv")
    assert f"cannot read {missing}" in refused(capsys, *issue, missing)
    twice = site("t.csv", LINES_HEADER + "1,BOLT,Bolt,pcs,1,1,,dents,return\n"
                 "1,NUT,Nut,pcs,1,1,,dents,return\n")
    assert "line number 1 appears twice" in refused(capsys, *issue, twice)
    assert "needs --lines" in refused(capsys, "--user", "sales", "slip", "issue", "--case", case_no)
    assert Slip.select().count() == 0


def test_approval_by_a_second_supervisor_and_the_regional_manager_first(desk, site, capsys):
    case_no = an_assessed_case(desk, cause="customer_order")
    slip_no = ok(capsys, "--user", "sales", "slip", "issue", "--case", case_no, "--lines",
                 site("l.csv", LINES_HEADER + "1,BOLT,Bolt,pcs,5,1,,too many,return\n")
                 ).splitlines()[0]
    assert "sales is sales" in refused(capsys, "--user", "sales", "slip", "approve", slip_no)
    assert "record the regional manager's approval" in refused(
        capsys, "--user", "supervisor", "slip", "approve", slip_no)
    assert "needs --manager" in refused(capsys, "--user", "sales", "slip", "regional", slip_no)
    ok(capsys, "--user", "sales", "slip", "regional", slip_no, "--manager", "Wang (north)")
    assert "approved by supervisor" in ok(capsys, "--user", "supervisor", "slip", "approve",
                                          slip_no)
    slip = Slip.get(Slip.slip_no == slip_no)
    assert (slip.status, slip.regional_manager, slip.approved_by.name) == \
        ("receiving", "Wang (north)", "supervisor")
    assert "already approved" in refused(capsys, "--user", "supervisor", "slip", "approve",
                                         slip_no)
    assert "no return slip RS-NONE" in refused(capsys, "--user", "supervisor", "slip", "approve",
                                               "RS-NONE")


def test_the_author_does_not_approve_their_own_slip(desk, site, capsys):
    case_no = an_assessed_case(desk)
    slip_no = ok(capsys, "--user", "supervisor", "slip", "issue", "--case", case_no, "--lines",
                 site("l.csv", LINES_HEADER + "1,BOLT,Bolt,pcs,5,1,,dents,return\n")
                 ).splitlines()[0]
    assert "another supervisor approves it" in refused(capsys, "--user", "supervisor", "slip",
                                                       "approve", slip_no)


def over_tolerance(desk) -> str:
    """A slip of 10 bolts at the default 5 %, 11 received (allowed 10.5: over), closed."""
    s = ready_slip(desk, ("BOLT", "pcs", "10", "0.50"), slip_no="RS-1")
    receive_count(desk.clerk, "RS-1", "BOLT", "11")
    close_receiving(desk.clerk, "RS-1")
    return s.slip_no


def test_decide_a_line_over_its_tolerance(desk, site, capsys):
    slip_no = over_tolerance(desk)
    decide = ["slip", "decide", slip_no, "--line", "1"]
    assert "finance is finance" in refused(capsys, "--user", "finance", *decide, "cap_allowed",
                                           "--reason", "r")
    assert "decide accept_actual, cap_allowed or approved_only" in refused(
        capsys, "--user", "supervisor", *decide, "take_all", "--reason", "r")
    assert "give the reason" in refused(capsys, "--user", "supervisor", *decide, "cap_allowed")
    assert "--line 'one'" in refused(capsys, "--user", "supervisor", "slip", "decide", slip_no,
                                     "--line", "one", "cap_allowed", "--reason", "r")
    assert "has no line 2" in refused(capsys, "--user", "supervisor", "slip", "decide", slip_no,
                                      "--line", "2", "cap_allowed", "--reason", "r")
    out = ok(capsys, "--user", "supervisor", *decide, "cap_allowed", "--reason", "agreed")
    assert "cap_allowed, 10 pcs to book" in out
    assert (Decision.get().choice, Decision.get().book_qty) == ("cap_allowed", D(10))


def test_booking_waits_for_inspection_unless_a_supervisor_overrides(desk, site, capsys):
    slip_no = over_tolerance(desk)
    assert "over tolerance" in refused(capsys, "--user", "finance", "slip", "book", slip_no)
    ok(capsys, "--user", "supervisor", "slip", "decide", slip_no, "--line", "1", "approved_only",
       "--reason", "agreed")
    assert "wait for inspection" in refused(capsys, "--user", "finance", "slip", "book", slip_no)
    assert "finance is finance" in refused(capsys, "--user", "finance", "slip", "book", slip_no,
                                           "--override-reason", "month end")
    out = ok(capsys, "--user", "supervisor", "slip", "book", slip_no, "--override-reason",
             "month end")
    assert "booked: 5.00" in out and "by supervisor: month end" in out
    booking = Booking.get()
    assert (booking.amount, booking.override_by.name, booking.override_reason) == \
        (D("5.00"), "supervisor", "month end")
    assert "already booked" in refused(capsys, "--user", "supervisor", "slip", "book", slip_no)


def test_reopen_a_booked_slip(desk, site, capsys):
    slip_no = over_tolerance(desk)
    ok(capsys, "--user", "supervisor", "slip", "decide", slip_no, "--line", "1", "accept_actual",
       "--reason", "fine")
    for code in [unit.code for unit in Unit.select()]:
        ok(capsys, "--user", "inspector", "inspect", code, "--pass")
    assert "booked: 5.50" in ok(capsys, "--user", "finance", "slip", "book", slip_no)
    assert "finance is finance" in refused(capsys, "--user", "finance", "slip", "reopen", slip_no,
                                           "--reason", "wrong price")
    assert "give the reason" in refused(capsys, "--user", "supervisor", "slip", "reopen", slip_no)
    assert "reopened: received" in ok(capsys, "--user", "supervisor", "slip", "reopen", slip_no,
                                      "--reason", "wrong price")
    assert Booking.get().reopen_reason == "wrong price"
    assert Slip.get(Slip.slip_no == slip_no).status == "received"


def test_inspect_pass_and_fail(desk, site, capsys):
    ready_slip(desk, ("BOLT", "pcs", "10", "0.50"), slip_no="RS-1")
    first, second = (receive_scan(desk.clerk, "RS-1", "BOLT").unit.code for _ in range(2))
    assert "say the result" in refused(capsys, "--user", "inspector", "inspect", first)
    assert "clerk is clerk" in refused(capsys, "--user", "clerk", "inspect", first, "--pass")
    assert "passed goods are restocked or returned" in refused(
        capsys, "--user", "inspector", "inspect", first, "--pass", "--disposition", "scrap")
    assert "needs --disposition" in refused(capsys, "--user", "inspector", "inspect", first,
                                            "--fail", "--defect", "appearance", "--cause", "dent")
    assert "failed goods cannot go back into stock" in refused(
        capsys, "--user", "inspector", "inspect", first, "--fail", "--defect", "appearance",
        "--cause", "dent", "--disposition", "restock")
    assert "needs --defect" in refused(capsys, "--user", "inspector", "inspect", first,
                                       "--fail", "--cause", "dent", "--disposition", "scrap")
    assert "not a unit label id" in refused(capsys, "--user", "inspector", "inspect", "BOLT",
                                            "--pass")
    ok(capsys, "--user", "inspector", "inspect", first, "--pass")
    ok(capsys, "--user", "inspector", "inspect", second.lower(), "--fail", "--defect",
       "appearance", "--cause", "dent", "--disposition", "rework", "--note", "minor")
    assert "already inspected" in refused(capsys, "--user", "inspector", "inspect", first,
                                          "--pass")
    results = [(i.result, i.defect_class, i.cause, [p.disposition for p in i.portions])
               for i in Inspection.select().order_by(Inspection.id)]
    assert results == [("pass", "", "", ["restock"]), ("fail", "appearance", "dent", ["rework"])]
    assert Inspection.select().order_by(Inspection.id.desc()).first().note == "minor"
    assert SlipLine.get().return_reason == "1 pass -> restock; 1 fail -> rework (appearance: dent)"


def test_a_defect_in_words_is_class_other_with_the_words_in_the_note(desk, site, capsys):
    ready_slip(desk, ("BOLT", "pcs", "10", "0.50"), slip_no="RS-1")
    code = receive_scan(desk.clerk, "RS-1", "BOLT").unit.code
    ok(capsys, "--user", "inspector", "inspect", code, "--fail", "--defect", "thread stripped",
       "--cause", "overtightened", "--disposition", "scrap", "--note", "photo taken")
    inspection = Inspection.get()
    assert (inspection.defect_class, inspection.cause, inspection.note) == \
        ("other", "overtightened", "defect: thread stripped; photo taken")


def test_unit_reverse(desk, site, capsys):
    ready_slip(desk, ("BOLT", "pcs", "10", "0.50"), slip_no="RS-1")
    first, second = (receive_scan(desk.clerk, "RS-1", "BOLT").unit.code for _ in range(2))
    assert "say why" in refused(capsys, "--user", "clerk", "unit", "reverse", first)
    assert "finance is finance" in refused(capsys, "--user", "finance", "unit", "reverse", first,
                                           "--reason", "wrong slip")
    assert "reversed" in ok(capsys, "--user", "clerk", "unit", "reverse", first, "--reason",
                            "wrong slip")
    assert "already reversed" in refused(capsys, "--user", "clerk", "unit", "reverse", first,
                                         "--reason", "again")
    ok(capsys, "--user", "inspector", "inspect", second, "--pass")
    assert "clerk is clerk" in refused(capsys, "--user", "clerk", "unit", "reverse", second,
                                       "--reason", "counted twice")
    ok(capsys, "--user", "supervisor", "unit", "reverse", second, "--reason", "counted twice")
    assert [r.reason for r in Reversal.select().order_by(Reversal.id)] == \
        ["wrong slip", "counted twice"]
    assert SlipLine.get().received_qty == 0


def test_receive_close_and_nothing_to_do(desk, site, capsys):
    ready_slip(desk, ("BOLT", "pcs", "10", "0.50"), slip_no="RS-1")
    assert "say what to do" in refused(capsys, "--user", "clerk", "receive", "RS-1")
    assert "finance is finance" in refused(capsys, "--user", "finance", "receive", "RS-1",
                                           "--close")
    assert "closed for receiving" in ok(capsys, "--user", "clerk", "receive", "RS-1", "--close")
    assert Slip.get().status == "received"
    assert "closed for receiving" in refused(capsys, "--user", "clerk", "receive", "RS-1",
                                             "--close")
