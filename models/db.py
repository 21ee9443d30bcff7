"""Where the data lives: one database URL, chosen late, for SQLite or PostgreSQL."""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import select
import weakref
from contextlib import contextmanager
from pathlib import Path

from peewee import (AutoField, CharField, DatabaseProxy, ForeignKeyField, IntegerField,
                    InterfaceError, OperationalError, PostgresqlDatabase, SqliteDatabase,
                    TextField)
from playhouse.pool import PooledDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

DEFAULT_URL = "sqlite:///returns.db"
URL_ENV = "RETURNS_DESK_DB"

db = DatabaseProxy()

# WAL lets the desk read while another terminal writes; IMMEDIATE takes the write lock
# at BEGIN, so two writers queue on busy_timeout instead of failing with "database is locked".
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
}

# PostgreSQL's counterparts: a row another terminal holds locked is waited for as long as
# SQLite waits for its write lock, then the statement fails, so the desk can say so and keep
# the scan on disk (models.journal) instead of hanging. A terminal that went silent inside a
# transaction loses it (and its locks) after a minute; a cut network is noticed in seconds.
POSTGRES_SETTINGS = {
    "lock_timeout": SQLITE_PRAGMAS["busy_timeout"],                 # milliseconds
    "idle_in_transaction_session_timeout": 60_000,
    # The desk prepares only its own key look-ups and inserts (see `execute`), whose best plan
    # does not depend on the values; left to choose, PostgreSQL planned some of them again on
    # every call (~0.1 ms: a case found by number took 216 µs instead of 136, 1M-line site).
    "plan_cache_mode": "force_generic_plan",
}
POSTGRES_CONNECTION = {"connect_timeout": 5, "keepalives_idle": 5, "keepalives_interval": 2,
                       "keepalives_count": 3, "tcp_user_timeout": 10_000}


class ConfigurationError(Exception):
    """The desk cannot start with the configuration it was given."""


