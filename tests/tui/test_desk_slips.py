"""Return slips at the desk, as each role would use them: sales issue one from a case, a
supervisor approves it by PIN, finance books it (a supervisor lets it book before inspection,
or reopens it), and a clerk takes back a wrong receipt by its label."""
from __future__ import annotations

from decimal import Decimal as D

from models.cases import assess
from models.inspection import Portion, inspect
from models.receiving import close_receiving, receive_scan
from models.tables import Booking, Reversal, Slip, SlipLine, Unit

from ..helpers import case, customer, ready_slip, slip
from .test_desk import desk_test, scan, settle, sign_in, text
from .test_desk_workflows import payload, type_in


def said(app) -> str:
    return "\n".join(notice.message for notice in app._notifications)


async def open_case(pilot, case_no: str) -> None:
    await pilot.press("f6")
    await settle(pilot)
    await scan(pilot, case_no)
    assert case_no in text(pilot.app, "#case-facts")


@desk_test
async def test_sales_issue_a_slip_of_two_lines_from_a_case(desk, pilot):
    customer(desk)
    c = case(desk)
    app = pilot.app
    await sign_in(pilot, "clerk")
    await open_case(pilot, c.case_no)
    await pilot.press("ctrl+l")                      # not a clerk's: said why
    await settle(pilot)
    assert "sales or a supervisor issue return slips" in said(app)

    await pilot.press("f12")
    await sign_in(pilot, "sales")
    await open_case(pilot, c.case_no)
    await pilot.press("ctrl+l")
    await settle(pilot)
    form = app.screen.form
    assert form.values["1.part"] == "P-1"            # the case's part, to start with
    await pilot.press("enter")
    await type_in(pilot, "lid")
    await pilot.press("enter")                       # pcs
    await type_in(pilot, "5")
    await type_in(pilot, "2.50")
    await pilot.press("enter")                       # the customer's tolerance
    await type_in(pilot, "scratched")
    await pilot.press("2")                           # reprocess, on to the basis
    await pilot.press("ctrl+n")                      # line 2, its part first
    await type_in(pilot, "P-2")
    await type_in(pilot, "bolt")
    await pilot.press("enter")
    await type_in(pilot, "3")
    await type_in(pilot, "1,5")
    await type_in(pilot, "10")
    await pilot.press("ctrl+u")                      # the reason copied from line 1, cleared
    await type_in(pilot, "wrong model")
    await pilot.press("1")                           # return
    await pilot.press("ctrl+n", "ctrl+d")            # a line added and taken away again
    assert form.lines()[-1]["part"] == "P-2" and len(form.lines()) == 2
    await type_in(pilot, "")                         # back on line 2's part: move on
    await pilot.press(*["tab"] * 7)
    await type_in(pilot, "QA report 12")
    await pilot.press("enter")                       # no regional manager: saves
    await settle(pilot)

    s = Slip.get()
    assert (s.status, s.issued_by.name, s.basis) == ("awaiting_approval", "sales", "QA report 12")
    lines = list(SlipLine.select().where(SlipLine.slip == s).order_by(SlipLine.line_no))
    assert [(x.part_no, x.approved_qty, x.unit_price, x.tolerance_pct, x.reason, x.handling)
            for x in lines] == [("P-1", D(5), D("2.5"), None, "scratched", "reprocess"),
                                ("P-2", D(3), D("1.5"), D(10), "wrong model", "return")]
    assert f"slip {s.slip_no} issued" in said(app) and "waiting for approval" in said(app)


@desk_test
async def test_a_bad_line_is_refused_on_the_form_in_the_domains_words(desk, pilot):
    customer(desk)
    c = case(desk)
    app = pilot.app
    await sign_in(pilot, "sales")
    await open_case(pilot, c.case_no)
    await pilot.press("ctrl+l")
    await settle(pilot)
    await pilot.press("ctrl+s")                      # nothing filled in but the part
    await settle(pilot)
    assert "slip line 1" in text(app, "#dialog-error")
    assert Slip.select().count() == 0 and app.screen.form.values["1.part"] == "P-1"


@desk_test
async def test_the_author_cannot_approve_a_second_supervisor_does_by_pin(desk, pilot):
    customer(desk)
    s = slip(desk, case(desk).case_no, ("P-1", "pcs", "2", "1"), approved=False)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    assert "WAITING FOR APPROVAL" in text(app, "#recon-title")
    assert app.screen.query_one("#slips").marked == [True]          # stands out in the list
    await pilot.press("f8")                          # booking: the domain's refusal
    await settle(pilot)
    assert "not approved yet" in said(app)

    await pilot.press("f10")                         # no regional manager needed: on the name
    await type_in(pilot, "supervisor")               # who issued it
    await type_in(pilot, "1234")
    await settle(pilot)
    assert "another supervisor approves it" in text(app, "#dialog-error")
    app.screen.form.set("supervisor", "admin")
    app.screen.form.set("pin", "9999")
    await pilot.press("ctrl+s")
    await settle(pilot)
    s = Slip.get_by_id(s.id)
    assert (s.status, s.approved_by.name) == ("receiving", "admin")
    assert "approved by admin" in text(app, "#ack")


