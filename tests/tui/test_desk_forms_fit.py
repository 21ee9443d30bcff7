"""Every form of the desk fits an 80x24 terminal, or scrolls to the field being filled in
(issue 16.8: the split and whole-line forms were taller than the screen and the cause was
typed blind). Each form is opened as a person would, and Tab walks it field by field: the
field's "›" line is on the screen each time, and so are the form's keys."""
from __future__ import annotations

import asyncio
import datetime as dt

from textual.geometry import Region

from models import clock
from models.db import db
from models.receiving import close_receiving, receive_count, receive_scan
from tui.desk.app import make_app
from tui.desk.dialogs import ConfirmDialog, FormDialog

from ..helpers import case, customer, slip
from .test_desk import journal_path, scan, settle, sign_in

SMALL = (80, 24)
NOW = dt.datetime(2026, 12, 5, 10, 0)


def shown_lines(app) -> list[str]:
    """The text the terminal shows of the screen on top (a dialog and what it covers)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown(app, dialog) -> None:
    """The field being filled in, and the form's keys, are on the screen."""
    field = dialog.form.fields[dialog.form.current]
    lines = shown_lines(app)
    screen = "\n".join(lines)
    assert any(f"› {field.label[:24]}" in line for line in lines), \
        f"{dialog.heading}: field {field.label!r} is not on the screen:\n{screen}"
    box, keys = dialog.query_one(".dialog").region, dialog.query_one(".dialog-hint").region
    assert box.contains_region(keys), f"{dialog.heading}: its keys are not shown:\n{screen}"


async def walk(pilot, *keys: str) -> str:
    """Open a form with `keys`, check it at every field, close it; its title."""
    app = pilot.app
    await pilot.press(*keys)
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, (FormDialog, ConfirmDialog)), f"{keys} opened no form"
    box = dialog.query_one(".dialog").region
    assert Region(0, 0, *SMALL).contains_region(box), f"{dialog.heading}: {box} is off screen"
    if isinstance(dialog, FormDialog):
        form = dialog.form
        shown(app, dialog)                                  # where the form starts
        await pilot.press(*["shift+tab"] * form.current)    # back to its first field
        for n in range(len(form.fields)):
            await pilot.pause()
            assert form.current == n
            shown(app, dialog)
            await pilot.press("tab")
        await pilot.press(*["shift+tab"] * len(form.fields))   # and back up to the first
        await pilot.pause()
        shown(app, dialog)
    else:
        assert box.contains_region(dialog.query_one(".dialog-hint").region), dialog.heading
    await pilot.press("escape")
    await settle(pilot)
    assert not isinstance(app.screen, (FormDialog, ConfirmDialog))
    return dialog.heading


def run_small(desk, body) -> None:
    async def main():
        app = make_app(desk.url, journal=journal_path(desk))
        async with app.run_test(size=SMALL) as pilot:
            await settle(pilot)
            await body(pilot)
    with clock.frozen(NOW):
        asyncio.run(main())
    db.connect(reuse_if_open=True)


def site(desk):
    """A slip being received (a piece line and a weighed lot), one received with an over line,
    one waiting for approval; an overdue case and a late complaint."""
    customer(desk, tolerance="0")
    with clock.frozen(dt.datetime(2026, 11, 20, 9, 30)):
        receiving = slip(desk, case(desk).case_no, ("SW-16A", "pcs", "4", "8.20"),
                         ("PIP-32", "m", "10", "2.35"))
        receive_scan(desk.clerk, receiving.slip_no, "SW-16A")
        received = slip(desk, case(desk).case_no, ("SW-16A", "pcs", "4", "8.20"),
                        ("PIP-32", "m", "10", "2.35"))
        pieces = [receive_scan(desk.clerk, received.slip_no, "SW-16A").unit.code
                  for _ in range(5)]
        lot = receive_count(desk.clerk, received.slip_no, "PIP-32", "6.5").unit.code
        close_receiving(desk.clerk, received.slip_no)
        waiting = slip(desk, case(desk).case_no, ("SW-16A", "pcs", "2", "8.20"), approved=False)
    late = case(desk, opened=dt.date(2026, 11, 30), received=dt.date(2026, 11, 1))
    return receiving, received, pieces, lot, waiting, late


def test_the_clerks_forms_fit_80x24(desk):
    receiving, *_ = site(desk)

    async def body(pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, receiving.slip_no)
        await walk(pilot, "f7")                 # counted goods
        await walk(pilot, "f8")                 # close receiving: the confirmation
    run_small(desk, body)


def test_the_inspectors_forms_fit_80x24(desk):
    _, received, pieces, lot, *_ = site(desk)

    async def body(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f4")
        await scan(pilot, pieces[0])
        assert await walk(pilot, "f8") == f"Pass {pieces[0]}"
        assert (await walk(pilot, "f9")).startswith(f"Fail {pieces[0]}")
        assert (await walk(pilot, "f10")).startswith(f"Slip {received.slip_no} line 1")
        await scan(pilot, lot)
        assert (await walk(pilot, "f9")).startswith(f"Split {lot}")
        assert (await walk(pilot, "f10")).startswith(f"Slip {received.slip_no} line 2")
    run_small(desk, body)


def test_finances_forms_fit_80x24(desk):
    _, received, _, _, waiting, _ = site(desk)

    async def body(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f5")
        await scan(pilot, received.slip_no)
        assert (await walk(pilot, "f7")).startswith("Decision on slip")
        await walk(pilot, "f9")                 # the export
        await scan(pilot, waiting.slip_no)
        assert (await walk(pilot, "f10")).startswith("Approve slip")
    run_small(desk, body)


def test_the_case_forms_fit_80x24(desk):
    receiving, _, _, _, _, late = site(desk)

    async def body(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await walk(pilot, "f8")                 # a new case: three screens long at 80x24
        await scan(pilot, late.case_no)
        await walk(pilot, "f7")                 # the late complaint's decision
        await scan(pilot, receiving.case.case_no)
        await walk(pilot, "f9")                 # the assessment
        await walk(pilot, "ctrl+d")             # the defective quantity
        await walk(pilot, "ctrl+a")             # an attachment
        await walk(pilot, "ctrl+l")             # the return slip
        await walk(pilot, "ctrl+t")             # a reminder: the case is overdue
        await walk(pilot, "ctrl+q")             # closing the desk (an admin's)
    run_small(desk, body)


def test_the_admins_forms_fit_80x24(desk):
    async def body(pilot):
        await sign_in(pilot, "admin", "9999")
        await pilot.press("f11")
        await settle(pilot)
        await walk(pilot, "enter")              # a setting's value
    run_small(desk, body)