def url_from_env(url: str | None = None) -> str:
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def open_database(url: str | None = None):
    """Make a database from a URL and bind the desk's tables to it.

    Connections are pooled: every worker opens its own (connection_context) for each piece of
    work, and a new one costs ~0.7 ms on SQLite and ~3.5 ms on PostgreSQL (python -m bench),
    more than the work. Closing one hands it back for the next; a pooled PostgreSQL
    connection the server dropped is replaced, not used (see DeskPostgresqlDatabase)."""
    url = url_from_env(url)
    if isinstance(db.obj, PooledDatabase):
        db.obj.close_all()           # the previous database's connections are not used again
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not Path(path).parent.exists():
            raise ConfigurationError(f"no folder for the database file: {path}")
        options = dict(pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=10,
                       check_same_thread=False)
        database = (SqliteDatabase(path, **options) if path == ":memory:"
                    else PooledSqliteDatabase(path, **options, **_POOL))
    elif url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg2  # noqa: F401 (only to give a clear message when the driver is missing)
        except ImportError:
            raise ConfigurationError(
                "PostgreSQL needs its driver: pip install 'returns-desk[postgres]'") from None
        database = DeskPostgresqlDatabase(**_postgres_parameters(url), **_POOL)
    else:
        raise ConfigurationError(
            f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")
    db.initialize(database)
    return database


def _postgres_parameters(url: str) -> dict:
    """The URL's connection parameters with the desk's timeouts; options the URL names
    itself (e.g. a search_path) are kept, and a setting it names wins."""
    from playhouse.db_url import parse
    parameters = {**POSTGRES_CONNECTION, **parse(url)}
    ours = " ".join(f"-c {name}={value}" for name, value in POSTGRES_SETTINGS.items())
    parameters["options"] = f"{ours} {parameters.get('options', '')}".strip()
    return parameters


# No limit on connections (one per worker thread at most), none kept idle longer than this.
_POOL = {"max_connections": None, "stale_timeout": 600}


_IDLE = 0            # psycopg2.extensions.TRANSACTION_STATUS_IDLE
_PREPARED_NAME = re.compile(r"\bEXECUTE (desk_[0-9a-f]{16})\b")


class DeskPostgresqlDatabase(PooledPostgresqlDatabase):
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
        super().__init__(*args, **kwargs)

    def _is_closed(self, conn) -> bool:
        if conn.closed:
            return True
        if conn.get_transaction_status() != _IDLE or _has_input(conn):
            return super()._is_closed(conn)     # a rollback, or SELECT 1
        return False

    def _connect(self):
        conn = super()._connect()
        self._state.unproven = conn in self._reused
        self._reused.add(conn)
        return conn

    def begin(self, isolation_level=None):
        isolation_level = isolation_level or self._isolation_level
        self._state.begin = ("BEGIN TRANSACTION ISOLATION LEVEL "
                             f"{self._adapter.isolation_level_str(isolation_level)}"
                             if isolation_level else "BEGIN")

    def _take_begin(self) -> str | None:
        begin, self._state.begin = getattr(self._state, "begin", None), None
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
        if not getattr(self._state, "unproven", False):
            return super().execute_sql(text, params)
        self._state.unproven = False
        try:
            return super().execute_sql(text, params)
        except (OperationalError, InterfaceError):
            conn = self._state.conn
            if conn is None or not conn.closed or not (begin or _reads(sql)):
                raise
        self._replace_connection()
        prepared = _PREPARED_ON.setdefault(self._state.conn, set())
        for name in dict.fromkeys(_PREPARED_NAME.findall(sql)):
            if name not in prepared and f"PREPARE {name} " not in sql:
                super().execute_sql(_PREPARE_TEXT[name])
                prepared.add(name)
        return super().execute_sql(text, params)

    def _replace_connection(self) -> None:
        """A new connection in place of this thread's dead one, mid-`connection_context`. The
        idle ones were opened to the same server and are likely as dead: they go too."""
        dead = self._state.conn
        with self._pool_lock:
            self._in_use.pop(self.conn_key(dead), None)
        self._close_raw(dead)
        self.close_idle()
        self._state.conn = self._connect()
        self._state.unproven = False


def _has_input(conn) -> bool:
    """Something arrived on an idle connection: most likely the server saying it is going."""
    if not hasattr(select, "poll"):                  # Windows
        return bool(select.select([conn], [], [], 0)[0])
    poller = select.poll()                           # (select() refuses descriptors >= 1024)
    poller.register(conn, select.POLLIN)
    return bool(poller.poll(0))


def _reads(sql: str) -> bool:
    """True for a statement that changes nothing when it runs (so may run twice)."""
    words = sql.lstrip().split(None, 2)
    if words[:1] == ["SELECT"]:
        return "FOR UPDATE" not in sql.upper()
    if words[:1] == ["PREPARE"]:
        return True                         # prepares, runs nothing
    names = _PREPARED_NAME.findall(sql)
    return words[:1] == ["EXECUTE"] and all(name in _READ_NAMES for name in names)


def is_postgres() -> bool:
    return isinstance(db.obj, PostgresqlDatabase)


@contextmanager
def transaction():
    """One unit of work; on SQLite it holds the write lock from the start."""
    with db.connection_context() if db.is_closed() else _nothing():
        with db.atomic():
            yield


@contextmanager
def _nothing():
    yield


def for_update(query):
    """Lock the selected rows until commit. SQLite's IMMEDIATE transaction already
    serialises writers, so only PostgreSQL needs the row lock."""
    return query.for_update() if is_postgres() else query


# --- SQL written once, for the paths a person waits on ----------------------------------------
#
# Building a statement with peewee costs 0.1-0.5 ms (python -m bench), ten to fifty times
# what SQLite takes to answer it. The few paths a clerk waits on (a scan, a lookup) run SQL
# written by hand in models/, with ? for each parameter, through these helpers; peewee
# still owns the connection, the transaction and the errors. On PostgreSQL each statement
# is prepared once per connection: planning a join there costs more (~1 ms) than running it.

_PLACEHOLDERS: dict[tuple[str, str], str] = {}


def sql(text: str) -> str:
    """`text` with its ? placeholders in the current database's style."""
    param = db.param
    if param == "?":
        return text
    key = (text, param)
    if key not in _PLACEHOLDERS:
        _PLACEHOLDERS[key] = text.replace("%", "%%").replace("?", param)
    return _PLACEHOLDERS[key]


def execute(text: str, params: tuple | list = ()):
    """Run one statement (? placeholders); the cursor, for fetching."""
    return execute_all((text, params))


def execute_all(*statements: tuple[str, tuple | list]):
    """Run (text, params) statements in order, the next only if the one before succeeded; the
    cursor of the last, for fetching. On PostgreSQL they go in one message: one round trip."""
    if not is_postgres():
        for text, params in statements:
            cursor = db.execute_sql(text, params)
        return cursor
    runs, values = [], []
    for text, params in statements:
        name, prepare, run = _prepared_statement(text, len(params))
        if name not in _PREPARED_ON.setdefault(db.connection(), set()):
            _prepare(prepare, name)
        runs.append(run)
        values.extend(params)
    return db.execute_sql("; ".join(runs), values)


def _prepare(prepare: str, name: str) -> None:
    db.execute_sql(prepare)     # not undone by a rollback: it lives as long as the connection
    # (on the connection it was prepared on: a dead one may have been replaced meanwhile)
    _PREPARED_ON.setdefault(db.connection(), set()).add(name)


_PREPARED_ON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # connection -> names
_STATEMENTS: dict[tuple[str, int], tuple[str, str, str]] = {}
_PREPARE_TEXT: dict[str, str] = {}        # name -> PREPARE name AS ...
_READ_NAMES: set[str] = set()             # names of prepared SELECTs


def _prepared_statement(text: str, count: int) -> tuple[str, str, str]:
    """(name, PREPARE name AS ..., EXECUTE name (...)) for a statement with ? placeholders."""
    key = (text, count)
    if key not in _STATEMENTS:
        name = "desk_" + hashlib.sha1(text.encode()).hexdigest()[:16]
        numbers = itertools.count(1)
        body = re.sub(r"\?", lambda _: f"${next(numbers)}", text.replace("%", "%%"))
        run = f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
        _STATEMENTS[key] = (name, f"PREPARE {name} AS {body}", run)
        _PREPARE_TEXT[name] = _STATEMENTS[key][1]
        if text.lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in text.upper():
            _READ_NAMES.add(name)
    return _STATEMENTS[key]


def lock_suffix() -> str:
    """What makes a SELECT lock its rows until commit (see `for_update`)."""
    return " FOR UPDATE" if is_postgres() else ""


def next_id(model) -> str:
    """SQL for the id the next row of `model` will get, read before the row is written so the
    statements that insert it and name it can go in one round trip (see `execute_all`).
    PostgreSQL hands it out from the table's sequence. SQLite gives a new row the highest id
    plus one, and the transaction's write lock keeps every other writer out until commit."""
    table = model._meta.table_name
    if is_postgres():
        return f"nextval(pg_get_serial_sequence('{table}', 'id'))"
    return f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table})"


