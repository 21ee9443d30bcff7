"""PINs: slow salted hashes, lock after repeated wrong PINs, unlock by a supervisor."""
import hashlib

import pytest

from models.errors import AuthError, Refused
from models.settings import set_value
from models.tables import AuditLog, User
from models.users import (_DECOY, add_user, authenticate, hash_pin, outdated, pin_matches,
                          set_pin, unlock_user)


def scrypt_hash(pin: str, n: int) -> str:
    """A hash as an earlier desk made it, with its own N."""
    salt = bytes(range(16))
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=8, p=1)
    return f"scrypt${n}$8$1${salt.hex()}${digest.hex()}"


def test_pin_is_stored_only_as_a_salted_scrypt_hash():
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second and first.startswith("scrypt$") and "1234" not in first
    assert pin_matches("1234", first) and not pin_matches("1235", first)


def test_the_key_derivation_costs_what_the_readme_says():
    # N=2**12, r=8, p=1: ~17 ms, so that a change of user reaches home within 300 ms
    assert hash_pin("1234").startswith("scrypt$4096$8$1$")
    assert not outdated(_DECOY)       # a wrong name takes as long as a wrong PIN


def test_a_pin_hashed_with_the_earlier_cost_signs_in_and_is_hashed_again(desk):
    User.update(pin_hash=scrypt_hash("1234", 2**14)).where(User.name == "clerk").execute()
    assert authenticate("clerk", "1234").name == "clerk"
    stored = User.get(User.name == "clerk").pin_hash
    assert stored.startswith("scrypt$4096$") and pin_matches("1234", stored)
    signed_in = AuditLog.select().where(AuditLog.action == "user.sign_in").order_by(AuditLog.id.desc()).get()
    assert "4096" in str(signed_in.after)
    assert authenticate("clerk", "1234").name == "clerk"      # and again, with the new hash
    with pytest.raises(AuthError):
        authenticate("clerk", "4321")


def test_sign_in_by_name_or_badge(desk):
    add_user(desk.admin, "mei", "clerk", "4321", badge="B77")
    assert authenticate("mei", "4321").name == "mei"
    assert authenticate("B77", "4321").name == "mei"
    with pytest.raises(AuthError, match="wrong name or PIN"):
        authenticate("nobody", "4321")


def test_lock_after_repeated_wrong_pins_until_unlocked(desk):
    set_value(desk.admin, "pin_max_attempts", "3")
    for _ in range(2):
        with pytest.raises(AuthError, match="wrong name or PIN"):
            authenticate("clerk", "0000")
    with pytest.raises(AuthError, match="now locked"):
        authenticate("clerk", "0000")
    with pytest.raises(AuthError, match="locked after too many wrong PINs"):
        authenticate("clerk", "1234")          # even the right PIN
    unlock_user(desk.supervisor, "clerk")
    assert authenticate("clerk", "1234").name == "clerk"
    assert User.get(User.name == "clerk").failed_pins == 0


def test_no_pin_in_the_audit_trail(desk):
    set_pin(desk.admin, "clerk", "8642")
    with pytest.raises(AuthError):
        authenticate("clerk", "97531")
    text = " ".join(f"{a.before} {a.after}" for a in AuditLog.select())
    assert "8642" not in text and "97531" not in text


@pytest.mark.parametrize("name, role, pin, message", [
    ("x", "clerk", "1234", "user name is 2-60"),
    ("bob", "boss", "1234", "unknown role"),
    ("bob", "clerk", "12", "4 to 12 digits"),
    ("bob", "clerk", "12ab", "4 to 12 digits"),
    ("clerk", "clerk", "1234", "already a user called clerk"),
])
def test_bad_new_users(desk, name, role, pin, message):
    with pytest.raises(Refused, match=message):
        add_user(desk.admin, name, role, pin)
