"""An admin changes a user's badge or role: the checks and the audit of the `user` command and
the desk's Users screen alike."""
import json

import pytest

from models.errors import PermissionDenied
from models.tables import AuditLog, User
from models.users import add_user, authenticate, set_badge, set_role

from ..helpers import refused


def last_audit(action: str) -> AuditLog:
    return AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id.desc()).get()


def test_a_badge_is_set_changed_and_taken_away_with_its_audit(desk):
    set_badge(desk.admin, "clerk", " B900 ")
    assert authenticate("B900", "1234").name == "clerk"
    entry = last_audit("user.set_badge")
    assert (entry.user.name, entry.entity_key, json.loads(entry.after)) == \
        ("admin", "clerk", {"badge": "B900"})
    set_badge(desk.admin, "clerk", "")
    assert User.get(User.name == "clerk").badge is None
    assert json.loads(last_audit("user.set_badge").before) == {"badge": "B900"}


def test_a_badge_is_one_user_s_and_plain_text(desk):
    add_user(desk.admin, "mei", "clerk", "4321", badge="B77")
    refused(lambda: set_badge(desk.admin, "clerk", "B77"), "belongs to another user")
    refused(lambda: set_badge(desk.admin, "clerk", "B\x1b[2J"), "escape sequence")
    refused(lambda: set_badge(desk.admin, "nobody", "B1"), "no user called nobody",
            kind=Exception)
    set_badge(desk.admin, "mei", "B77")           # its own badge again: fine


def test_a_role_is_changed_by_an_admin_not_their_own(desk):
    set_role(desk.admin, "clerk", "inspector")
    assert User.get(User.name == "clerk").role == "inspector"
    entry = last_audit("user.set_role")
    assert (json.loads(entry.before), json.loads(entry.after)) == \
        ({"role": "clerk"}, {"role": "inspector"})
    refused(lambda: set_role(desk.admin, "clerk", "boss"), "unknown role 'boss'")
    refused(lambda: set_role(desk.admin, "admin", "clerk"), "your own role")
    with pytest.raises(PermissionDenied):
        set_role(desk.supervisor, "clerk", "supervisor")