@desk_test
async def test_a_customer_caused_return_needs_the_regional_managers_approval(desk, pilot):
    customer(desk)
    c = case(desk)
    assess(desk.supervisor, c.case_no, "not_ours", "customer_order", "return")
    s = slip(desk, c.case_no, ("P-1", "pcs", "2", "1"), approved=False)
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f5")
    await settle(pilot)
    await pilot.press("f10")
    await pilot.press("tab")                         # the regional manager left empty
    await type_in(pilot, "admin")
    await type_in(pilot, "9999")
    await settle(pilot)
    assert "regional manager's approval" in text(app, "#dialog-error")
    app.screen.form.set("regional", "Mr Hu")
    await pilot.press("ctrl+s")
    await settle(pilot)
    s = Slip.get_by_id(s.id)
    assert (s.status, s.regional_manager, s.approved_by.name) == ("receiving", "Mr Hu", "admin")


@desk_test
async def test_booking_waits_for_inspection_a_supervisor_overrides_then_reopens(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "2"))
    for _ in range(2):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    close_receiving(desk.clerk, s.slip_no)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    assert "2 units wait for inspection" in text(app, "#recon-total")
    await pilot.press("f8")
    await settle(pilot)
    assert "2 units of this slip wait for inspection" in str(
        app.screen.query_one(".dialog-intro").render())
    await pilot.press("ctrl+s")                      # no reason, no supervisor
    await settle(pilot)
    assert "this takes a supervisor" in text(app, "#dialog-error")
    await type_in(pilot, "credit promised today")
    await type_in(pilot, "supervisor")
    await type_in(pilot, "1234")
    await settle(pilot)
    booking = Booking.get()
    assert (booking.by.name, booking.override_by.name, booking.override_reason, booking.amount) \
        == ("finance", "supervisor", "credit promised today", D(4))
    assert "booked before inspection" in text(app, "#ack")

    await scan(pilot, s.slip_no)                     # the booked slip, opened by its number
    assert "BOOKED" in text(app, "#recon-title")
    await pilot.press("ctrl+o")
    await type_in(pilot, "")                         # no reason: refused
    await type_in(pilot, "supervisor")
    await type_in(pilot, "1234")
    await settle(pilot)
    assert "give the reason for reopening" in text(app, "#dialog-error")
    app.screen.form.set("reason", "wrong unit price")
    await pilot.press("ctrl+s")
    await settle(pilot)
    booking = Booking.get_by_id(booking.id)
    assert (Slip.get_by_id(s.id).status, booking.reopened_by.name, booking.reopen_reason) == \
        ("received", "supervisor", "wrong unit price")
    assert "reopened: now to book" in text(app, "#ack")


@desk_test
async def test_a_clerk_reverses_a_unit_by_its_label_a_supervisor_an_inspected_one(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    first, second = (receive_scan(desk.clerk, s.slip_no, "P-1").unit for _ in range(2))
    inspect(desk.inspector, second.code, [Portion(True, "restock", second.qty)])
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("f9")
    assert "REVERSE" in text(app, "#ack")
    await scan(pilot, "XYZ")                         # not a label: said, still reversing
    assert "not a unit label" in said(app) and app.screen.reversing
    await scan(pilot, payload(first))                # the label's QR
    await type_in(pilot, "scanned twice")
    await settle(pilot)
    assert (Unit.get_by_id(first.id).state, Reversal.get().by.name) == ("reversed", "clerk")
    assert f"{first.code} reversed" in text(app, "#ack")
    assert Unit.select().where(Unit.state == "awaiting").count() == 0   # nothing received

    await pilot.press("f9")
    await scan(pilot, second.code)                   # inspected: a supervisor's PIN
    await type_in(pilot, "wrong part")
    await pilot.press("ctrl+s")                      # no supervisor's name and PIN: refused
    await settle(pilot)
    assert "this takes a supervisor" in text(app, "#dialog-error")
    app.screen.form.set("supervisor", "supervisor")
    app.screen.form.set("pin", "1234")
    await pilot.press("ctrl+s")
    await settle(pilot)
    reversal = Reversal.get(Reversal.unit == second.id)
    assert (Unit.get_by_id(second.id).state, reversal.by.name) == ("reversed", "supervisor")
    assert SlipLine.get().received_qty == 0


@desk_test
async def test_escape_leaves_the_reverse_mode_and_scans_are_received_again(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no)
    await pilot.press("f9", "escape")
    assert not app.screen.reversing and "cancelled" in text(app, "#ack")
    await scan(pilot, "P-1")
    assert Unit.select().count() == 1
