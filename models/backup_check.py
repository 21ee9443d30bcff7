"""What a backup holds, read from the file alone before a restore replaces anything: whether it
is whole, which schema it has, and who could sign in to it (models.backup.restore refuses a
backup that would leave the site worse than it is).

SQLite: the file opened read-only, `PRAGMA integrity_check`. PostgreSQL: pg_restore reads the
whole archive (every block decompressed, as a restore would) into nothing, then the two small
tables this needs come out of it as COPY text.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import Refused
from .i18n import _

# Who could sign in after a restore: an admin who is neither disabled nor locked.
_ADMINS = """SELECT name FROM "user" WHERE role = 'admin' AND active AND NOT locked
             ORDER BY name"""


@dataclass(frozen=True)
class BackupFacts:
    migrations: list[str]     # the schema's applied migrations, by name
    admins: list[str]         # the admins who could sign in to it


def read_backup(source: Path, postgres: bool) -> BackupFacts:
    """The facts of a whole, readable Returns Desk backup; Refused, saying why, otherwise."""
    return _pg_facts(source) if postgres else _sqlite_facts(source)


def _sqlite_facts(path: Path) -> BackupFacts:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise Refused(_("{file} cannot be read as a backup: {problem}").format(
            file=path, problem=exc)) from None
    try:
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise Refused(_("{file} is damaged or not a Returns Desk backup ({problem}): nothing "
                            "was restored").format(file=path, problem=exc)) from None
        if problems != ["ok"]:
            raise Refused(_("{file} is damaged ({problem}): nothing was restored; use another "
                            "backup").format(file=path, problem=problems[0]))
        try:
            migrations = [r[0] for r in connection.execute("SELECT name FROM schema_migration")]
            admins = [r[0] for r in connection.execute(_ADMINS)]
        except sqlite3.DatabaseError:
            raise Refused(_("{file} is not a Returns Desk backup").format(file=path)) from None
    finally:
        connection.close()
    if not migrations:
        raise Refused(_("{file} is not a Returns Desk backup").format(file=path))
    return BackupFacts(migrations, admins)


def _pg_facts(path: Path) -> BackupFacts:
    # Every block read and decompressed, written nowhere: a damaged dump fails here.
    _pg_restore(path, "-f", "/dev/null")
    script = _pg_restore(path, "--data-only", "-t", "schema_migration", "-t", "user", "-f", "-")
    migrations = [row["name"] or "" for row in _copied(script, "schema_migration")]
    if not migrations:
        raise Refused(_("{file} is not a Returns Desk backup").format(file=path))
    admins = sorted(row["name"] or "" for row in _copied(script, "user")
                    if row["role"] == "admin" and row["active"] == "t" and row["locked"] == "f")
    return BackupFacts(migrations, admins)


def _pg_restore(path: Path, *args: str) -> str:
    if shutil.which("pg_restore") is None:
        raise Refused(_("{tool} is not installed: install the PostgreSQL client tools").format(
            tool="pg_restore"))
    result = subprocess.run(["pg_restore", *args, str(path)], capture_output=True, text=True,
                            errors="replace")
    if result.returncode != 0:
        # A damaged block can make pg_restore crash without a word (a segmentation fault).
        reason = (result.stderr.strip().splitlines()
                  or [_("pg_restore stopped reading it, exit status {status}").format(
                      status=result.returncode)])[0]
        raise Refused(_("{file} is not a whole Returns Desk backup ({problem}): nothing was "
                        "restored").format(file=path, problem=reason[:200]))
    return result.stdout


_COPY = re.compile(r'^COPY (?:\S+\.)?"?(\w+)"? \(([^)]*)\) FROM stdin;$')
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


def _copied(script: str, table: str) -> list[dict[str, str | None]]:
    """The rows of `table` in a pg_restore script's COPY block, as text by column name."""
    rows: list[dict[str, str | None]] = []
    names: list[str] | None = None
    for line in script.splitlines():
        if names is None:
            match = _COPY.match(line)
            if match and match[1] == table:
                names = [n.strip().strip('"') for n in match[2].split(",")]
        elif line == "\\.":
            break
        else:
            rows.append(dict(zip(names, map(_value, line.split("\t")))))
    return rows


def _value(text: str) -> str | None:
    if text == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text)
