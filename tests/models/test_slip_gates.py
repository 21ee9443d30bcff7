"""Issue 15, the return slip's gates and corrections: no receiving or booking on a rejected or
unapproved slip, booking after inspection (or a supervisor's override), "cap at allowed" in
whole pieces, reversing a wrong unit, reopening a booked slip."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from models.cases import decide_late
from models.errors import PermissionDenied
from models.inspection import Portion, inspect
from models.numbers import round_money
from models.printing import claim_jobs, mark_failed, queue_reprint
from models.receiving import close_receiving, receive_count, receive_scan, reverse_unit
from models.reconciliation import book_slip, decide_line, reopen_slip
from models.timeline import timeline
from models.slips import approve_slip, get_slip
from models.tables import (AuditLog, BookedLine, Booking, Inspection, PrintJob, Reversal,
                           SlipLine, Unit)

from ..helpers import case, customer, inspect_all, ready_slip, refused, slip


def scan(desk, slip_no, part, times):
    return [receive_scan(desk.clerk, slip_no, part) for _ in range(times)]


def line_of(s, number=1) -> SlipLine:
    return SlipLine.get(SlipLine.slip == s.id, SlipLine.line_no == number)


# --- rejected and unapproved ------------------------------------------------------------------

def test_nothing_is_received_or_booked_on_a_rejected_complaints_slip(desk):
    customer(desk)
    late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
    s = slip(desk, late.case_no, ("P-1", "pcs", "10", "1"), ("W", "kg", "5", "1"))
    scan(desk, s.slip_no, "P-1", 2)
    decide_late(desk.supervisor, late.case_no, "reject", "reported after the window")
    rejected = "the complaint of slip .* was rejected: nothing can be"
    refused(lambda: receive_scan(desk.clerk, s.slip_no, "P-1"), rejected + " received")
    refused(lambda: receive_count(desk.clerk, s.slip_no, "W", "1"), rejected + " received")
    refused(lambda: close_receiving(desk.clerk, s.slip_no), rejected + " received")
    # the clerk's correction still goes through: a wrong unit can be taken off
    reverse_unit(desk.clerk, Unit.get().code, "scanned on the wrong slip")


def test_booking_a_rejected_complaints_received_slip_is_refused(desk):
    customer(desk)
    late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
    s = slip(desk, late.case_no, ("P-1", "pcs", "10", "1"))
    scan(desk, s.slip_no, "P-1", 10)
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)
    decide_late(desk.supervisor, late.case_no, "reject", "reported after the window")
    refused(lambda: book_slip(desk.finance, s.slip_no), "was rejected: nothing can be booked")


def test_nothing_is_received_or_booked_before_approval(desk):
    customer(desk)
    s = slip(desk, case(desk).case_no, ("P-1", "pcs", "10", "1"), approved=False)
    refused(lambda: receive_scan(desk.clerk, s.slip_no, "P-1"),
            f"slip {s.slip_no} is not approved yet: a supervisor approves it before anything "
            "is received")
    refused(lambda: close_receiving(desk.clerk, s.slip_no), "not approved yet")
    refused(lambda: book_slip(desk.finance, s.slip_no), "not approved yet.* booked")
    refused(lambda: reopen_slip(desk.supervisor, s.slip_no, "why"), "waits for approval")
    approve_slip(desk.admin, s.slip_no)
    assert receive_scan(desk.clerk, s.slip_no, "P-1").figures.received == 1


# --- booking after inspection -----------------------------------------------------------------

def test_booking_waits_for_every_unit_to_be_inspected(desk):
    s = ready_slip(desk, ("P-1", "pcs", "3", "2"), ("W", "kg", "5", "1"))
    first, *_ = scan(desk, s.slip_no, "P-1", 3)
    receive_count(desk.clerk, s.slip_no, "W", "5")
    close_receiving(desk.clerk, s.slip_no)
    inspect(desk.inspector, first.unit.code, [Portion(True, "restock", "1")])
    refused(lambda: book_slip(desk.finance, s.slip_no),
            f"3 unit\\(s\\) of slip {s.slip_no} wait for inspection")
    inspect_all(desk, s.slip_no)
    booking = book_slip(desk.finance, s.slip_no)
    assert (booking.amount, booking.override_by) == (D(11), None)


def test_a_supervisor_lets_it_book_before_inspection_with_a_reason(desk):
    s = ready_slip(desk, ("P-1", "pcs", "3", "2"))
    scan(desk, s.slip_no, "P-1", 3)
    close_receiving(desk.clerk, s.slip_no)
    refused(lambda: book_slip(desk.finance, s.slip_no, override_by=desk.finance,
                              override_reason="month end"),
            "finance is finance: only supervisor, admin may let a slip be booked", PermissionDenied)
    refused(lambda: book_slip(desk.finance, s.slip_no, override_by=desk.supervisor),
            "give the reason for booking before every unit is inspected")
    booking = book_slip(desk.finance, s.slip_no, override_by=desk.supervisor,
                        override_reason="month end: quality inspects on Monday")
    assert (booking.by.name, booking.override_by.name, booking.override_reason) == \
        ("finance", "supervisor", "month end: quality inspects on Monday")
    entry = AuditLog.get(AuditLog.action == "slip.book")
    assert '"override_by": "supervisor"' in entry.after and '"uninspected_units": 3' in entry.after
    steps = [(event.what, event.who) for event in timeline(get_slip(s.slip_no).case)]
    assert (f"{s.slip_no} booked before every unit was inspected: month end: quality inspects "
            "on Monday", "supervisor") in steps


# --- cap at allowed ---------------------------------------------------------------------------

@pytest.mark.parametrize("unit, approved, received, tolerance, capped", [
    ("pcs", "10", "11", "5", D(10)),              # allowed 10.5: whole pieces, rounded down
    ("set", "20", "23", "7.5", D(21)),            # allowed 21.5
    ("kg", "10", "11", "5", D("10.5")),           # kg keeps its decimals
    ("m", "10.001", "10.6", "2.5", D("10.251")),  # allowed 10.251025: to the millimetre, down
])
def test_cap_at_allowed_books_whole_pieces_and_exact_kg(desk, unit, approved, received,
                                                        tolerance, capped):
    s = ready_slip(desk, ("P-1", unit, approved, "12.50"), tolerance=tolerance)
    receive_count(desk.clerk, s.slip_no, "P-1", received)
    close_receiving(desk.clerk, s.slip_no)
    decision = decide_line(desk.supervisor, s.slip_no, 1, "cap_allowed", "spares go back")
    assert decision.book_qty == capped
    inspect_all(desk, s.slip_no)
    booking = book_slip(desk.finance, s.slip_no)
    assert booking.amount == round_money(capped * D("12.50"), "CNY")   # 128.1375: 128.14
    assert BookedLine.get().qty == capped


# --- reversing a wrong unit ---------------------------------------------------------------------

def test_a_clerk_reverses_an_uninspected_unit_and_its_label_will_not_print(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    kept, wrong = (r.unit for r in scan(desk, s.slip_no, "P-1", 2))
    refused(lambda: reverse_unit(desk.clerk, wrong.code, " "), "say why")
    reverse_unit(desk.clerk, wrong.code.lower(), "scanned twice")
    assert Unit.get_by_id(wrong.id).state == "reversed"           # kept, marked
    assert Unit.get_by_id(kept.id).state == "awaiting"
    assert (Reversal.get().unit_id, Reversal.get().by.name) == (wrong.id, "clerk")
    assert line_of(s).received_qty == 1
    assert PrintJob.get(PrintJob.unit == wrong.id).status == "cancelled"
    assert [job.unit_id for job in claim_jobs()] == [kept.id]     # the wrong label never prints
    entry = AuditLog.get(AuditLog.action == "receive.reverse")
    assert (entry.user.name, entry.entity_key) == ("clerk", wrong.code)
    refused(lambda: reverse_unit(desk.clerk, wrong.code, "again"), "already reversed")
    refused(lambda: queue_reprint(desk.clerk, wrong.code), "was reversed .*: it gets no label")


def test_a_label_being_printed_when_reversed_is_not_printed_again(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = scan(desk, s.slip_no, "P-1", 1)[0].unit
    job, = claim_jobs()
    reverse_unit(desk.clerk, unit.code, "wrong part")
    mark_failed(job.id, "printer offline")                        # the worker reports late
    assert PrintJob.get_by_id(job.id).status == "cancelled" and claim_jobs() == []


def test_after_inspection_only_a_supervisor_reverses_and_the_inspection_stays(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    first, second = (r.unit for r in scan(desk, s.slip_no, "P-1", 2))
    inspect(desk.inspector, first.code, [Portion(False, "scrap", "1")], "appearance", "dent")
    inspect(desk.inspector, second.code, [Portion(True, "restock", "1")])
    close_receiving(desk.clerk, s.slip_no)
    refused(lambda: reverse_unit(desk.clerk, first.code, "not ours"),
            "clerk is clerk: only supervisor, admin may reverse inspected units", PermissionDenied)
    reverse_unit(desk.supervisor, first.code, "not our product: another supplier's bracket")
    assert Inspection.select().count() == 2                        # history kept
    assert line_of(s).received_qty == 1
    assert line_of(s).return_reason == "1 pass -> restock"         # the reversed unit is out
    entry = AuditLog.get(AuditLog.action == "receive.reverse")
    assert '"state": "inspected"' in entry.before and entry.user.name == "supervisor"
    assert book_slip(desk.finance, s.slip_no).amount == D(1)


def test_a_booked_slip_is_reopened_before_a_unit_is_reversed(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "3"))
    units = [r.unit for r in scan(desk, s.slip_no, "P-1", 3)]
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)
    first = book_slip(desk.finance, s.slip_no)
    refused(lambda: reverse_unit(desk.supervisor, units[0].code, "wrong"),
            "is booked: a supervisor reopens it")
    refused(lambda: reopen_slip(desk.supervisor, s.slip_no, " "), "give the reason")
    refused(lambda: reopen_slip(desk.finance, s.slip_no, "x"), "only supervisor, admin",
            PermissionDenied)
    reopen_slip(desk.supervisor, s.slip_no, "one unit was another customer's")
    reverse_unit(desk.supervisor, units[0].code, "another customer's unit")
    again = book_slip(desk.finance, s.slip_no)
    kept = Booking.get_by_id(first.id)                              # the first booking stays
    assert (kept.amount, kept.reopened_by.name, kept.reopen_reason) == \
        (D(9), "supervisor", "one unit was another customer's")
    assert (again.amount, again.reopened_at) == (D(6), None)
    actions = [e.action for e in AuditLog.select().where(AuditLog.entity_key == s.slip_no)
               .order_by(AuditLog.id)]
    assert actions[-3:] == ["slip.book", "slip.reopen", "slip.book"]
    steps = [event.what for event in timeline(get_slip(s.slip_no).case)]
    assert f"{s.slip_no} reopened: one unit was another customer's" in steps
    assert f"{units[0].code} reversed: another customer's unit" in steps