def _as_is(field) -> bool:
    """True where both drivers already hand back what the field's python_value would make:
    ints and text, unless the field converts them itself (e.g. ExactDecimalField)."""
    plain = (AutoField, IntegerField, CharField, TextField, ForeignKeyField)
    return isinstance(field, plain) and type(field).python_value.__module__ == "peewee"


def _converters(model) -> list[tuple[str, object]]:
    cached = model.__dict__.get("_row_converters")
    if cached is None:
        cached = [(f.name, None if _as_is(f) else f.python_value)
                  for f in model._meta.sorted_fields]
        model._row_converters = cached
    return cached


def columns(model, alias: str) -> str:
    """Every column of `model`, qualified by `alias`, in the order `load` reads them."""
    return ", ".join(f'{alias}."{f.column_name}"' for f in model._meta.sorted_fields)


def load(model, row, start: int = 0):
    """A model instance from `row[start:]` read in `columns(model, ...)` order, as peewee
    would have made it from a SELECT of the whole row."""
    data = {}
    for (name, convert), value in zip(_converters(model), row[start:] if start else row):
        data[name] = value if convert is None or value is None else convert(value)
    instance = model.__new__(model)
    instance.__data__, instance._dirty, instance.__rel__ = data, set(), {}
    return instance


_streams = itertools.count(1)


def stream(text: str, params: tuple | list = (), batch: int = 2000):
    """The rows of a large SELECT (? placeholders), `batch` at a time: constant memory however
    many rows there are. On PostgreSQL a server-side cursor, in a transaction of its own (or
    the caller's); on SQLite the statement is stepped as it is read."""
    if not is_postgres():
        cursor = execute(text, params)
        try:
            while True:
                rows = cursor.fetchmany(batch)
                if not rows:
                    return
                yield rows
        finally:
            cursor.close()
    name = f"desk_stream_{next(_streams)}"
    with db.atomic():
        db.execute_sql(f"DECLARE {name} NO SCROLL CURSOR FOR {sql(text)}", params)
        while True:
            rows = db.execute_sql(f"FETCH FORWARD {int(batch)} FROM {name}").fetchall()
            if not rows:
                break
            yield rows
        db.execute_sql(f"CLOSE {name}")
