"""Receiving's log of scans: a line per scan, newest last, and a unit's line marked when the
unit is taken back (undone or reversed) rather than left as if nothing had happened."""
from __future__ import annotations

from collections import deque

from textual.widgets import Log


class ScanLog(Log):
    """Lines are written once the acknowledgement is on the screen: a line more in the Log
    changes its virtual size, which lays out the whole screen. Every change goes through the
    screen's `call_after_refresh`, so they land in the order they were made."""

    def __init__(self, *, max_lines: int = 500, id: str | None = None) -> None:
        super().__init__(max_lines=max_lines, id=id)
        self.entries: deque[tuple[str, str]] = deque(maxlen=max_lines)   # (unit code, text)

    def add(self, text: str, unit_code: str = "") -> None:
        self.entries.append((unit_code, text))
        self.screen.call_after_refresh(self.write_line, text)

    def start_over(self) -> None:
        self.entries.clear()
        self.screen.call_after_refresh(self.clear)

    def mark(self, unit_code: str, note: str) -> None:
        """The line of `unit_code`'s scan gets `note` at its end (if it is still shown)."""
        for index in range(len(self.entries) - 1, -1, -1):
            code, text = self.entries[index]
            if code == unit_code:
                if not text.endswith(note):
                    self.entries[index] = (code, f"{text}  {note}")
                    texts = [text for _, text in self.entries]   # as they are now, in turn
                    self.screen.call_after_refresh(self.redraw, texts)
                return

    def redraw(self, texts: list[str]) -> None:
        self.clear()
        self.write_lines(texts)
