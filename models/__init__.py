"""The returns desk's domain: tables, rules and every operation that changes state.

Never imports textual, tui or labels (tests/test_layers.py keeps it so).
"""
from pathlib import Path

from .access import forget_restore
from .db import ConfigurationError, is_postgres, open_database
from .i18n import _
from .schema import SchemaMismatch, check_schema, migrate as migrate_all


def connect(url: str | None = None, check: bool = True):
    """Open the desk's database (URL, else RETURNS_DESK_DB, else ./returns.db) and,
    unless told otherwise, refuse a schema other than this desk's."""
    database = open_database(url)
    forget_restore()          # whether this database was restored is read from it
    path = getattr(database, "database", "")
    if check and not is_postgres() and path != ":memory:" and not Path(path).exists():
        raise ConfigurationError(_("no database at {path}: create one with `returns-desk init "
                                   "--admin NAME`, or give --db").format(path=path))
    database.connect(reuse_if_open=True)
    if check:
        check_schema()
    return database


__all__ = ["connect", "open_database", "check_schema", "migrate_all", "ConfigurationError", "SchemaMismatch"]
