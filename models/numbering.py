"""Serial numbers that two terminals can never both get: one atomic upsert per number."""
from __future__ import annotations

from peewee import Case

from .db import execute
from .tables import Counter

# Written once (see models.db): every case and slip saved takes a number.
_NEXT_SERIAL = """INSERT INTO counter (key, last) VALUES (?, 1)
                  ON CONFLICT (key) DO UPDATE SET last = counter.last + 1 RETURNING last"""


def next_serial(key: str) -> int:
    """The next serial for `key` (e.g. 'case:2611'), starting at 1."""
    return execute(_NEXT_SERIAL, (Counter.key.db_value(key),)).fetchone()[0]


def claim_serial(key: str, serial: int) -> None:
    """An explicitly numbered record took `serial`: later allocations go past it."""
    (Counter.insert(key=key, last=serial)
     .on_conflict(conflict_target=[Counter.key],
                  update={Counter.last: Case(None, [(Counter.last < serial, serial)], Counter.last)})
     .execute())

