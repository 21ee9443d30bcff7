"""Versioned schema: migrations in models/migrations, applied by `returns-desk migrate`."""
from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner

from .db import db

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaMismatch(Exception):
    """The database's schema is not the one this desk was built for."""


def _runner() -> Runner:
    return Runner(db.obj, directory=str(MIGRATIONS))


def migrate() -> list[str]:
    """Apply every pending migration in order; returns their names."""
    return _runner().up()


def schema_status() -> tuple[list[str], list[str]]:
    """(pending, unknown): migrations this desk has not applied, and ones it does not know."""
    status = _runner().status()
    pending = [m.name for m in status if m.applied is None]
    unknown = [m.name for m in status if m.path is None]
    return pending, unknown


def check_schema() -> None:
    """Refuse to work on a database whose schema is older or newer than this desk's."""
    if not _runner().applied():
        raise SchemaMismatch("the database is empty: run `returns-desk init --admin NAME` first")
    pending, unknown = schema_status()
    if unknown:
        raise SchemaMismatch(
            f"the database was upgraded by a newer Returns Desk (it has {', '.join(unknown)}); "
            "install that version of the desk to use it")
    if pending:
        raise SchemaMismatch(
            f"the database schema is older than this desk ({len(pending)} migration(s) pending: "
            f"{', '.join(pending)}); back it up, then run `returns-desk migrate`")
