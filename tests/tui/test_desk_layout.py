"""What the desk shows at 80x24 and 120x40 (issue 16.16): the columns that say whether a line
is over tolerance, and the amount, stay when a table is too wide; a case's timeline can be
read to its end; a footer that does not fit shows the screen's own keys and F1 (whose help
lists every key); the settings' values are not cut while the line has room."""
from __future__ import annotations

import asyncio
import datetime as dt

from models import clock, settings
from models.db import db
from models.receiving import close_receiving, receive_count, receive_scan
from tui.desk.app import make_app

from ..helpers import ready_slip
from .test_desk import journal_path, scan, settle, sign_in
from .test_desk_forms_fit import shown_lines

SMALL, LARGE = (80, 24), (120, 40)
NOW = dt.datetime(2026, 12, 5, 10, 0)


def run_at(desk, size, body) -> None:
    async def main():
        app = make_app(desk.url, journal=journal_path(desk))
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await body(pilot)
    with clock.frozen(NOW):
        asyncio.run(main())
    db.connect(reuse_if_open=True)


def over_slip(desk, close: bool):
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 30)):
        s = ready_slip(desk, ("SW-16A", "pcs", "4", "8.20"), ("PIP-32", "m", "10", "2.35"),
                       tolerance="0")
        for _ in range(5):
            receive_scan(desk.clerk, s.slip_no, "SW-16A")
        receive_count(desk.clerk, s.slip_no, "PIP-32", "6.5")
        if close:
            close_receiving(desk.clerk, s.slip_no)
    return s


def header_and_row(lines: list[str], part: str) -> tuple[str, str]:
    header = next(line for line in lines if "received" in line and "status" in line)
    row = next(line for line in lines if part in line and line is not header)
    return header, row


def footer(lines: list[str]) -> str:
    return lines[-1]


def test_finance_keeps_status_and_amount_at_80x24(desk):
    s = over_slip(desk, close=True)

    async def body(pilot):
        await sign_in(pilot, "finance")
        await pilot.press("f5")
        await scan(pilot, s.slip_no)
        header, row = header_and_row(shown_lines(pilot.app), "SW-16A")
        for title in ("received", "allowed", "status", "amount"):
            assert title in header, header
        assert row.split()[-2:] == ["over", "–"], row          # over: nothing to book yet
        keys = footer(shown_lines(pilot.app))
        assert keys.startswith(" f7 Decide line") or keys.startswith("f7 Decide line"), keys
        assert "f1 Help" in keys, keys
    run_at(desk, SMALL, body)


def test_receiving_keeps_the_over_tolerance_columns_at_80x24(desk):
    s = over_slip(desk, close=False)

    async def body(pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, s.slip_no)
        header, row = header_and_row(shown_lines(pilot.app), "SW-16A")
        for title in ("approved", "received", "allowed", "status"):
            assert title in header, header
        assert row.rstrip(" │").endswith("over tolerance"), row
        assert "f1 Help" in footer(shown_lines(pilot.app))
    run_at(desk, SMALL, body)


def test_a_cases_timeline_reads_to_its_end_at_80x24(desk):
    s = over_slip(desk, close=True)

    async def body(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, s.case.case_no)
        app = pilot.app
        timeline = app.screen.detail.events.splitlines()
        assert not any(timeline[-1].strip()[:40] in line for line in shown_lines(app))
        await pilot.press(*["pagedown"] * 4)
        await pilot.pause()
        assert any(timeline[-1].strip()[:40] in line for line in shown_lines(app)), \
            "\n".join(shown_lines(app))
        await pilot.press("escape")                # back to the list of cases
        await pilot.pause()
        assert any(s.case.case_no in line and "open" in line for line in shown_lines(app))
    run_at(desk, SMALL, body)


def test_homes_over_tolerance_row_says_its_line_how_much_over_and_case_at_80x24(desk):
    s = over_slip(desk, close=True)          # SW-16A: 5 received of 4 approved, tolerance 0
    brief = (f"case {s.case.case_no}", "+1 pcs", "line 1 SW-16A")
    full = ("5 of 4 pcs, allowed 4 · line 1 SW-16A", f"C1 · case {s.case.case_no}")

    def over_row(app) -> str:
        return next(line for line in shown_lines(app)
                    if s.slip_no in line and "over tolerance" in line)

    async def small(pilot):
        await sign_in(pilot, "supervisor")
        row = over_row(pilot.app)
        assert all(fact in row for fact in brief), row

    async def large(pilot):
        await sign_in(pilot, "supervisor")
        row = over_row(pilot.app)
        assert all(fact in row for fact in full), row      # all of it, as before
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        row = over_row(pilot.app)
        assert all(fact in row for fact in brief), row
        await pilot.resize_terminal(*LARGE)
        await pilot.pause()
        assert all(fact in over_row(pilot.app) for fact in full)
    run_at(desk, SMALL, small)
    run_at(desk, LARGE, large)


def test_every_screens_footer_shows_its_own_keys_and_f1_at_80x24(desk):
    over_slip(desk, close=True)

    async def body(pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        for key in ("f2", "f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await settle(pilot)
            keys = footer(shown_lines(app))
            assert "f1 Help" in keys, (key, keys)
            own = [active.binding.description for active in app.screen.active_bindings.values()
                   if active.node is not app and active.binding.show]
            before_help = keys.split("f1 Help")[0]
            assert not own or own[0] in before_help, (key, own, keys)   # the screen's first
        # A key the footer had no room for is in F1's list of every key.
        assert "Switch user" not in footer(shown_lines(app))
        await pilot.press("f1")
        await settle(pilot)
        assert "f12  Switch user" in str(app.screen.query_one(".help-keys").render())
    run_at(desk, SMALL, body)


def test_the_admins_footer_and_setting_values_fit_120x40(desk):
    holidays = ",".join(f"2026-10-0{day}" for day in range(1, 7))
    settings.set_value(desk.admin, "holidays", holidays)

    async def body(pilot):
        await sign_in(pilot, "admin", "9999")
        await pilot.press("f11")
        await settle(pilot)
        lines = shown_lines(pilot.app)
        assert any(holidays in line for line in lines), "\n".join(lines)
        keys = footer(lines)
        for key in ("f1 Help", "f2 Home", "f6 Cases", "f11 Settings", "f12 Switch user"):
            assert key in keys, keys
    run_at(desk, LARGE, body)


def test_homes_rows_say_how_late_first_at_80x24(desk):
    """At 80 columns "since / due" is off screen: a row without a brief form of its own says
    it before its `what` (how late an overdue case is); at 120 it keeps its column."""
    from ..helpers import case, customer
    customer(desk)
    overdue = case(desk, opened=dt.date(2026, 11, 2), received=dt.date(2026, 11, 1))

    def case_row(app) -> str:
        return next(line for line in shown_lines(app)
                    if overdue.case_no in line and "overdue case" in line)

    async def small(pilot):
        await sign_in(pilot, "supervisor")
        assert case_row(pilot.app).split(overdue.case_no)[1].split()[:1] == ["due"]
        assert "d late) · C1 · PO-1" in case_row(pilot.app)

    async def large(pilot):
        await sign_in(pilot, "supervisor")
        what, due = case_row(pilot.app).split(overdue.case_no)[1].split("due ", 1)
        assert what.split() == ["C1", "·", "PO-1"] and "d late)" in due
    run_at(desk, SMALL, small)
    run_at(desk, LARGE, large)
