"""Where the data lives: one database URL, chosen late, for SQLite or PostgreSQL."""
from __future__ import annotations

import os
from pathlib import Path

from peewee import SqliteDatabase
from playhouse.pool import PooledDatabase, PooledSqliteDatabase

from .current import db
from ..i18n import _
from .pool import DeskPostgresqlDatabase

DEFAULT_URL = "sqlite:///returns.db"
URL_ENV = "RETURNS_DESK_DB"

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
    # The desk prepares only its own key look-ups and inserts (see models.db.statements), whose
    # best plan does not depend on the values; left to choose, PostgreSQL planned some of them
    # again on every call (~0.1 ms: a case found by number took 216 µs instead of 136,
    # 1M-line site).
    "plan_cache_mode": "force_generic_plan",
}
POSTGRES_CONNECTION = {"connect_timeout": 5, "keepalives_idle": 5, "keepalives_interval": 2,
                       "keepalives_count": 3, "tcp_user_timeout": 10_000}

# No limit on connections (one per worker thread at most), none kept idle longer than this.
_POOL = {"max_connections": None, "stale_timeout": 600}


class ConfigurationError(Exception):
    """The desk cannot start with the configuration it was given."""


def url_from_env(url: str | None = None) -> str:
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def open_database(url: str | None = None):
    """Make a database from a URL and bind the desk's tables to it.

    Connections are pooled: every worker opens its own (connection_context) for each piece of
    work, and a new one costs ~0.7 ms on SQLite and ~3.5 ms on PostgreSQL (python -m bench),
    more than the work. Closing one hands it back for the next; a pooled PostgreSQL
    connection the server dropped is replaced, not used (see models.db.pool)."""
    url = url_from_env(url)
    if isinstance(db.obj, PooledDatabase):
        db.obj.close_all()           # the previous database's connections are not used again
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not Path(path).parent.exists():
            raise ConfigurationError(_("no folder for the database file: {path}").format(path=path))
        options = dict(pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=10,
                       check_same_thread=False)
        database = (SqliteDatabase(path, **options) if path == ":memory:"
                    else PooledSqliteDatabase(path, **options, **_POOL))
    elif url.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg2  # noqa: F401 (only to give a clear message when the driver is missing)
        except ImportError:
            raise ConfigurationError(
                _("PostgreSQL needs its driver: pip install 'returns-desk[postgres]'")) from None
        database = DeskPostgresqlDatabase(**_postgres_parameters(url), **_POOL)
    else:
        raise ConfigurationError(
            _("unsupported database URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")
            .format(url=url))
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
