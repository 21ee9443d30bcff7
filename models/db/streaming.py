"""The rows of a large SELECT a batch at a time: constant memory however many there are."""
from __future__ import annotations

import itertools

from .current import db, is_postgres
from .statements import execute, sql

_streams = itertools.count(1)


def stream(text: str, params: tuple | list = (), batch: int = 2000):
    """The rows of a large SELECT (? placeholders), `batch` at a time: constant memory however
    many rows there are. On PostgreSQL a server-side cursor, in a transaction of its own (or
    the caller's); on SQLite the statement is stepped as it is read."""
    if not is_postgres():
        cursor = execute(text, params)
        try:
            while True:
                rows = cursor.fetchmany(batch)
                if not rows:
                    return
                yield rows
        finally:
            cursor.close()
    name = f"desk_stream_{next(_streams)}"
    with db.atomic():
        db.execute_sql(f"DECLARE {name} NO SCROLL CURSOR FOR {sql(text)}", params)
        while True:
            rows = db.execute_sql(f"FETCH FORWARD {int(batch)} FROM {name}").fetchall()
            if not rows:
                break
            yield rows
        db.execute_sql(f"CLOSE {name}")
