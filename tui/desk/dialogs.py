"""Small forms over a screen: confirm, quantity, inspection decisions, supervisor decisions.

A dialog that records something runs its `record` callable in a worker thread (with its own
connection). A refusal from the domain stays on the dialog, in words, with a bell, so the
person can correct what they typed; only a recorded result closes it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import InterfaceError, OperationalError
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Region
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from models.db import db
from models.errors import DeskError
from models.i18n import N_, _
from tui.desk.background import Leaving, first_line, on_ui
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


# A supervisor's ruling on a complaint made outside its acceptance window (不受理或有償受理).
LATE_NAMES = {"accept": N_("accept (handled as usual)"),
              "accept_paid": N_("accept against payment"),
              "reject": N_("reject (not accepted)")}


def late_choices() -> tuple[tuple[str, str], ...]:
    """The choices of a late complaint's decision, in the language of the moment."""
    return tuple((code, _(name)) for code, name in LATE_NAMES.items())


def late_decided(case) -> str:
    """What is said once a late complaint is decided (models.cases.decide_late's case)."""
    decision = ("reject" if case.status == "rejected"
                else "accept_paid" if case.against_payment else "accept")
    return _("✔ case {case}: late complaint decided, {decision}").format(
        case=case.case_no, decision=_(LATE_NAMES[decision]))


class FormDialog(FitsTheScreen, Leaving, ModalScreen):
    """A form over the screen. Enter goes to the next field and records on the last one;
    ctrl+s records from anywhere; Escape cancels and records nothing."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="dialog_cancel"),
        Binding("ctrl+s", "submit", N_("Record"), id="dialog_submit"),
    ]

    def __init__(self, title: str, fields: list[Field], *, intro: str = "",
                 record: Callable[[dict[str, str]], Any] | None = None,
                 submit_label: str = "", focus: str | None = None) -> None:
        super().__init__()
        self.heading, self.fields, self.intro = title, fields, intro
        self.record, self.submit_label, self.first = record, submit_label, focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.heading), classes="dialog-title")
            with FormScroll():
                if self.intro:
                    yield Static(Content(self.intro), classes="dialog-intro")
                yield self.form_view()
            yield from self.compose_extra()
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(Content(self.hint()), classes="dialog-hint")

    def form_view(self) -> FormView:
        return FormView(self.fields, start=self.first, id="form")

    def on_mount(self) -> None:
        self.form.focus()
        self.call_after_refresh(self.fit)

    def fitted(self) -> None:
        self.form.call_after_refresh(self.form.show_current)

    def hint(self) -> str:
        several = len(self.fields) > 1
        parts = [self.submit_label or (_("Enter: next field; on the last one, records") if several
                                       else _("Enter records"))]
        if any(field.choices for field in self.fields):
            parts.append(_("↑ ↓ or 1-9 choose"))
        if several:
            parts.append(_("Tab / shift+Tab move · ctrl+s records"))
        return " · ".join(parts + [_("Esc cancels")])

    def compose_extra(self) -> ComposeResult:
        yield from ()

    @property
    def form(self) -> FormView:
        return self.query_one(FormView)

    def on_form_view_submitted(self, message: FormView.Submitted) -> None:
        self.action_submit()

    def on_form_view_scan_ignored(self, message: FormView.ScanIgnored) -> None:
        self.show_error(_("a scan went into this form and was not used: finish the form (or "
                          "press Esc), then scan again"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        values = self.form.values
        if self.record is None:
            self.dismiss(values)
        else:
            self.query_one("#dialog-error", Static).update(_("recording…"))
            self.run_record(values)

    @work(thread=True, exclusive=True, group="dialog")
    def run_record(self, values: dict[str, str]) -> Any:
        try:
            with db.connection_context():
                result = self.record(values)
        except DeskError as exc:
            on_ui(self, self.show_error, str(exc))
        except (OperationalError, InterfaceError) as exc:
            on_ui(self, self.show_error, _("the database did not answer ({error}): try "
                                           "again").format(error=first_line(exc)))
        else:
            return result if result is not None else values
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Recorded: the dialog closes once its worker has finished. (Closed from inside the
        worker, the dialog's removal could cancel the worker on its way out, and a recording
        that was made looked cancelled to whoever waited for it.)"""
        worker = event.worker
        if worker.group == "dialog" and event.state == WorkerState.SUCCESS \
                and worker.result is not None:
            self.dismiss(worker.result)

    def show_error(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(Content(text))
        self.app.bell()
        self.call_after_refresh(self.fit)     # the message takes room: the field stays in view


class ConfirmDialog(FitsTheScreen, Leaving, ModalScreen[bool]):
    """A yes/no question: Enter says yes, Escape says no. The Enter at the end of a scanned
    code is not a yes: with `on_scans`, the codes scanned while the question is open are
    handed to it, in order, when it is answered (before the answer is acted on); without,
    the person is told the scan was not recorded."""

    BINDINGS = [
        Binding("enter", "yes", N_("Yes"), id="confirm_yes"),
        Binding("escape", "no", N_("No"), id="confirm_no"),
        Binding("up,pageup", "scroll(-1)", show=False),     # a long text scrolls
        Binding("down,pagedown", "scroll(1)", show=False),
    ]

    def __init__(self, title: str, text: str, *,
                 on_scans: Callable[[list[str]], None] | None = None) -> None:
        super().__init__()
        self.heading, self.text, self.on_scans = title, text, on_scans
        self.typed = ""                  # the characters of the burst being typed
        self.scans: list[str] = []       # codes scanned meanwhile, kept for on_scans

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.heading), classes="dialog-title")
            with FormScroll():
                yield Static(Content(self.text), classes="dialog-intro")
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(_("Enter = yes · Esc = no"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.watch_keys = BurstWatch()
        self.call_after_refresh(self.fit)

    def action_scroll(self, step: int) -> None:
        scroll = self.query_one(FormScroll)
        scroll.scroll_to(y=scroll.scroll_y + step * max(1, scroll.size.height - 1), animate=False)

    def on_key(self, event: events.Key) -> None:
        if not self.watch_keys.fast(event):
            self.typed = ""              # a person's key: a burst would start here
        if event.character and len(event.character) == 1 and event.character.isprintable():
            self.typed += event.character
        if event.key == "enter" and self.watch_keys.scanning:
            event.stop()
            self.scanned(self.typed.strip())
            self.typed = ""

    def scanned(self, code: str) -> None:
        error = self.query_one("#dialog-error", Static)
        if self.on_scans is not None and code:
            self.scans.append(code)
            error.update(Content(_("a scan is not an answer: {codes} kept, to go in once you "
                                   "answer · press Enter to say yes, or Esc").format(
                                       codes=", ".join(self.scans))))
            self.app.bell()
        else:
            self.app.bell()
            error.update(Content(_("a scan is not an answer: {code} was NOT recorded · answer "
                                   "(Enter = yes, Esc = no), then scan it again").format(
                                       code=code or _("the scan"))))
            self.app.notify(_("{code} was not recorded: scan it again after answering the "
                              "question").format(code=code or _("a scan")),
                            severity="error", timeout=8)

    def answer(self, yes: bool) -> None:
        if self.scans and self.on_scans is not None:
            scans, self.scans = self.scans, []
            self.on_scans(scans)
        self.dismiss(yes)

    def action_yes(self) -> None:
        self.answer(True)

    def action_no(self) -> None:
        self.answer(False)
