"""Small forms over a screen: confirm, quantity, inspection decisions, supervisor decisions.

A dialog that records something runs its `record` callable in a worker thread (with its own
connection). A refusal from the domain stays on the dialog, in words, with a bell, so the
person can correct what they typed; only a recorded result closes it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import InterfaceError, OperationalError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from models.db import db
from models.errors import DeskError
from tui.background import first_line


@dataclass(frozen=True)
class Field:
    """One field of a form: free text, or a choice among (value, shown) pairs."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    value: str = ""
    password: bool = False
    restrict: str | None = None
    placeholder: str = ""


class FormDialog(ModalScreen):
    """Fields one under the other. Enter goes to the next field and records on the last one;
    ctrl+s records from anywhere; Escape cancels and records nothing."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog_cancel"),
        Binding("ctrl+s", "submit", "Record", id="dialog_submit"),
    ]

    def __init__(self, title: str, fields: list[Field], *, intro: str = "",
                 record: Callable[[dict[str, str]], Any] | None = None,
                 submit_label: str = "Enter on the last field records",
                 focus: str | None = None) -> None:
        super().__init__()
        self.heading, self.fields, self.intro = title, fields, intro
        self.record, self.submit_label, self.first = record, submit_label, focus

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.heading), classes="dialog-title")
            if self.intro:
                yield Static(Content(self.intro), classes="dialog-intro")
            for field in self.fields:
                yield Label(Content(field.label), classes="field-label")
                yield self.make_widget(field)
            yield from self.compose_extra()
            yield Static("", id="dialog-error", classes="dialog-error")
            yield Static(Content(f"{self.submit_label} · ctrl+s records · Esc cancels"),
                         classes="dialog-hint")

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.first:
            self.query_one(f"#field-{self.first}").focus()

    def make_widget(self, field: Field):
        if field.choices:
            options = OptionList(*(Option(Content(shown), id=value) for value, shown in field.choices),
                                 id=f"field-{field.name}", classes="choice")
            if field.value:
                options.highlighted = [value for value, _ in field.choices].index(field.value)
            return options
        return Input(field.value, placeholder=field.placeholder, password=field.password,
                     restrict=field.restrict, id=f"field-{field.name}")

    def values(self) -> dict[str, str]:
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, OptionList):
                option = widget.highlighted_option
                result[field.name] = option.id if option is not None else ""
            else:
                result[field.name] = widget.value
        return result

    # Enter moves on, and records on the last field.
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._next_or_submit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._next_or_submit()

    def _next_or_submit(self) -> None:
        fields = [widget for widget in self.query("Input, OptionList") if widget.display]
        if not fields or self.focused is fields[-1]:
            self.action_submit()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        values = self.values()
        if self.record is None:
            self.dismiss(values)
        else:
            self.query_one("#dialog-error", Static).update("recording…")
            self._record(values)

    @work(thread=True, exclusive=True, group="dialog")
    def _record(self, values: dict[str, str]) -> None:
        try:
            with db.connection_context():
                result = self.record(values)
        except DeskError as exc:
            self.app.call_from_thread(self.show_error, str(exc))
        except (OperationalError, InterfaceError) as exc:
            self.app.call_from_thread(self.show_error, f"the database did not answer "
                                                       f"({first_line(exc)}): try again")
        else:
            self.app.call_from_thread(self.dismiss, result if result is not None else values)

    def show_error(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(Content(text))
        self.app.bell()


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: Enter says yes, Escape says no."""

    BINDINGS = [
        Binding("enter", "yes", "Yes", id="confirm_yes"),
        Binding("escape", "no", "No", id="confirm_no"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.heading), classes="dialog-title")
            yield Static(Content(self.text), classes="dialog-intro")
            yield Static("Enter = yes · Esc = no", classes="dialog-hint")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
