"""Where the data lives: one database URL, chosen late, for SQLite or PostgreSQL."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

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


class ConfigurationError(Exception):
    """The desk cannot start with the configuration it was given."""


def url_from_env(url: str | None = None) -> str:
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def open_database(url: str | None = None):
    """Make a database from a URL and bind the desk's tables to it."""
    url = url_from_env(url)
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not Path(path).parent.exists():
            raise ConfigurationError(f"no folder for the database file: {path}")
        database = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                                  timeout=10, check_same_thread=False)
    elif url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg2  # noqa: F401 (only to give a clear message when the driver is missing)
        except ImportError:
            raise ConfigurationError(
                "PostgreSQL needs its driver: pip install 'returns-desk[postgres]'") from None
        from playhouse.db_url import parse
        database = PostgresqlDatabase(**parse(url))
    else:
        raise ConfigurationError(
            f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")
    db.initialize(database)
    return database


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
