"""Receiving's queue (tui.work.receiving) as plain Python, on a real database that really goes
away: scans of the open slip are kept on disk in order and go in exactly once when it is back;
anything else is refused at once; the kept scans outlive the desk. The screen that shows all
this is tested by driving it in tests/test_terminalburst.py."""
from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import ExitStack, contextmanager
from decimal import Decimal

import peewee
import pytest

from models import db as db_module
from models.db import open_database
from models.journal import Scan as KeptScan
from models.journal import ScanJournal
from models.receiving import receive_scan
from models.tables import Unit
from tui.work.receiving import Count, Open, ReceivingQueue, Replay, Scan
from tui.work.receiving_outcomes import Kept, Opened, Received, Refusal, Replayed

from ..helpers import ready_slip

PARTS = (("A", "pcs", "100", "1"), ("B", "pcs", "100", "1"), ("K", "kg", "100", "1"))


class Terminal:
    """One receiving screen's queue, as the screen drives it: commands in, `drain()` (here on
    the test's own thread), and what it was told, in order."""

    def __init__(self, journal_path, **options):
        self.told: list = []
        self.waits: list[str] = []
        # A queue that waits for ever where it should not makes the test fail, not hang.
        options.setdefault("cancelled", lambda: time.monotonic() > self.started + 30)
        self.started = time.monotonic()
        self.queue = ReceivingQueue(ScanJournal(journal_path), self.told.append,
                                    waiting=self.waits.append, **options)

    def do(self, *commands) -> list:
        before = len(self.told)
        for command in commands:
            self.queue.put(command)
        self.queue.drain()
        return self.told[before:]


def scan(desk, code: str) -> Scan:
    return Scan(code, uuid.uuid4().hex, desk.clerk)


def units() -> list[tuple[str, Decimal, str]]:
    return [(unit.line.part_no, unit.qty, unit.scan_id) for unit in Unit.select().order_by(Unit.id)]


# --- the database away, by real means ---------------------------------------------------------

