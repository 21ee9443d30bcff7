"""Where the data lives: one database URL, chosen late, for SQLite or PostgreSQL."""
from __future__ import annotations

import hashlib
import itertools
import os
import re
import weakref
from contextlib import contextmanager
from pathlib import Path

from peewee import (AutoField, CharField, DatabaseProxy, ForeignKeyField, IntegerField,
                    PostgresqlDatabase, SqliteDatabase, TextField)
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
    connection is checked (SELECT 1) before it is handed out again, so one the server dropped
    is replaced, not used."""
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
        database = PooledPostgresqlDatabase(**_postgres_parameters(url), **_POOL)
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
    if not is_postgres():
        return db.execute_sql(text, params)
    name, prepare, run = _prepared_statement(text, len(params))
    connection = db.connection()
    prepared = _PREPARED_ON.setdefault(connection, set())
    if name not in prepared:
        db.execute_sql(prepare)     # not undone by a rollback: it lives as long as the connection
        prepared.add(name)
    return db.execute_sql(run, params)


_PREPARED_ON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # connection -> names
_STATEMENTS: dict[tuple[str, int], tuple[str, str, str]] = {}


def _prepared_statement(text: str, count: int) -> tuple[str, str, str]:
    """(name, PREPARE name AS ..., EXECUTE name (...)) for a statement with ? placeholders."""
    key = (text, count)
    if key not in _STATEMENTS:
        name = "desk_" + hashlib.sha1(text.encode()).hexdigest()[:16]
        numbers = itertools.count(1)
        body = re.sub(r"\?", lambda _: f"${next(numbers)}", text.replace("%", "%%"))
        run = f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
        _STATEMENTS[key] = (name, f"PREPARE {name} AS {body}", run)
    return _STATEMENTS[key]


def lock_suffix() -> str:
    """What makes a SELECT lock its rows until commit (see `for_update`)."""
    return " FOR UPDATE" if is_postgres() else ""


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
