"""Settings (admin): the site's tolerance, deadlines, label printer, idle lock."""
from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from models import settings
from tui.background import in_db, on_ui
from tui.base import LIST_KEYS, DeskScreen
from tui.dialogs import Field, FormDialog


class SettingsScreen(DeskScreen):
    TITLE = "Settings"
    SCAN_HINT = "scan or type a slip, case or label; Enter on an empty field edits the setting"
    HELP = """\
## Settings
Choose a setting with ↑ ↓ and press Enter to change it. The desk checks the value and says
what is wrong with it. Printer and label settings apply to the next label; the idle lock to
the next sign-in.
"""
    BINDINGS = [Binding("ctrl+r", "reload", "Reload", id="settings_reload", show=False), *LIST_KEYS]

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str, str]] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield DataTable(id="settings", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#settings", DataTable).add_columns("setting", "value", "what it does")
        self.action_reload()

    @work(thread=True, exclusive=True, group="settings")
    def action_reload(self) -> None:
        with in_db(self):
            on_ui(self, self.show, settings.all_settings())

    def show(self, values: list[tuple[str, str, str]]) -> None:
        self.values = values
        table = self.query_one("#settings", DataTable)
        row = table.cursor_row
        table.clear()
        for name, value, help_text in values:
            table.add_row(Text(name), Text(value), Text(help_text))
        table.move_cursor(row=row)

    def pick(self) -> None:
        table = self.query_one("#settings", DataTable)
        if not self.values or not self.may("settings"):
            return
        name, value, help_text = self.values[table.cursor_row]
        user = self.app.user
        self.app.push_screen(FormDialog(
            f"Setting {name}", [Field("value", "Value", value=value)], intro=help_text,
            record=lambda v: settings.set_value(user, name, v["value"])), self.changed)

    def changed(self, result) -> None:
        if result is not None:
            self.action_reload()
