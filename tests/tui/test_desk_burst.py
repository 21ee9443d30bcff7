"""A scanner types each code in about a millisecond and presses Enter. 200 codes back to back,
with the database busy all the while, must give 200 receipts: none merged, none lost, in the
order scanned, and none acknowledged before it is committed. When the database stays away,
scans are kept on the terminal's disk and go in, in order, when it is back."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import peewee
import pytest
from textual.widgets import Log

from models import db as db_module
from models.tables import SlipLine, Unit
from tui.desk.scan import ScanField
from tui.work.receiving import ReceivingQueue

from ..conftest import postgres_may_be_stopped, postgres_server_stopped
from ..figures import record
from ..helpers import ready_slip
from .test_desk import desk_test, scan, send_keys, settle, sign_in, text

pytestmark = pytest.mark.slow

# One-letter part codes keep the test short (Pilot takes ~60 ms a key; the bursts go through
# the terminal driver at once, as a scanner's do, see test_desk.send_keys); codes glued
# together ("AB") would be unknown parts and refused.
PARTS = ("A", "B", "C")


@contextmanager
def database_busy(url: str, slip_no: str):
    """Another terminal holds the write lock (SQLite) or the slip's row (PostgreSQL)."""
    if url.startswith("sqlite:///"):
        other = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        from playhouse.db_url import parse
        other = peewee.PostgresqlDatabase(**parse(url))
        other.connect()
        other.execute_sql("BEGIN")
        other.execute_sql("SELECT id FROM slip WHERE slip_no = %s FOR UPDATE", (slip_no,))
    try:
        yield
    finally:
        other.execute_sql("ROLLBACK") if isinstance(other, peewee.Database) else other.rollback()
        other.close()


def short_lock_waits(monkeypatch):
    """Give up on a held lock after 20 ms instead of 10 s (both databases)."""
    monkeypatch.setitem(db_module.SQLITE_PRAGMAS, "busy_timeout", 20)
    monkeypatch.setitem(db_module.POSTGRES_SETTINGS, "lock_timeout", 20)


async def taken(pilot, screen, count: int) -> None:
    """Wait, for the app and not the clock, until the screen has taken `count` scans into its
    queue (its worker is stuck behind the lock: `settle` would wait for ever). Codes run
    together would be fewer: then this gives up, and the test's checks say what went wrong."""
    for _ in range(500):
        if len(screen.pending) >= count:
            return
        await pilot.pause()


def test_200_back_to_back_scans_while_the_database_is_busy(desk, monkeypatch):
    # Short lock waits, so the desk meets "database is locked" (or PostgreSQL's lock timeout)
    # and must retry, not drop; and it waits for the database rather than keeping scans on
    # disk (tested below).
    short_lock_waits(monkeypatch)
    monkeypatch.setattr(ReceivingQueue, "KEEP_AFTER", 3600)
    s = ready_slip(desk, *[(part, "pcs", "1000", "1") for part in PARTS])
    codes = [PARTS[i % len(PARTS)] for i in range(200)]
    keys = [key for code in codes for key in (*code, "enter")]

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, s.slip_no)
        screen = app.screen
        with database_busy(desk.url, s.slip_no):
            send_keys(app, keys)                           # as the scanner sends them: at once
            await taken(pilot, screen, len(codes))
            assert screen.query_one(ScanField).value == ""
            assert screen.query_one("#log", Log).line_count == 0   # nothing committed, nothing said
            assert len(screen.pending) >= 199
        await settle(pilot)
        assert screen.query_one("#log", Log).line_count == 200
        assert not screen.pending
        assert "line 2 B: 67 of 1000 pcs" in text(app, "#ack")   # the last code, acknowledged

    body(desk)
    units = list(Unit.select().order_by(Unit.id))
    in_order = sum(unit.line.part_no == code for unit, code in zip(units, codes))
    record("outage", desk.url, len(codes), in_order if len(units) == len(codes) else 0,
           "database busy under a burst (another terminal's lock): waited, retried")
    assert len(units) == 200
    assert len({unit.scan_id for unit in units}) == 200
    assert [unit.line.part_no for unit in units] == codes
    assert {line.part_no: int(line.received_qty) for line in SlipLine.select()} == \
        {"A": 67, "B": 67, "C": 66}


def may_stop_postgres(url: str) -> None:
    if url.startswith("sqlite"):
        pytest.skip("this one stops the PostgreSQL server")
    postgres_may_be_stopped()


@contextmanager
def postgres_stopped(url: str, slip_no: str):
    """The real PostgreSQL server stopped, then started again."""
    may_stop_postgres(url)
    with postgres_server_stopped():
        yield


OUTAGES = {"database away under a burst (another terminal's lock): kept on disk, sent":
           database_busy,
           "PostgreSQL server stopped and started under the desk": postgres_stopped}


@pytest.mark.parametrize("outage", OUTAGES)
def test_scans_wait_on_disk_while_the_database_is_away(desk, monkeypatch, outage):
    if OUTAGES[outage] is postgres_stopped:
        may_stop_postgres(desk.url)               # before the desk starts, not after
    short_lock_waits(monkeypatch)
    monkeypatch.setattr(ReceivingQueue, "KEEP_AFTER", 0)       # keep at the first failure
    s = ready_slip(desk, *[(part, "pcs", "1000", "1") for part in PARTS])
    codes = [PARTS[i % len(PARTS)] for i in range(30)]

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, s.slip_no, "A")          # a connection in the pool, used since
        screen = app.screen
        with OUTAGES[outage](desk.url, s.slip_no):
            send_keys(app, [key for code in codes for key in (*code, "enter")])   # a burst
            await settle(pilot)
            assert [kept.code for kept in app.journal.pending()] == codes
            assert "kept on this terminal" in text(app, "#ack")
            await scan(pilot, "2611-001")          # a case number: not kept, said at once
            assert "2611-001 is not a part of slip" in text(app, "#ack")
            assert len(app.journal.pending()) == len(codes)
        screen.replay_kept()                             # what the timer does every 10 s
        await settle(pilot)
        assert "30 kept scans recorded" in text(app, "#ack")
        assert not app.journal.path.exists()
        assert screen.query_one("#lines").status(2) == "under"   # the lines, as they are now

    body(desk)
    found = [unit.line.part_no for unit in Unit.select().order_by(Unit.id)][1:]
    record("outage", desk.url, len(codes), len(codes) if found == codes else 0, outage)
    assert found == codes
