"""Users (admin, F7 on Settings): add a user, reset a PIN, unlock, disable, a badge, a role.

Each is the models.users operation the `user` command runs: the same checks, the same audit.
"""
from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from models import users
from models.access import ROLES
from models.errors import Refused
from models.i18n import N_, _
from models.tables import User
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import ConfirmDialog, FormDialog
from tui.desk.form_view import Field
from tui.desk.widgets import Columns, RowList
from models.words import word

USER_COLUMNS = Columns((N_("name"), 20, False), (N_("role"), 11, False), (N_("badge"), 16, False),
                       (N_("state"), 9, False), (N_("wrong PINs"), 10, True))
STATE_WORDS = {"active": N_("active"), "locked": N_("locked"), "disabled": N_("disabled")}
PIN = r"[0-9]*"


def role_choices() -> tuple[tuple[str, str], ...]:
    return tuple((role, word("role", role)) for role in ROLES)


def user_state(user: User) -> str:
    return "disabled" if not user.active else ("locked" if user.locked else "active")


def pin_fields() -> list[Field]:
    return [Field("pin", _("New PIN (4 to 12 digits)"), password=True, restrict=PIN),
            Field("again", _("The same PIN again"), password=True, restrict=PIN)]


def same_pin(values: dict[str, str]) -> str:
    """The PIN typed twice, or Refused: a PIN is never shown, so it is typed twice."""
    if values["pin"] != values["again"]:
        raise Refused(_("the two PINs differ: type the same PIN twice"))
    return values["pin"]


