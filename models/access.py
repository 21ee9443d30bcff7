"""Who may do what. Every operation checks this itself; the screens are not the guard."""
from __future__ import annotations

import functools

from .db import columns, execute, load, transaction
from .errors import PermissionDenied
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
    "backup": frozenset({"admin"}),
    "audit": frozenset(_FLOOR),
    "statistics": frozenset({"finance"} | _FLOOR),     # returns per month, for those who steer
}

_WHAT = {
    "receive": "receive goods", "label.print": "print labels", "inspect": "record inspections",
    "case.assess": "record responsibility and outcome", "book": "book slips",
    "export": "export the reconciliation", "case.open": "open complaint cases",
    "slip.issue": "issue return slips", "slip.approve": "approve return slips",
    "slip.regional": "record a regional manager's approval",
    "slip.override": "let a slip be booked before every unit is inspected",
    "receive.beyond_cap": "receive more pieces than the scan cap allows",
    "unit.reverse_inspected": "reverse inspected units", "customer.edit": "change customers",
    "import": "import data",
    "case.decide": "decide late complaints", "case.close": "close cases",
    "case.defect_qty": "fill in a case's defective quantity",
    "case.attach": "attach photos or documents to cases",
    "case.close_anyway": "close a case whose slips are not all booked and inspected",
    "case.reopen": "reopen closed cases", "case.remind": "send reminders on overdue cases",
    "report.done": "mark the monthly report done",
    "line.decide": "decide over-tolerance lines", "slip.reopen": "reopen booked slips",
    "user.unlock": "unlock users", "users": "manage users", "settings": "change settings",
    "backup": "back up or restore the database", "view": "look things up",
    "audit": "read the audit trail", "statistics": "see the monthly statistics",
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


_USER = f'SELECT {columns(User, "u")} FROM "user" u WHERE u.id = ?'


def require(user: User, permission: str) -> User:
    """The acting user as the database has it now, if they may do this."""
    fresh = None
    if user is not None:
        row = execute(_USER, (user.id,)).fetchone()
        fresh = load(User, row) if row else None
    if fresh is None or not fresh.active:
        raise PermissionDenied("this user is not active: sign in again")
    if fresh.locked:
        raise PermissionDenied(f"{fresh.name} is locked: a supervisor must unlock them")
    if not allowed(fresh.role, permission):
        roles = ", ".join(r for r in ROLES if r in PERMISSIONS[permission])
        raise PermissionDenied(f"{fresh.name} is {fresh.role}: only {roles} may {_WHAT[permission]}")
    return fresh


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
