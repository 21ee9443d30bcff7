"""Backups a damaged site can be restored from at once (001 system 4 §3(3)).

SQLite: the online backup API (other terminals may keep working while it copies).
PostgreSQL: the standard pg_dump -Fc / pg_restore of the desk's schema.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from . import audit
from .access import require
from .db import db, is_postgres
from .errors import Refused
from .files import NotWritten, new_file


def backup(user, target: str | Path) -> Path:
    user = require(user, "backup")
    target = Path(target)
    if target.exists() or target.is_symlink():
        raise Refused(f"{target} already exists: choose a new file name")
    # Whole or not at all: a full disk or a failed pg_dump leaves no half backup behind.
    with new_file(target) as partial:
        if is_postgres():
            _pg("pg_dump", "-Fc", "-f", str(partial))
        else:
            try:
                _sqlite_copy(db.obj.database, str(partial))
            except sqlite3.Error as exc:
                raise NotWritten(f"cannot write {target}: {exc}") from None
    with db.atomic():
        audit.record(user, "backup", "database", "backup", None, {"file": str(target.resolve())})
    return target


def restore(user, source: str | Path) -> None:
    """Replace the whole database with a backup; the restore itself is then recorded."""
    user = require(user, "backup")
    source = Path(source)
    if not source.is_file():
        raise Refused(f"no backup file {source}")
    if is_postgres():
        _pg("pg_restore", "--clean", "--if-exists", "--single-transaction", str(source))
    else:
        if not _is_desk_database(source):
            raise Refused(f"{source} is not a Returns Desk backup")
        db.close()
        _sqlite_copy(str(source), db.obj.database)
    db.connect(reuse_if_open=True)
    with db.atomic():
        audit.record(user, "restore", "database", "restore", None, {"file": str(source.resolve())})


def _sqlite_copy(source: str, target: str) -> None:
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with copy:
            origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def _is_desk_database(path: Path) -> bool:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM schema_migration").fetchone()[0] > 0
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False


def _pg(tool: str, *args: str) -> None:
    """Run pg_dump / pg_restore on the desk's own schema of the connected database."""
    if shutil.which(tool) is None:
        raise Refused(f"{tool} is not installed: install the PostgreSQL client tools")
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    params = db.obj.connect_params
    command = [tool, "-d", db.obj.database, "-n", schema, *args]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params.get(key):
            command[1:1] = [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise Refused(f"{tool} failed: {result.stderr.strip()[:300]}")
