"""Small forms over a screen: confirm, quantity, inspection decisions, supervisor decisions.

A dialog that records something runs its `record` callable in a worker thread (with its own
connection). A refusal from the domain stays on the dialog, in words, with a bell, so the
person can correct what they typed; only a recorded result closes it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peewee import InterfaceError, OperationalError
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from models.db import db
from models.errors import DeskError
from models.i18n import N_, _
from tui.desk.background import Leaving, first_line, on_ui
from tui.desk.form_view import Field, FitsTheScreen, FormScroll, FormView
from tui.desk.scan import BurstWatch


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
