"""Issue 15, the return slip's side: issued from a case line by line, approved by a second
person (after a regional manager for a customer-caused return), imported the same way, and the
schema's migration of the slips a site already has. Gates and corrections: test_slip_gates.py."""
from __future__ import annotations

import datetime as dt

import pytest
from playhouse.migrations import Runner

from models import audit
from models.cases import assess
from models.db import db
from models.errors import DeskError, PermissionDenied
from models.imports import BatchRefused, import_slips
from models.receiving import receive_scan
from models.timeline import timeline
from models.schema import MIGRATIONS, migrate
from models.slips import LineSpec, approve_slip, get_slip, issue_slip, record_regional_approval
from models.tables import AuditLog, Slip, SlipLine

from ..helpers import case, customer, refused, rows


def line(number=1, part="P-1", unit="pcs", qty="10", price="2.50", reason="dented",
         handling="return", tolerance=None) -> LineSpec:
    return LineSpec(number, part, f"part {part}", unit, qty, price, tolerance, reason, handling)


@pytest.fixture
def case_no(desk):
    customer(desk)
    return case(desk).case_no


def test_sales_issue_a_slip_line_by_line_and_it_waits_for_approval(desk, case_no):
    slip = issue_slip(desk.sales, case_no,
                      [line(1, "P-1", reason="dented", handling="return"),
                       line(2, "P-2", "kg", "2.5", reason="wrong model", handling="reprocess")],
                      basis="  complaint accepted by quality  ")
    stored = get_slip(slip.slip_no)
    assert (stored.status, stored.basis, stored.approved_at) == \
        ("awaiting_approval", "complaint accepted by quality", None)
    assert [(li.line_no, li.reason, li.handling) for li in SlipLine.select().order_by(SlipLine.line_no)] == \
        [(1, "dented", "return"), (2, "wrong model", "reprocess")]
    assert stored.handling == "reprocess, return"
    entry = AuditLog.get(AuditLog.action == "slip.issue")
    assert (entry.user.name, entry.entity_key) == ("sales", slip.slip_no)
    refused(lambda: receive_scan(desk.clerk, slip.slip_no, "P-1"), "not approved yet")


@pytest.mark.parametrize("change, message", [
    (dict(reason="  "), "slip line 1: the reason is empty"),
    (dict(handling=""), "slip line 1: handling must be return or reprocess, not ''"),
    (dict(handling="scrap"), "handling must be return or reprocess, not 'scrap'"),
    (dict(reason="x" * 501), "reason is longer than 500"),
])
def test_each_line_needs_its_reason_and_handling(desk, case_no, change, message):
    refused(lambda: issue_slip(desk.sales, case_no, [line(**change)]), message)


def test_a_second_supervisor_approves(desk, case_no):
    slip = issue_slip(desk.supervisor, case_no, [line()])
    refused(lambda: approve_slip(desk.supervisor, slip.slip_no),
            "supervisor issued slip .*: another supervisor approves it")
    refused(lambda: approve_slip(desk.finance, slip.slip_no),
            "finance is finance: only supervisor, admin may approve", PermissionDenied)
    refused(lambda: approve_slip(desk.sales, slip.slip_no), "only supervisor, admin", PermissionDenied)
    approved = approve_slip(desk.admin, slip.slip_no)
    assert (approved.status, approved.approved_by.name) == ("receiving", "admin")
    refused(lambda: approve_slip(desk.admin, slip.slip_no), "already approved")
    entry = AuditLog.get(AuditLog.action == "slip.approve")
    assert (entry.user.name, entry.at is not None) == ("admin", True)
    assert receive_scan(desk.clerk, slip.slip_no, "P-1").figures.received == 1


def test_a_customer_caused_return_needs_the_regional_managers_approval_first(desk, case_no):
    assess(desk.inspector, case_no, "not_ours", "customer_order", "return")
    slip = issue_slip(desk.sales, case_no, [line()])
    refused(lambda: approve_slip(desk.supervisor, slip.slip_no),
            "customer-caused return .*record the regional manager's approval")
    refused(lambda: record_regional_approval(desk.sales, slip.slip_no, "  "),
            "name the regional manager")
    refused(lambda: record_regional_approval(desk.clerk, slip.slip_no, "Wu"),
            "only sales, supervisor, admin may record", PermissionDenied)
    record_regional_approval(desk.sales, slip.slip_no, " Regional Manager Wu ")
    stored = get_slip(slip.slip_no)
    assert (stored.regional_manager, stored.regional_recorded_by.name) == \
        ("Regional Manager Wu", "sales")
    approve_slip(desk.supervisor, slip.slip_no)
    refused(lambda: record_regional_approval(desk.sales, slip.slip_no, "Zhou"), "already approved")
    steps = [event.what for event in timeline(get_slip(slip.slip_no).case)]
    assert f"regional manager Regional Manager Wu approved the return of {slip.slip_no}" in steps
    assert f"slip {slip.slip_no} approved" in steps
    actions = [entry.action for entry in audit.history(desk.admin, entity="slip")]
    assert actions == ["slip.issue", "slip.regional_approval", "slip.approve"]