@contextmanager
def locked(desk, slip_no, tmp_path):
    """Another connection holds a write transaction: on SQLite the file's write lock (a
    backup), on PostgreSQL the slip's row (another terminal). Reads still work."""
    if desk.url.startswith("sqlite:///"):
        other = sqlite3.connect(desk.url[len("sqlite:///"):], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        release = other.rollback
    else:
        from playhouse.db_url import parse
        other = peewee.PostgresqlDatabase(**parse(desk.url))
        other.execute_sql("BEGIN")
        other.execute_sql("SELECT id FROM slip WHERE slip_no = %s FOR UPDATE", (slip_no,))

        def release():
            other.execute_sql("ROLLBACK")
    try:
        yield
    finally:
        release()
        other.close()


@contextmanager
def unreachable(desk, slip_no, tmp_path):
    """Nothing answers at the desk's database: no server listens at its address (PostgreSQL),
    its file cannot be opened (SQLite). Then it is back, as it was."""
    if desk.url.startswith("sqlite:///"):
        (tmp_path / "gone").mkdir()
        open_database(f"sqlite:///{tmp_path / 'gone'}")      # a folder: "unable to open"
    else:
        open_database("postgresql://postgres@127.0.0.1:1/test")   # connection refused
    try:
        yield
    finally:
        open_database(desk.url)


@pytest.fixture(params=[locked, unreachable], ids=["locked", "unreachable"])
def away(request, desk, tmp_path, monkeypatch):
    """`with away(slip_no):` the database does not take a scan (lock waits of 20 ms, not 10 s)."""
    monkeypatch.setitem(db_module.SQLITE_PRAGMAS, "busy_timeout", 20)
    monkeypatch.setitem(db_module.POSTGRES_SETTINGS, "lock_timeout", 20)
    open_database(desk.url)                   # new connections, with the short waits
    return lambda slip_no: request.param(desk, slip_no, tmp_path)


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "state" / "scans.jsonl"


# --- the tests --------------------------------------------------------------------------------

def test_scans_while_away_are_kept_in_order_and_replayed_exactly_once(desk, away, journal_path):
    s = ready_slip(desk, *PARTS)
    terminal = Terminal(journal_path, keep_after=0)
    assert isinstance(terminal.do(Open(s.slip_no))[0], Opened)
    given = [scan(desk, "A"), scan(desk, "B"), Count("K", "2.5", uuid.uuid4().hex, desk.clerk),
             scan(desk, "A"), scan(desk, " B ")]
    with away(s.slip_no):
        told = terminal.do(*given)
        assert terminal.queue.wants_replay()
        assert [type(outcome) for outcome in told] == [Kept] * 5
        assert [outcome.waiting for outcome in told] == [1, 2, 3, 4, 5]
        assert told[0].reason and all("earlier scans" in kept.reason for kept in told[1:])
        assert [(k.code, k.qty, k.scan_id) for k in terminal.queue.journal.pending()] == [
            ("A", None, given[0].scan_id), ("B", None, given[1].scan_id),
            ("K", "2.5", given[2].scan_id), ("A", None, given[3].scan_id),
            ("B", None, given[4].scan_id)]
        assert terminal.waits == [] and not terminal.queue.pending
        still = terminal.do(Replay())[0]                      # the timer's try, still away
        assert (still.sent, still.waiting) == (0, 5) and still.stopped
    assert units() == []                                   # nothing went in while away

    [back] = terminal.do(Replay())
    assert back == Replayed(5, (), None, 0)
    expected = [("A", 1, given[0].scan_id), ("B", 1, given[1].scan_id),
                ("K", Decimal("2.5"), given[2].scan_id), ("A", 1, given[3].scan_id),
                ("B", 1, given[4].scan_id)]
    assert units() == expected
    assert not journal_path.exists() and not terminal.queue.wants_replay()
    assert terminal.do(Replay()) == [Replayed(0, (), None, 0)]
    assert units() == expected                             # exactly once


def test_a_scan_already_recorded_records_nothing_new(desk, journal_path):
    s = ready_slip(desk, *PARTS)
    terminal = Terminal(journal_path)
    first = scan(desk, "A")
    _, received = terminal.do(Open(s.slip_no), first)
    assert isinstance(received, Received) and not received.replayed
    [again] = terminal.do(first)                              # the same scan, sent again
    assert again.replayed and again.unit_code == received.unit_code
    assert again.line.received == 1

    # A kept scan that reached the database just before the terminal went down.
    kept = scan(desk, "B")
    terminal.queue.journal.add(KeptScan(s.slip_no, "B", desk.clerk.id, scan_id=kept.scan_id))
    receive_scan(desk.clerk, s.slip_no, "B", kept.scan_id)
    assert terminal.do(Replay()) == [Replayed(1, (), None, 0)]
    assert [part for part, _, _ in units()] == ["A", "B"]


def test_a_code_not_of_the_open_slip_is_refused_at_once_while_away(desk, away, journal_path):
    s = ready_slip(desk, *PARTS)
    terminal = Terminal(journal_path, keep_after=0)
    terminal.do(Open(s.slip_no))
    others = (s.case.case_no, s.slip_no, "U000001", "NOPE")
    with away(s.slip_no):
        assert isinstance(terminal.do(scan(desk, "A"))[0], Kept)
        # However long a scan may wait for the database, these are not waited for: were
        # they, the queue would stop at the first try (the desk "closing") with nothing told.
        terminal.queue.keep_after, terminal.queue.cancelled = 3600, lambda: True
        for code in others:
            stopped, refused = terminal.do(scan(desk, code))
            assert isinstance(stopped, Replayed) and stopped.stopped and stopped.waiting == 1
            assert isinstance(refused, Refusal)
            assert f"{code} is not a part of slip {s.slip_no}" in refused.text
            assert "scan it again when the database is back" in refused.text
        assert terminal.waits == [] and not terminal.queue.pending
        assert [k.code for k in terminal.queue.journal.pending()] == ["A"]
    assert terminal.do(Replay()) == [Replayed(1, (), None, 0)]
    assert [part for part, _, _ in units()] == ["A"]


def test_the_journal_survives_a_restart(desk, away, journal_path):
    s = ready_slip(desk, *PARTS)
    before = Terminal(journal_path, keep_after=0)
    before.do(Open(s.slip_no))
    given = [scan(desk, code) for code in ("B", "A", "B")]
    with away(s.slip_no):
        assert [type(o) for o in before.do(*given)] == [Kept] * 3
    # The desk stops (or is killed): only the journal's file stays.
    after = Terminal(journal_path)                         # started again: a new queue
    assert after.queue.wants_replay()
    assert [k.scan_id for k in after.queue.journal.pending()] == [g.scan_id for g in given]
    later = scan(desk, "A")
    told = after.do(Replay(), Open(s.slip_no), later)      # as the screen does when it opens
    assert told[0] == Replayed(3, (), None, 0)
    assert isinstance(told[2], Received) and told[2].line.received == 2
    assert units() == [("B", 1, given[0].scan_id), ("A", 1, given[1].scan_id),
                       ("B", 1, given[2].scan_id), ("A", 1, later.scan_id)]
    assert {unit.received_by.name for unit in Unit.select()} == {"clerk"}


def test_a_busy_database_is_waited_for_and_nothing_is_dropped(desk, away, journal_path):
    s = ready_slip(desk, *PARTS)
    terminal = Terminal(journal_path, keep_after=3600)
    terminal.do(Open(s.slip_no))
    with ExitStack() as outage:
        outage.enter_context(away(s.slip_no))
        # The outage ends the first time the queue says it waits; the same scan goes in then.
        terminal.queue.waiting = lambda reason: (terminal.waits.append(reason), outage.close())
        [told] = terminal.do(scan(desk, "A"))
    assert len(terminal.waits) == 1 and terminal.waits[0]
    assert isinstance(told, Received) and told.line.received == 1
    assert not journal_path.exists() and [part for part, _, _ in units()] == ["A"]


def test_the_desk_closing_leaves_the_command_unacknowledged(desk, away, journal_path):
    s = ready_slip(desk, *PARTS)
    terminal = Terminal(journal_path, keep_after=3600, cancelled=lambda: True)
    terminal.do(Open(s.slip_no))
    command = scan(desk, "A")
    with away(s.slip_no):
        assert terminal.do(command) == []
        assert list(terminal.queue.pending) == [command]      # not dropped, not said to be in
    assert not journal_path.exists() and units() == []
