"""Lines over tolerance lead supervisors and finance to them: counted and listed on home,
marked in finance's list, and F7 / Enter at finance go to the next slip with one waiting."""
from __future__ import annotations

from models.reconciliation import decide_line
from models.reconciliation_rows import (lines_waiting_for_decision, lines_waiting_in_all,
                                        next_slip_waiting, waiting_for_decision_per_slip)
from models.receiving import close_receiving, receive_scan
from tui.desk.widgets import SlipList

from ..helpers import case, customer, slip
from .test_desk import desk_test, settle, sign_in, text


def received(desk, case_no, approved: int, scans: int, close: bool = True):
    """A slip of one piece line, `scans` pieces received, its receiving closed."""
    issued = slip(desk, case_no, ("P-1", "pcs", str(approved), "10"))
    for _ in range(scans):
        receive_scan(desk.clerk, issued.slip_no, "P-1")
    if close:
        close_receiving(desk.clerk, issued.slip_no)
    return issued.slip_no


def site(desk) -> tuple[str, str, str]:
    """Slips: one within (nothing to decide), two over (waiting), one over and decided,
    one over but still being received (not yet for finance). Tolerance 0."""
    customer(desk, tolerance=0)
    case_no = case(desk).case_no
    within = received(desk, case_no, 2, 2)
    first = received(desk, case_no, 2, 3)
    decided = received(desk, case_no, 2, 4)
    decide_line(desk.supervisor, decided, 1, "approved_only", "only 2 were agreed")
    received(desk, case_no, 2, 5, close=False)
    second = received(desk, case_no, 1, 2)
    return within, first, second


def test_the_lines_waiting_for_a_decision_are_the_over_lines_of_received_slips(desk):
    within, first, second = site(desk)
    assert [(line.slip_no, line.line_no, line.figures.status)
            for line in lines_waiting_for_decision()] == [(first, 1, "over"), (second, 1, "over")]
    # finance counts its page's slips, and asks for the next slip waiting when it goes there
    assert waiting_for_decision_per_slip([within, first]) == {first: 1}
    assert waiting_for_decision_per_slip([]) == {}
    assert waiting_for_decision_per_slip() == {first: 1, second: 1}
    # home counts them all and reads the first slips' lines
    assert lines_waiting_in_all(first=1) == (2, {first: 1})
    assert lines_waiting_in_all(first=8) == (2, {first: 1, second: 1})
    assert next_slip_waiting(within) == (first, 1)
    assert next_slip_waiting(first) == (second, 1)
    assert next_slip_waiting(second) == (first, 1)            # round to the first again


def test_no_slip_waits_when_every_line_is_decided(desk):
    within, first, second = site(desk)
    for slip_no in (first, second):
        decide_line(desk.supervisor, slip_no, 1, "accept_actual", "agreed with the customer")
    assert next_slip_waiting("") is None
    assert lines_waiting_in_all(first=8) == (0, {})


@desk_test
async def test_home_counts_and_lists_over_lines_for_supervisor_and_finance(desk, pilot):
    within, first, second = site(desk)
    app = pilot.app
    await sign_in(pilot, "supervisor")
    assert "over-tolerance lines to decide: 2" in text(app, "#counts")
    over = [row for row in app.screen.rows if row.kind == "over tolerance"]
    assert [row.key for row in over] == [first, second]
    assert over[0].what == "3 of 2 pcs, allowed 2 · line 1 P-1"
    while app.screen.rows[app.screen.query_one("#waiting").cursor].key != first:
        await pilot.press("down")
    await pilot.press("enter")                     # opens the slip at finance
    await settle(pilot)
    assert app.current_mode == "finance"
    assert f"Slip {first}" in text(app, "#recon-title")
    assert app.screen.query_one(SlipList).highlighted.slip_no == first
    await pilot.press("f12")
    await settle(pilot)
    await sign_in(pilot, "finance")
    assert "over-tolerance lines to decide: 2" in text(app, "#counts")
    await pilot.press("f12")
    await settle(pilot)
    await sign_in(pilot, "clerk")                 # not the clerk's work
    assert "over-tolerance" not in text(app, "#counts")


@desk_test
async def test_finance_marks_slips_with_over_lines_and_goes_to_the_next_one(desk, pilot):
    within, first, second = site(desk)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    slips = app.screen.query_one(SlipList)
    assert slips.waiting == {first: 1, second: 1}
    rows = {row.slip_no: n for n, row in enumerate(slips.slips)}
    assert slips.marked[rows[first]] and slips.marked[rows[second]]
    assert not slips.marked[rows[within]]
    assert slips.lines[rows[first]].rstrip().endswith(" 1")       # the "over" column
    assert app.screen.recon.slip_no == within      # the first slip: nothing waits on it
    await pilot.press("enter")                     # Enter: the next slip with a line waiting
    await settle(pilot)
    assert app.screen.recon.slip_no == first and slips.highlighted.slip_no == first
    assert f"slip {first}: 1 line over tolerance waits" in text(app, "#ack")
    await pilot.press("enter")
    await settle(pilot)
    assert app.screen.recon.slip_no == second
    await pilot.press("enter")                     # round to the first again
    await settle(pilot)
    assert app.screen.recon.slip_no == first
    await pilot.press("up")                        # a slip with nothing to decide...
    await settle(pilot)
    assert app.screen.recon.slip_no != first
    assert text(app, "#ack").strip() == ""        # what was said of the slip left is gone
    await pilot.press("f7")                        # ...F7 goes to the next one waiting
    await settle(pilot)
    assert app.screen.recon.slip_no == first
    await pilot.press("f7")                        # ...and on it, decides its line
    await settle(pilot)
    assert "Supervisor's PIN" in str(app.screen.query_one("#form").render())
