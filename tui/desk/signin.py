"""Sign in: choose your name or scan your badge, then your PIN."""
from __future__ import annotations

from dataclasses import dataclass

from peewee import InterfaceError, OperationalError
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from models import settings
from models.access import allowed
from models.db import db
from models.errors import DeskError
from models.receiving import slip_in_progress
from models.tables import User
from models.users import authenticate, list_users
from tui.desk.background import Leaving, first_line, in_db, on_ui
from tui.desk.scan import ScanField
from tui.desk.footer import DeskFooter


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    badge: str


class SignInScreen(Leaving, Screen):
    """The desk when nobody is signed in, and when it is locked."""

    HELP = """\
## Sign in
Scan your badge, or choose your name with ↑ ↓ and press Enter (or type your name and
press Enter). Then type your PIN and press Enter.

After some minutes without a key the desk locks itself. Sign in again as the same person
and everything you had open is still there; anyone else starts afresh.
"""
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="signin_up"),
        Binding("down", "move(1)", "Down", show=False, id="signin_down"),
        Binding("escape", "back", "Choose another name", id="signin_back"),
    ]

    @dataclass
    class SignedIn(Message):
        user: User
        idle_minutes: int
        slip_in_progress: str | None     # a clerk's slip still being received, to carry on with

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []
        self.chosen: Person | None = None
        self.previous: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin"):
            yield Static("", id="signin-intro")
            # The name field holds what is typed after its Enter: that is the PIN.
            yield ScanField("scan your badge, or type your name, then Enter", id="scan", hold=True)
            yield OptionList(id="people")
            yield Static("", id="pin-label")
            yield ScanField("PIN, then Enter", id="pin", password=True)
            yield Static("", id="signin-error")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.title = "Returns Desk · sign in"
        self.sub_title = "nobody signed in"
        self.query_one("#people", OptionList).can_focus = False
        self.reset()

    def reset(self, previous: str | None = None) -> None:
        """Back to choosing a person; after a lock, `previous` is highlighted."""
        self.previous = previous
        self.chosen = None
        intro = ("Locked. " + (f"{previous}: press Enter and your PIN to carry on where you were. "
                               if previous else "")
                 + "Anyone else: scan your badge or choose your name.") if previous else \
            "Scan your badge, or choose your name (↑ ↓ Enter), then type your PIN."
        self.query_one("#signin-intro", Static).update(Content(intro))
        self.query_one("#pin", ScanField).value = ""
        self.query_one("#scan", ScanField).release()
        self.query_one("#signin-error", Static).update("")
        self.set_class(False, "-pin")
        self.refresh_bindings()
        self.query_one("#scan", ScanField).focus()
        self.load_people()

    @work(thread=True, exclusive=True, group="people")
    def load_people(self) -> None:
        with in_db(self):
            people = [Person(u.name, u.role, u.badge or "") for u in list_users() if u.active]
            on_ui(self, self.show_people, people)

    def show_people(self, people: list[Person]) -> None:
        self.people = sorted(people, key=lambda p: p.name)
        options = self.query_one("#people", OptionList)
        options.clear_options()
        options.add_options(Option(Content(f"{p.name:<16} {p.role}"), id=p.name) for p in self.people)
        names = [p.name for p in self.people]
        if self.previous in names:
            options.highlighted = names.index(self.previous)
        elif names:
            options.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.chosen is not None
        return True

    def why_not(self, action: str) -> str:
        """Why a key did nothing, for the desk's notice."""
        return "no name is chosen yet: nothing to go back from" if action == "back" else \
            "it does nothing here just now"

    def action_move(self, step: int) -> None:
        options = self.query_one("#people", OptionList)
        if options.option_count and not self.chosen:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_scan_field_scanned(self, message: ScanField.Scanned) -> None:
        if message.field.id == "pin":
            self.sign_in(self.chosen.name, message.code)
            return
        text = message.code.strip()
        match = [p for p in self.people if text in (p.name, p.badge)]
        match = match or [p for p in self.people if p.name.lower() == text.lower()]
        if not match:
            self.query_one("#scan", ScanField).release()   # a PIN typed ahead: dropped unseen
            self.error(f"nobody called {text!r} and no such badge: choose your name from the "
                       "list (↑ ↓ Enter) or scan your badge")
            return
        self.choose(match[0])

    def on_scan_field_blank(self, message: ScanField.Blank) -> None:
        if message.field.id == "pin":
            self.error("type your PIN, then Enter")
            return
        # Behind any ↑ ↓ typed just before (see DeskScreen.on_scan_field_blank).
        self.app.call_later(self.choose_highlighted)

    def choose_highlighted(self) -> None:
        option = self.query_one("#people", OptionList).highlighted_option
        if option is None:
            self.query_one("#scan", ScanField).release()
        else:
            self.choose(next(p for p in self.people if p.name == option.id))

    def choose(self, person: Person) -> None:
        self.chosen = person
        self.query_one("#signin-error", Static).update("")
        self.query_one("#pin-label", Static).update(Content(f"PIN for {person.name} ({person.role}):"))
        self.set_class(True, "-pin")
        self.refresh_bindings()
        pin = self.query_one("#pin", ScanField)
        pin.value = ""
        pin.focus()
        pin.feed(self.query_one("#scan", ScanField).release())   # a PIN typed ahead

    def action_back(self) -> None:
        self.chosen = None
        self.set_class(False, "-pin")
        self.refresh_bindings()
        self.query_one("#pin", ScanField).value = ""
        self.query_one("#scan", ScanField).focus()

    @work(thread=True, exclusive=True, group="signin")
    def sign_in(self, name: str, pin: str) -> None:
        try:
            with db.connection_context():
                user = authenticate(name, pin)
                idle = settings.get("idle_lock_minutes")
                carry_on = slip_in_progress(user) if allowed(user.role, "receive") else None
        except DeskError as exc:   # wrong PIN, locked user: said here, next to the PIN
            on_ui(self, self.error, str(exc))
        except (OperationalError, InterfaceError) as exc:
            on_ui(self, self.error, f"the database did not answer "
                                                  f"({first_line(exc)}): try again")
        else:
            self.post_message(self.SignedIn(user, idle, carry_on))
            on_ui(self, self.signed_in)

    def signed_in(self) -> None:
        """The PIN is not kept in the field. The rest waits for the next lock (`reset`, with
        the list of people read again): doing it now read that list and redrew it behind the
        home screen while home was being built (~10% of a change of user)."""
        self.query_one("#pin", ScanField).value = ""

    def error(self, text: str) -> None:
        self.query_one("#signin-error", Static).update(Content(text))
        self.app.bell()
