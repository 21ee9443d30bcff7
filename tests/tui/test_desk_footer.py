"""The footer shows each key as the screen has it at the end: dimmed exactly when it does
nothing just now, though the screen's keys changed while the footer was being made."""
from __future__ import annotations

import datetime as dt

from models import clock
from models.receiving import close_receiving

from .test_desk import desk_test, settle, sign_in
from .test_desk_snapshots import site  # noqa: F401  (the fixture)


def shown(screen) -> dict[str, bool]:
    return {key.key: not key.disabled for key in screen.query("FooterKey")}


def working(screen) -> dict[str, bool]:
    return {active.binding.key: active.enabled for active in screen.active_bindings.values()}


@desk_test
async def test_the_footer_dims_what_does_nothing_now_on_every_screen(desk, pilot, site):
    with clock.frozen(dt.datetime(2026, 11, 21, 9)):
        close_receiving(desk.clerk, site.slip_no)
    await sign_in(pilot, "finance")
    for key in ("f5", "f2", "f6", "f5"):     # finance's book key waits for the inspection
        await pilot.press(key)
        await settle(pilot)
        screen = pilot.app.screen
        keys = shown(screen)
        assert keys and keys == {key: working(screen)[key] for key in keys}, key
    assert shown(pilot.app.screen)["f8"] is False
