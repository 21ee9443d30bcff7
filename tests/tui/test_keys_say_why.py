"""Every key of the desk either acts or says why not (issue 16): a key whose action the role
may not do, or that cannot act in the screen's state, gives a notice in words."""
from __future__ import annotations

import datetime as dt

from textual import actions

from models import clock
from models.cases import CaseFacts, open_case
from models.customers import save_customer
from models.tables import Slip

from ..helpers import ready_slip
from .test_desk import desk_test, scan, settle, sign_in

ROLES = ("clerk", "inspector", "finance", "sales", "supervisor", "admin")


def notices(app) -> list[str]:
    """What the desk says from now on (the notices it raises, in order)."""
    said: list[str] = []
    shown = app.notify

    def notify(message, *args, **kwargs):
        said.append(str(message))
        return shown(message, *args, **kwargs)
    app.notify = notify
    return said


def refused_keys(app) -> list[tuple[str, str]]:
    """(key, action) of every key of the screen and the desk that cannot act now."""
    found = []
    screen = app.screen
    for node, bindings in ((screen, type(screen).BINDINGS), (app, type(app).BINDINGS)):
        for binding in bindings:
            _, name, parameters = actions.parse(binding.action)
            if not node.check_action(name, parameters):
                found += [(key.strip(), binding.action) for key in binding.key.split(",")]
    return found


async def press_each_refused_key(pilot, said: list[str], where: str) -> list[str]:
    silent = []
    for key, action in refused_keys(pilot.app):
        before = len(said)
        await pilot.press(key)
        await settle(pilot)
        if len(said) == before or not said[-1].strip():
            silent.append(f"{where}: {key} ({action})")
    return silent


@desk_test
async def test_every_key_that_cannot_act_says_why(desk, pilot):
    ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    said = notices(app)
    silent = await press_each_refused_key(pilot, said, "sign-in")
    for role in ROLES:
        await sign_in(pilot, role, "9999" if role == "admin" else "1234")
        for mode in list(app.work_modes):
            await app.go(mode)
            await settle(pilot)
            silent += await press_each_refused_key(pilot, said, f"{role} on {mode}")
        await pilot.press("f12")
        await settle(pilot)
    assert silent == []
    assert "F4: clerk is clerk: only inspector, supervisor, admin may record inspections" in said
    assert "F12: nobody is signed in: sign in first (your name or badge, then your PIN)" in said
    assert not [text for text in said if "does nothing" in text]      # each says its own why


@desk_test
async def test_undo_after_closing_and_sales_keys_on_finance_say_why(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    said = notices(app)
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    await pilot.press("f8")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await scan(pilot, s.slip_no)                        # the closed slip, shown
    await pilot.press("ctrl+z")
    await settle(pilot)
    assert f"ctrl+z: slip {s.slip_no} is received" in said[-1]
    assert Slip.get_by_id(s.id).status == "received"

    await pilot.press("f12")
    await settle(pilot)
    await sign_in(pilot, "sales")
    await pilot.press("f5")
    await scan(pilot, s.slip_no)
    for key, what in (("f8", "book slips"), ("f9", "export the reconciliation")):
        await pilot.press(key)
        await settle(pilot)
        assert said[-1] == f"{key.upper()}: sales is sales: only finance, supervisor, admin may {what}"
    assert Slip.get_by_id(s.id).status == "received"                  # nothing booked


@desk_test
async def test_a_decided_late_complaint_and_a_changed_setting_are_confirmed(desk, pilot):
    save_customer(desk.supervisor, "C1", "Customer C1", "domestic", None)
    with clock.frozen(dt.datetime(2026, 11, 18, 9)):
        late = open_case(desk.supervisor, CaseFacts("C1", "PO-1", "P-1", dt.date(2026, 9, 1),
                                                    "appearance", "minor"))
    assert late.status == "awaiting_decision"
    app = pilot.app
    said = notices(app)
    await sign_in(pilot, "supervisor")
    await pilot.press("f6")
    await scan(pilot, late.case_no)
    await pilot.press("f7", "1")                         # accept
    await pilot.press(*"goodwill", "enter")
    await settle(pilot)
    assert said[-1] == f"✔ case {late.case_no}: late complaint decided, accept (handled as usual)"

    await pilot.press("f12")
    await settle(pilot)
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f11")
    await settle(pilot)
    await pilot.press("enter", "ctrl+u", *"7", "enter")   # the first setting: tolerance
    await settle(pilot)
    assert said[-1].startswith("✔ default_tolerance_pct set to 7 (was ")
