"""The connections under the desk (models.db): a pooled PostgreSQL connection is handed out
without a ping, so one the server dropped must still never reach the clerk; BEGIN travels with
the first statement; and a scan that waited for another terminal's lock sees what it wrote."""
from __future__ import annotations

import json
import select
import threading
import time
from decimal import Decimal

import peewee
import psycopg2
import psycopg2.extensions
import pytest

from models import audit
from models import db as db_module
from models.db import db, execute, pool, transaction
from models.receiving import receive_scan
from models.tables import AuditLog, SlipLine, Unit

from ..helpers import case, customer, ready_slip


@pytest.fixture
def pg(desk):
    if desk.url.startswith("sqlite"):
        pytest.skip("PostgreSQL's connections")
    return desk


def pooled_backend() -> tuple[object, int]:
    """The connection the pool hands out next, and its server process."""
    with db.connection_context():
        conn = db.connection()
        return conn, conn.get_backend_pid()


def end_backend(url: str, pid: int) -> None:
    """The server ends one session, as a restart or an administrator does."""
    from playhouse.db_url import parse
    other = psycopg2.connect(**parse(url))
    other.autocommit = True
    other.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()


def wait_readable(conn) -> None:
    assert select.select([conn], [], [], 10)[0], "the server did not say it ended the session"


def test_a_connection_the_server_ended_is_replaced_unseen(pg):
    s = ready_slip(pg, ("P-1", "pcs", "10", "1"))
    receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="a")
    conn, pid = pooled_backend()
    end_backend(pg.url, pid)
    wait_readable(conn)
    assert not receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="b").replayed
    assert pooled_backend()[1] != pid
    assert Unit.select().count() == 2


def test_a_dead_connection_that_said_nothing_is_replaced_at_its_first_statement(pg, monkeypatch):
    # As after the server's host rebooted: nothing arrived on the connection to tell.
    s = ready_slip(pg, ("P-1", "pcs", "10", "1"))
    receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="a")
    conn, pid = pooled_backend()
    end_backend(pg.url, pid)
    wait_readable(conn)
    monkeypatch.setattr(pool, "_has_input", lambda conn: False)
    receipt = receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="b")     # BEGIN; ... sent again
    assert not receipt.replayed and receipt.line.received_qty == 2
    assert pooled_backend()[1] != pid
    assert [u.scan_id for u in Unit.select().order_by(Unit.id)] == ["a", "b"]


def test_a_read_outside_a_transaction_is_sent_again_but_a_write_is_not(pg, monkeypatch):
    monkeypatch.setattr(pool, "_has_input", lambda conn: False)
    conn, pid = pooled_backend()
    end_backend(pg.url, pid)
    wait_readable(conn)
    with db.connection_context():
        assert db.execute_sql("SELECT COUNT(*) FROM audit_log").fetchone()[0] >= 1
    conn, pid = pooled_backend()
    end_backend(pg.url, pid)
    wait_readable(conn)
    # Whether a write the server may have run went through is not known: it is not sent twice.
    with pytest.raises((peewee.OperationalError, peewee.InterfaceError)):
        with db.connection_context():
            db.execute_sql("UPDATE setting SET value = value WHERE name = 'label_printer'")


def test_begin_travels_with_the_first_statement_and_a_transaction_stays_one(pg):
    sent = []

    class Watched(psycopg2.extensions.cursor):
        def execute(self, query, params=None):
            sent.append(query)
            return super().execute(query, params)

    db.obj.close_all()
    db.obj.connect_params["cursor_factory"] = Watched
    with transaction():
        audit.record(pg.admin, "test", "x", "0")            # its statement prepared
    before = AuditLog.select().count()
    del sent[:]
    with pytest.raises(ZeroDivisionError):
        with transaction():
            audit.record(pg.admin, "test", "x", "1")
            audit.record(pg.admin, "test", "x", "2")
            raise ZeroDivisionError
    assert [q.split()[0] for q in sent] == ["BEGIN;", "EXECUTE", "ROLLBACK"], sent
    assert AuditLog.select().count() == before              # both undone
    del sent[:]
    with transaction():
        pass
    assert sent == []                                       # nothing began, nothing to end


