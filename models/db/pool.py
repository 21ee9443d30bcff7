"""The desk's PostgreSQL connection pool: two round trips fewer on every piece of work a
person waits on, and a connection the server dropped never reaches the clerk."""
from __future__ import annotations

import select
import threading
import weakref

from peewee import InterfaceError, OperationalError

from .peewee_internals import PostgresqlPoolHooks
from .statements import is_read, prepare_missing

_IDLE = 0            # psycopg2.extensions.TRANSACTION_STATUS_IDLE


class DeskPostgresqlDatabase(PostgresqlPoolHooks):
    """The pool, with two round trips fewer on every piece of work a person waits on.

    A pooled connection is not pinged (SELECT 1) when it is handed out. A server that is
    stopped or restarted, or that ends a session, says so on the connection (an error message,
    then the end of the stream), so a connection with something waiting to be read is checked
    the old way, with a SELECT 1, and one with nothing is used as it is. If a reused
    connection still turns out dead on the first statement (the server's host rebooted: no
    word came), that statement is sent again once on a new connection, but only where that is
    safe: a read, or the first statement of a transaction (nothing was committed).

    BEGIN travels with the transaction's first statement, in the same message ("BEGIN; ...",
    as pgjdbc does), instead of a round trip of its own; a transaction that sent nothing
    commits or rolls back nothing."""

    def __init__(self, *args, **kwargs):
        self._reused = weakref.WeakSet()        # connections handed out before
        # Per thread, as its connection: the BEGIN not sent yet, and whether the connection
        # was reused and has not yet answered a statement.
        self._thread = threading.local()
        super().__init__(*args, **kwargs)

    def is_dead(self, conn) -> bool:
        if conn.closed:
            return True
        if conn.get_transaction_status() != _IDLE or _has_input(conn):
            return self.pinged_dead(conn)       # a rollback, or SELECT 1
        return False

    def handed_out(self, conn) -> None:
        self._thread.unproven = conn in self._reused
        self._reused.add(conn)

    def begin(self, isolation_level=None):
        self._thread.begin = self.begin_sql(isolation_level)

    def _take_begin(self) -> str | None:
        begin, self._thread.begin = getattr(self._thread, "begin", None), None
        return begin

    def cursor(self, named_cursor=None):
        begin = self._take_begin()              # a cursor used directly: its transaction first
        cursor = super().cursor()
        if begin:
            cursor.execute(begin)
        return cursor

    def commit(self):
        if self._take_begin() is None:          # else nothing was sent: nothing to commit
            super().commit()

    def rollback(self):
        if self._take_begin() is None:
            super().rollback()

    def execute_sql(self, sql, params=None):
        begin = self._take_begin()
        text = f"{begin}; {sql}" if begin else sql
        if not getattr(self._thread, "unproven", False):
            return super().execute_sql(text, params)
        self._thread.unproven = False
        try:
            return super().execute_sql(text, params)
        except (OperationalError, InterfaceError):
            conn = self.thread_connection()
            if conn is None or not conn.closed or not (begin or is_read(sql)):
                raise
        self.replace_thread_connection()
        self._thread.unproven = False
        prepare_missing(self.thread_connection(), sql, super().execute_sql)
        return super().execute_sql(text, params)


def _has_input(conn) -> bool:
    """Something arrived on an idle connection: most likely the server saying it is going."""
    if not hasattr(select, "poll"):                  # Windows
        return bool(select.select([conn], [], [], 0)[0])
    poller = select.poll()                           # (select() refuses descriptors >= 1024)
    poller.register(conn, select.POLLIN)
    return bool(poller.poll(0))
