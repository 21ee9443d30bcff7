"""The scan field: where scanners and people type codes, on every screen of the desk."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

# Scanners end a code with CR, some with CR LF ("ctrl+j" arrives after "enter").
TERMINATORS = ("enter", "ctrl+j")


class ScanField(Widget, can_focus=True):
    """One line for scanned or typed codes.

    The stock Input runs Enter through a binding, apart from the characters
    (Textualize/textual#6605): when a scanner types the next code at once, its first
    characters can land before the submit and two codes run together. Here Enter is
    handled in the same key handler as the characters, so each code is cut off exactly
    where its Enter was, and codes leave in the order they were scanned.
    """

    DEFAULT_CSS = """
    ScanField {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $boost;
    }
    ScanField:focus {
        background: $primary 20%;
    }
    """

    value: reactive[str] = reactive("")

    @dataclass
    class Scanned(Message):
        """A complete code; `scan_id` is unique to this scan, so a retry never counts twice."""

        field: ScanField
        code: str
        scan_id: str

    @dataclass
    class Blank(Message):
        """Enter on an empty field: act on the highlighted row."""

        field: ScanField

    def __init__(self, placeholder: str = "scan or type a code, then Enter", *,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder = placeholder

    def render(self) -> Content:
        if self.value:
            cursor = "▏" if self.has_focus else ""
            return Content.assemble(("▸ ", "bold"), self.value, cursor)
        return Content.assemble(("▸ ", "bold"), (self.placeholder, "dim"))

    def on_key(self, event: events.Key) -> None:
        if event.key in TERMINATORS:
            event.stop()
            event.prevent_default()
            self.submit(blank_ok=event.key == "enter")
        elif event.key == "backspace" and self.value:
            event.stop()
            self.value = self.value[:-1]
        elif event.key == "escape" and self.value:
            event.stop()
            self.value = ""
        elif event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.value += event.character

    def on_paste(self, event: events.Paste) -> None:
        """Pasted lines are codes, one per line (a list copied from a spreadsheet)."""
        event.stop()
        *complete, rest = event.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for line in complete:
            self.value += line
            self.submit(blank_ok=False)
        self.value += rest

    def submit(self, blank_ok: bool = True) -> None:
        code, self.value = self.value.strip(), ""
        if code:
            self.post_message(self.Scanned(self, code, uuid.uuid4().hex))
        elif blank_ok:
            self.post_message(self.Blank(self))
