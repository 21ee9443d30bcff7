"""Issue 15 on the command line: one complaint walked from intake to closed through
`returns-desk` only, and each `case` action's success and refusal (one line, exit 1, nothing
written). Slips, inspection and reversal: tests/test_cli_slips.py. SQLite and PostgreSQL."""
import datetime as dt
import json
import re
from decimal import Decimal as D

import pytest

from models import clock
from models.tables import (AuditLog, Booking, CaseAttachment, CaseClosing, CaseReminder,
                           ComplaintCase, Inspection, Slip, SlipLine, Unit)

from ..cli_helpers import LINES_HEADER, ok, refused, run

THURSDAY = dt.datetime(2026, 11, 12, 10)      # the day the cases are entered
CUSTOMERS = "code,name,market,over_receipt_tolerance_pct\nACME,Acme 有限公司,domestic,\n"


@pytest.fixture
def site(desk, tmp_path, monkeypatch, capsys):
    """The desk's users (named after their roles, PIN 1234) and a customer, on THURSDAY; a
    function that writes a file under tmp_path and gives its path."""
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")

    def write(name, content):
        path = tmp_path / name
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
        return str(path)
    with clock.frozen(THURSDAY):
        ok(capsys, "--user", "supervisor", "import", "customers", write("c.csv", CUSTOMERS))
        yield write


def open_args(*extra, received="2026-11-11"):
    return ["--user", "sales", "case", "open", "--customer", "ACME", "--order", "SO-1",
            "--part", "BOLT", "--shipped", "100", "--delivered-on", "2026-11-10",
            "--received-on", received, "--defect-qty", "5", "--category", "appearance",
            "--severity", "minor", "--defect", "dented flange", "--request", "credit", *extra]


def opened(capsys, *extra, received="2026-11-11") -> str:
    return ok(capsys, *open_args(*extra, received=received)).splitlines()[0]


def test_one_case_walks_from_intake_to_closed_on_the_command_line(site, capsys):
    photo = site("flange.jpg", b"\xff\xd8\xff photo of the dent")
    case_no = opened(capsys, "--attach", photo, "--defect-position", "flange",
                     "--defect-when", "on arrival")
    assert re.fullmatch(r"\d{4}-\d{3}", case_no)
    ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
       "--cause", "quality", "--outcome", "return")
    lines = site("lines.csv", "\ufeff" + LINES_HEADER + "1,BOLT,Bolt M8,pcs,2,0.50,,dents,return\n"
                 "2,WASH,Washer,pcs,1,0.10,10,wrong model,reprocess\n")
    slip_no = ok(capsys, "--user", "sales", "slip", "issue", "--case", case_no, "--lines", lines,
                 "--basis", "complaint accepted").splitlines()[0]
    ok(capsys, "--user", "supervisor", "slip", "approve", slip_no)
    ok(capsys, "--user", "clerk", "receive", slip_no, "--scans",
       site("scans.txt", "BOLT\nBOLT\nWASH\n"), "--close")
    codes = re.findall(r"unit (U\d+) ", ok(capsys, "slip", "show", slip_no))
    assert len(codes) == 3
    ok(capsys, "--user", "inspector", "inspect", codes[0], "--pass")
    ok(capsys, "--user", "inspector", "inspect", codes[1], "--pass")
    ok(capsys, "--user", "inspector", "inspect", codes[2], "--fail", "--defect", "appearance",
       "--cause", "scratched", "--disposition", "scrap")
    assert "booked: 1.10" in ok(capsys, "--user", "finance", "slip", "book", slip_no)
    assert "on time" in ok(capsys, "--user", "inspector", "case", "close", case_no)

    case = ComplaintCase.get(ComplaintCase.case_no == case_no)
    assert (case.status, case.closed_on, case.defect_position) == ("closed", THURSDAY.date(),
                                                                   "flange")
    closing = CaseClosing.get(CaseClosing.case == case)
    assert (closing.days_late, closing.due_on, closing.unfinished) == (0, case.due_on, "")
    slip = Slip.get(Slip.slip_no == slip_no)
    booking = Booking.get(Booking.slip == slip)
    assert (slip.status, booking.amount, booking.override_by) == ("booked", D("1.10"), None)
    assert [(line.reason, line.handling) for line in slip.lines.order_by(SlipLine.line_no)] == \
        [("dents", "return"), ("wrong model", "reprocess")]
    assert Inspection.select().count() == 3
    assert Unit.select().where(Unit.state == "inspected").count() == 3
    assert CaseAttachment.get().data == b"\xff\xd8\xff photo of the dent"

    trail = ok(capsys, "--user", "supervisor", "audit", "--key", case_no)
    actions = [line.split()[3] for line in trail.splitlines()]
    for step in ("case.open", "case.attach", "case.assess", "slip.issue", "slip.approve",
                 "receive.scan", "receive.close", "inspect", "slip.book", "case.close"):
        assert step in actions, step
    assert actions.index("case.open") < actions.index("slip.issue") < \
        actions.index("slip.book") < actions.index("case.close")
    sheet = ok(capsys, "case", "show", case_no)
    assert "flange.jpg" in sheet and re.search(r"closed\s+due 2026-11-25\s+done 2026-11-12\s+on time",
                                               sheet)
    # the opening is kept as a day: the timeline gives no time of day for it, not 00:00
    assert re.search(r"^  \d{4}-\d\d-\d\d {8}case opened: ", sheet, re.MULTILINE)
    assert "00:00" not in sheet


