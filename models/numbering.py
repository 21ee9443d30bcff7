"""Serial numbers that two terminals can never both get: one atomic upsert per number."""
from __future__ import annotations

from peewee import Case

from .tables import Counter


def next_serial(key: str) -> int:
    """The next serial for `key` (e.g. 'case:2611'), starting at 1."""
    query = (Counter.insert(key=key, last=1)
             .on_conflict(conflict_target=[Counter.key], update={Counter.last: Counter.last + 1})
             .returning(Counter.last))
    return list(query.tuples().execute())[0][0]


def claim_serial(key: str, serial: int) -> None:
    """An explicitly numbered record took `serial`: later allocations go past it."""
    (Counter.insert(key=key, last=serial)
     .on_conflict(conflict_target=[Counter.key],
                  update={Counter.last: Case(None, [(Counter.last < serial, serial)], Counter.last)})
     .execute())

