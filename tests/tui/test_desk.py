"""The full-screen desk, driven by keys through Textual's Pilot as each role would use it;
the database is checked afterwards. Plain pytest: each test runs its coroutine with
asyncio.run (pytest-asyncio is not needed)."""
from __future__ import annotations

import asyncio
import inspect
import tempfile
import threading
from decimal import Decimal as D
from pathlib import Path

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.widgets import Static
from textual.worker import WorkerCancelled

from models import settings
from models.access import may_open
from models.codes import Target
from models.db import db
from models.tables import PrintJob, Slip, SlipLine, Unit
from models.users import add_user
from tui.desk.app import PLACES, DeskApp, make_app, route
from tui.desk.base import Desk
from tui.desk.scan import ScanField

from ..helpers import ready_slip

SIZE = (120, 40)


def desk_test(body):
    """Run an async test body `body(desk, pilot, **fixtures)` with a fresh app on the test's
    desk database; pytest sees the body's fixtures without `pilot`."""
    def run(desk, **fixtures):
        async def main():
            app = make_app(desk.url, journal=journal_path(desk))
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await body(desk, pilot, **fixtures)
        asyncio.run(main())
        db.connect(reuse_if_open=True)   # the test's own checks run on the main thread
    signature = inspect.signature(body)
    run.__signature__ = signature.replace(
        parameters=[p for name, p in signature.parameters.items() if name != "pilot"])
    run.__name__, run.__doc__ = body.__name__, body.__doc__
    return run


def journal_path(desk) -> Path:
    """This test's own file for scans kept while the database is away."""
    if desk.url.startswith("sqlite:///"):
        return Path(desk.url[len("sqlite:///"):]).parent / "scans.jsonl"
    return Path(tempfile.mkdtemp()) / "scans.jsonl"


async def settle(pilot) -> None:
    """Wait until no worker is left: a finished worker may start the next (queue, printer).
    A dialog's worker closes its dialog from the thread (on_ui) and its dialog's workers are
    cancelled as it leaves, before the thread returns: cancelled then, it has done its work."""
    app = pilot.app
    while True:
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            await pilot.pause()
            continue
        await pilot.pause()
        if not len(app.workers):
            return


async def sign_in(pilot, name: str, pin: str = "1234") -> None:
    await pilot.press(*name, "enter")
    await pilot.press(*pin, "enter")
    await settle(pilot)


async def scan(pilot, *codes: str) -> None:
    for code in codes:
        await pilot.press(*code, "enter")
    await settle(pilot)


def send_keys(app, keys) -> None:
    """Keys (characters, "\n" for Enter, or key names such as "down") as the terminal driver
    hands them over: all at once, with no waiting in between (pilot.press waits for the app
    after each key)."""
    for key in keys:
        if key in ("\n", "enter"):
            event = events.Key("enter", "\r")
        elif len(key) == 1:
            event = events.Key(key if key.isalnum() else _character_to_key(key), key)
        else:
            event = events.Key(key, None)
        event.set_sender(app)
        app._driver.send_message(event)


async def burst(pilot, text: str) -> None:
    """`text` as a scanner (or a very fast typist) sends it, then the desk's answer."""
    send_keys(pilot.app, text)
    await settle(pilot)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# --- signing in, roles, locking -------------------------------------------------------------

@desk_test
async def test_sign_in_by_name_then_pin_shows_who_and_role(desk, pilot):
    app = pilot.app
    assert app.current_mode == "signin"
    await sign_in(pilot, "clerk", "0000")
    assert app.user is None
    assert "wrong name or PIN" in text(app, "#signin-error")
    await pilot.press("escape")
    await sign_in(pilot, "clerk")
    assert app.user.name == "clerk" and app.sub_title == "clerk · clerk"
    assert app.current_mode == "overview"


@desk_test
async def test_a_pin_typed_straight_after_the_name_goes_to_the_pin(desk, pilot):
    await burst(pilot, "clerk\n1234\n")
    assert pilot.app.user.name == "clerk"


def test_sign_in_by_badge(desk):
    add_user(desk.admin, "lin", "clerk", "1111", "B1001")

    @desk_test
    async def body(desk, pilot):
        await sign_in(pilot, "B1001", "1111")
        assert pilot.app.user.name == "lin"
    body(desk)


def test_each_role_sees_only_its_screens():
    seen = {role: [p.mode for p in PLACES if may_open(role, p.mode)]
            for role in ("clerk", "inspector", "finance", "sales", "supervisor", "admin")}
    assert seen["clerk"] == ["overview", "receiving", "cases"]
    assert seen["inspector"] == ["overview", "inspection", "cases"]
    assert seen["finance"] == ["overview", "finance", "cases"]
    assert seen["sales"] == ["overview", "receiving", "inspection", "finance", "cases"]
    assert seen["supervisor"] == ["overview", "receiving", "inspection", "finance", "cases"]
    assert "settings" in seen["admin"]