def test_case_open_prints_the_number_and_refuses_bad_input_in_one_line(site, capsys, tmp_path):
    out = ok(capsys, *open_args("--defect-qty", "unknown"))
    case = ComplaintCase.get(ComplaintCase.case_no == out.splitlines()[0])
    assert (case.status, case.defect_qty, case.opened_by.name) == ("open", None, "sales")
    assert "to close by 2026-11-25" in out

    assert "is not a date: write YYYY-MM-DD" in refused(capsys, *open_args(received="11/11/2026"))
    assert "--delivered-on '20261110'" in refused(
        capsys, *open_args("--delivered-on", "20261110"))
    missing = str(tmp_path / "no-such.jpg")
    assert f"cannot read {missing}" in refused(capsys, *open_args("--attach", missing))
    assert "needs --order" in refused(capsys, "--user", "sales", "case", "open", "--customer",
                                      "ACME", "--part", "P", "--received-on", "2026-11-11",
                                      "--category", "appearance", "--severity", "minor")
    assert "category must be one of" in refused(capsys, *open_args("--category", "colour"))
    assert "no customer" in refused(capsys, *open_args("--customer", "NOBODY")).lower()
    assert "clerk is clerk" in refused(capsys, "--user", "clerk", *open_args()[2:])
    assert ComplaintCase.select().count() == 1


def test_a_late_complaint_is_decided_by_a_supervisor(site, capsys):
    late = opened(capsys, "--delivered-on", "2026-09-30", received="2026-10-01")
    assert ComplaintCase.get(ComplaintCase.case_no == late).status == "awaiting_decision"
    assert "sales is sales" in refused(capsys, "--user", "sales", "case", "decide", late,
                                       "accept", "--reason", "good customer")
    assert "decide accept, accept_paid or reject" in refused(
        capsys, "--user", "supervisor", "case", "decide", late, "maybe", "--reason", "r")
    assert "give the reason" in refused(capsys, "--user", "supervisor", "case", "decide", late,
                                        "accept_paid")
    out = ok(capsys, "--user", "supervisor", "case", "decide", late, "accept_paid", "--reason",
             "customer pays the freight")
    assert "accepted against payment" in out
    case = ComplaintCase.get(ComplaintCase.case_no == late)
    assert (case.status, case.against_payment) == ("open", True)
    assert "not waiting for a decision" in refused(
        capsys, "--user", "supervisor", "case", "decide", late, "reject", "--reason", "again")


