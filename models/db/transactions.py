"""One unit of work, and the row locks two terminals need on PostgreSQL."""
from __future__ import annotations

from contextlib import contextmanager

from .current import db, is_postgres


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


def lock_suffix() -> str:
    """What makes a SELECT lock its rows until commit (see `for_update`)."""
    return " FOR UPDATE" if is_postgres() else ""
