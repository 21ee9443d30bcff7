"""The connections under the desk (models.db): a pooled PostgreSQL connection is handed out
without a ping, so one the server dropped must still never reach the clerk; BEGIN travels with
the first statement."""
from __future__ import annotations

import select

import peewee
import psycopg2
import psycopg2.extensions
import pytest

from models import audit
from models import db as db_module
from models.db import db, transaction
from models.receiving import receive_scan
from models.tables import AuditLog, Unit

from .helpers import ready_slip


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
    monkeypatch.setattr(db_module, "_has_input", lambda conn: False)
    receipt = receive_scan(pg.clerk, s.slip_no, "P-1", scan_id="b")     # BEGIN; ... sent again
    assert not receipt.replayed and receipt.line.received_qty == 2
    assert pooled_backend()[1] != pid
    assert [u.scan_id for u in Unit.select().order_by(Unit.id)] == ["a", "b"]


def test_a_read_outside_a_transaction_is_sent_again_but_a_write_is_not(pg, monkeypatch):
    monkeypatch.setattr(db_module, "_has_input", lambda conn: False)
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
            1 / 0
    assert [q.split()[0] for q in sent] == ["BEGIN;", "EXECUTE", "ROLLBACK"], sent
    assert AuditLog.select().count() == before              # both undone
    del sent[:]
    with transaction():
        pass
    assert sent == []                                       # nothing began, nothing to end