def test_assess_records_the_opinion_and_refuses_what_does_not_fit(site, capsys):
    case_no = opened(capsys)
    assert "does not fit responsibility ours" in refused(
        capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
        "--cause", "transport", "--outcome", "return")
    assert "an amount goes with an allowance" in refused(
        capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
        "--cause", "quality", "--outcome", "return", "--amount", "10")
    assert "needs --outcome" in refused(capsys, "--user", "inspector", "case", "assess", case_no,
                                        "--responsibility", "ours", "--cause", "quality")
    assert "clerk is clerk" in refused(capsys, "--user", "clerk", "case", "assess", case_no,
                                       "--responsibility", "ours", "--cause", "quality",
                                       "--outcome", "return")
    ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "not_ours",
       "--cause", "transport", "--outcome", "allowance", "--amount", "12.50")
    case = ComplaintCase.get(ComplaintCase.case_no == case_no)
    assert (case.responsibility, case.cause, case.outcome, case.outcome_amount) == \
        ("not_ours", "transport", "allowance", D("12.50"))


def test_close_and_reopen(site, capsys):
    case_no = opened(capsys)
    assert "record the responsibility, cause and outcome" in refused(
        capsys, "--user", "inspector", "case", "close", case_no)
    ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
       "--cause", "quality", "--outcome", "rework")
    assert "only a closed case is reopened" in refused(
        capsys, "--user", "supervisor", "case", "reopen", case_no, "--reason", "r")
    ok(capsys, "--user", "inspector", "case", "close", case_no)
    assert "inspector is inspector" in refused(capsys, "--user", "inspector", "case", "reopen",
                                               case_no, "--reason", "customer disagrees")
    assert "give the reason" in refused(capsys, "--user", "supervisor", "case", "reopen", case_no)
    ok(capsys, "--user", "supervisor", "case", "reopen", case_no, "--reason", "customer disagrees")
    assert ComplaintCase.get(ComplaintCase.case_no == case_no).status == "open"
    assert "is open, not" not in ok(capsys, "case", "show", case_no)


def test_a_supervisor_closes_unfinished_work_only_with_a_reason(site, capsys):
    case_no = opened(capsys)
    ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
       "--cause", "quality", "--outcome", "return")
    lines = site("l.csv", LINES_HEADER + "1,BOLT,Bolt,pcs,2,0.50,,dents,return\n")
    slip_no = ok(capsys, "--user", "sales", "slip", "issue", "--case", case_no,
                 "--lines", lines).splitlines()[0]
    assert f"slip {slip_no} is not booked" in refused(capsys, "--user", "inspector", "case",
                                                      "close", case_no)
    assert "give the reason to close it anyway" in refused(capsys, "--user", "supervisor",
                                                           "case", "close", case_no)
    ok(capsys, "--user", "supervisor", "case", "close", case_no, "--reason", "customer withdrew")
    assert CaseClosing.get().reason == "customer withdrew"


def test_remind_an_overdue_case(site, capsys):
    case_no = opened(capsys)
    assert "is not overdue" in refused(capsys, "--user", "supervisor", "case", "remind", case_no,
                                       "--to", "quality")
    with clock.frozen(dt.datetime(2026, 11, 30, 9)):
        assert "a reminder goes to quality" in refused(
            capsys, "--user", "supervisor", "case", "remind", case_no, "--to", "purchasing")
        assert "needs --to" in refused(capsys, "--user", "supervisor", "case", "remind", case_no)
        assert "sales is sales" in refused(capsys, "--user", "sales", "case", "remind", case_no,
                                           "--to", "quality")
        out = ok(capsys, "--user", "supervisor", "case", "remind", case_no, "--to", "quality",
                 "--note", "please reply")
        assert "5 day(s) past its deadline 2026-11-25" in out
        sheet = ok(capsys, "case", "show", case_no)
    reminder = CaseReminder.get()
    assert (reminder.department, reminder.days_overdue, reminder.note) == ("quality", 5,
                                                                           "please reply")
    assert "to quality by supervisor: 5 day(s) overdue (please reply)" in sheet
    assert re.search(r"closed\s+due 2026-11-25\s+done -\s+not done, 5 day\(s\) late", sheet)


