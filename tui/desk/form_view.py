"""A form's fields in one widget (FormView), and the scroll and fit of a dialog holding it:
what every dialog of tui.desk.dialogs is made of."""
from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget

from tui.desk.scan import BurstWatch


@dataclass(frozen=True)
class Field:
    """One field of a form: free text, or a choice among (value, shown) pairs.
    A choice whose value is "" is the "not chosen yet" entry."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    value: str = ""
    password: bool = False
    restrict: str | None = None        # a regular expression the whole text must match
    placeholder: str = ""
    # A scale, a quantity barcode or a badge may type this field at a scanner's speed: a
    # burst that lands in it whole (every character taken, `restrict` matched) is its
    # answer, not a scan gone astray.
    scanned: bool = False


class FormView(Widget, can_focus=True):
    """Every field of a form in one widget, so each key - characters, Enter, Tab - is handled
    in one queue, in the order typed (as in the scan field): what is typed after an Enter
    lands in the next field, never in the one before. Choices take ↑ ↓, or their number."""

    DEFAULT_CSS = """
    FormView { height: auto; }
    """

    @dataclass
    class Submitted(Message):
        form: FormView

    @dataclass
    class Changed(Message):
        form: FormView

    @dataclass
    class ScanIgnored(Message):
        """A scanner's burst ended in this form; it was undone, nothing was recorded."""
        form: FormView

    def __init__(self, fields: list[Field], *, start: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.fields = fields
        self.texts = {f.name: f.value for f in fields if not f.choices}
        self.picked = {f.name: [v for v, _shown in f.choices].index(f.value) if f.value else 0
                       for f in fields if f.choices}
        names = [f.name for f in fields]
        self.current = names.index(start) if start in names else 0
        self.watch_keys = BurstWatch()
        self.before_burst = self.state()
        self.burst_refused = False      # a key of the burst under way was not taken
        self.last_key = ""

    def state(self) -> tuple:
        return dict(self.texts), dict(self.picked), self.current

    def on_focus(self) -> None:
        self.call_after_refresh(self.show_current)

    def field_rows(self, index: int) -> tuple[int, int]:
        """The row field `index` starts on, and how many rows it takes (label and value)."""
        top = sum(2 + (len(field.choices) if field.choices else 1)
                  for field in self.fields[:index])
        field = self.fields[index]
        return top, 1 + (len(field.choices) if field.choices else 1)

    def show_current(self) -> None:
        """A form taller than the screen scrolls: the field being filled in is kept in view."""
        if isinstance(self.parent, FormScroll):
            top, height = self.field_rows(self.current)
            self.parent.scroll_to_region(Region(0, self.virtual_region.y + top, 1, height),
                                         animate=False, immediate=True)

    # --- values ---------------------------------------------------------------------------

    @property
    def values(self) -> dict[str, str]:
        result = dict(self.texts)
        for field in self.fields:
            if field.choices:
                result[field.name] = field.choices[self.picked[field.name]][0]
        return result

    def set(self, name: str, text: str) -> None:
        self.texts[name] = text
        self.refresh(layout=True)
        self.post_message(self.Changed(self))

    # --- drawing --------------------------------------------------------------------------

    def render(self) -> Content:
        lines: list[Content] = []
        for index, field in enumerate(self.fields):
            here = index == self.current and self.has_focus
            lines.append(Content.styled(("› " if here else "  ") + field.label,
                                        "bold" if here else "dim"))
            if field.choices:
                for n, (_value, shown) in enumerate(field.choices):
                    chosen = n == self.picked[field.name]
                    number = self.number(field, n)
                    text = f"    {'●' if chosen else '○'} {number or ' '} {shown}"
                    lines.append(Content.styled(text, "reverse" if here and chosen else
                                                ("bold" if chosen else "")))
            else:
                text = self.texts[field.name]
                shown = "•" * len(text) if field.password else text
                if shown:
                    lines.append(Content.assemble("    ", (shown, "underline" if here else ""),
                                                  "▏" if here else ""))
                else:
                    lines.append(Content.assemble("    ", "▏" if here else "",
                                                  (field.placeholder or "—", "dim")))
            lines.append(Content(""))
        return Content("\n").join(lines[:-1])

    @staticmethod
    def number(field: Field, index: int) -> str:
        """Choices are numbered from 1; the "not chosen yet" entry has no number."""
        offset = 0 if field.choices[0][0] == "" else 1
        n = index + offset
        return str(n) if 1 <= n <= 9 else ""

    # --- keys -----------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        fast = self.watch_keys.fast(event)
        if not fast:
            self.before_burst = self.state()     # a person's key: a burst would start here
            self.burst_refused = False
        after_enter, self.last_key = self.last_key == "enter", event.key
        if event.key == "ctrl+j" and fast and after_enter:
            pass                                 # CR LF: one terminator, already acted on
        elif event.key in ("enter", "ctrl+j") and self.watch_keys.scanning \
                and not self.scanned_answer():
            self.texts, self.picked, self.current = self.before_burst
            self.post_message(self.ScanIgnored(self))
            self.post_message(self.Changed(self))
        elif not self.take(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        self.refresh(layout=True)
        self.call_after_refresh(self.show_current)

    def scanned_answer(self) -> bool:
        """The burst just ended went whole into a field a scale or quantity barcode may type
        (Field.scanned): a quantity sent at a scanner's speed, not a code scanned astray."""
        field = self.fields[self.current]
        text = self.texts.get(field.name, "")
        return (field.scanned and not self.burst_refused and self.before_burst[2] == self.current
                and bool(text)
                and (field.restrict is None or re.fullmatch(field.restrict, text) is not None))

    def take(self, key: str, character: str | None) -> bool:
        field = self.fields[self.current]
        if key in ("enter", "ctrl+j"):
            self.advance()
        elif key == "tab":
            self.current = min(self.current + 1, len(self.fields) - 1)
        elif key == "shift+tab":
            self.current = max(self.current - 1, 0)
        elif field.choices:
            return self.choose(field, key, character)
        elif key == "backspace":
            self.set(field.name, self.texts[field.name][:-1])
        elif key == "ctrl+u":
            self.set(field.name, "")
        elif character and len(character) == 1 and character.isprintable():
            text = self.texts[field.name] + character
            if field.restrict is None or re.fullmatch(field.restrict, text):
                self.set(field.name, text)
            else:
                self.burst_refused = True
                self.app.bell()
        else:
            return False
        return True

    def choose(self, field: Field, key: str, character: str | None) -> bool:
        count = len(field.choices)
        if key in ("up", "down"):
            step = -1 if key == "up" else 1
            self.picked[field.name] = (self.picked[field.name] + step) % count
        elif character and character.isdigit():
            matches = [n for n in range(count) if self.number(field, n) == character]
            if not matches:
                self.app.bell()
                return True
            self.picked[field.name] = matches[0]
            if self.current < len(self.fields) - 1:   # a number never records by itself
                self.advance()
        else:
            return False
        self.post_message(self.Changed(self))
        return True

    def advance(self) -> None:
        """Enter: on to the next field; on the last one, the form is done."""
        if self.current == len(self.fields) - 1:
            self.post_message(self.Submitted(self))
        else:
            self.current += 1


class FormScroll(VerticalScroll, can_focus=False):
    """A dialog's intro and fields, scrolled when they do not fit (desk.tcss: .dialog.-tall);
    the keys stay with the form."""


class FitsTheScreen:
    """Mixin for a dialog (a `.dialog` holding a FormScroll): one too tall for the screen (80x24
    too) takes the screen's height and its FormScroll scrolls; its title, error and keys stay
    shown."""

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        dialog, scroll = self.query_one(".dialog"), self.query_one(FormScroll)
        others = sum(child.outer_size.height + child.styles.margin.height
                     for child in dialog.children if child is not scroll and child.display)
        needed = others + scroll.virtual_size.height + dialog.styles.gutter.height
        dialog.set_class(needed > self.size.height * 95 // 100, "-tall")
        self.fitted()

    def fitted(self) -> None:
        """After fitting: what must be in view is scrolled into it."""
