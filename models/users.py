"""People at the terminal: PINs kept only as salted scrypt hashes, lock after repeated wrong PINs.

The key derivation's cost is chosen for a shared terminal where people change every few
minutes: scrypt with N=2**12, r=8, p=1 (4 MiB of memory, ~17 ms on one core of a 2-core
machine), so that signing in to home stays within 300 ms. No cost a person can wait for makes a
4-digit PIN safe from someone who holds the hashes: all 10,000 PINs take ~3 minutes at this
cost (~15 minutes at the previous N=2**14). What protects PINs is that nobody gets the hashes
(the database's file permissions or role, backups kept as the database is) and, online, the lock
after `pin_max_attempts` wrong PINs (README, "PINs"). A hash made with other parameters still
signs in, and is made again with these at that sign-in.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from . import audit, settings
from .access import RESTORED, ROLES, operation, seen_restore
from .db import execute, transaction
from .errors import AuthError, NotFound, Refused
from .i18n import _
from .tables import User
from .text import check_text

_SCRYPT = {"n": 2**12, "r": 8, "p": 1}
_PIN = re.compile(r"\d{4,12}")
_NAME = re.compile(r"[\w.\-]{2,60}")


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def outdated(stored: str) -> bool:
    """Made with other parameters than today's: made again at its next sign-in."""
    _scheme, n, r, p, *_rest = stored.split("$")
    return (int(n), int(r), int(p)) != (_SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"])


# Checked against when the name is unknown, so a wrong name takes as long as a wrong PIN. A
# hash of a PIN nobody has, written out: made at import, it cost every command a derivation.
_DECOY = ("scrypt$4096$8$1$9d1c0b5f3e2a47c8a6b1d0e9f8c7b6a5$"
          "0f4c2a9e7d1b3c5a8e6f4d2b0a9c8e7f6d5c4b3a2918f7e6d5c4b3a291807f6e"
          "5d4c3b2a19080f7e6d5c4b3a291807f6e5d4c3b2a19080f7e6d5c4b3a2918070")


def _check_new(name: str, role: str, pin: str) -> None:
    if not _NAME.fullmatch(name):
        raise Refused(_("a user name is 2-60 letters, digits, dots, dashes or underscores"))
    if role not in ROLES:
        raise Refused(_("unknown role {role!r}: one of {roles}").format(role=role,
                                                                        roles=", ".join(ROLES)))
    _check_pin(pin)


def _check_pin(pin: str) -> None:
    if not _PIN.fullmatch(pin or ""):
        raise Refused(_("a PIN is 4 to 12 digits"))


def create_first_admin(name: str, pin: str) -> User:
    """Only on an empty desk: the admin who then adds everyone else."""
    _check_new(name, "admin", pin)
    with transaction():
        if User.select().exists():
            raise Refused(_("the desk already has users: an admin adds more with `user add`"))
        user = User.create(name=name, role="admin", pin_hash=hash_pin(pin))
        audit.record(user, "user.add", "user", name, None, {"role": "admin"})
    return user


@operation("users")
def add_user(admin: User, name: str, role: str, pin: str, badge: str | None = None) -> User:
    _check_new(name, role, pin)
    badge = check_text(badge, _("badge"), 60) or None
    if User.get_or_none(User.name == name):
        raise Refused(_("there is already a user called {name}").format(name=name))
    if badge and User.get_or_none(User.badge == badge):
        raise Refused(_("badge {badge} belongs to another user").format(badge=badge))
    user = User.create(name=name, role=role, pin_hash=hash_pin(pin), badge=badge or None)
    audit.record(admin, "user.add", "user", name, None, {"role": role, "badge": badge})
    return user


@operation("users")
def disable_user(admin: User, name: str) -> User:
    user = _named(name)
    if user.id == admin.id:
        raise Refused(_("you cannot disable yourself"))
    User.update(active=False).where(User.id == user.id).execute()
    audit.record(admin, "user.disable", "user", name, {"active": user.active}, {"active": False})
    return User.get_by_id(user.id)


@operation("users")
def set_pin(admin: User, name: str, pin: str) -> None:
    _check_pin(pin)
    user = _named(name)
    User.update(pin_hash=hash_pin(pin), failed_pins=0).where(User.id == user.id).execute()
    audit.record(admin, "user.set_pin", "user", name)  # never the PIN itself


@operation("desk.leave")
def leave_desk(admin: User) -> User:
    """The shared terminal's desk is closed: an admin's act, on record."""
    audit.record(admin, "desk.leave", "user", admin.name)
    return admin


def leave_desk_by_pin(name_or_badge: str, pin: str) -> User:
    """An admin, by name (or badge) and PIN, closes the desk nobody of theirs is signed in to.
    A wrong PIN counts towards a lock, as at sign-in."""
    return leave_desk(authenticate(name_or_badge, pin))


@operation("users")
def set_badge(admin: User, name: str, badge: str | None) -> User:
    """The badge a user signs in with by scan; empty takes it away."""
    user = _named(name)
    badge = check_text(badge, _("badge"), 60)
    if badge:
        other = User.get_or_none(User.badge == badge)
        if other is not None and other.id != user.id:
            raise Refused(_("badge {badge} belongs to another user").format(badge=badge))
    User.update(badge=badge or None).where(User.id == user.id).execute()
    audit.record(admin, "user.set_badge", "user", name, {"badge": user.badge},
                 {"badge": badge or None})
    return User.get_by_id(user.id)


@operation("users")
def set_role(admin: User, name: str, role: str) -> User:
    """Another role for a user. Not the admin's own: the desk always keeps an admin who can
    sign in."""
    if role not in ROLES:
        raise Refused(_("unknown role {role!r}: one of {roles}").format(role=role,
                                                                        roles=", ".join(ROLES)))
    user = _named(name)
    if user.id == admin.id:
        raise Refused(_("you cannot change your own role: another admin does"))
    if user.role != role:
        User.update(role=role).where(User.id == user.id).execute()
        audit.record(admin, "user.set_role", "user", name, {"role": user.role}, {"role": role})
    return User.get_by_id(user.id)


@operation("user.unlock")
def unlock_user(supervisor: User, name: str) -> None:
    user = _named(name)
    User.update(locked=False, failed_pins=0).where(User.id == user.id).execute()
    audit.record(supervisor, "user.unlock", "user", name, {"locked": user.locked}, {"locked": False})


def list_users() -> list[User]:
    return list(User.select().order_by(User.role, User.name))


def find_user(name_or_badge: str) -> User | None:
    text = name_or_badge.strip()
    return (User.get_or_none(User.name == text) or User.get_or_none(User.badge == text))


def authenticate(name_or_badge: str, pin: str) -> User:
    """The signed-in user, or AuthError. Wrong PINs count towards a lock."""
    with transaction():
        user = find_user(name_or_badge)
        if user is None or not user.active:
            pin_matches(pin, _DECOY)
            failure = _("wrong name or PIN")
        elif user.locked:
            failure = _("{name} is locked after too many wrong PINs: ask a supervisor to unlock"
                        ).format(name=user.name)
        elif pin_matches(pin, user.pin_hash):
            if user.failed_pins:
                User.update(failed_pins=0).where(User.id == user.id).execute()
            rehashed = None
            if outdated(user.pin_hash):     # the same PIN, hashed with today's parameters
                User.update(pin_hash=hash_pin(pin)).where(User.id == user.id).execute()
                rehashed = {"pin_hash": "scrypt N={n} r={r} p={p}".format(**_SCRYPT)}
            audit.record(user, "user.sign_in", "user", user.name, None, rehashed)
            # Signed in on the site as it is now, restored or not (models.access.require).
            marker = execute("SELECT value FROM setting WHERE name = ?", (RESTORED,)).fetchone()
            seen_restore(marker[0] if marker else None)
            return user
        else:
            failed = user.failed_pins + 1
            lock = failed >= settings.get("pin_max_attempts")
            User.update(failed_pins=failed, locked=lock).where(User.id == user.id).execute()
            audit.record(None, "user.wrong_pin", "user", user.name, None,
                         {"failed_pins": failed, "locked": lock})
            failure = (_("too many wrong PINs: the user is now locked; ask a supervisor to unlock")
                       if lock else _("wrong name or PIN"))
    raise AuthError(failure)


def _named(name: str) -> User:
    user = User.get_or_none(User.name == name)
    if user is None:
        raise NotFound(_("no user called {name}").format(name=name))
    return user