def test_defect_qty_attach_show_and_attachment(site, capsys, tmp_path):
    case_no = opened(capsys, "--defect-qty", "unknown")
    assert "defective quantity 200 is more than the 100 shipped" in refused(
        capsys, "--user", "sales", "case", "defect-qty", case_no, "200")
    ok(capsys, "--user", "sales", "case", "defect-qty", case_no, "7")
    doc = site("report.pdf", b"%PDF-1.4 test")
    assert "attachment" in ok(capsys, "--user", "inspector", "case", "attach", case_no, doc)
    assert "is empty" in refused(capsys, "--user", "inspector", "case", "attach", case_no,
                                 site("empty.jpg", b""))
    sheet = ok(capsys, "case", "show", case_no)
    assert "defective:  7" in sheet and "report.pdf  application/pdf" in sheet
    attachment_id = str(CaseAttachment.get().id)
    out = tmp_path / "copy.pdf"
    ok(capsys, "case", "attachment", case_no, attachment_id, "--out", str(out))
    assert out.read_bytes() == b"%PDF-1.4 test"
    assert "has no attachment 999" in refused(capsys, "case", "attachment", case_no, "999",
                                              "--out", str(out))
    nowhere = str(tmp_path / "nowhere" / "x.pdf")
    assert f"cannot write {nowhere}" in refused(capsys, "case", "attachment", case_no,
                                                attachment_id, "--out", nowhere)
    assert "no complaint case 2611-999" in refused(capsys, "case", "show", "2611-999")
    assert AuditLog.select().where(AuditLog.action == "case.defect_qty").count() == 1


def test_user_may_come_after_the_command(site, capsys):
    case_no = opened(capsys)
    ran = run(capsys, "case", "assess", case_no, "--responsibility", "ours", "--cause",
              "design", "--outcome", "other", "--user", "inspector")
    assert ran.code == 0, ran.err
    assert ComplaintCase.get(ComplaintCase.case_no == case_no).cause == "design"


def test_monthly_report_gives_shares_and_is_marked_done(site, capsys):
    for cause, responsibility in (("quality", "ours"), ("transport", "not_ours")):
        case_no = opened(capsys)
        ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility",
           responsibility, "--cause", cause, "--outcome", "rework")
        ok(capsys, "--user", "inspector", "case", "close", case_no)
    text = ok(capsys, "--user", "supervisor", "report", "monthly", "--month", "2026-11")
    assert re.search(r"closed cases: 2\s+on time: 2 \(100.0 %\)\s+late: 0 \(0.0 %\)", text)
    assert re.search(r"not_ours\s+1\s+50.0 %", text) and re.search(r"ACME\s+2\s+100.0 %", text)
    figures = json.loads(ok(capsys, "--user", "supervisor", "report", "monthly", "--month", "2026-11",
                          "--format", "json"))
    assert figures["share_by_responsibility"] == {"ours": "50.0", "not_ours": "50.0"}
    with clock.frozen(dt.datetime(2026, 12, 3, 9)):
        assert "the month 2026-12 is not over yet" in refused(
            capsys, "--user", "supervisor", "report", "done", "--month", "2026-12")
        assert "inspector is inspector" in refused(capsys, "--user", "inspector", "report", "done")
        assert "2026-11 is done" in ok(capsys, "--user", "supervisor", "report", "done")
        assert "already marked done" in refused(capsys, "--user", "supervisor", "report", "done")
