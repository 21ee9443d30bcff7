"""Sign in: choose your name or scan your badge, then your PIN; a key changes the language, kept
as the person's own once they are signed in."""
from __future__ import annotations

from dataclasses import dataclass

from peewee import InterfaceError, OperationalError
from rich.cells import cell_len
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
from models.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, choose, language, set_language
from models.languages import choose_own_language, language_for
from models.receiving import slip_in_progress
from models.tables import User
from models.users import authenticate, list_users
from tui.desk.background import Leaving, first_line, in_db, on_ui
from tui.desk.footer import DeskFooter
from tui.desk.scan import ScanField
from models.words import word


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    badge: str
    language: str       # the one the desk speaks to them (models.languages.language_for)


class SignInScreen(Leaving, Screen):
    """The desk when nobody is signed in, and when it is locked."""

    HELP = N_("""\
## Sign in
Scan your badge, or choose your name with ↑ ↓ and press Enter (or type your name and
press Enter). Then type your PIN and press Enter.

F8 changes the language (繁體中文, 简体中文, English): once you are signed in, the desk keeps
it as yours.

After some minutes without a key the desk locks itself. Sign in again as the same person
and everything you had open is still there (unless you changed your language); anyone else
starts afresh.
""")
    BINDINGS = [
        Binding("up", "move(-1)", N_("Up"), show=False, id="signin_up"),
        Binding("down", "move(1)", N_("Down"), show=False, id="signin_down"),
        Binding("escape", "back", N_("Choose another name"), id="signin_back"),
        Binding("f8", "next_language", N_("Language"), id="signin_language",
                tooltip=N_("繁體中文, 简体中文 or English: kept as yours once you are signed in")),
    ]

    @dataclass
    class SignedIn(Message):
        user: User
        idle_minutes: int
        slip_in_progress: str | None     # a clerk's slip still being received, to carry on with
        language: str                    # the one to speak to them from now on

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []
        self.chosen: Person | None = None
        self.previous: str | None = None
        self.site_language = language()
        self.picked_language: str | None = None   # chosen here (F8): saved as the person's own

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="signin"):
            yield Static("", id="signin-intro")
            # The name field holds what is typed after its Enter: that is the PIN.
            yield ScanField("", id="scan", hold=True)
            yield OptionList(id="people")
            yield Static("", id="pin-label")
            yield ScanField("", id="pin", password=True)
            yield Static("", id="signin-error")
        yield DeskFooter()

    def on_mount(self) -> None:
        self.query_one("#people", OptionList).can_focus = False
        self.reset()

    def show_texts(self) -> None:
        """Every word of this screen, in the language of the moment (again after F8)."""
        self.title = _("Returns Desk · sign in")
        self.sub_title = _("nobody signed in") + f" · {LANGUAGE_NAMES[language()]}"
        self.query_one("#scan", ScanField).placeholder = _("scan your badge, or type your name, then Enter")
        self.query_one("#pin", ScanField).placeholder = _("PIN, then Enter")
        for field in self.query(ScanField):
            field.refresh()
        if self.previous:
            intro = _("Locked. {name}: press Enter and your PIN to carry on where you were. "
                      "Anyone else: scan your badge or choose your name.").format(name=self.previous)
        else:
            intro = _("Scan your badge, or choose your name (↑ ↓ Enter), then type your PIN.")
        self.query_one("#signin-intro", Static).update(Content(intro))
        if self.chosen:
            self.query_one("#pin-label", Static).update(Content(
                _("PIN for {name} ({role}):").format(name=self.chosen.name,
                                                      role=word("role", self.chosen.role))))
        self.refresh_bindings()

    def reset(self, previous: str | None = None) -> None:
        """Back to choosing a person; after a lock, `previous` is highlighted."""
        self.previous = previous
        self.chosen = None
        self.picked_language = None
        self.show_texts()
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
            site_language = language_for(None)
            people = [Person(u.name, u.role, u.badge or "", choose(u.language, site_language))
                      for u in list_users() if u.active]
            on_ui(self, self.people_loaded, people, site_language)

    def people_loaded(self, people: list[Person], site_language: str) -> None:
        self.site_language = site_language
        self.show_people(people)

    def show_people(self, people: list[Person], keep_highlight: bool = False) -> None:
        self.people = sorted(people, key=lambda p: p.name)
        options = self.query_one("#people", OptionList)
        highlighted = options.highlighted if keep_highlight else None
        options.clear_options()
        # Padded by cells, not characters: a Chinese name takes two cells a character.
        options.add_options(Option(Content(f"{p.name}{' ' * max(1, 17 - cell_len(p.name))}"
                                           f"{word('role', p.role)}"), id=p.name)
                            for p in self.people)
        names = [p.name for p in self.people]
        if highlighted is not None and highlighted < len(names):
            options.highlighted = highlighted
        elif self.previous in names:
            options.highlighted = names.index(self.previous)
        elif names:
            options.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.chosen is not None
        return True

    def why_not(self, action: str) -> str:
        """Why a key did nothing, for the desk's notice."""
        return _("no name is chosen yet: nothing to go back from") if action == "back" else \
            _("it does nothing here just now")

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
            self.error(_("nobody called {name!r} and no such badge: choose your name from the "
                         "list (↑ ↓ Enter) or scan your badge").format(name=text))
            return
        self.choose(match[0])

    def on_scan_field_blank(self, message: ScanField.Blank) -> None:
        if message.field.id == "pin":
            self.error(_("type your PIN, then Enter"))
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
        self.speak(self.picked_language or person.language)
        self.set_class(True, "-pin")
        pin = self.query_one("#pin", ScanField)
        pin.value = ""
        pin.focus()
        pin.feed(self.query_one("#scan", ScanField).release())   # a PIN typed ahead
        self.app.read_ahead_for(person.name, person.role, language())

    def action_back(self) -> None:
        self.chosen = None
        self.speak(self.picked_language or self.site_language)
        self.set_class(False, "-pin")
        self.query_one("#pin", ScanField).value = ""
        self.query_one("#scan", ScanField).focus()

    def action_next_language(self) -> None:
        """The next language, at once; kept as the person's own once they are signed in."""
        self.picked_language = LANGUAGES[(LANGUAGES.index(language()) + 1) % len(LANGUAGES)]
        self.speak(self.picked_language)

    def speak(self, code: str) -> None:
        if code != language():
            set_language(code)
            self.show_people(self.people, keep_highlight=True)    # their roles' words
        self.show_texts()

    @work(thread=True, exclusive=True, group="signin")
    def sign_in(self, name: str, pin: str) -> None:
        picked = self.picked_language
        try:
            with db.connection_context():
                user = authenticate(name, pin)
                if picked:
                    user = choose_own_language(user, picked)
                speaks = language_for(user)
                idle = settings.get("idle_lock_minutes")
                carry_on = slip_in_progress(user) if allowed(user.role, "receive") else None
        except DeskError as exc:   # wrong PIN, locked user: said here, next to the PIN
            on_ui(self, self.error, str(exc))
        except (OperationalError, InterfaceError) as exc:
            on_ui(self, self.error, _("the database did not answer ({error}): try again").format(
                error=first_line(exc)))
        else:
            self.post_message(self.SignedIn(user, idle, carry_on, speaks))
            on_ui(self, self.signed_in)

    def signed_in(self) -> None:
        """The PIN is not kept in the field. The rest waits for the next lock (`reset`, with
        the list of people read again): doing it now read that list and redrew it behind the
        home screen while home was being built (~10% of a change of user)."""
        self.query_one("#pin", ScanField).value = ""

    def error(self, text: str) -> None:
        self.query_one("#signin-error", Static).update(Content(text))
        self.app.bell()