def test_a_scan_opens_where_the_role_works():
    unit = Target("unit", "U000001", "2611-001", "RS1", "received")
    receiving = Target("slip", "RS1", "2611-001", "RS1", "receiving")
    received = Target("slip", "RS1", "2611-001", "RS1", "received")
    case = Target("case", "2611-001", "2611-001")
    assert [route(r, unit) for r in ("clerk", "inspector", "sales")] == ["cases", "inspection", "cases"]
    assert [route(r, receiving) for r in ("clerk", "finance", "inspector")] == \
        ["receiving", "finance", "cases"]
    assert [route(r, received) for r in ("clerk", "finance", "supervisor")] == \
        ["cases", "finance", "finance"]
    assert route("clerk", case) == "cases"


@desk_test
async def test_switch_user_keeps_the_same_persons_work_and_discards_it_for_another(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no)
    await pilot.press(*"P-")                       # half typed when the clerk walks away
    receiving = app.screen
    await pilot.press("f12")
    assert app.current_mode == "signin" and app.user is None
    await pilot.press("enter")                     # the clerk is highlighted: Enter, then PIN
    await pilot.press(*"1234", "enter")
    await settle(pilot)
    assert app.screen is receiving
    assert receiving.query_one("#scan", ScanField).value == "P-"
    await pilot.press("f12")
    await sign_in(pilot, "inspector")
    assert app.current_mode == "overview" and "receiving" not in app.work_modes
    await pilot.press("f12")
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    assert app.screen is not receiving and app.screen.query_one("#scan", ScanField).value == ""


def test_scans_still_go_in_when_someone_else_signs_in_meanwhile(desk, monkeypatch):
    import tui.work.receiving
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    gate, real = threading.Event(), tui.work.receiving.receive_scan

    def slow_database(*args, **kwargs):
        gate.wait(timeout=30)
        return real(*args, **kwargs)
    monkeypatch.setattr(tui.work.receiving, "receive_scan", slow_database)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, s.slip_no)
        await pilot.press(*"P-1", "enter", *"P-1", "enter")   # waiting for the database
        await pilot.press("f12")
        await sign_in(pilot, "inspector")                    # the clerk's screens are discarded
        gate.set()
        await settle(pilot)
        assert app.user.name == "inspector" and app.current_mode == "overview"
    body(desk)
    assert [(u.received_by.name, u.line.part_no) for u in Unit.select()] == [("clerk", "P-1")] * 2


@desk_test
async def test_idle_desk_locks_itself(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "clerk")
    app.lock_if_idle()
    assert app.user is not None
    app.last_key -= app.idle_minutes * 60
    app.lock_if_idle()
    assert app.user is None and app.current_mode == "signin"
    assert "Locked" in text(app, "#signin-intro")


# --- receiving ------------------------------------------------------------------------------

@desk_test
async def test_clerk_receives_scans_counts_undoes_and_closes(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "2", "3.00"), ("K-1", "kg", "10", "1.50"), tolerance="0")
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1", "P-1")
    screen = app.screen
    lines = screen.query_one("#lines")
    assert lines.status(1) == "within"
    await scan(pilot, "P-1")                       # 3 of 2 with 0 % tolerance: over
    assert lines.status(1) == "over"
    assert "OVER tolerance" in text(app, "#ack")

    await scan(pilot, "K-1")                       # counted goods ask for the quantity
    await pilot.press(*"7.25", "enter")
    await settle(pilot)
    await scan(pilot, "NOPE")                      # refused in words, nothing recorded
    assert "unknown code 'NOPE'" in text(app, "#ack")
    await pilot.press("ctrl+z")                    # undo takes back the counted lot
    await settle(pilot)
    assert "taken back" in text(app, "#ack")

    await pilot.press("f8")
    await settle(pilot)                            # the figures as they are now
    await pilot.press("enter")                     # confirm
    await settle(pilot)
    lines = {line.part_no: line.received_qty for line in SlipLine.select()}
    assert lines == {"P-1": D(3), "K-1": D(0)}
    assert Unit.select().where(Unit.state == "reversed").count() == 1
    assert Slip.get_by_id(s.id).status == "received"
    assert PrintJob.select().count() == 4          # every unit got its label queued


@desk_test
async def test_the_line_scanned_comes_into_view_on_a_long_slip(desk, pilot):
    s = ready_slip(desk, *((f"P-{n}", "pcs", "5", "1") for n in range(1, 41)))
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    lines = pilot.app.screen.query_one("#lines")

    def in_view(line_no: int) -> bool:
        return f" P-{line_no} " in "".join(lines.render_line(y).text
                                           for y in range(lines.scrollable_content_region.height))
    await scan(pilot, s.slip_no)
    assert in_view(1) and not in_view(40)           # 40 lines do not fit
    await scan(pilot, "P-40")
    assert in_view(40) and lines.status(40) == "under"
    await scan(pilot, "P-1")
    assert in_view(1)


