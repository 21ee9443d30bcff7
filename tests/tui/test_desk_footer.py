"""The footer shows each key as the screen has it at the end: dimmed exactly when it does
nothing just now, though the screen's keys changed while the footer was being made."""
from __future__ import annotations

import datetime as dt

from models import clock
from models.receiving import close_receiving, receive_scan

from ..helpers import ready_slip
from .test_desk import desk_test, settle, sign_in


def shown(screen) -> dict[str, bool]:
    return {key.key: not key.disabled for key in screen.query("FooterKey")}


def working(screen) -> dict[str, bool]:
    return {active.binding.key: active.enabled for active in screen.active_bindings.values()}


@desk_test
async def test_the_footer_dims_what_does_nothing_now_on_every_screen(desk, pilot):
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 30)):   # received, not yet inspected
        received = ready_slip(desk, ("SW-16A", "pcs", "4", "8.20"), tolerance="0")
        for _ in range(5):
            receive_scan(desk.clerk, received.slip_no, "SW-16A")
        close_receiving(desk.clerk, received.slip_no)
    await sign_in(pilot, "finance")
    for key in ("f5", "f2", "f6", "f5"):     # finance's book key waits for the inspection
        await pilot.press(key)
        await settle(pilot)
        screen = pilot.app.screen
        keys = shown(screen)
        assert keys and keys == {key: working(screen)[key] for key in keys}, key
    assert shown(pilot.app.screen)["f8"] is False
