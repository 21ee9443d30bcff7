"""The desk's one source of "now", so a demo site can be built as of a chosen day."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

_fixed: dt.datetime | None = None


def now() -> dt.datetime:
    return _fixed or dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


@contextmanager
def frozen(at: dt.datetime):
    """Everything recorded inside happens at `at` (used to build the demo site)."""
    global _fixed
    previous, _fixed = _fixed, at
    try:
        yield
    finally:
        _fixed = previous
