"""The full-screen desk: sign-in, the screens each role may use, scanning anywhere, labels."""
from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from time import monotonic

from textual import actions, events, work
from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.keys import format_key
from textual.reactive import reactive
from textual.screen import Screen

from models import connect
from models.access import PLACES as PLACE_PERMISSIONS
from models.access import allowed, may_open, not_allowed
from models.codes import Target, identify
from models.i18n import N_, _, language, set_language
from models.languages import speak_for
from models.journal import ScanJournal
from models.tables import User
from tui.desk.background import OneAtATime, ReadAhead, in_db
from tui.desk.base import DeskScreen
from tui.desk.cases import CasesScreen
from tui.desk.commands import ScreenCommands
from tui.desk.dialogs import FormDialog
from tui.desk.finance import FinanceScreen
from tui.desk.help import HelpScreen
from tui.desk.inspection import InspectionScreen
from tui.desk.label_worker import PRINT_SWEEP_SECONDS, PRINTER_POLL_SECONDS, LabelWorker
from tui.desk.leave import leave_dialog
from tui.desk.overview import OverviewScreen, read_home_ahead
from tui.desk.receiving import ReceivingScreen
from tui.desk.signin import SignInScreen
from tui.desk.site_settings import SettingsScreen
from tui.work.collector import TICK_SECONDS, QuietCollector
from tui.work.desk_log import log_path_for, open_log
from tui.work.labelling import read_label
from tui.work.printing import prepare_printing, stop_printing
from tui.work.receiving import default_journal
from models.words import word

IDLE_CHECK_SECONDS = 15


@dataclass
class KeyPress:
    """A key on its way through the bindings: whether one acted, or the first that refused."""
    key: str
    ran: bool = False
    refused: tuple[str | ActionParseResult, DOMNode | None] | None = None


@dataclass(frozen=True)
class Place:
    """A screen of the desk and its key; who may open it is models.access.may_open's."""

    mode: str
    key: str
    title: str
    tooltip: str
    screen: type[DeskScreen]


