"""Inspection, finance, case status and the home screen, each as its role would use it. The tests
taking `desk_language` run in English and once more in zh-Hant (issue 18): the same assertions on
the database, the screen's texts through `shows` (tests/tui/languages.py)."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

from textual.widgets import Static

import labels
from models import clock, settings
from models.cases import get_case
from models.printing import label_facts
from models.receiving import close_receiving, receive_count, receive_scan
from models.tables import (
    Booking,
    ComplaintCase,
    Decision,
    Inspection,
    PrintJob,
    Slip,
)
from tui.desk.commands import ScreenCommands
from tui.desk.help import HelpScreen
from tui.work import home
from models.words import word

from ..helpers import case, customer, inspect_all, ready_slip, slip
from .languages import shows
from .test_desk import desk_test, scan, settle, sign_in, text


def payload(unit) -> str:
    return labels.encode(labels.LabelData(**label_facts(unit)))


async def choose(pilot, steps: int) -> None:
    """Move down a choice list `steps` times and take it (Enter goes to the next field)."""
    await pilot.press(*["down"] * steps, "enter")


async def type_in(pilot, value: str) -> None:
    await pilot.press(*value, "enter")


# --- inspection -----------------------------------------------------------------------------

@desk_test
async def test_inspector_passes_fails_splits_and_reprints(desk, pilot, desk_language):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"), ("K-1", "kg", "10", "1"))
    units = [receive_scan(desk.clerk, s.slip_no, "P-1").unit for _ in range(3)]
    lot = receive_count(desk.clerk, s.slip_no, "K-1", "7.5").unit
    app = pilot.app
    await sign_in(pilot, "inspector")
    assert app.sub_title == f"inspector · {word('role', 'inspector')}"     # 檢驗員 in zh-Hant
    await pilot.press("f4")
    await settle(pilot)
    assert app.screen.query_one("#queue").row_count == 4

    # A pass: scan the label's QR, F8, Enter.
    await scan(pilot, payload(units[0]))
    assert units[0].code in text(app, "#label-preview")
    await pilot.press("f8", "enter")
    await settle(pilot)
    first = Inspection.get(Inspection.unit == units[0].id)
    assert first.result == "pass" and [p.disposition for p in first.portions] == ["restock"]

    # A fail: defect class, cause, where it goes, note. Without a class it is refused.
    await scan(pilot, units[1].code)
    await pilot.press("f9")
    await pilot.press("enter")                       # "— choose —" left as it is
    await type_in(pilot, "dent")
    await choose(pilot, 1)                           # repair
    await type_in(pilot, "edge")
    await settle(pilot)
    assert shows(text(app, "#dialog-error"), "needs a defect class",
                 "a failed inspection needs a defect class: {codes}")
    await pilot.press("shift+tab", "shift+tab", "shift+tab")   # back to the defect class
    await choose(pilot, 1)                           # appearance
    await pilot.press("ctrl+s")
    await settle(pilot)
    failed = Inspection.get(Inspection.unit == units[1].id)
    assert (failed.result, failed.defect_class, failed.cause) == ("fail", "appearance", "dent")
    assert [p.disposition for p in failed.portions] == ["repair"]

    # A lot shared out: the parts must add up exactly; the domain's message says so.
    await scan(pilot, lot.code)
    await pilot.press("f9")
    await type_in(pilot, "5")                        # pass -> restock
    await pilot.press("enter")                       # pass -> return to the customer: none
    await pilot.press("enter", "enter")              # rework, repair: none
    await type_in(pilot, "3")                        # scrap
    await pilot.press("enter", "enter")              # return to supplier / customer: none
    await choose(pilot, 4)                           # material
    await type_in(pilot, "cut sheath")
    await type_in(pilot, "")
    await settle(pilot)
    assert shows(text(app, "#dialog-error"), "adds up to 8",
                 "the split adds up to {total} but {unit} holds {qty} {measure}: the parts must "
                 "add up exactly", total=8, unit=lot.code)
    assert shows(text(app, "#split-sum"), "(too much)", "  (too much)")
    app.screen.form.set("fail_scrap", "2.5")
    await pilot.press("ctrl+s")
    await settle(pilot)
    split = Inspection.get(Inspection.unit == lot.id)
    assert split.result == "split"
    assert sorted((p.passed, p.disposition, p.qty) for p in split.portions) == \
        [(False, "scrap", D("2.5")), (True, "restock", D(5))]

    # Reprint a label.
    await scan(pilot, units[2].code)
    await pilot.press("f7")
    await settle(pilot)
    assert PrintJob.select().where(PrintJob.reprint).count() == 1
    assert app.screen.query_one("#queue").row_count == 1


def test_a_url_label_opens_the_unit(desk):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    settings.set_value(desk.admin, "label_url_template", "https://r.example/u/{unit}")

    @desk_test
    async def body(desk, pilot):
        await sign_in(pilot, "inspector")
        await scan(pilot, f"https://r.example/u/{unit.code}")   # scanned on the home screen
        assert pilot.app.current_mode == "inspection"
        assert unit.code in text(pilot.app, "#unit-facts")
    body(desk)


# --- finance --------------------------------------------------------------------------------

@desk_test
async def test_finance_gets_a_supervisors_decision_books_and_exports(desk, pilot, tmp_path,
                                                                    desk_language):
    s = ready_slip(desk, ("P-1", "pcs", "2", "10.00"), ("P-2", "pcs", "4", "1.25"), tolerance="0")
    for code in ("P-1", "P-1", "P-1", "P-2"):
        receive_scan(desk.clerk, s.slip_no, code)
    close_receiving(desk.clerk, s.slip_no)
    inspect_all(desk, s.slip_no)                     # booking waits for inspection
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    lines = app.screen.query_one("#recon-lines")
    assert lines.statuses == ["over", "under"]
    assert shows(text(app, "#recon-total"), "over tolerance",
                 "line {lines} over tolerance: a supervisor decides (F7) before booking",
                 "lines {lines} over tolerance: a supervisor decides (F7) before booking",
                 n=1, lines=1)

    await pilot.press("f8")                          # booking waits for the decision:
    await settle(pilot)                              # F8 is dimmed, nothing is asked
    assert app.screen.check_action("book", ()) is None and app.screen.recon is not None
    assert Slip.get_by_id(s.id).status == "received"

    await pilot.press("f7")
    await pilot.press("enter")                       # the one over line
    await choose(pilot, 1)                           # book up to the allowed quantity
    await type_in(pilot, "customer sent a spare")
    await type_in(pilot, "supervisor")
    await type_in(pilot, "0000")                     # wrong PIN: said on the dialog
    await settle(pilot)
    assert shows(text(app, "#dialog-error"), "wrong name or PIN", "wrong name or PIN")
    app.screen.form.set("pin", "1234")
    await pilot.press("ctrl+s")
    await settle(pilot)
    decision = Decision.get()
    assert (decision.choice, decision.by.name, decision.book_qty) == ("cap_allowed", "supervisor", D(2))
    assert lines.statuses == ["decided", "under"]       # redrawn

    await pilot.press("f8", "enter")
    await settle(pilot)
    booking = Booking.get()
    assert (booking.amount, booking.by.name) == (D("21.25"), "finance")

    await pilot.press("f9")
    out = tmp_path / "recon.csv"
    app.screen.form.set("path", str(out))
    await pilot.press("enter", "enter")
    await settle(pilot)
    with open(out, newline="", encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert [(r["line_no"], r["status"], r["amount"]) for r in exported] == \
        [("1", "decided", "20.00"), ("2", "under", "1.25")]
    assert shows(text(app, "#ack"), "2 lines written", "✔ {n} line written to {path}",
                 "✔ {n} lines written to {path}", n=2, path=out)


@desk_test
async def test_export_to_a_folder_that_does_not_exist_says_what_to_do(desk, pilot, tmp_path):
    await sign_in(pilot, "finance")
    await pilot.press("f5", "f9")
    pilot.app.screen.form.set("path", str(tmp_path / "nowhere" / "x.csv"))
    await pilot.press("enter", "enter")
    await settle(pilot)
    assert "choose a folder you can write to" in text(pilot.app, "#dialog-error")


# --- the lists ------------------------------------------------------------------------------

@desk_test
async def test_finance_follows_the_highlighted_slip_of_its_list(desk, pilot):
    customer(desk)
    c = case(desk)
    slips = [slip(desk, c.case_no, ("P-1", "pcs", "2", "1")) for _ in range(3)]
    for s in slips[1:]:                              # the first one is still being received
        receive_scan(desk.clerk, s.slip_no, "P-1")
        close_receiving(desk.clerk, s.slip_no)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    listed = app.screen.query_one("#slips")
    assert (listed.row_count, listed.cursor, str(listed.border_title)) == (2, 0, "slips: 2")
    assert slips[1].slip_no in text(app, "#recon-title")
    await pilot.press("down", "down")                # stops at the last row
    await settle(pilot)
    assert listed.cursor == 1
    assert slips[2].slip_no in text(app, "#recon-title")
    assert listed.render_line(2).text.startswith("▶ " + slips[2].slip_no)   # the cursor's mark
    assert not listed.render_line(1).text.startswith("▶")
    await scan(pilot, slips[1].slip_no.lower())      # a scanned slip number opens its slip
    assert (app.current_mode, app.screen.recon.slip_no) == ("finance", slips[1].slip_no)


@desk_test
async def test_receiving_opens_the_highlighted_slip_on_enter(desk, pilot):
    customer(desk)
    c = case(desk)
    slips = [slip(desk, c.case_no, ("P-1", "pcs", "2", "1")) for _ in range(2)]
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await settle(pilot)
    listed = app.screen.query_one("#slips")
    assert "slips to receive: 2" in str(listed.border_title)
    assert listed.render_line(0).text.split() == ["slip", "case", "customer", "issued", "lines"]
    await pilot.press("down", "enter")               # Enter on the empty scan field picks
    await settle(pilot)
    assert app.screen.slip.slip_no == slips[1].slip_no


# --- case status ----------------------------------------------------------------------------

def test_sales_find_a_case_by_anything_and_see_its_steps(desk, desk_language):
    customer(desk, "KRAU")
    c = case(desk, "KRAU", opened=dt.date(2026, 11, 2), received=dt.date(2026, 11, 1))
    s = slip(desk, c.case_no, ("P-1", "pcs", "5", "1"))
    with clock.frozen(dt.datetime(2026, 11, 3, 10)):
        unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        for query in ("KRAU", "PO-1", s.slip_no, payload(unit), c.case_no):
            await scan(pilot, query)
            assert c.case_no in text(app, "#case-facts"), query
        timeline = text(app, "#case-timeline")
        assert shows(timeline, f"slip {s.slip_no} issued", "slip {slip} issued ({handling})",
                     slip=s.slip_no)
        assert shows(timeline, "1 unit(s)/lot(s) received", "{n} unit(s)/lot(s) received on {slip}",
                     "{n} unit(s)/lot(s) received on {slip}", n=1, slip=s.slip_no)
        deadline = app.screen.query_one("#case-deadline", Static)
        assert shows(str(deadline.render()), "overdue by 5 days", "overdue by {n} day",
                     "overdue by {n} days", n=5)
        assert deadline.has_class("-overdue")
        assert "decide" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await scan(pilot, "nobody")
        assert shows(text(app, "#found"), "no case for 'nobody'",
                     "no case for {text}: try a case number, customer code, order number, "
                     "slip number or label", text=repr("nobody"))

    with clock.frozen(dt.datetime(2026, 11, 20, 9)):   # 13 days after acceptance, plus 5
        body(desk)


# --- home screen ----------------------------------------------------------------------------

def test_supervisor_decides_a_late_complaint_from_home(desk, monkeypatch, desk_language):
    customer(desk)
    late = case(desk, opened=dt.date(2026, 11, 18), received=dt.date(2026, 10, 1))
    assert late.status == "awaiting_decision"

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        loads = []
        with monkeypatch.context() as patch:
            summary = home.summary
            patch.setattr(home, "summary", lambda *a: loads.append(1) or summary(*a))
            await sign_in(pilot, "supervisor")
        assert len(loads) == 1        # read once (ahead, as home was made), not twice at once
        screen = app.screen
        assert screen.query_one("#chart").display
        assert [row.kind for row in screen.rows] == ["late complaint"]
        assert shows(text(app, "#counts"), "late complaints to decide: 1",
                     "late complaints to decide")
        await pilot.press("f7")
        await choose(pilot, 1)                       # accept against payment
        await type_in(pilot, "long-standing customer")
        await settle(pilot)
        assert get_case(late.case_no).status == "open"
        assert get_case(late.case_no).against_payment
        # Accepted, it is listed once more: quality's reply to it is past due.
        assert [(row.kind, row.key) for row in screen.rows] == [("reply overdue", late.case_no)]
    body(desk)


def test_clerk_home_opens_a_slip_and_has_no_chart(desk, desk_language):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "clerk")
        assert not app.screen.query_one("#chart").display
        assert [row.kind for row in app.screen.rows] == ["slip to receive"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "receiving" and s.slip_no in text(app, "#slip-title")

    # Within the case's deadline: on a later day the clerk's home lists it as overdue too.
    with clock.frozen(dt.datetime(2026, 11, 20, 9)):
        body(desk)


@desk_test
async def test_a_case_number_scanned_anywhere_opens_the_case(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    c = ComplaintCase.get()
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await scan(pilot, c.case_no)
    assert pilot.app.current_mode == "cases"
    assert c.case_no in text(pilot.app, "#case-facts")
    await scan(pilot, s.slip_no)                      # a slip still being received
    assert pilot.app.current_mode == "cases"          # finance: its case (nothing to book yet)


# --- help and the command palette -----------------------------------------------------------

@desk_test
async def test_every_screen_has_help_and_its_actions_in_the_palette(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "supervisor")
    for key, expected in (("f2", "Overview"), ("f3", "Receiving"), ("f4", "Inspection"),
                          ("f5", "Finance"), ("f6", "Case status")):
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        labels_found = [label for label, _, _ in ScreenCommands(screen).commands()]
        assert "Switch user (f12)" in labels_found
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert expected in str(app.screen.query_one("Markdown").source)
        await pilot.press("escape")
        assert app.screen is screen
    await pilot.press("f3")
    labels_found = [label for label, _, _ in ScreenCommands(app.screen).commands()]
    assert "Slips (escape)" not in labels_found      # nothing open: no "back to the list"


# --- settings, blind receiving, read-only, paging, keymap ------------------------------------

@desk_test
async def test_admin_changes_a_setting_and_a_wrong_value_is_explained(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f11")
    await settle(pilot)
    names = [name for name, _, _ in app.screen.values]
    await pilot.press(*["down"] * names.index("idle_lock_minutes"), "enter")
    await pilot.press("ctrl+u", *"999", "enter")
    await settle(pilot)
    assert "must be from 1 to 240" in text(app, "#dialog-error")
    await pilot.press("ctrl+u", *"10", "enter")
    await settle(pilot)
    assert settings.get("idle_lock_minutes") == 10


def test_blind_receiving_hides_what_was_approved(desk):
    s = ready_slip(desk, ("P-1", "pcs", "40", "1"))
    settings.set_value(desk.admin, "blind_receiving", "yes")

    @desk_test
    async def body(desk, pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, s.slip_no, "P-1")
        row = pilot.app.screen.query_one("#lines").render_line(0).text    # as painted
        assert "40" not in row and "42" not in row and " 1 " in row
        assert "of 40" not in text(pilot.app, "#ack")
    body(desk)


def test_sales_cannot_act_on_inspection_or_finance(desk):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    close_receiving(desk.clerk, s.slip_no)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f4")
        await scan(pilot, "U000001")
        assert "U000001" in text(app, "#unit-facts")
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"pass_unit", "fail_unit", "decide_line", "reprint"}
        await pilot.press("f8", "f9")                  # nothing happens
        assert Inspection.select().count() == 0
        await pilot.press("f5")
        await settle(pilot)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"book", "export", "decide"}
    body(desk)


def test_long_lists_come_a_page_at_a_time(desk, monkeypatch):
    from models import lists
    monkeypatch.setattr(lists, "PAGE", 5)
    s = ready_slip(desk, ("P-1", "pcs", "50", "1"))
    for _ in range(12):
        receive_scan(desk.clerk, s.slip_no, "P-1")

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        await pilot.press("f4")
        await settle(pilot)
        table = app.screen.query_one("#queue")
        assert [row.code for row in app.screen.queue] == [f"U00000{i}" for i in range(1, 6)]
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert [row.code for row in app.screen.queue] == ["U000011", "U000012"]
        assert str(table.border_title) == "to inspect: 12"
        assert str(table.border_subtitle).startswith("page 3")
        await pilot.press("pageup")
        await settle(pilot)
        assert app.screen.queue[0].code == "U000006"
    body(desk)


def test_a_site_can_remap_keys_by_binding_id(desk):
    from tui.desk.app import make_app

    from .test_desk import journal_path
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))

    async def main():
        app = make_app(desk.url, keymap={"receiving_close": "f10"}, journal=journal_path(desk))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await sign_in(pilot, "clerk")
            await pilot.press("f3")
            await scan(pilot, s.slip_no, "P-1")
            await pilot.press("f8")
            assert app.screen.__class__.__name__ == "ReceivingScreen"
            await pilot.press("f10", "enter")
            await settle(pilot)

    import asyncio
    asyncio.run(main())
    assert Slip.get_by_id(s.id).status == "received"