@desk_test
async def test_a_scan_is_not_an_answer_to_an_open_question(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"), ("K-1", "kg", "10", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    await pilot.press("f8")                        # "close receiving?" ... and a scan comes
    await settle(pilot)
    await burst(pilot, "P-1\n")
    assert Slip.get_by_id(s.id).status == "receiving"
    assert "a scan is not an answer" in text(app, "#dialog-error")
    await pilot.press("escape")                    # the scan kept meanwhile goes in
    await settle(pilot)
    await scan(pilot, "K-1")                       # "how many kg?" ... and a scan comes
    await burst(pilot, "K-1\n")
    assert "a scan went into this form" in text(app, "#dialog-error")
    await pilot.press(*"12", "enter")              # a person's typing is an answer
    await settle(pilot)
    assert [unit.qty for unit in Unit.select().order_by(Unit.id)] == [D(1), D(1), D(12)]


@desk_test
async def test_a_refused_count_comes_back_with_the_reason(desk, pilot):
    s = ready_slip(desk, ("K-1", "kg", "10", "1.50"))
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "K-1")
    await pilot.press(*"1.23456", "enter")
    await settle(pilot)
    dialog = pilot.app.screen
    assert "more than 3 decimal places" in str(dialog.query_one(".dialog-intro", Static).render())
    await pilot.press("escape")
    assert Unit.select().count() == 0


@desk_test
async def test_labels_go_to_the_printer_or_wait_for_one(desk, pilot, tmp_path):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    assert "label queued: no printer set" in text(app, "#printer")
    assert PrintJob.get().status == "queued"
    folder = tmp_path / "labels"
    folder.mkdir()
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    await scan(pilot, "P-1")      # the waiting label went when the printer was set, or now
    assert [(job.status, job.printer) for job in PrintJob.select()] == [
        ("printed", f"dir:{folder}")] * 2
    assert len(list(folder.iterdir())) == 2
    assert "printed" in text(app, "#printer")


@desk_test
async def test_sales_see_receiving_read_only(desk, pilot):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    await sign_in(pilot, "sales")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1")
    assert "only clerk, supervisor, admin may receive goods" in text(app, "#ack")
    assert Unit.select().count() == 0
    keys = {b.binding.action for b in app.screen.active_bindings.values()}
    assert not keys & {"undo", "count", "close_slip"}


# --- no database work on the UI thread -------------------------------------------------------

def test_the_ui_thread_never_touches_the_database(desk, monkeypatch):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    on_ui_thread = []
    real = type(db.obj).execute_sql

    def watched(self, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(args[0][:60])
        return real(self, *args, **kwargs)

    @desk_test
    async def body(desk, pilot):
        monkeypatch.setattr(type(db.obj), "execute_sql", watched)
        await sign_in(pilot, "supervisor")
        for key in ("f3", "f4", "f5", "f6", "f2"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("f3")
        await scan(pilot, s.slip_no, "P-1", "P-1")
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await scan(pilot, s.slip_no)
        await pilot.press("f4")
        await scan(pilot, "U000001")
        monkeypatch.undo()
    body(desk)
    assert on_ui_thread == []


@desk_test
async def test_enter_right_behind_an_arrow_picks_the_row_the_arrow_moved_to(desk, pilot):
    from ..helpers import case, customer
    customer(desk, "KRAU")
    for _ in range(3):
        case(desk, "KRAU")
    app = pilot.app
    await sign_in(pilot, "sales")
    await pilot.press("f6")
    await scan(pilot, "KRAU")
    screen = app.screen
    for keys, row in ((("down", "down", "enter"), 2), (("up", "enter"), 1)):
        send_keys(app, keys)                  # all at once, as a quick hand or tmux sends them
        await settle(pilot)
        assert screen.main_list().cursor == row
        assert f"Case {screen.rows[row].case_no} " in text(app, "#case-facts")


@desk_test
async def test_sign_in_by_arrows_and_a_quick_enter_chooses_the_name_moved_to(desk, pilot):
    app = pilot.app
    send_keys(app, ("down", "down", "enter"))     # all at once: admin, clerk, [finance]
    await settle(pilot)
    assert "PIN for finance (finance)" in text(app, "#pin-label")


def test_the_app_is_the_desk_its_screens_know(desk):
    """The screens know their app by the Desk protocol (tui.desk.base), not by importing it."""
    app = DeskApp(desk.url, journal=journal_path(desk))
    assert isinstance(app, Desk)
    assert not any(isinstance(app, Desk) for app in (object(), App()))
