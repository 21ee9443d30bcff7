"""Versioned schema: migrations in models/migrations, applied by `returns-desk migrate`."""
from __future__ import annotations

import re
from pathlib import Path

from playhouse.migrations import Runner

from .db import db
from .i18n import _, ngettext

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


def unknown_to_this_desk(applied: list[str]) -> list[str]:
    """Of the migrations `applied` (a backup's, say), those this desk does not have: a newer
    desk's."""
    known = {m.name for m in _runner().migrations()}
    return sorted(name for name in applied if name not in known)


def check_schema() -> None:
    """Refuse to work on a database whose schema is older or newer than this desk's."""
    if not _runner().applied():
        raise SchemaMismatch(_("the database is empty: run `returns-desk init --admin NAME` first"))
    pending, unknown = schema_status()
    if unknown:
        raise SchemaMismatch(
            _("the database was upgraded by a newer Returns Desk (it has {migrations}); install "
              "that version of the desk to use it").format(migrations=", ".join(unknown)))
    if pending:
        raise SchemaMismatch(
            ngettext("the database schema is older than this desk ({n} migration(s) pending: "
                     "{migrations}); back it up, then run `returns-desk migrate`",
                     "the database schema is older than this desk ({n} migration(s) pending: "
                     "{migrations}); back it up, then run `returns-desk migrate`", len(pending))
            .format(n=len(pending), migrations=", ".join(pending)))


def has_users() -> bool:
    """Whether anyone can sign in to this database yet (it may have no tables at all)."""
    if not db.table_exists("user"):
        return False
    return db.execute_sql('SELECT 1 FROM "user" LIMIT 1').fetchone() is not None


def grant_desk_role(role: str) -> None:
    """PostgreSQL: let `role` (created if missing) run the desk but never change history:
    no DELETE anywhere, and on the audit trail only SELECT and INSERT. Run as the owner."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(_("a role name is lower-case letters, digits and _"))
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    exists = db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not exists:
        db.execute_sql(f"CREATE ROLE {role} LOGIN")
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE ON audit_log, schema_migration FROM {role}",
        f"REVOKE INSERT ON schema_migration FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    with db.atomic():
        for statement in statements:
            db.execute_sql(statement)
