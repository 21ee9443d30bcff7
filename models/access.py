"""Who may do what. Every operation checks this itself; the screens are not the guard."""
from __future__ import annotations

import functools
import json

from .db import columns, execute, load, transaction
from .errors import PermissionDenied, SiteRestored
from .i18n import N_, _, pgettext
from .tables import User

ROLES = ("clerk", "inspector", "finance", "sales", "supervisor", "admin")

# operation -> roles allowed (docs/rules.md, "People and what they do at the terminal").
# Supervisors run the floor and may step in for anyone but the admin; sales take complaints in,
# issue a case's return slips and enter a regional manager's approval, and otherwise only read.
_FLOOR = {"supervisor", "admin"}
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "receive": frozenset({"clerk"} | _FLOOR),
    "label.print": frozenset({"clerk", "inspector"} | _FLOOR),
    "inspect": frozenset({"inspector"} | _FLOOR),
    "case.assess": frozenset({"inspector"} | _FLOOR),
    "case.close": frozenset({"inspector"} | _FLOOR),
    "book": frozenset({"finance"} | _FLOOR),
    "export": frozenset({"finance"} | _FLOOR),
    # Sales and quality take complaints in (000 §5.2.1, 001 §9.1).
    "case.open": frozenset({"sales", "inspector"} | _FLOOR),
    "case.defect_qty": frozenset({"sales", "inspector"} | _FLOOR),
    "case.attach": frozenset({"sales", "inspector"} | _FLOOR),
    "slip.issue": frozenset({"sales"} | _FLOOR),        # sales issue a case's return slip
    "slip.approve": frozenset(_FLOOR),
    "slip.regional": frozenset({"sales"} | _FLOOR),     # the regional manager's approval, entered
    "slip.override": frozenset(_FLOOR),
    "receive.beyond_cap": frozenset(_FLOOR),     # piece scans past scan_cap_factor x approved
    "unit.reverse_inspected": frozenset(_FLOOR),
    "customer.edit": frozenset(_FLOOR),
    "import": frozenset(_FLOOR),
    "case.decide": frozenset(_FLOOR),
    "case.close_anyway": frozenset(_FLOOR),
    "case.reopen": frozenset(_FLOOR),
    "case.remind": frozenset(_FLOOR),
    "report.done": frozenset(_FLOOR),
    "line.decide": frozenset(_FLOOR),
    "slip.reopen": frozenset(_FLOOR),
    "user.unlock": frozenset(_FLOOR),
    "users": frozenset({"admin"}),
    "settings": frozenset({"admin"}),
    "desk.leave": frozenset({"admin"}),               # the shared terminal stays open for all
    "backup": frozenset({"admin"}),
    "schema": frozenset({"admin"}),                   # migrate, and PostgreSQL roles (pg-role)
    "audit": frozenset(_FLOOR),
    "statistics": frozenset({"finance"} | _FLOOR),     # returns per month, for those who steer
}

_WHAT = {
    "receive": N_("receive goods"), "label.print": N_("print labels"), "inspect": N_("record inspections"),
    "case.assess": N_("record responsibility and outcome"), "book": N_("book slips"),
    "export": N_("export the reconciliation"), "case.open": N_("open complaint cases"),
    "slip.issue": N_("issue return slips"), "slip.approve": N_("approve return slips"),
    "slip.regional": N_("record a regional manager's approval"),
    "slip.override": N_("let a slip be booked before every unit is inspected"),
    "receive.beyond_cap": N_("receive more pieces than the scan cap allows"),
    "unit.reverse_inspected": N_("reverse inspected units"), "customer.edit": N_("change customers"),
    "import": N_("import data"),
    "case.decide": N_("decide late complaints"), "case.close": N_("close cases"),
    "case.defect_qty": N_("fill in a case's defective quantity"),
    "case.attach": N_("attach photos or documents to cases"),
    "case.close_anyway": N_("close a case whose slips are not all booked and inspected"),
    "case.reopen": N_("reopen closed cases"), "case.remind": N_("send reminders on overdue cases"),
    "report.done": N_("mark the monthly report done"),
    "line.decide": N_("decide over-tolerance lines"), "slip.reopen": N_("reopen booked slips"),
    "user.unlock": N_("unlock users"), "users": N_("manage users"), "settings": N_("change settings"),
    "desk.leave": N_("close the shared desk"),
    "backup": N_("back up or restore the database"),
    "schema": N_("migrate the database or grant it to a role"), "view": N_("look things up"),
    "audit": N_("read the audit trail"), "statistics": N_("see the monthly statistics"),
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]


