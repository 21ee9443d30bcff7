"""SQL written once, for the paths a person waits on.

Building a statement with peewee costs 0.1-0.5 ms (python -m bench), ten to fifty times
what SQLite takes to answer it. The few paths a clerk waits on (a scan, a lookup) run SQL
written by hand in models/, with ? for each parameter, through these helpers; peewee
still owns the connection, the transaction and the errors. On PostgreSQL each statement
is prepared once per connection: planning a join there costs more (~1 ms) than running it.
"""
from __future__ import annotations

import hashlib
import itertools
import re
import weakref

from .current import db, is_postgres

_PLACEHOLDERS: dict[tuple[str, str], str] = {}


def sql(text: str) -> str:
    """`text` with its ? placeholders in the current database's style."""
    param = db.param
    if param == "?":
        return text
    key = (text, param)
    if key not in _PLACEHOLDERS:
        _PLACEHOLDERS[key] = text.replace("%", "%%").replace("?", param)
    return _PLACEHOLDERS[key]


def execute(text: str, params: tuple | list = ()):
    """Run one statement (? placeholders); the cursor, for fetching."""
    return execute_all((text, params))


def execute_all(*statements: tuple[str, tuple | list]):
    """Run (text, params) statements in order, the next only if the one before succeeded; the
    cursor of the last, for fetching. On PostgreSQL they go in one message: one round trip."""
    if not is_postgres():
        run_sql = db.obj.execute_sql    # the database itself: a lookup through the proxy less
        for text, params in statements:
            cursor = run_sql(text, params)
        return cursor
    runs, values = [], []
    for text, params in statements:
        name, prepare, run = _prepared_statement(text, len(params))
        if name not in _PREPARED_ON.setdefault(db.connection(), set()):
            _prepare(prepare, name)
        runs.append(run)
        values.extend(params)
    return db.execute_sql("; ".join(runs), values)


_RETURNING_ID: dict[str, str] = {}


def insert(text: str, params: tuple | list = ()) -> int:
    """Run one single-row INSERT (written without RETURNING); the new row's id. SQLite: the
    cursor's lastrowid, as a RETURNING clause there costs more than the insert itself on a
    table of many indexes (a case: ~20 µs more than its ~18 µs; python -m bench --only
    intake). PostgreSQL: RETURNING id, in the same round trip."""
    if not is_postgres():
        return execute(text, params).lastrowid
    if text not in _RETURNING_ID:
        _RETURNING_ID[text] = text + " RETURNING id"
    return execute(_RETURNING_ID[text], params).fetchone()[0]


def next_id(model) -> str:
    """SQL for the id the next row of `model` will get, read before the row is written so the
    statements that insert it and name it can go in one round trip (see `execute_all`).
    PostgreSQL hands it out from the table's sequence. SQLite gives a new row the highest id
    plus one, and the transaction's write lock keeps every other writer out until commit."""
    table = model._meta.table_name
    if is_postgres():
        return f"nextval(pg_get_serial_sequence('{table}', 'id'))"
    return f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table})"


# --- PostgreSQL's prepared statements ---------------------------------------------------------

_PREPARED_ON: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # connection -> names
_STATEMENTS: dict[tuple[str, int], tuple[str, str, str]] = {}
_PREPARE_TEXT: dict[str, str] = {}        # name -> PREPARE name AS ...
_READ_NAMES: set[str] = set()             # names of prepared SELECTs
_PREPARED_NAME = re.compile(r"\bEXECUTE (desk_[0-9a-f]{16})\b")


def _prepare(prepare: str, name: str) -> None:
    db.execute_sql(prepare)     # not undone by a rollback: it lives as long as the connection
    # (on the connection it was prepared on: a dead one may have been replaced meanwhile)
    _PREPARED_ON.setdefault(db.connection(), set()).add(name)


def _prepared_statement(text: str, count: int) -> tuple[str, str, str]:
    """(name, PREPARE name AS ..., EXECUTE name (...)) for a statement with ? placeholders."""
    key = (text, count)
    if key not in _STATEMENTS:
        name = "desk_" + hashlib.sha1(text.encode()).hexdigest()[:16]
        numbers = itertools.count(1)
        body = re.sub(r"\?", lambda _: f"${next(numbers)}", text.replace("%", "%%"))
        run = f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
        _STATEMENTS[key] = (name, f"PREPARE {name} AS {body}", run)
        _PREPARE_TEXT[name] = _STATEMENTS[key][1]
        if text.lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in text.upper():
            _READ_NAMES.add(name)
    return _STATEMENTS[key]


def is_read(text: str) -> bool:
    """True for a statement that changes nothing when it runs (so may run twice)."""
    words = text.lstrip().split(None, 2)
    if words[:1] == ["SELECT"]:
        return "FOR UPDATE" not in text.upper()
    if words[:1] == ["PREPARE"]:
        return True                         # prepares, runs nothing
    names = _PREPARED_NAME.findall(text)
    return words[:1] == ["EXECUTE"] and all(name in _READ_NAMES for name in names)


def prepare_missing(conn, text: str, run) -> None:
    """Prepare on `conn` (a new connection in place of a dead one) every statement `text`
    executes that `conn` has not got and `text` does not prepare itself; `run(sql)` sends one."""
    prepared = _PREPARED_ON.setdefault(conn, set())
    for name in dict.fromkeys(_PREPARED_NAME.findall(text)):
        if name not in prepared and f"PREPARE {name} " not in text:
            run(_PREPARE_TEXT[name])
            prepared.add(name)
