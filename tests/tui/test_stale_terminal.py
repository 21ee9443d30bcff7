"""A terminal that had a slip open before another terminal booked it cannot change it: its
scans, its undo and its booking are refused with the reason, and nothing changes."""
from __future__ import annotations

from models.reconciliation import book_slip
from models.receiving import close_receiving, receive_scan
from models.tables import AuditLog, Booking, SlipLine, Unit

from ..figures import record
from ..helpers import inspect_all, ready_slip
from .test_desk import desk_test, scan, settle, sign_in, text


def said(app) -> str:
    """What the desk told the person in its notices (refusals come with the bell)."""
    return "\n".join(notice.message for notice in app._notifications)


def state():
    """What a stale terminal must not change."""
    return (Unit.select().count(), [line.received_qty for line in SlipLine.select()],
            Booking.select().count(), AuditLog.select().count())


@desk_test
async def test_receiving_a_slip_booked_meanwhile_elsewhere(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    assert "✔" in text(app, "#ack")
    close_receiving(desk.clerk, s.slip_no)              # another terminal: closed and booked
    inspect_all(desk, s.slip_no)
    book_slip(desk.finance, s.slip_no)
    before = state()
    refused = 0
    await scan(pilot, "P-1")
    refused += "is booked: nothing more can be received" in text(app, "#ack")
    await pilot.press("ctrl+z")
    await settle(pilot)
    refused += "booked" in text(app, "#ack")
    held = refused if state() == before else 0
    record("stale", desk.url, 2, held, "receiving screen open while booked elsewhere")
    assert (refused, state()) == (2, before)


@desk_test
async def test_booking_twice_from_two_terminals(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "2", "10.00"))
    for _ in range(2):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    assert "P-1" in app.screen.query_one("#recon-lines").render_line(0).text
    book_slip(desk.finance, s.slip_no)                  # the other terminal was quicker
    before = state()
    await pilot.press("f8", "enter")
    await settle(pilot)
    refused = "already booked" in said(app)
    record("stale", desk.url, 1, int(refused and state() == before),
           "finance screen open while booked elsewhere")
    assert refused and state() == before


@desk_test
async def test_a_desk_signed_in_before_a_restore_stops_and_says_so(desk, pilot, tmp_path):
    from models.backup import backup
    from ..models.test_backup import restore_from_another_terminal
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    target = backup(desk.admin, tmp_path / "site.backup")
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    assert "✔" in text(app, "#ack")
    restore_from_another_terminal(desk, target)         # the admin, at another terminal
    before = state()
    await scan(pilot, "P-1")
    said = text(app, "#ack")
    assert "the site was restored at" in said and "by admin: sign in again" in said
    assert state() == before
