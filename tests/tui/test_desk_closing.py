"""Closing the shared desk (issue 16.2): ctrl+q is an admin's act, by name and PIN, from any
screen; the command palette offers the desk's own actions only."""
from __future__ import annotations

from textual.command import CommandList, CommandPalette

from models.tables import AuditLog
from tui.desk.dialogs import FormDialog

from .test_desk import desk_test, settle, sign_in


async def palette_entries(pilot) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.app.workers.wait_for_complete()     # the palette's search for its entries
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    results = palette.query_one(CommandList)
    entries = [str(results.get_option_at_index(n).prompt) for n in range(results.option_count)]
    await pilot.press("escape")
    await settle(pilot)
    return entries


@desk_test
async def test_ctrl_q_on_the_sign_in_screen_asks_for_an_admin(desk, pilot):
    app = pilot.app
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert app.return_code is None
    assert isinstance(app.screen, FormDialog)
    # A clerk's own name and PIN do not close it: it says who may, and the desk stays.
    await pilot.press(*"clerk", "enter", *"1234", "enter")
    await settle(pilot)
    assert app.return_code is None
    assert "only admin may close the shared desk" in str(app.screen.query_one("#dialog-error")
                                                          .render())
    await pilot.press("escape")
    await settle(pilot)
    assert app.current_mode == "signin" and app.return_code is None
    # An admin's name and PIN close it, on record.
    await pilot.press("ctrl+q")
    await pilot.press(*"admin", "enter", *"9999", "enter")
    await settle(pilot)
    assert app.return_code == 0
    assert AuditLog.select().where(AuditLog.action == "desk.leave").count() == 1


@desk_test
async def test_ctrl_q_from_a_work_screen_keeps_the_desk_open_for_a_clerk(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3", "ctrl+q")
    await settle(pilot)
    assert app.return_code is None and isinstance(app.screen, FormDialog)
    await pilot.press("escape")
    await settle(pilot)
    assert app.current_mode == "receiving" and app.user is not None


@desk_test
async def test_a_signed_in_admin_closes_it_with_their_pin(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("ctrl+q")
    await settle(pilot)
    assert app.return_code is None and isinstance(app.screen, FormDialog)
    await pilot.press(*"9999", "enter")
    await settle(pilot)
    assert app.return_code == 0


@desk_test
async def test_the_palette_offers_the_desks_own_actions_only(desk, pilot):
    entries = await palette_entries(pilot)
    assert entries and not any(word in entry for entry in entries
                               for word in ("Quit", "Screenshot", "Theme", "Maximize", "Keys"))
    await sign_in(pilot, "clerk")
    entries = await palette_entries(pilot)
    assert any("Receive (f3)" in entry for entry in entries), entries
    assert not any(word in entry for entry in entries
                   for word in ("Quit", "Screenshot", "Theme", "Maximize", "Keys"))
