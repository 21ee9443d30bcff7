"""What every work screen of the desk has: header, scan field, footer, help, permissions."""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header

from models.access import allowed, not_allowed
from models.i18n import N_, _
from tui.desk.background import Leaving
from tui.desk.footer import DeskFooter
from tui.desk.scan import ScanField
from tui.desk.widgets import RowList

if TYPE_CHECKING:
    from models.codes import Target
    from models.tables import User


@runtime_checkable
class Desk(Protocol):
    """What the screens use of their app besides Textual's own: tui.desk.app.DeskApp is one.
    The screens know the app by this, so that app.py alone imports every screen."""

    user: User | None
    printer_status: str      # what the label printer last did

    def open_code(self, code: str) -> None:
        """A code scanned on a screen that does not know it: open it where it belongs."""

    async def show_target(self, target: Target | None, code: str = "") -> None:
        """Open a slip, case or unit where the signed-in role works on it."""

    def refuse(self, text: str) -> None:
        """Something the person can put right: said in words, with the bell."""

    def kick_printer(self) -> None:
        """Print the queued labels now."""


if TYPE_CHECKING:
    class DeskAppType(App[None], Desk):
        """A screen's app: a Textual app that is the desk."""

# Keys that move the highlighted row of the screen's main list while the scan field keeps
# the focus: whatever a scanner types always lands in the scan field.
LIST_KEYS = [
    Binding("up", "move(-1)", N_("Up"), show=False, id="list_up"),
    Binding("down", "move(1)", N_("Down"), show=False, id="list_down"),
    Binding("pageup", "page(-1)", N_("Page up"), show=False, id="list_page_up"),
    Binding("pagedown", "page(1)", N_("Page down"), show=False, id="list_page_down"),
]


class DeskScreen(Leaving, Screen):
    """A work screen. Subclasses give the body, their keys and what each action needs.

    `ACTION_PERMISSIONS` maps an action to the permission it needs (models.access):
    a key whose action the signed-in role may not do is hidden, so sales see each
    screen read-only.
    """

    app: DeskAppType
    # TITLE, SCAN_HINT and HELP are marked N_() where written, translated where shown.
    TITLE: ClassVar[str] = ""
    SCAN_HINT: ClassVar[str] = N_("scan or type a slip, case or label, then Enter")
    HELP: ClassVar[str] = ""
    ACTION_PERMISSIONS: ClassVar[dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield ScanField(_(self.SCAN_HINT), id="scan")
        yield from self.compose_body()
        yield DeskFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.title = _("Returns Desk · {screen}").format(screen=_(self.TITLE) if self.TITLE else "")

    # --- who may do what --------------------------------------------------------------------

    def may(self, permission: str) -> bool:
        user = self.app.user
        return user is not None and allowed(user.role, permission)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        permission = self.ACTION_PERMISSIONS.get(action)
        if permission is not None and not self.may(permission):
            return False
        return self.can_do(action)

    def can_do(self, action: str) -> bool | None:
        """True: shown and usable; None: shown dimmed (not now); False: hidden."""
        return True

    def why_not(self, action: str) -> str:
        """Why the key of `action` did nothing (check_action said no): said to the person."""
        permission = self.ACTION_PERMISSIONS.get(action)
        user = self.app.user
        if user is None:
            return _("nobody is signed in: sign in first")
        if permission is not None and not self.may(permission):
            return not_allowed(user.name, user.role, permission)
        return self.why_not_now(action) or _("it does nothing on this screen just now")

    def why_not_now(self, action: str) -> str | None:
        """Why `action` cannot act in the screen's present state (can_do said no)."""
        return None

    # --- scans ------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A character or Enter typed while something else has the focus (Tab into a case's
        timeline, to scroll it) goes to the scan field, and the focus with it: it was lost."""
        scan = self.query_one("#scan", ScanField)
        if scan.has_focus or not (event.is_printable or event.key == "enter"):
            return
        scan.focus()
        scan.take(event.key, event.character)
        event.stop()
        event.prevent_default()

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        self.handle_scan(message.code, message.scan_id)

    def on_scan_field_blank(self, message: ScanField.Blank) -> None:
        # In the app's queue, behind the keys typed before it: ↑ and ↓ move the list through
        # the app's bindings, which a key reaches only after bubbling up to the app, while
        # this message stops here; run at once, an Enter typed right behind them picked the
        # row they were moving away from.
        self.app.call_later(self.pick)

    def handle_scan(self, code: str, scan_id: str) -> None:
        """A code scanned here; by default it opens whatever it is, wherever that is."""
        self.app.open_code(code)

    def scanned_during_question(self, codes: list[str]) -> None:
        """Codes scanned while a question (ConfirmDialog) was open, handled in order, as
        scanned here, before its answer is acted on."""
        for code in codes:
            self.handle_scan(code, uuid.uuid4().hex)

    def pick(self) -> None:
        """Enter on an empty scan field: open the highlighted row."""

    def open(self, target: Target) -> None:
        """Show `target` (a slip, case or unit) that was scanned somewhere on the desk."""

    # --- the main list ----------------------------------------------------------------------

    def main_list(self) -> RowList | None:
        """The list that LIST_KEYS move (RowList never takes the focus: the scan field keeps
        the keys)."""
        lists = self.query(RowList)
        return lists.first() if lists else None

    def action_move(self, step: int) -> None:
        rows = self.main_list()
        if rows is not None:
            rows.move(step)

    def action_page(self, step: int) -> None:
        self.action_move(step * 10)
