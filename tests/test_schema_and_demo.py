"""The versioned schema and the demo database shipped in the repository."""
import shutil
from pathlib import Path

import pytest

from models import SchemaMismatch, connect, migrate_all
from models.db import db
from models import schema
from models.schema import schema_status
from models.tables import ComplaintCase, Slip, User
from tui.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "returns.db.example"


def test_demo_database_opens_at_the_current_schema(tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copyfile(EXAMPLE, copy)
    connect(f"sqlite:///{copy}")          # check_schema passes
    assert schema_status() == ([], [])
    assert {u.role for u in User.select()} == {"clerk", "inspector", "finance", "sales",
                                               "supervisor", "admin"}
    assert {s.status for s in Slip.select()} == {"receiving", "received", "booked"}
    assert {c.status for c in ComplaintCase.select()} >= {"open", "closed", "rejected",
                                                          "awaiting_decision"}
    db.close()


def test_demo_is_rebuilt_the_same_way(tmp_path):
    """returns.db.example is what models/demo.py builds, not a hand-edited file."""
    from models.demo import build
    build(tmp_path / "fresh.db")
    fresh = sorted((c.case_no, c.status) for c in ComplaintCase.select())
    db.close()
    connect(f"sqlite:///{EXAMPLE}")
    shipped = sorted((c.case_no, c.status) for c in ComplaintCase.select())
    db.close()
    assert fresh == shipped


def test_empty_database_says_how_to_start(db_url):
    connect(db_url, check=False)
    with pytest.raises(SchemaMismatch, match="returns-desk init"):
        connect(db_url)


def test_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    connect(url, check=False)
    migrate_all()
    db.execute_sql("INSERT INTO schema_migration (name, applied) VALUES ('0099_future', '2030-01-01')")
    with pytest.raises(SchemaMismatch, match="newer Returns Desk .*0099_future"):
        connect(url)


def test_older_schema_asks_for_migrate_then_works(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    connect(url, check=False)
    migrate_all()
    # A later desk ships one more migration.
    newer = tmp_path / "migrations"
    newer.mkdir()
    shipped = sorted(schema.MIGRATIONS.glob("[0-9]*.py"))
    for migration in shipped:
        shutil.copy(migration, newer)
    name = f"{len(shipped) + 1:04d}_customer_note"
    (newer / f"{name}.py").write_text(
        "from peewee import TextField\n\n"
        "def up(migrator, db):\n"
        "    migrator.migrate(migrator.add_column('customer', 'note', TextField(default='')))\n")
    monkeypatch.setattr(schema, "MIGRATIONS", newer)
    with pytest.raises(SchemaMismatch, match=f"older than this desk .*{name}.*returns-desk migrate"):
        connect(url)
    assert migrate_all() == [name]
    connect(url)
    assert "note" in [c.name for c in db.get_columns("customer")]


def test_cli_refuses_a_missing_database(tmp_path, capsys):
    assert main(["--db", f"sqlite:///{tmp_path / 'nope.db'}", "user", "list"]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "nope.db").exists()


def test_cli_refuses_a_bad_url(capsys):
    assert main(["--db", "mysql://x/y", "user", "list"]) == 1
    assert "unsupported database URL" in capsys.readouterr().err
