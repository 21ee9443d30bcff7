"""Backups a damaged site can be restored from at once (001 system 4 §3(3)).

SQLite: the online backup API (other terminals may keep working while it copies).
PostgreSQL: the standard pg_dump -Fc / pg_restore of the desk's schema.

A restore never leaves the site worse than it was: a damaged backup, one from a newer desk,
or one no admin could sign in to is refused before anything is replaced (models.backup_check);
the database as it was is kept first as a pre-restore backup; and the restored site carries a
new restore marker, so a terminal signed in before it is refused its next write and signs in
again (models.access.require) instead of carrying on as if its work were still there.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

from . import audit, clock
from .access import RESTORED, require, seen_restore
from .backup_check import read_backup
from .db import db, execute, is_postgres
from .errors import Refused
from .files import NotWritten, new_file
from .i18n import _
from .schema import unknown_to_this_desk
from .tables import User


def backup(user, target: str | Path) -> Path:
    user = require(user, "backup")
    target = Path(target)
    if target.exists() or target.is_symlink():
        raise Refused(_("{file} already exists: choose a new file name").format(file=target))
    _write_backup(target)
    with db.atomic():
        audit.record(user, "backup", "database", "backup", None, {"file": str(target.resolve())})
    return target


def _write_backup(target: Path) -> None:
    # Whole or not at all: a full disk or a failed pg_dump leaves no half backup behind.
    with new_file(target) as partial:
        if is_postgres():
            _pg("pg_dump", "-Fc", "-f", str(partial))
        else:
            try:
                _sqlite_copy(db.obj.database, str(partial))
            except sqlite3.Error as exc:
                raise NotWritten(_("cannot write {file}: {problem}").format(
                    file=target, problem=exc)) from None


def restore(user, source: str | Path) -> Path:
    """Replace the whole database with a backup, keeping the database as it was in a
    pre-restore backup first; the restore itself is then recorded. Returns where the
    pre-restore backup is: next to the database (SQLite), next to `source` (PostgreSQL)."""
    user = require(user, "backup")
    source = Path(source)
    if not source.is_file():
        raise Refused(_("no backup file {file}").format(file=source))
    facts = read_backup(source, is_postgres())
    newer = unknown_to_this_desk(facts.migrations)
    if newer:
        raise Refused(_("{file} was made by a newer Returns Desk (it has {migrations}): install "
                        "that version to restore it; nothing was restored").format(
            file=source, migrations=", ".join(newer)))
    if not facts.admins:
        raise Refused(_("{file} has no admin who could sign in (active and not locked): "
                        "restoring it would lock everyone out; nothing was restored").format(
            file=source))
    # Terminals stop writing to the site as it is before it is kept: what they confirm from
    # here on is refused, not dropped (they must sign in again), so the kept copy has it all.
    with db.atomic():
        _mark(_marker(user.name))
    kept = _keep_current(source)
    marker = _marker(user.name)
    if is_postgres():
        _pg("pg_restore", "--clean", "--if-exists", "--single-transaction", str(source))
    else:
        _sqlite_restore(source, marker)
    db.connect(reuse_if_open=True)
    seen_restore(marker)            # this process carries on, on the site as restored
    with db.atomic():
        if is_postgres():           # (SQLite: already in the copy, see _sqlite_restore)
            _mark(marker)
        # Against the restoring admin as the backup knows them (ids may differ), by name.
        restorer = User.get_or_none(User.name == user.name)
        audit.record(restorer, "restore", "database", "restore", None,
                     {"file": str(source.resolve()), "by": user.name,
                      "kept_before": str(kept.resolve())})
    return kept


def _keep_current(source: Path) -> Path:
    """The database as it is now, as a backup named with the time: what a restore drops
    (work done since the backup) can still be looked up or put back."""
    if is_postgres():
        name = db.obj.database
        folder = source.resolve().parent
    else:
        live = Path(db.obj.database).resolve()
        name, folder = live.stem, live.parent
    stamp = f"{clock.now():%Y%m%d-%H%M%S}"
    suffix = ".dump" if is_postgres() else ".db"
    target = folder / f"{name}.pre-restore-{stamp}{suffix}"
    turn = 1
    while target.exists():
        turn += 1
        target = folder / f"{name}.pre-restore-{stamp}-{turn}{suffix}"
    try:
        _write_backup(target)
    except (NotWritten, Refused) as exc:
        raise Refused(_("the database as it is could not be kept before restoring ({problem}): "
                        "nothing was restored").format(problem=exc)) from None
    return target


def _marker(by: str) -> str:
    """A new restore marker: when, by whom, and unique (a site restored twice differs)."""
    return json.dumps({"at": f"{clock.now():%Y-%m-%d %H:%M:%S}", "by": by,
                       "id": secrets.token_hex(8)})


_MARK = """INSERT INTO setting (name, value) VALUES (?, ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value"""


def _mark(marker: str) -> None:
    execute(_MARK, (RESTORED, marker))


def _sqlite_restore(source: Path, marker: str) -> None:
    """The backup, marked as restored, copied onto the database in one step: no terminal
    writes to the restored site under the old marker in between."""
    live = Path(db.obj.database)
    staged = live.parent / f".{live.name}.restoring-{secrets.token_hex(4)}"
    try:
        _sqlite_copy(str(source), str(staged))
        connection = sqlite3.connect(staged)
        try:
            with connection:
                connection.execute(_MARK, (RESTORED, marker))
        finally:
            connection.close()
        db.close()
        _sqlite_copy(str(staged), db.obj.database)
    except sqlite3.Error as exc:
        raise Refused(_("cannot restore {file}: {problem}").format(file=source, problem=exc)) from None
    finally:
        for leftover in (staged, *(Path(f"{staged}{end}") for end in ("-journal", "-wal", "-shm"))):
            leftover.unlink(missing_ok=True)


def _sqlite_copy(source: str, target: str) -> None:
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with copy:
            origin.backup(copy)
    finally:
        origin.close()
        copy.close()


def _pg(tool: str, *args: str) -> None:
    """Run pg_dump / pg_restore on the desk's own schema of the connected database."""
    if shutil.which(tool) is None:
        raise Refused(_("{tool} is not installed: install the PostgreSQL client tools").format(
            tool=tool))
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
        raise Refused(_("{tool} failed: {problem}").format(tool=tool,
                                                           problem=result.stderr.strip()[:300]))
