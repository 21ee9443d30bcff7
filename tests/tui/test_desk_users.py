"""The admin manages users at the desk (F11, F7): add, reset a PIN, unlock, disable, badge,
role, through the `user` command's own operations (same checks, same audit)."""
from __future__ import annotations

from models.tables import AuditLog, User
from models.users import authenticate
from tui.desk.users_admin import UsersScreen

from .test_desk import burst, desk_test, scan, settle, sign_in, text


def audited(action: str, key: str) -> list[str]:
    return [entry.user.name for entry in AuditLog.select().where(
        AuditLog.action == action, AuditLog.entity_key == key)]


def user(name: str) -> User:
    return User.get(User.name == name)


@desk_test
async def test_the_admin_adds_a_user_and_changes_pin_badge_and_role(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f11")
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(app.screen, UsersScreen)
    assert "clerk" in [u.name for u in app.screen.users]
    await pilot.press("f7")                                   # add
    await pilot.press(*"mei", "enter", "2", *"4321", "enter", *"4321", "enter")
    await burst(pilot, "B77\n")                               # the badge, scanned
    await settle(pilot)
    mei = user("mei")
    assert (mei.role, mei.badge) == ("inspector", "B77")
    assert audited("user.add", "mei") == ["admin"]
    assert app.screen.chosen().name == "mei"                  # the new user under the cursor
    assert "user added" in text(app, "#ack")

    await pilot.press("f8")                                   # reset PIN: typed twice
    await pilot.press(*"5678", "enter", *"5679", "enter")
    await settle(pilot)
    assert "the two PINs differ" in text(app, "#dialog-error")
    await pilot.press("escape")
    await pilot.press("f8", *"5678", "enter", *"5678", "enter")
    await settle(pilot)
    assert authenticate("mei", "5678").name == "mei"
    assert audited("user.set_pin", "mei") == ["admin"]

    await pilot.press("ctrl+b", "ctrl+u", *"B88", "enter")     # another badge
    await settle(pilot)
    assert user("mei").badge == "B88" and audited("user.set_badge", "mei") == ["admin"]

    await pilot.press("ctrl+o", "3", "enter")                 # role: finance
    await settle(pilot)
    assert user("mei").role == "finance" and audited("user.set_role", "mei") == ["admin"]


@desk_test
async def test_the_admin_unlocks_and_disables_with_the_domain_s_checks(desk, pilot):
    User.update(locked=True, failed_pins=5).where(User.name == "clerk").execute()
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f11")
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    await scan(pilot, "clerk")                                # find the user by name or badge
    assert app.screen.chosen().name == "clerk"
    await pilot.press("f9", "enter")                          # unlock, confirmed
    await settle(pilot)
    assert not user("clerk").locked and audited("user.unlock", "clerk") == ["admin"]
    await pilot.press("f10", "enter")                         # disable, confirmed
    await settle(pilot)
    assert not user("clerk").active and audited("user.disable", "clerk") == ["admin"]
    await scan(pilot, "admin")
    await pilot.press("f10", "enter")                         # not yourself: the domain says
    await settle(pilot)
    assert user("admin").active
    assert "you cannot disable yourself" in "\n".join(notice.message for notice in app._notifications)
    await pilot.press("ctrl+o", "1", "enter")                 # nor your own role
    await settle(pilot)
    assert "your own role" in text(app, "#dialog-error") and user("admin").role == "admin"
    await pilot.press("escape", "escape")                     # back to the settings
    await settle(pilot)
    assert app.screen.__class__.__name__ == "SettingsScreen"


@desk_test
async def test_users_are_the_admin_s_only(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "supervisor")
    await pilot.press("f11")
    await settle(pilot)
    assert not isinstance(app.screen, UsersScreen)