# Sales look up the status of every complaint and return, from a shared terminal, and change
# nothing (docs/rules.md): they see everyone's work, read-only; the admin's own work they do not.
LOOK_ONLY = frozenset({"sales"})
_ADMINS_OWN = frozenset(p for p, roles in PERMISSIONS.items() if roles == {"admin"})


def sees(role: str, permission: str) -> bool:
    """Whether `role` sees the work that needs `permission`: its own, or, for sales, anyone's
    but the admin's (read-only: what they may do is still `allowed`)."""
    return allowed(role, permission) or (role in LOOK_ONLY and permission not in _ADMINS_OWN)


# The desk's places of work (a screen each) and the permission their work needs.
PLACES: dict[str, str] = {"overview": "view", "receiving": "receive", "inspection": "inspect",
                          "finance": "book", "cases": "view", "settings": "settings"}


def may_open(role: str, place: str) -> bool:
    """A role opens the places of its work; sales every place of work, read-only (its keys
    that need a permission they lack are not theirs)."""
    return sees(role, PLACES[place])


# The restore marker (models.backup.restore) comes with the user, in the same statement: checking
# it costs a write nothing more.
RESTORED = "site.restored"
_USER = (f'SELECT {columns(User, "u")}, (SELECT s.value FROM setting s WHERE s.name = ?) '
         'FROM "user" u WHERE u.id = ?')
_UNSEEN = object()
_seen_restore: object = _UNSEEN   # the marker this process signed in under (None: never restored)


def seen_restore(marker: str | None) -> None:
    """This process now works on the site as restored at `marker` (a sign-in, a restore)."""
    global _seen_restore
    _seen_restore = marker


def forget_restore() -> None:
    """A new database: its marker is taken as it is at the next check."""
    global _seen_restore
    _seen_restore = _UNSEEN


def require(user: User, permission: str) -> User:
    """The acting user as the database has it now, if they may do this, on the site as it was
    when they signed in (not restored from a backup since)."""
    fresh = None
    if user is not None:
        row = execute(_USER, (RESTORED, user.id)).fetchone()
        fresh = load(User, row) if row else None
        if row:
            _check_not_restored(row[-1])
    if fresh is None or not fresh.active:
        raise PermissionDenied(_("this user is not active: sign in again"), permission)
    if fresh.locked:
        raise PermissionDenied(_("{name} is locked: a supervisor must unlock them").format(
            name=fresh.name), permission)
    if not allowed(fresh.role, permission):
        raise PermissionDenied(not_allowed(fresh.name, fresh.role, permission), permission)
    return fresh


def not_allowed(name: str, role: str, permission: str) -> str:
    """What a person whose role may not do this is told."""
    # The roles' codes are their English words (models/words.py ROLES): their word here.
    # TRANSLATORS: what separates the items of a list of names ("clerk, supervisor")
    roles = _(", ").join(pgettext("role", r) for r in ROLES if r in PERMISSIONS[permission])
    # TRANSLATORS: {what} is what is asked for, e.g. "receive goods", "book slips"
    return _("{name} is {role}: only {roles} may {what}").format(
        name=name, role=pgettext("role", role), roles=roles, what=_(_WHAT[permission]))


def _check_not_restored(marker: str | None) -> None:
    if _seen_restore is _UNSEEN:
        seen_restore(marker)
    elif marker != _seen_restore:
        raise SiteRestored(restored_message(marker))


def restored_message(marker: str | None) -> str:
    """'the site was restored at 2026-12-06 02:10 by NAME: sign in again', from a restore
    marker (JSON written by models.backup.restore)."""
    try:
        facts = json.loads(marker or "")
        return _("the site was restored at {at} by {by}: sign in again").format(
            at=facts["at"], by=facts["by"])
    except (ValueError, TypeError, KeyError):
        return _("the site was restored from a backup: sign in again")


def operation(permission: str):
    """Mark a function that changes state: role check and all writes in one transaction."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(user, *args, **kwargs):
            with transaction():
                return fn(require(user, permission), *args, **kwargs)
        run.permission = permission
        return run
    return wrap
