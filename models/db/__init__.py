"""The desk's database, one module per job; every name the rest of models/ uses is here.

- `config`: the URL -> the database (SQLite or PostgreSQL), its settings and timeouts.
- `current`: the proxy the tables are bound to (`db`), and which database it is.
- `transactions`: one unit of work, and row locks.
- `statements`: SQL written by hand for the paths a person waits on, prepared once per
  connection on PostgreSQL.
- `streaming`: a large SELECT read a batch at a time.
- `rows`: model instances from those statements' rows.
- `pool`: the PostgreSQL connection pool (no ping, BEGIN sent with the first statement).
- `peewee_internals`: the only module that touches peewee's or playhouse's private members
  (tests/test_peewee_internals.py checks each one is still there and behaves as assumed).
"""
from .config import (DEFAULT_URL, POSTGRES_CONNECTION, POSTGRES_SETTINGS, SQLITE_PRAGMAS, URL_ENV,
                     ConfigurationError, open_database, url_from_env)
from .current import db, is_postgres
from .peewee_internals import new_instance, relate, set_stored, stored
from .pool import DeskPostgresqlDatabase
from .rows import columns, load
from .statements import _prepared_statement, execute, execute_all, insert, next_id, sql
from .streaming import stream
from .transactions import for_update, lock_suffix, transaction

__all__ = [
    "DEFAULT_URL", "POSTGRES_CONNECTION", "POSTGRES_SETTINGS", "SQLITE_PRAGMAS", "URL_ENV",
    "ConfigurationError", "open_database", "url_from_env", "db", "is_postgres", "new_instance",
    "relate", "set_stored", "stored", "DeskPostgresqlDatabase", "columns", "load",
    "_prepared_statement", "execute", "execute_all", "insert", "next_id", "sql", "stream", "for_update",
    "lock_suffix", "transaction",
]
