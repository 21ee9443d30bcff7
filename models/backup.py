"""Backups a damaged site can be restored from at once (001 system 4 §3(3))."""
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


def backup(user, target: str | Path) -> Path:
    """SQLite: an online copy (other terminals may keep working). PostgreSQL: pg_dump -Fc."""
    user = require(user, "backup")
    target = Path(target)
    if target.exists():
        raise Refused(f"{target} already exists: choose a new file name")
    if not target.parent.is_dir():
        raise Refused(f"no folder {target.parent}")
    if is_postgres():
        _pg_dump(target)
    else:
        source = sqlite3.connect(db.obj.database)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
    with db.atomic():
        audit.record(user, "backup", "database", "backup", None, {"file": str(target.resolve())})
    return target


def _pg_dump(target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise Refused("pg_dump is not installed: install the PostgreSQL client tools")
    params = db.obj.connect_params
    command = ["pg_dump", "-Fc", "-f", str(target), "-d", db.obj.database]
    for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = None
    if params.get("password"):
        env = dict(os.environ, PGPASSWORD=str(params["password"]))
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise Refused(f"pg_dump failed: {result.stderr.strip()[:300]}")