def test_a_slip_approved_on_issue_names_its_approver(desk, case_no):
    slip = issue_slip(desk.sales, case_no, [line()], approved_by=desk.supervisor)
    assert (slip.status, get_slip(slip.slip_no).approved_by.name) == ("receiving", "supervisor")
    refused(lambda: issue_slip(desk.supervisor, case_no, [line()], approved_by=desk.supervisor),
            "supervisor issued slip .*another supervisor")
    refused(lambda: issue_slip(desk.sales, case_no, [line()], approved_by=desk.clerk),
            "clerk is clerk: only supervisor, admin may approve", PermissionDenied)


def test_a_rejected_complaints_slip_is_not_approved(desk):
    from models.cases import decide_late
    customer(desk)
    late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
    slip = issue_slip(desk.sales, late.case_no, [line()])
    decide_late(desk.supervisor, late.case_no, "reject", "too late")
    refused(lambda: approve_slip(desk.supervisor, slip.slip_no), "was rejected")


HEADER = ("slip_no,case_no,line_no,part_no,description,unit,approved_qty,unit_price,"
          "tolerance_pct,reason,handling")


def test_import_takes_each_lines_reason_and_handling_and_its_approver(desk, case_no):
    data = (f"{HEADER},approved_by\n"
            f"RS-1,{case_no},1,P-1,Part,pcs,10,1,,quality,return,supervisor\n"
            f"RS-1,{case_no},2,P-2,Part,pcs,5,1,,wrong model,reprocess,supervisor\n"
            f"RS-2,{case_no},1,P-3,Part,kg,5,1,,ordered too many,return,\n")
    import_slips(desk.admin, data)
    one, two = get_slip("RS-1"), get_slip("RS-2")
    assert (one.status, one.approved_by.name, one.issued_by.name) == ("receiving", "supervisor", "admin")
    assert (two.status, two.approved_at) == ("awaiting_approval", None)
    assert [(li.reason, li.handling) for li in SlipLine.select().order_by(SlipLine.id)] == \
        [("quality", "return"), ("wrong model", "reprocess"), ("ordered too many", "return")]


def test_import_keeps_its_columns_and_makes_slips_wait_for_approval(desk, case_no):
    import_slips(desk.supervisor, f"{HEADER}\nRS-1,{case_no},1,P-1,Part,pcs,10,1,,dent,return\n")
    assert get_slip("RS-1").status == "awaiting_approval"


@pytest.mark.parametrize("approver, where", [
    ("clerk", "line 2: approved_by 'clerk' is not an active supervisor"),
    ("nobody", "line 2: approved_by 'nobody' is not an active supervisor"),
    ("admin", "line 2: approved_by admin: the one who imports a slip does not approve it"),
])
def test_import_refuses_an_approver_who_may_not_approve(desk, case_no, approver, where):
    data = (f"{HEADER},approved_by\nRS-1,{case_no},1,P-1,Part,pcs,10,1,,dent,return,{approver}\n"
            f"RS-2,{case_no},1,P-2,Part,pcs,10,1,,dent,return,\n")
    before = rows()
    with pytest.raises(BatchRefused) as refusal:
        import_slips(desk.admin, data)
    assert where in refusal.value.lines()[0]
    assert rows() == before and Slip.select().count() == 0


def test_import_refuses_a_slip_whose_rows_disagree_on_its_approver(desk, case_no):
    data = (f"{HEADER},approved_by\nRS-1,{case_no},1,P-1,Part,pcs,10,1,,dent,return,supervisor\n"
            f"RS-1,{case_no},2,P-2,Part,pcs,10,1,,dent,return,\n")
    with pytest.raises(BatchRefused) as refusal:
        import_slips(desk.admin, data)
    assert refusal.value.lines() == [
        "line 3: slip RS-1 has another approved_by here ('') than on line 2 ('supervisor')"]
    assert Slip.select().count() == 0


def test_import_of_a_customer_caused_return_needs_its_regional_manager(desk, case_no):
    assess(desk.inspector, case_no, "not_ours", "customer_order", "return")
    row = f"RS-1,{case_no},1,P-1,Part,pcs,10,1,,ordered too many,return,supervisor"
    with pytest.raises(BatchRefused, match="1 problem") as refusal:
        import_slips(desk.admin, f"{HEADER},approved_by\n{row}\n")
    assert "regional manager's approval" in refusal.value.lines()[0]
    import_slips(desk.admin, f"{HEADER},approved_by,regional_manager\n{row},Manager Wu\n")
    slip = get_slip("RS-1")
    assert (slip.status, slip.regional_manager, slip.regional_recorded_by.name) == \
        ("receiving", "Manager Wu", "admin")


