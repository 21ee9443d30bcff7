"""The desk's label worker: the queue of labels drained to the printer in a worker thread,
one run at a time, and what the desk tells of it (its status line, a refusing printer, a label
that came out wrong). A mixin of tui.desk.app.DeskApp, which holds its state."""
from __future__ import annotations

from time import monotonic

from peewee import InterfaceError, OperationalError

from models.db import db
from models.i18n import _
from tui.desk.background import first_line
from tui.work.printing import PrintRun, drain_queue

# Labels wait for a printer (none set, or it refused): looked at this often, so the first
# label leaves within a second of the admin setting one, or of the printer coming back.
PRINTER_POLL_SECONDS = 0.5
# A printer that refused is tried again after this (said once, not at every try): a folder
# mounted again, a printer switched back on, prints within about a second.
PRINT_RETRY_SECONDS = 1
PRINT_SWEEP_SECONDS = 60      # jobs another terminal or the command line queued


class LabelWorker:
    """Mixin for the desk app (a Textual App), which sets up what this uses: `printer` (a
    OneAtATime running print_labels), `printer_status`, `printer_quiet_until`,
    `labels_waiting`, `last_printer_failure`, `closing` and `label_notices`."""

    def kick_printer(self) -> None:
        if monotonic() >= self.printer_quiet_until:
            self.printer.kick()

    def retry_printing(self) -> None:
        if self.user is not None:
            self.printer_quiet_until = 0.0
            self.printer.kick()

    def poll_printer(self) -> None:
        """Labels that wait for a printer go as soon as there is one."""
        if self.labels_waiting and not self.printer.busy:
            self.kick_printer()

    def print_labels(self) -> None:
        """Worker thread (one at a time): the queue drained to the printer."""
        def progress(run: PrintRun) -> None:
            self.call_from_thread(self.printed, run)
        try:
            with db.connection_context():
                run = drain_queue(progress, keep_going=lambda: not self.closing.is_set())
        except (OperationalError, InterfaceError) as exc:
            self.call_from_thread(setattr, self, "printer_status",
                                  _("labels wait: the database did not answer ({error})").format(
                                      error=first_line(exc)))
            return
        if not self.closing.is_set():
            self.call_from_thread(self.printed, run)

    def printed(self, run: PrintRun) -> None:
        if run.status or self.labels_waiting:
            # A run that found nothing to do keeps "N label(s) printed" on the screens; a
            # word about labels waiting goes once they no longer wait.
            self.printer_status = run.status
        self.labels_waiting = run.failed or run.no_printer
        for warning in run.warnings:
            self.label_notice(warning)
        if not run.failed:
            self.last_printer_failure = ""
            return
        self.printer_quiet_until = monotonic() + PRINT_RETRY_SECONDS
        if run.status != self.last_printer_failure:     # said once, not at every retry
            self.last_printer_failure = run.status
            self.notify(run.status, severity="warning", timeout=8)

    def label_notice(self, warning: str) -> None:
        """A label came out wrong (without its Chinese text): in the desk's log already; the
        admin is told (now, or when signing in here), the person printing it in a word."""
        if warning in self.label_notices:
            return
        self.label_notices.append(warning)
        if self.user is not None and self.user.role == "admin":
            self.tell_label_notices()
        elif self.user is not None:
            self.notify(_("a label printed without part of its text (a customer's Chinese name): "
                          "the admin is told when signing in"), severity="warning", timeout=8)

    def tell_label_notices(self) -> None:
        if self.user is None or self.user.role != "admin":
            return
        for warning in self.label_notices:
            self.notify(warning, title=_("for the admin: labels"), severity="warning", timeout=30)
        self.label_notices = []
