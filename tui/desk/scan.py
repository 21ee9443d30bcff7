"""The scan field: where scanners and people type codes, on every screen of the desk."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from models.i18n import N_, _

# Scanners end a code with CR, some with CR LF ("ctrl+j" arrives after "enter").
TERMINATORS = ("enter", "ctrl+j")

Keystroke = tuple[str, "str | None"]     # (key, character)

# A scanner types faster than this between two keys; a person never does.
SCANNER_GAP = 0.012


class BurstWatch:
    """Tells a scanner's burst from a person's typing by the time between keys.

    Forms use it so that a code scanned into them by mistake (the person forgot the form
    was open) is not taken as their answer: its digits and its Enter are not a decision.
    """

    def __init__(self) -> None:
        self.last = float("-inf")
        self.run = 0          # keys in a row that came faster than a person types

    def fast(self, event: events.Key) -> bool:
        quick = event.time - self.last < SCANNER_GAP
        self.last = event.time
        self.run = self.run + 1 if quick else 0
        return quick

    @property
    def scanning(self) -> bool:
        """The key just noted ends a burst of at least three: a scanned code."""
        return self.run >= 2


class ScanField(Widget, can_focus=True):
    """One line for scanned or typed codes.

    The stock Input runs Enter through a binding, apart from the characters
    (Textualize/textual#6605): when a scanner types the next code at once, its first
    characters can land before the submit and two codes run together. Here Enter is
    handled in the same key handler as the characters, so each code is cut off exactly
    where its Enter was, and codes leave in the order they were scanned.

    With `hold=True` the keys typed after a code wait (unseen) until `release()`: at
    sign-in, a PIN typed straight after the name must go to the PIN, not into this field.
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

    # Painted a moment after the keys, not on every key: see watch_value.
    value: reactive[str] = reactive("", repaint=False)

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

    def __init__(self, placeholder: str = N_("scan or type a code, then Enter"), *,
                 password: bool = False, hold: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder, self.password, self.hold = placeholder, password, hold
        self.held: list[Keystroke] | None = None    # a list while holding
        self.shown = ""               # the value as last painted
        self.echo: Timer | None = None

    def watch_value(self) -> None:
        """Typed keys are painted SCANNER_GAP later (a person does not see 12 ms), so a
        scanner's code, typed and ended with Enter in a millisecond or two, never costs a
        frame of its own: the next frame is free for its acknowledgement. (A frame painted
        while the code is typed delays the next by 17-33 ms: Textual paints at most 60 times
        a second.)"""
        if self.echo is None and self.value != self.shown:
            self.echo = self.set_timer(SCANNER_GAP, self.paint_echo)

    def paint_echo(self) -> None:
        self.echo = None
        if self.value != self.shown:
            self.refresh()

    def render(self) -> Content:
        self.shown = self.value
        if self.value:
            shown = "•" * len(self.value) if self.password else self.value
            cursor = "▏" if self.has_focus else ""
            return Content.assemble(("▸ ", "bold"), shown, cursor)
        return Content.assemble(("▸ ", "bold"), (_(self.placeholder), "dim"))

    def on_key(self, event: events.Key) -> None:
        if self.held is not None:        # holding: kept, in order, for whoever takes over
            self.held.append((event.key, event.character))
        elif not self.take(event.key, event.character):
            return                       # not for this field (F-keys, arrows): it bubbles on
        event.stop()
        event.prevent_default()

    def take(self, key: str, character: str | None) -> bool:
        """Apply one keystroke; False if it is not for this field."""
        if key in TERMINATORS:
            self.submit(blank_ok=key == "enter")
        elif key == "backspace" and self.value:
            self.value = self.value[:-1]
        elif key == "escape" and self.value:
            self.value = ""
        elif character and len(character) == 1 and character.isprintable():
            self.value += character
        else:
            return False
        return True

    def feed(self, keys: list[Keystroke]) -> None:
        """Type `keys` here, as if they had been typed here (what another field held)."""
        for key, character in keys:
            if self.held is not None:
                self.held.append((key, character))
            else:
                self.take(key, character)

    def release(self) -> list[Keystroke]:
        """Stop holding; the keys typed meanwhile, in order, for wherever they belong."""
        held, self.held = self.held or [], None
        return held

    def on_paste(self, event: events.Paste) -> None:
        """Pasted lines are codes, one per line (a list copied from a spreadsheet)."""
        event.stop()
        for key, character in keystrokes(event.text):
            self.feed([(key, character)])

    def submit(self, blank_ok: bool = True) -> None:
        code, self.value = self.value.strip(), ""
        if code:
            self.post_message(self.Scanned(self, code, uuid.uuid4().hex))
        elif blank_ok:
            self.post_message(self.Blank(self))
        else:
            return
        if self.hold:
            self.held = []


def keystrokes(text: str) -> list[Keystroke]:
    """Pasted text as keystrokes: each line break is an Enter (a code per line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [("ctrl+j", None) if char == "\n" else (char, char) for char in text]
