"""The full-screen desk: sign-in, the screens each role may use, scanning anywhere, labels."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from peewee import InterfaceError, OperationalError
from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from models import connect
from models.access import allowed, may_open
from models.codes import Target, identify
from models.db import db
from models.i18n import N_, _, language, set_language
from models.languages import speak_for
from models.journal import ScanJournal
from models.tables import User
from tui.desk.background import OneAtATime, first_line, in_db
from tui.desk.base import DeskScreen
from tui.desk.cases import CasesScreen
from tui.desk.commands import ScreenCommands
from tui.desk.finance import FinanceScreen
from tui.desk.help import HelpScreen
from tui.desk.inspection import InspectionScreen
from tui.desk.overview import OverviewScreen
from tui.desk.receiving import ReceivingScreen
from tui.desk.signin import SignInScreen
from tui.desk.site_settings import SettingsScreen
from tui.work.collector import TICK_SECONDS, QuietCollector
from tui.work.labelling import read_label
from tui.work.printing import prepare_printing, print_queued, stop_printing
from tui.work.receiving import default_journal
from tui.work.words import word

IDLE_CHECK_SECONDS = 15
PRINT_RETRY_SECONDS = 60


@dataclass(frozen=True)
class Place:
    """A screen of the desk and its key; who may open it is models.access.may_open's."""

    mode: str
    key: str
    title: str
    screen: type[DeskScreen]


PLACES = (
    Place("overview", "f2", N_("Home"), OverviewScreen),
    Place("receiving", "f3", N_("Receive"), ReceivingScreen),
    Place("inspection", "f4", N_("Inspect"), InspectionScreen),
    Place("finance", "f5", N_("Finance"), FinanceScreen),
    Place("cases", "f6", N_("Cases"), CasesScreen),
    Place("settings", "f11", N_("Settings"), SettingsScreen),
)


def route(role: str, target: Target) -> str:
    """Where a scanned slip, case or unit label opens for this role."""
    if target.kind == "unit" and allowed(role, "inspect"):
        return "inspection"
    if target.kind == "slip":
        if target.slip_status == "receiving" and allowed(role, "receive"):
            return "receiving"
        if allowed(role, "book"):
            return "finance"
    return "cases"


