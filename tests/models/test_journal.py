"""When the database goes away, scans are kept on local disk and sent in order, exactly once."""
import sqlite3

import pytest

from models.db import db
from models.journal import Kept, Scan, ScanJournal, save
from models.receiving import Receipt, close_receiving, receive_scan
from models.tables import SlipLine, Unit

from ..conftest import postgres_server_stopped
from ..figures import record
from ..helpers import ready_slip


def received(slip):
    return SlipLine.get(SlipLine.slip == slip).received_qty


@pytest.fixture
def journal(tmp_path):
    return ScanJournal(tmp_path / "journal" / "scans.jsonl")


def test_scans_go_straight_in_while_the_database_is_there(desk, journal):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    assert isinstance(save(Scan(s.slip_no, "P-1", desk.clerk.id), journal), Receipt)
    assert journal.pending() == []


def test_sqlite_locked_by_a_backup(desk, journal):
    if not desk.url.startswith("sqlite"):
        pytest.skip("a file lock is SQLite's")
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    db.execute_sql("PRAGMA busy_timeout = 100")          # don't wait 10 s in a test
    locker = sqlite3.connect(desk.url[len("sqlite:///"):])
    locker.execute("BEGIN EXCLUSIVE")
    outcomes = [save(Scan(s.slip_no, "P-1", desk.clerk.id), journal) for _ in range(5)]
    assert all(isinstance(o, Kept) for o in outcomes)
    assert "locked" in outcomes[0].reason
    assert [k.scan_id for k in journal.pending()] == [o.scan.scan_id for o in outcomes]
    locker.rollback()
    locker.close()
    db.execute_sql("PRAGMA busy_timeout = 10000")
    replay = journal.replay()
    record("outage", desk.url, 5, min(replay.sent, received(s)), "SQLite file locked by a backup")
    assert (replay.sent, replay.refused, replay.stopped) == (5, [], None)
    assert received(s) == 5 and not journal.path.exists()
    assert journal.replay().sent == 0 and received(s) == 5


def test_a_scan_that_reached_the_database_is_not_sent_twice(desk, journal):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    scan = Scan(s.slip_no, "P-1", desk.clerk.id)
    journal.add(scan)
    receive_scan(desk.clerk, s.slip_no, "P-1", scan_id=scan.scan_id)   # committed, then a crash
    assert journal.replay().sent == 1
    assert Unit.select().count() == 1


def test_new_scans_queue_behind_kept_ones(desk, journal):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    journal.add(Scan(s.slip_no, "P-1", desk.clerk.id))
    later = save(Scan(s.slip_no, "P-1", desk.clerk.id), journal)
    assert isinstance(later, Kept) and "earlier scans" in later.reason
    assert journal.replay().sent == 2


def test_refused_on_replay_is_reported_not_retried(desk, journal):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    journal.add(Scan(s.slip_no, "P-1", desk.clerk.id))
    journal.add(Scan(s.slip_no, "NOPE", desk.clerk.id))
    replay = journal.replay()
    assert replay.sent == 1 and "unknown code 'NOPE'" in replay.refused[0][1]
    assert journal.pending() == [] and journal.replay().refused == []


def test_a_torn_last_line_loses_nothing_acknowledged(desk, journal):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    journal.add(Scan(s.slip_no, "P-1", desk.clerk.id))
    with open(journal.path, "a") as out:
        out.write('{"scan": {"slip_no": "')                    # killed mid-write
    journal.add(Scan(s.slip_no, "P-1", desk.clerk.id))
    assert len(journal.pending()) == 2
    assert journal.replay().sent == 2 and received(s) == 2




def test_postgres_stopped_and_started_during_a_run(desk, journal):
    if desk.url.startswith("sqlite"):
        pytest.skip("this one stops the PostgreSQL server")
    s = ready_slip(desk, ("P-1", "pcs", "100", "1"))
    assert isinstance(save(Scan(s.slip_no, "P-1", desk.clerk.id), journal), Receipt)
    with postgres_server_stopped():
        kept = [save(Scan(s.slip_no, "P-1", desk.clerk.id), journal) for _ in range(20)]
        assert all(isinstance(k, Kept) for k in kept)
        assert journal.replay().stopped                     # still away: nothing lost
        assert len(journal.pending()) == 20
    replay = journal.replay()
    record("outage", desk.url, 20, min(replay.sent, Unit.select().count() - 1),
           "PostgreSQL server stopped and started")
    assert (replay.sent, replay.refused) == (20, [])
    assert received(s) == 21 and Unit.select().count() == 21
    close_receiving(desk.clerk, s.slip_no)