PLACES = (
    Place("overview", "f2", N_("Home"), N_("go to home"), OverviewScreen),
    Place("receiving", "f3", N_("Receive"), N_("go to receiving"), ReceivingScreen),
    Place("inspection", "f4", N_("Inspect"), N_("go to inspection"), InspectionScreen),
    Place("finance", "f5", N_("Finance"), N_("go to finance"), FinanceScreen),
    Place("cases", "f6", N_("Cases"), N_("go to cases"), CasesScreen),
    Place("settings", "f11", N_("Settings"), N_("go to settings"), SettingsScreen),
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


class DeskApp(LabelWorker, App):
    TITLE = N_("Returns Desk")
    CSS_PATH = "desk.tcss"
    # The palette offers the desk's own actions only: Textual's (quit, screenshot, theme,
    # maximize) are not for a shared terminal.
    COMMANDS = {ScreenCommands}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="help", tooltip=N_("what this screen is for, and its keys")),
        *(Binding(place.key, f"go('{place.mode}')", place.title, id=f"go_{place.mode}",
                  tooltip=place.tooltip) for place in PLACES),
        Binding("f12", "switch_user", N_("Switch user"), id="switch_user",
                tooltip=N_("lock the desk; sign in again to carry on, or let someone else sign in")),
        Binding("ctrl+q", "leave", N_("Close the desk"), id="leave", show=False, priority=True,
                tooltip=N_("an admin closes the desk on this shared terminal (name and PIN)")),
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
        self.stack_owner: tuple[str, str, str] | None = None
        self.reads = ReadAhead()
        self.resume_mode = "overview"
        self.printer_quiet_until = 0.0
        self.labels_waiting = False           # queued labels have no printer, or it refused
        self.last_printer_failure = ""
        self.closing = threading.Event()      # the label worker stops between labels
        self.label_notices: list[str] = []    # what printing warned of, for the admin
        self.collector = QuietCollector(lambda: self.last_key)
        self.key_press: KeyPress | None = None     # the key whose bindings are being tried

    async def on_mount(self) -> None:
        if self.site_keymap:
            self.set_keymap(self.site_keymap)
        self.printer = OneAtATime(self, self.print_labels, "printer")
        self.title = _(self.TITLE)
        self.add_mode("signin", partial(self.new_screen, SignInScreen))
        await self.switch_mode("signin")
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(PRINTER_POLL_SECONDS, self.poll_printer)
        self.set_interval(PRINT_SWEEP_SECONDS, self.retry_printing)
        self.collector.start()
        # Labels left waiting go (or wait, said, for a printer) without waiting for a scan.
        self.call_after_refresh(self.kick_printer)
        self.set_interval(TICK_SECONDS, self.collector.tick)

    def on_unmount(self) -> None:
        self.closing.set()
        stop_printing()
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = monotonic()
        await super().on_event(event)

    # --- a key acts, or says why not --------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key that came up to the desk unused by the field in focus: its binding runs next
        (Textual's own handler); once it has, a key whose action was refused says why."""
        press = self.key_press = KeyPress(event.key)
        self.call_next(self.explain_key, press)

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        done = await super().run_action(action, default_namespace, namespaces)
        press = self.key_press
        if press is not None:
            if done:
                press.ran = True
            elif press.refused is None:
                press.refused = (action, default_namespace)
        return done

    def explain_key(self, press: KeyPress) -> None:
        self.key_press = None
        if press.ran or press.refused is None:
            return
        action, namespace = press.refused
        _namespace, name, parameters = actions.parse(action) if isinstance(action, str) else action
        if namespace is self or namespace is None:
            reason = self.why_not(name, parameters)
        else:
            why_not = getattr(namespace, "why_not", None)
            reason = why_not(name) if why_not else _("it does nothing here just now")
        # F7, →, pgup: as keyboards print them, in no language ("right" read as English)
        function_key = press.key.startswith("f") and press.key[1:].isdigit()
        key = press.key.upper() if function_key else format_key(press.key)
        if press.key == "escape":      # nothing to leave: said, without the bell
            self.notify(_("Esc: {reason}").format(reason=reason), timeout=4)
        else:
            self.refuse(_("{key}: {reason}").format(key=key, reason=reason))

    def why_not(self, action: str, parameters: tuple[object, ...]) -> str:
        user = self.user
        if user is None:
            return _("nobody is signed in: sign in first (your name or badge, then your PIN)")
        if action == "go" and parameters:
            return not_allowed(user.name, user.role, PLACE_PERMISSIONS[str(parameters[0])])
        return _("it does nothing here just now")

    # --- people -----------------------------------------------------------------------------

    async def on_sign_in_screen_signed_in(self, message: SignInScreen.SignedIn) -> None:
        user = message.user
        self.user, self.idle_minutes, self.last_key = user, message.idle_minutes, monotonic()
        if message.language != language():
            set_language(message.language)
        self.sub_title = f"{user.name} · {word('role', user.role)}"
        fresh = self.stack_owner != (user.name, user.role, message.language)
        self.read_ahead_for(user.name, user.role, message.language)   # unless begun at choosing
        if fresh:
            # Someone else, or another language: what was left open is discarded, and the
            # screens are drawn anew, in the words of the person now signed in.
            for mode in self.work_modes:
                await self.remove_mode(mode)
            self.work_modes = [place.mode for place in PLACES if may_open(user.role, place.mode)]
            for place in PLACES:
                if place.mode in self.work_modes:
                    self.add_mode(place.mode, partial(self.new_screen, place.screen))
            self.stack_owner = (user.name, user.role, message.language)
            self.resume_mode = "overview"
        await self.switch_mode(self.resume_mode)
        if fresh and message.slip_in_progress and "receiving" in self.work_modes:
            # After a crash or a colleague's turn, the clerk carries on where they were.
            slip_no = message.slip_in_progress
            await self.go("receiving", Target("slip", slip_no, "", slip_no, "receiving"))
            self.notify(_("carrying on with slip {slip}, where you left off").format(slip=slip_no),
                        timeout=6)
        self.refresh_bindings()
        self.kick_printer()
        self.tell_label_notices()
        if self.journal.path.exists() and "receiving" in self.work_modes:
            self.notify(_("scans kept on this terminal while the database was away wait to be "
                          "recorded: they go in when Receiving (F3) is open"), severity="warning",
                        timeout=10)

    def read_ahead_for(self, name: str, role: str, speaks: str) -> None:
        """What home will show this person, read while home is being made, if home comes
        next: for someone else (or in another language) always, for the same person if they
        left from home. Sign-in calls it as soon as the person is chosen, to read while the
        PIN is typed and checked (the PIN still decides whether any of it is shown)."""
        if self.stack_owner != (name, role, speaks) or self.resume_mode == "overview":
            read_home_ahead(self.reads, role)

    def new_screen(self, screen_type: type[Screen]) -> Screen:
        """A screen of the desk, made as its mode is first shown. Textual re-parses every
        stylesheet and restyles the app for a screen whose CSS is "behind" the app's, which a
        new screen's always is, though it is styled with the current CSS as it mounts: twice
        per change of user, ~60-100 ms of it (tests/tui/test_desk_signin.py). A theme changed
        later still restyles every screen as Textual does."""
        screen = screen_type()
        screen._css_update_count = self._css_update_count
        return screen

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
            self.refuse(_("a form is open on this screen: finish it or press Esc, then scan again"))
            return
        self.screen_stack[0].open(target)

    # --- closing the desk: an admin's act ----------------------------------------------------

    def action_leave(self) -> None:
        if not isinstance(self.screen, FormDialog) or self.screen.heading != _("Close the desk"):
            self.push_screen(leave_dialog(self.user), self.left)

    async def action_quit(self) -> None:
        """Textual's own ctrl+q (and anything else that asks to quit) asks for an admin too."""
        self.action_leave()

    def action_help_quit(self) -> None:
        self.notify(_("the desk stays open on this shared terminal: an admin closes it with "
                      "ctrl+q; F12 signs you out"), timeout=6)

    def left(self, admin: User | None) -> None:
        if admin is not None:
            self.exit()

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's palette, its search field's hint in the desk's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_("Search for commands…")))

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
            self.refuse(_("{code} is not a return slip, complaint case or unit label of this "
                          "desk").format(code=repr(code)))
            return
        if self.user is not None:
            await self.go(route(self.user.role, target), target)

    def refuse(self, text: str) -> None:
        """Something the person can put right: said in words, with the bell."""
        self.bell()
        self.notify(text, severity="error", timeout=8)



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
    journal = journal or default_journal(db_url)
    log = open_log(log_path_for(journal))
    prepare_printing(log)   # labels are made in a process of their own (tui.work.printing)
    return DeskApp(db_url, keymap=keymap, journal=journal)