def test_import_header_names_the_optional_columns(desk, case_no):
    with pytest.raises(BatchRefused) as refusal:
        import_slips(desk.admin, f"{HEADER},approver\nRS-1,{case_no},1,P,x,pcs,1,1,,d,return,x\n")
    assert "may add approved_by, regional_manager, basis" in refusal.value.lines()[0]
    assert "(unknown approver)" in refusal.value.lines()[0]


# --- the migration of slips a site already has -----------------------------------------------

BEFORE_0007 = "0005_reversal_request"     # slips with one reason, one handling, free-text approval
LEGACY_ROWS = [
    ('INSERT INTO "user" (name, role, pin_hash, active, failed_pins, locked, created_at) '
     "VALUES ('admin', 'admin', 'x', ?, 0, ?, '2026-09-01 09:00:00')", (True, False)),
    ('INSERT INTO "user" (name, role, pin_hash, active, failed_pins, locked, created_at) '
     "VALUES ('Sun', 'supervisor', 'x', ?, 0, ?, '2026-09-01 09:00:00')", (True, False)),
    ("INSERT INTO customer (code, name, market) VALUES ('C1', 'Customer', 'domestic')", ()),
    ("""INSERT INTO complaint_case (case_no, customer_id, order_no, part_no, customer_received_on,
            defect, category, severity, request, opened_on, opened_by_id, window_ends_on, late,
            status, against_payment, accepted_on, due_on)
        VALUES ('2610-001', 1, 'PO', 'P', '2026-10-10', '', 'performance', 'minor', '',
                '2026-10-12', 1, '2027-10-10', ?, 'open', ?, '2026-10-12', '2026-10-25')""",
     (False, False)),
]
LEGACY_SLIP = """INSERT INTO slip (slip_no, case_id, reason, handling, approved_by, issued_on,
                                   issued_by_id, status)
                 VALUES (?, 1, ?, ?, ?, '2026-10-13', 1, 'receiving')"""
LEGACY_LINE = """INSERT INTO slip_line (slip_id, line_no, part_no, description, unit,
                                        approved_qty, unit_price, received_qty, return_reason)
                 VALUES ((SELECT id FROM slip WHERE slip_no = ?), 1, ?, '', 'pcs', 10000, 10000,
                         0, '')"""


def test_migration_moves_reason_and_handling_to_the_lines_and_keeps_the_approval(db_url):
    from models import connect
    from models.db import execute
    from models.tables import User
    connect(db_url, check=False)
    Runner(db.obj, directory=str(MIGRATIONS)).up(target=BEFORE_0007)
    with db.atomic():
        for text, params in LEGACY_ROWS:
            execute(text, params)
        for number, (reason, handling, approval) in enumerate(
                [("dented", "return", "sun"), ("rust", "reprocess", "Manager Li"),
                 ("wrong", "return", "  ")], start=1):
            execute(LEGACY_SLIP, (f"RS-{number}", reason, handling, approval))
            execute(LEGACY_LINE, (f"RS-{number}", f"P-{number}"))
    assert "0007_slip_lifecycle" in migrate()
    admin, sun = User.get(User.name == "admin"), User.get(User.name == "Sun")
    found = {s.slip_no: s for s in Slip.select()}
    assert [(li.slip.slip_no, li.reason, li.handling)
            for li in SlipLine.select().order_by(SlipLine.id)] == \
        [("RS-1", "dented", "return"), ("RS-2", "rust", "reprocess"), ("RS-3", "wrong", "return")]
    # "sun" names supervisor Sun; "Manager Li" names no user: approved on its issue day anyway.
    assert (found["RS-1"].approved_by_id, found["RS-1"].approval_text) == (sun.id, "sun")
    assert (found["RS-2"].approved_by_id, found["RS-2"].approval_text) == (None, "Manager Li")
    assert found["RS-1"].approved_at == found["RS-2"].approved_at == dt.datetime(2026, 10, 13)
    assert (found["RS-3"].approved_at, found["RS-3"].status) == (None, "receiving")
    assert receive_scan(admin, "RS-2", "P-2").figures.received == 1
    with pytest.raises(DeskError, match="RS-3 is not approved yet"):
        receive_scan(admin, "RS-3", "P-3")
    approve_slip(sun, "RS-3")                     # (admin issued it)
    assert receive_scan(admin, "RS-3", "P-3").figures.received == 1
    steps = [(event.what, event.who) for event in timeline(found["RS-2"].case)]
    assert ("slip RS-2 approved", "Manager Li") in steps and ("slip RS-1 approved", "Sun") in steps
    db.close()