def test_a_scan_is_four_round_trips_on_postgresql(pg):
    s = ready_slip(pg, ("P-1", "pcs", "10", "1"))
    sent = []

    class Counted(psycopg2.extensions.cursor):
        def execute(self, query, params=None):
            sent.append(query)
            return super().execute(query, params)

    db.obj.close_all()
    db.obj.connect_params["cursor_factory"] = Counted
    receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="warm")        # statements prepared
    del sent[:]
    receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="counted")
    # BEGIN with the role check; the slip's lock with the facts and the unit's id; the unit, its
    # label job, audit record and running total; COMMIT. No ping of the pooled connection.
    assert len(sent) == 4, sent
    assert sent[0].startswith("BEGIN; ") and sent[-1] == "COMMIT"


def _holding_the_slip(slip_no, started, proceed, receipts):
    with transaction():
        receipts.append(receive_scan_as_clerk(slip_no, "same"))
        started.set()
        assert proceed.wait(30)
    db.close()


def receive_scan_as_clerk(slip_no, scan_id):
    from models.tables import User
    return receive_scan(User.get(User.name == "clerk"), slip_no, "P-1", scan_id=scan_id)


def _scanning(slip_no, scan_id, receipts):
    try:
        receipts.append(receive_scan_as_clerk(slip_no, scan_id))
    except Exception as exc:            # told in the assertion below
        receipts.append(exc)
    finally:
        db.close()


def waiting_for_a_lock(count: int) -> None:
    """Until `count` sessions wait for a row lock (PostgreSQL); SQLite's wait is not seen."""
    if not db_module.is_postgres():
        time.sleep(0.2)
        return
    for _ in range(500):
        with db.connection_context():
            waiting = execute("SELECT COUNT(*) FROM pg_stat_activity "
                              "WHERE wait_event_type = 'Lock'").fetchone()[0]
        if waiting >= count:
            return
        time.sleep(0.01)
    raise AssertionError("the scans did not wait for the slip's lock")


def test_a_scan_that_waited_for_the_slip_sees_what_the_holder_wrote(desk):
    # The slip is locked by a statement of its own: a statement that read as it locked would
    # see the slip's line and units as they were when it began to wait.
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    started, proceed, first, later = threading.Event(), threading.Event(), [], []
    holder = threading.Thread(target=_holding_the_slip, args=(s.slip_no, started, proceed, first))
    holder.start()
    assert started.wait(30)
    waiters = [threading.Thread(target=_scanning, args=(s.slip_no, scan_id, later))
               for scan_id in ("same", "other")]
    for waiter in waiters:
        waiter.start()
    waiting_for_a_lock(2)
    proceed.set()
    for thread in (holder, *waiters):
        thread.join(60)
    assert not any(isinstance(r, Exception) for r in later), later
    replayed = [r for r in later if r.replayed]
    new = [r for r in later if not r.replayed]
    assert len(replayed) == 1 and replayed[0].unit.id == first[0].unit.id
    assert len(new) == 1 and new[0].line.received_qty == 2
    assert SlipLine.get().received_qty == 2 and Unit.select().count() == 2
    after = json.loads(AuditLog.get(AuditLog.entity_key == new[0].unit.code).after)
    assert Decimal(after["received_qty"]) == 2


def test_the_desks_prepared_lookups_are_planned_once_not_on_every_call(pg):
    from models.reports import find_cases
    customer(pg)
    case_no = case(pg).case_no
    with db.connection_context():
        for _ in range(8):      # PostgreSQL's own choice plans the first five anew, at least
            assert [c.case_no for c in find_cases(case_no)] == [case_no]
        plans = db.execute_sql("SELECT sum(custom_plans), sum(generic_plans) FROM "
                               "pg_prepared_statements WHERE name LIKE %s", ("desk_%",)).fetchone()
    assert plans[0] == 0 and plans[1] >= 8
