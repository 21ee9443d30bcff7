"""The database the desk's tables are bound to: a proxy, given its database late (config)."""
from __future__ import annotations

from peewee import DatabaseProxy, PostgresqlDatabase

db = DatabaseProxy()


def is_postgres() -> bool:
    return isinstance(db.obj, PostgresqlDatabase)
