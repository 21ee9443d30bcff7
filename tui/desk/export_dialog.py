"""Finance's export: where to write the reconciliation, and a progress bar while it is
written (in a worker thread, with its own connection)."""
from __future__ import annotations

import os
from pathlib import Path

from peewee import InterfaceError, OperationalError
from textual import work
from textual.app import ComposeResult
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from models import clock, lists
from models.db import db
from models.errors import DeskError
from models.i18n import _
from models.exports import export_reconciliation
from tui.desk.background import first_line, on_ui
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field


class ExportCancelled(Exception):
    pass


class ExportDialog(FormDialog):
    """Where to write the reconciliation, and a progress bar while it is written."""

    def __init__(self) -> None:
        super().__init__(_("Export the reconciliation"), [
            Field("path", _("File (ctrl+u clears)"),
                  value=str(Path.home() / f"reconciliation-{clock.today()}.csv")),
            Field("month", _("Only slips issued in month (YYYY-MM; empty = all)"),
                  restrict=r"[0-9-]*", placeholder=_("e.g. 2026-11")),
        ], intro=_("Every slip line with its figures. A file ending in .json is written as JSON, "
                   "anything else as CSV."), submit_label=_("Enter on the month exports"))
        self.running = None

    def compose_extra(self) -> ComposeResult:
        yield ProgressBar(id="progress", show_eta=False)

    def action_submit(self) -> None:
        if self.running is None:
            values = self.form.values
            path = Path(os.path.expanduser(values["path"].strip()))
            self.query_one("#dialog-error", Static).update(_("exporting…"))
            self.query_one("#progress").display = True
            self.running = self.export(path, values["month"].strip() or None, self.app.user)

    @work(thread=True, exclusive=True, group="export")
    def export(self, path: Path, month: str | None, user) -> None:
        fmt = "json" if path.suffix.lower() == ".json" else "csv"
        partial = path.with_name(path.name + ".part")   # a failed export leaves no half file
        worker = get_current_worker()
        bar = self.query_one("#progress", ProgressBar)

        def progress(done: int) -> None:
            if worker.is_cancelled:
                raise ExportCancelled
            on_ui(self, bar.update, progress=done)

        try:
            with db.connection_context():
                total = lists.count_lines(month)
                on_ui(self, bar.update, total=total)
                with open(partial, "w", newline="", encoding="utf-8") as out:
                    count = export_reconciliation(user, out, fmt, month, progress=progress)
            partial.replace(path)
        except ExportCancelled:
            partial.unlink(missing_ok=True)
            return
        except OSError as exc:
            partial.unlink(missing_ok=True)
            on_ui(self, self.failed, _("cannot write {path}: {error} — choose a folder you can "
                                       "write to").format(path=path, error=exc.strerror or exc))
        except (DeskError, ValueError) as exc:
            partial.unlink(missing_ok=True)
            on_ui(self, self.failed, str(exc))
        except (OperationalError, InterfaceError) as exc:
            partial.unlink(missing_ok=True)
            on_ui(self, self.failed, _("the database did not answer ({error})").format(
                error=first_line(exc)))
        else:
            on_ui(self, bar.update, progress=count)
            on_ui(self, self.dismiss, (path, count))

    def failed(self, text: str) -> None:
        self.running = None
        self.show_error(text)

    def action_cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()
        self.dismiss(None)
