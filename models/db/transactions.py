"""One unit of work, and the row locks two terminals need on PostgreSQL."""
from __future__ import annotations

from contextlib import contextmanager

from .current import db, is_postgres


@contextmanager
def transaction():
    """One unit of work; on SQLite it holds the write lock from the start."""
    # The database itself, not the proxy: peewee's transaction asks its database a dozen
    # things, each a lookup through the proxy; it was most of an operation's BEGIN/COMMIT
    # on SQLite (python -m bench --only intake).
    database = db.obj
    with database.connection_context() if database.is_closed() else _nothing():
        with database.atomic():
            yield


@contextmanager
def _nothing():
    yield


def for_update(query):
    """Lock the selected rows until commit. SQLite's IMMEDIATE transaction already
    serialises writers, so only PostgreSQL needs the row lock."""
    return query.for_update() if is_postgres() else query


def lock_suffix() -> str:
    """What makes a SELECT lock its rows until commit (see `for_update`)."""
    return " FOR UPDATE" if is_postgres() else ""
