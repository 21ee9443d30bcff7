"""Settings (admin): the site's tolerance, deadlines, label printer, idle lock."""
from __future__ import annotations

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from models import settings
from models.i18n import N_, _
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field
from tui.desk.users_admin import UsersScreen
from tui.desk.widgets import Columns, RowList
from tui.work import labelling  # noqa: F401  (the label settings' checks)

NAME_WIDTH, DOES_WIDTH = 21, 16


def setting_columns(values: list[tuple[str, str, str]], room: int) -> Columns:
    """The value column as wide as the longest value, what each setting does in the rest (at
    least DOES_WIDTH): no value is cut while the line has room for it."""
    longest = max((cell_len(value) for _name, value, _help in values), default=0)
    value_width = max(5, min(longest, room - NAME_WIDTH - 2 - DOES_WIDTH))
    return Columns((N_("setting"), NAME_WIDTH, False), (N_("value"), value_width, False),
                   (N_("what it does"), max(DOES_WIDTH, room - NAME_WIDTH - value_width - 2),
                    False))


class SettingsScreen(DeskScreen):
    TITLE = N_("Settings")
    SCAN_HINT = N_("scan or type a slip, case or label; Enter on an empty field edits the setting")
    HELP = N_("""\
## Settings
Choose a setting with ↑ ↓ and press Enter to change it. The desk checks the value and says
what is wrong with it. Printer and label settings apply to the next label; the idle lock to
the next sign-in.

**F7** manages the users: add, reset a PIN, unlock, disable, badge, role.
""")
    BINDINGS = [Binding("f7", "users", N_("Users"), id="settings_users",
                        tooltip=N_("add users, reset PINs, unlock, disable, badges, roles")),
                Binding("ctrl+r", "reload", N_("Reload"), id="settings_reload", show=False),
                *LIST_KEYS]
    ACTION_PERMISSIONS = {"users": "users"}

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str, str]] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield RowList(setting_columns([], 110), id="settings")

    def on_mount(self) -> None:
        self.action_reload()

    @work(thread=True, exclusive=True, group="settings")
    def action_reload(self) -> None:
        with in_db(self):
            on_ui(self, self.show, settings.all_settings())

    def show(self, values: list[tuple[str, str, str]]) -> None:
        self.values = values
        table = self.query_one("#settings", RowList)
        room = (table.content_size.width or self.size.width - 4) - 2   # the cursor's ▶
        table.columns = setting_columns(values, room)
        table.show(values, cursor=table.cursor)

    def on_resize(self) -> None:
        if self.values:
            self.call_after_refresh(self.show, self.values)

    def pick(self) -> None:
        cursor = self.query_one("#settings", RowList).cursor
        if cursor >= len(self.values) or not self.may("settings"):
            return
        name, value, help_text = self.values[cursor]
        user = self.app.user
        self.app.push_screen(FormDialog(
            _("Setting {name}").format(name=name), [Field("value", _("Value"), value=value)],
            intro=help_text,
            record=lambda v: settings.set_value(user, name, v["value"])),
            lambda result: self.changed(name, value, result))

    def action_users(self) -> None:
        self.app.push_screen(UsersScreen())

    def changed(self, name: str, before: str, result: dict | None) -> None:
        if result is not None:
            self.notify(_("✔ {name} set to {value} (was {before})").format(
                name=name, value=result["value"] or _("(empty)"), before=before or _("(empty)")))
            self.action_reload()