class UsersScreen(DeskScreen):
    TITLE = N_("Users")
    SCAN_HINT = N_("scan a badge to find its user; ↑ ↓ choose a user")
    HELP = N_("""\
## Users (admin)
Everyone who may sign in at the desk: their role, badge and whether they are active,
locked after wrong PINs, or disabled. Choose a user with ↑ ↓, then:

- **F7** adds a user: name, role, PIN (twice) and badge (may be left empty).
- **F8** resets the user's PIN (typed twice; it is never shown) and clears wrong PINs.
- **F9** unlocks a user locked after too many wrong PINs.
- **F10** disables a user (not yourself): they can no longer sign in; their work stays.
- **ctrl+b** sets or takes away the user's badge; **ctrl+o** changes the user's role
  (not your own).

Each change is the `returns-desk user` command's own operation, with its checks, and is in
the audit trail with who and when. Esc goes back to the settings.
""")
    BINDINGS = [
        Binding("f7", "add", N_("Add user"), id="users_add",
                tooltip=N_("a new user: name, role, PIN")),
        Binding("f8", "pin", N_("Reset PIN"), id="users_pin",
                tooltip=N_("a new PIN for the chosen user")),
        Binding("f9", "unlock", N_("Unlock"), id="users_unlock",
                tooltip=N_("unlock the chosen user after too many wrong PINs")),
        Binding("f10", "disable", N_("Disable"), id="users_disable",
                tooltip=N_("the chosen user can no longer sign in")),
        Binding("ctrl+b", "badge", N_("Badge"), id="users_badge",
                tooltip=N_("set or take away a badge")),
        Binding("ctrl+o", "role", N_("Role"), id="users_role",
                tooltip=N_("another role for the user")),
        Binding("escape", "leave", N_("Settings"), id="users_leave",
                tooltip=N_("back to the settings")),
        Binding("ctrl+r", "reload", N_("Reload"), id="users_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"add": "users", "pin": "users", "unlock": "users", "disable": "users",
                          "badge": "users", "role": "users"}

    def __init__(self) -> None:
        super().__init__()
        self.users: list[User] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield RowList(USER_COLUMNS, id="users")

    def on_mount(self) -> None:
        self.query_one(RowList).border_title = _("users · ↑ ↓ choose")
        self.action_reload()

    def can_do(self, action: str) -> bool | None:
        if action in ("pin", "unlock", "disable", "badge", "role"):
            return self.chosen() is not None or None
        return True

    # --- the list ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="users")
    def action_reload(self, keep: str | None = None) -> None:
        with in_db(self):
            on_ui(self, self.show, users.list_users(), keep)

    def show(self, rows: list[User], keep: str | None = None) -> None:
        table = self.query_one(RowList)
        chosen = self.chosen()
        keep = keep or (chosen.name if chosen else None)
        self.users = rows
        names = [user.name for user in rows]
        table.show(((user.name, word("role", user.role), user.badge or "",
                     _(STATE_WORDS[user_state(user)]), user.failed_pins)
                    for user in rows), (user_state(user) != "active" for user in rows),
                   cursor=names.index(keep) if keep in names else table.cursor)
        self.refresh_bindings()

    def chosen(self) -> User | None:
        cursor = self.query_one(RowList).cursor
        return self.users[cursor] if cursor < len(self.users) else None

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        self.refresh_bindings()

    def handle_scan(self, code: str, scan_id: str) -> None:
        """A badge scanned here finds its user (it does not sign anyone in)."""
        found = [n for n, user in enumerate(self.users) if code in (user.badge, user.name)]
        if found:
            self.query_one(RowList).move_to(found[0])
        else:
            self.app.refuse(_("no user has the badge or name {code}").format(code=repr(code)))

    def pick(self) -> None:
        user = self.chosen()
        if user is not None:
            self.say(_("{name}: F8 reset PIN · F9 unlock · F10 disable · ctrl+b badge · "
                       "ctrl+o role").format(name=user.name), "-info")

    def action_leave(self) -> None:
        self.dismiss()

    # --- changes: the models.users operations -----------------------------------------------

    def change(self, title: str, fields: list[Field], record: Callable[[dict[str, str]], object],
               done: str, intro: str = "", keep: str | None = None) -> None:
        def recorded(result) -> None:
            if result is not None:
                self.say(f"✔ {done}", "-ok")
                self.action_reload(result.name if isinstance(result, User) else keep)
        self.app.push_screen(FormDialog(title, fields, intro=intro, record=record), recorded)

    def action_add(self) -> None:
        admin = self.app.user
        self.change(_("Add a user"), [
            Field("name", _("Name (2-60 letters, digits, . - _)")),
            Field("role", _("Role"), role_choices(), value="clerk"),
            *pin_fields(),
            Field("badge", _("Badge (scan it; empty: none)"), scanned=True),
        ], lambda v: users.add_user(admin, v["name"].strip(), v["role"], same_pin(v),
                                    v["badge"] or None),
            _("user added"), intro=_("They sign in by name (or badge) and PIN."))

    def action_pin(self) -> None:
        admin, user = self.app.user, self.chosen()
        self.change(_("Reset the PIN of {name}").format(name=user.name), pin_fields(),
                    lambda v: users.set_pin(admin, user.name, same_pin(v)) or user,
                    _("PIN of {name} changed").format(name=user.name), keep=user.name)

    def action_unlock(self) -> None:
        admin, user = self.app.user, self.chosen()
        if not user.locked:
            self.app.refuse(_("{name} is not locked: nothing to unlock").format(name=user.name))
            return
        self.confirm(_("Unlock {name}?").format(name=user.name),
                     _("They may sign in again with their PIN."),
                     lambda: users.unlock_user(admin, user.name),
                     _("{name} unlocked").format(name=user.name), user.name)

    def action_disable(self) -> None:
        admin, user = self.app.user, self.chosen()
        if not user.active:
            self.app.refuse(_("{name} is already disabled").format(name=user.name))
            return
        self.confirm(_("Disable {name}?").format(name=user.name),
                     _("They can no longer sign in; what they did stays on record."),
                     lambda: users.disable_user(admin, user.name),
                     _("{name} disabled").format(name=user.name), user.name)

    def action_badge(self) -> None:
        admin, user = self.app.user, self.chosen()
        self.change(_("Badge of {name}").format(name=user.name),
                    [Field("badge", _("Badge (scan it; empty: none)"), value=user.badge or "",
                           scanned=True)],
                    lambda v: users.set_badge(admin, user.name, v["badge"]),
                    _("badge of {name} changed").format(name=user.name), keep=user.name)

    def action_role(self) -> None:
        admin, user = self.app.user, self.chosen()
        self.change(_("Role of {name}").format(name=user.name),
                    [Field("role", _("Role"), role_choices(), value=user.role)],
                    lambda v: users.set_role(admin, user.name, v["role"]),
                    _("role of {name} changed").format(name=user.name), keep=user.name)

    def confirm(self, title: str, text: str, act: Callable[[], object], done: str,
                keep: str) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_change(act, done, keep)
        self.app.push_screen(ConfirmDialog(title, text), confirmed)

    @work(thread=True, exclusive=True, group="users-change")
    def run_change(self, act: Callable[[], object], done: str, keep: str) -> None:
        with in_db(self):
            act()
            on_ui(self, self.say, f"✔ {done}", "-ok")
            on_ui(self, self.action_reload, keep)

    def say(self, text: str, kind: str) -> None:
        ack = self.query_one("#ack", Static)
        ack.update(Content(text))
        ack.set_classes(kind)
