"""Whole screens as they look, compared with the accepted pictures in tests/__snapshots__.
The clock is frozen and the data fixed, so the pictures do not change from run to run.
`pytest --snapshot-update tests/test_desk_snapshots.py` accepts new pictures (look at them
first: the report shows both)."""
from __future__ import annotations

import datetime as dt

import pytest

from models import clock
from models.receiving import close_receiving, receive_count, receive_scan

from ..helpers import ready_slip
from .test_desk import SIZE, journal_path, scan, settle, sign_in

NOW = dt.datetime(2026, 12, 5, 10, 0)
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def site(desk):
    """A slip with an over-received line and a weighed lot, received on 20 November."""
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 30)):
        s = ready_slip(desk, ("SW-16A", "pcs", "4", "8.20"), ("PIP-32", "m", "10", "2.35"),
                       tolerance="0", slip_no="RS2611-0007")
        for _ in range(5):
            receive_scan(desk.clerk, s.slip_no, "SW-16A")
        receive_count(desk.clerk, s.slip_no, "PIP-32", "6.5")
    return s


def snap(snap_compare, desk, flow, size=SIZE) -> bool:
    from tui.desk.app import make_app

    async def run_before(pilot):
        await settle(pilot)
        await flow(pilot)
        await settle(pilot)

    with clock.frozen(NOW):
        return snap_compare(make_app(desk.url, journal=journal_path(desk)), terminal_size=size,
                            run_before=run_before)


def test_sign_in(snap_compare, desk):
    async def flow(pilot):
        pass
    assert snap(snap_compare, desk, flow)


def test_receiving_with_an_over_line(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, site.slip_no, "SW-16A")
    assert snap(snap_compare, desk, flow)


def test_finance_reconciliation(snap_compare, desk, site):
    with clock.frozen(dt.datetime(2026, 11, 21, 9)):
        close_receiving(desk.clerk, site.slip_no)

    async def flow(pilot):
        await sign_in(pilot, "finance")
        await pilot.press("f5")
    assert snap(snap_compare, desk, flow)


def test_inspection_with_label_preview(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "inspector")
        await pilot.press("f4")
        await scan(pilot, "U000006")
    assert snap(snap_compare, desk, flow)


def test_overdue_case_with_its_steps(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        await scan(pilot, site.slip_no)
    assert snap(snap_compare, desk, flow)


def test_supervisor_home_with_chart(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "supervisor")
    assert snap(snap_compare, desk, flow)


# --- 80x24 (issue 16.16): what says a line is over tolerance stays; the footer shows the
# screen's own keys and F1 first; a case takes the whole width.

SMALL = (80, 24)


def test_receiving_with_an_over_line_at_80x24(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, site.slip_no, "SW-16A")
    assert snap(snap_compare, desk, flow, SMALL)


def test_finance_reconciliation_at_80x24(snap_compare, desk, site):
    with clock.frozen(dt.datetime(2026, 11, 21, 9)):
        close_receiving(desk.clerk, site.slip_no)

    async def flow(pilot):
        await sign_in(pilot, "finance")
        await pilot.press("f5")
    assert snap(snap_compare, desk, flow, SMALL)


def test_a_case_at_80x24(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, site.slip_no)
    assert snap(snap_compare, desk, flow, SMALL)


def test_supervisor_home_at_80x24(snap_compare, desk, site):
    async def flow(pilot):
        await sign_in(pilot, "supervisor")
    assert snap(snap_compare, desk, flow, SMALL)


def test_settings_at_120x40(snap_compare, desk):
    async def flow(pilot):
        await sign_in(pilot, "admin", "9999")
        await pilot.press("f11")
    assert snap(snap_compare, desk, flow)
