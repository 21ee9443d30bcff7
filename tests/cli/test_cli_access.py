"""Reading the site's data from the command line needs a signed-in role like changing it
(`user list`, `setting list`, `report`, `migrate`, `pg-role`), and a signed-in user's refused
command is recorded as refused, beside the sign-in, even though its work was rolled back."""
import json

import pytest

from models.db import is_postgres
from models.tables import AuditLog, User
from tui.cli import main


@pytest.fixture
def site(desk, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    monkeypatch.setenv("RETURNS_DESK_NEW_PIN", "4321")
    return desk


def as_admin(monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")


READS = [(["user", "list"], "users", "admin"),
         (["setting", "list"], "settings", "admin"),
         (["report", "monthly", "--month", "2026-11", "--format", "json"], "statistics", "finance"),
         (["migrate"], "schema", "admin")]


@pytest.mark.parametrize("argv, permission, allowed", READS)
def test_reading_the_site_needs_a_signed_in_role(site, capsys, argv, permission, allowed,
                                                 monkeypatch):
    assert main(argv) == 1
    assert "--user NAME" in capsys.readouterr().err
    assert main(["--user", "clerk", *argv]) == 1
    err = capsys.readouterr().err
    assert "clerk is clerk: only" in err and len(err.splitlines()) == 1
    if allowed == "admin":
        as_admin(monkeypatch)
    assert main(["--user", allowed, *argv]) == 0
    assert capsys.readouterr().out


def test_user_list_shows_badges_to_the_admin_only(site, capsys, monkeypatch):
    User.update(badge="B-SECRET").where(User.name == "clerk").execute()
    assert main(["--user", "supervisor", "user", "list"]) == 1
    assert "B-SECRET" not in capsys.readouterr().out
    as_admin(monkeypatch)
    assert main(["--user", "admin", "user", "list"]) == 0
    assert "clerk\tclerk\tB-SECRET\tactive" in capsys.readouterr().out


def test_migrate_says_who_may(site, capsys):
    assert main(["migrate"]) == 1
    assert "the database has users: migrating it needs an admin" in capsys.readouterr().err


def test_migrate_without_a_user_on_a_database_with_nobody_yet(db_url, capsys):
    from models import connect
    from models.db import db
    connect(db_url, check=False)
    db.close()
    assert main(["--db", db_url, "migrate"]) == 0
    assert "applied: 0001_initial" in capsys.readouterr().out
    assert main(["--db", db_url, "migrate"]) == 0      # still nobody to sign in: no user needed
    assert "up to date" in capsys.readouterr().out


def test_pg_role_needs_an_admin(site, capsys, monkeypatch):
    assert main(["pg-role", "desk_x"]) == 1
    assert "--user NAME" in capsys.readouterr().err
    assert main(["--user", "supervisor", "pg-role", "desk_x"]) == 1
    assert "only admin may migrate the database or grant it to a role" in capsys.readouterr().err
    as_admin(monkeypatch)
    assert main(["--user", "admin", "pg-role", "desk_x"]) == (0 if is_postgres() else 1)


def refusals():
    return [(a.entity_key, json.loads(a.after)) for a in
            AuditLog.select().where(AuditLog.action == "command.refused").order_by(AuditLog.id)]


def test_a_refused_command_is_recorded_as_refused(site, capsys):
    before = User.select().count()
    # Refused inside the operation's own transaction (user add), and before any (export).
    assert main(["--user", "clerk", "user", "add", "mallory", "--role", "admin"]) == 1
    assert main(["--user", "sales", "export", "reconciliation"]) == 1
    assert User.select().count() == before
    assert refusals() == [
        ("clerk", {"command": "user add", "permission": "users",
                   "reason": "clerk is clerk: only admin may manage users"}),
        ("sales", {"command": "export reconciliation", "permission": "export",
                   "reason": "sales is sales: only finance, supervisor, admin may export the "
                             "reconciliation"})]
    signed_in = AuditLog.select().where(AuditLog.action == "user.sign_in",
                                        AuditLog.entity_key.in_(["clerk", "sales"])).count()
    assert signed_in == 2


def test_a_wrong_pin_is_no_refusal_of_a_signed_in_user(site, capsys, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_PIN", "0000")
    assert main(["--user", "clerk", "user", "list"]) == 1
    assert refusals() == []