class DeskApp(App):
    TITLE = "Returns Desk"
    CSS_PATH = "desk.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="help", tooltip=N_("what this screen is for, and its keys")),
        *(Binding(place.key, f"go('{place.mode}')", place.title, id=f"go_{place.mode}",
                  tooltip=f"go to {place.mode}") for place in PLACES),
        Binding("f12", "switch_user", N_("Switch user"), id="switch_user",
                tooltip=N_("lock the desk; sign in again to carry on, or let someone else sign in")),
    ]

    # What the label printer last did, for the status line of the screens. They watch it and
    # repaint their own line; the default (repaint the whole screen) cost a frame per label.
    printer_status: reactive[str] = reactive("", repaint=False)

    def __init__(self, db_url: str | None = None, *, keymap: dict[str, str] | None = None,
                 journal: Path | None = None) -> None:
        super().__init__()
        self.db_url = db_url
        # Scans the database cannot take wait on this terminal's disk (models.journal).
        self.journal = ScanJournal(journal or default_journal(db_url))
        self.site_keymap = keymap or {}
        self.user: User | None = None
        self.idle_minutes = 5
        self.last_key = monotonic()
        self.work_modes: list[str] = []
        # Whose screens are kept while locked, and in which language they were drawn.
        self.stack_owner: tuple[int, str, str] | None = None
        self.resume_mode = "overview"
        self.printer_quiet_until = 0.0
        self.collector = QuietCollector(lambda: self.last_key)

    async def on_mount(self) -> None:
        if self.site_keymap:
            self.set_keymap(self.site_keymap)
        self.printer = OneAtATime(self, self.print_labels, "printer")
        self.add_mode("signin", SignInScreen)
        await self.switch_mode("signin")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(PRINT_RETRY_SECONDS, self.retry_printing)
        self.collector.start()
        self.set_interval(TICK_SECONDS, self.collector.tick)

    def on_unmount(self) -> None:
        stop_printing()
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = monotonic()
        await super().on_event(event)

    # --- people -----------------------------------------------------------------------------

    async def on_sign_in_screen_signed_in(self, message: SignInScreen.SignedIn) -> None:
        user = message.user
        self.user, self.idle_minutes, self.last_key = user, message.idle_minutes, monotonic()
        if message.language != language():
            set_language(message.language)
        self.sub_title = f"{user.name} · {word('role', user.role)}"
        fresh = self.stack_owner != (user.id, user.role, message.language)
        if fresh:
            # Someone else, or another language: what was left open is discarded, and the
            # screens are drawn anew, in the words of the person now signed in.
            for mode in self.work_modes:
                await self.remove_mode(mode)
            self.work_modes = [place.mode for place in PLACES if may_open(user.role, place.mode)]
            for place in PLACES:
                if place.mode in self.work_modes:
                    self.add_mode(place.mode, place.screen)
            self.stack_owner = (user.id, user.role, message.language)
            self.resume_mode = "overview"
        await self.switch_mode(self.resume_mode)
        if fresh and message.slip_in_progress and "receiving" in self.work_modes:
            # After a crash or a colleague's turn, the clerk carries on where they were.
            slip_no = message.slip_in_progress
            await self.go("receiving", Target("slip", slip_no, "", slip_no, "receiving"))
            self.notify(f"carrying on with slip {slip_no}, where you left off", timeout=6)
        self.refresh_bindings()
        self.kick_printer()
        if self.journal.path.exists() and "receiving" in self.work_modes:
            self.notify("scans kept on this terminal while the database was away wait to be "
                        "recorded: they go in when Receiving (F3) is open", severity="warning",
                        timeout=10)

    def action_switch_user(self) -> None:
        self.lock()

    def lock(self) -> None:
        """Back to sign-in; the screens stay as they are for the same person."""
        if self.user is None:
            return
        previous, self.user = self.user.name, None
        self.resume_mode = self.current_mode
        self.sub_title = _("locked")
        self.switch_mode("signin")
        self.screen_stack[0].reset(previous)
        self.refresh_bindings()

    def lock_if_idle(self) -> None:
        if self.user is not None and monotonic() - self.last_key >= self.idle_minutes * 60:
            self.lock()

    # --- moving around ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return self.user is not None and parameters[0] in self.work_modes
        if action == "switch_user":
            return self.user is not None
        return True

    async def action_go(self, mode: str) -> None:
        await self.go(mode)

    async def go(self, mode: str, target: Target | None = None) -> None:
        if self.user is None or mode not in self.work_modes:
            return
        await self.switch_mode(mode)
        if target is None:
            return
        if len(self.screen_stack) > 1:   # a form is open there: it is not overwritten
            self.refuse("a form is open on this screen: finish it or press Esc, then scan again")
            return
        self.screen_stack[0].open(target)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_code(self, code: str) -> None:
        """A code scanned on a screen that does not know it: open it where it belongs."""
        self.identify_code(code)

    @work(thread=True, group="identify")
    def identify_code(self, code: str) -> None:
        with in_db(self):
            target = identify(code, read_label)
            self.call_from_thread(self.show_target, target, code)

    async def show_target(self, target: Target | None, code: str = "") -> None:
        if target is None:
            self.refuse(f"{code!r} is not a return slip, complaint case or unit label of this desk")
            return
        if self.user is not None:
            await self.go(route(self.user.role, target), target)

    def refuse(self, text: str) -> None:
        """Something the person can put right: said in words, with the bell."""
        self.bell()
        self.notify(text, severity="error", timeout=8)

    # --- labels -----------------------------------------------------------------------------

    def kick_printer(self) -> None:
        if monotonic() >= self.printer_quiet_until:
            self.printer.kick()

    def retry_printing(self) -> None:
        if self.user is not None:
            self.printer_quiet_until = 0.0
            self.printer.kick()

    def print_labels(self) -> None:
        """Worker thread (one at a time): the queued labels to the printer."""
        try:
            with db.connection_context():
                run = print_queued()
        except (OperationalError, InterfaceError) as exc:
            self.call_from_thread(setattr, self, "printer_status",
                                  f"labels wait: the database did not answer ({first_line(exc)})")
            return
        self.call_from_thread(self.printed, run.status, run.failed)

    def printed(self, status: str, failed: bool) -> None:
        self.printer_status = status
        if failed:
            self.printer_quiet_until = monotonic() + PRINT_RETRY_SECONDS
            self.notify(status, severity="warning", timeout=8)


def binding_ids() -> set[str]:
    """The ids of the desk's key bindings, which a terminal may map to other keys."""
    screens = [DeskApp, SignInScreen, *(place.screen for place in PLACES)]
    return {binding.id for screen in screens for binding in screen.BINDINGS
            if getattr(binding, "id", None)}


def make_app(db_url: str | None = None, *, keymap: dict[str, str] | None = None,
             journal: Path | None = None) -> DeskApp:
    """The desk on the database at `db_url` (checked here, before the screen opens).
    `keymap` remaps keys by binding id; `journal` is the file for kept scans."""
    database = connect(db_url)
    speak_for(None)      # the sign-in screen speaks the terminal's or the site's language
    database.close()   # from here on, every worker opens its own connection
    prepare_printing()   # labels are made in a process of their own (tui.work.printing)
    return DeskApp(db_url, keymap=keymap, journal=journal)
