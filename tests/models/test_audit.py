"""The audit trail: every change with who and when, append-only, and findable by an admin."""
import datetime as dt

import peewee
import pytest

from models import connect
from models.audit import history
from models.db import db, is_postgres
from models.errors import PermissionDenied
from models.receiving import receive_scan
from models.schema import grant_desk_role
from models.tables import AuditLog, User
from tui.cli import main

from ..helpers import ready_slip


def test_the_database_refuses_to_change_or_delete_history(desk):
    ready_slip(desk, ("P-1", "pcs", "10", "1"))
    count = AuditLog.select().count()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        with db.atomic():
            AuditLog.update(action="forged").execute()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        with db.atomic():
            AuditLog.delete().execute()
    assert AuditLog.select().count() == count
    assert not AuditLog.select().where(AuditLog.action == "forged").exists()


def test_an_admin_finds_who_changed_a_slip(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    since = dt.datetime.now() - dt.timedelta(days=61)
    found = history(desk.admin, since=since, who="clerk")
    assert [(e.action, e.entity_key) for e in found] == [("receive.scan", unit.code)]
    assert [e.action for e in history(desk.admin, entity="slip", key=s.slip_no)] == \
        ["slip.issue", "slip.approve"]
    with pytest.raises(PermissionDenied):
        history(desk.clerk)


def test_audit_command(desk, monkeypatch, capsys):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    assert main(["--user", "admin", "audit", "--entity", "slip", "--key", s.slip_no]) == 0
    out = capsys.readouterr().out
    assert "supervisor" in out and "slip.issue" in out and s.slip_no in out


def test_desk_role_on_postgres_cannot_rewrite_history(desk):
    if not is_postgres():
        pytest.skip("database roles are PostgreSQL's")
    role = "returns_desk_app_test"
    grant_desk_role(role)
    try:
        db.close()
        connect(desk.url.replace("postgres@", f"{role}@"))
        s = ready_slip(desk, ("P-1", "pcs", "10", "1"))         # the desk works as the role
        receive_scan(desk.clerk, s.slip_no, "P-1")
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log",
                          "DELETE FROM unit", "UPDATE schema_migration SET name = 'x'"):
            with pytest.raises(peewee.ProgrammingError, match="permission denied"):
                with db.atomic():
                    db.execute_sql(statement)
        assert User.select().count() == 6
    finally:
        db.close()
        connect(desk.url)
        db.execute_sql(f"DROP OWNED BY {role}")
        db.execute_sql(f"DROP ROLE {role}")


def test_a_case_number_finds_the_whole_story_of_the_case(desk):
    """`audit --key CASE`: the case's records and those of its slips, lines and units; another
    case's are left out."""
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    ready_slip(desk, ("P-2", "pcs", "10", "1"), slip_no="RS-OTHER")   # another case
    case_no = s.case.case_no
    found = [(e.action, e.entity_key) for e in history(desk.admin, key=case_no)]
    assert found == [("case.open", case_no), ("slip.issue", s.slip_no),
                     ("slip.approve", s.slip_no), ("receive.scan", unit.code)]
    assert [e.action for e in history(desk.admin, key=s.slip_no)] == ["slip.issue", "slip.approve"]
