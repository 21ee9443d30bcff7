"""When the desk collects its garbage: the full collection waits for a quiet moment.

A full collection walks every object the desk holds (~90,000 once Textual, the screens and
peewee are up): 40-80 ms here, several frames, and it fell on whatever the desk was doing at
the time, a screen's first paint or a scan. (python -m bench: finance's first paint was 1.5×
slower on the 1,000,000-line site than on the 10-line one only because a full collection fell
on it there, and on another screen on the small site.)

The young generations still collect themselves as usual (~1 ms each). The full collection
runs once no key has come for QUIET_SECONDS (a clerk scanning a unit a second leaves that
much between two scans), or by itself after OLDEST_WAIT collections of the middle generation,
so a desk scanning for hours without a pause still frees its cycles.
What the desk holds when it starts lives as long as the desk: it is frozen, never walked again.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from time import monotonic

QUIET_SECONDS = 0.5
TICK_SECONDS = 0.25
OLDEST_WAIT = 100      # Python's own default is 10


class QuietCollector:
    def __init__(self, last_key: Callable[[], float]) -> None:
        self.last_key = last_key
        self.saved_threshold = gc.get_threshold()

    def start(self) -> None:
        gc.freeze()
        young, middle, _ = self.saved_threshold
        gc.set_threshold(young, middle, OLDEST_WAIT)

    def tick(self) -> None:
        """Called every TICK_SECONDS: a full collection if any is due and the keys are quiet."""
        if gc.get_count()[2] and monotonic() - self.last_key() >= QUIET_SECONDS:
            gc.collect()

    def stop(self) -> None:
        gc.set_threshold(*self.saved_threshold)
        gc.unfreeze()
