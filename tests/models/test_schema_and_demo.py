"""The versioned schema and the demo database shipped in the repository."""
import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from models import SchemaMismatch, connect, migrate_all
from models.db import db
from models import schema
from models.schema import schema_status
from models.reconciliation_rows import reconciliation_rows
from models.tables import (CaseAttachment, CaseClosing, CaseReminder, CaseReopening,
                           ComplaintCase, Decision, Slip, SlipLine, Unit, User)
from tui.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "returns.db.example"


def test_demo_database_opens_at_the_current_schema(tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copyfile(EXAMPLE, copy)
    connect(f"sqlite:///{copy}")          # check_schema passes
    assert schema_status() == ([], [])
    assert {u.role for u in User.select()} == {"clerk", "inspector", "finance", "sales",
                                               "supervisor", "admin"}
    assert {s.status for s in Slip.select()} == {"awaiting_approval", "receiving", "received",
                                                 "booked"}
    assert {c.status for c in ComplaintCase.select()} >= {"open", "closed", "rejected",
                                                          "awaiting_decision"}
    db.close()


@pytest.fixture
def demo(tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copyfile(EXAMPLE, copy)
    connect(f"sqlite:///{copy}")
    yield
    db.close()


def _units_awaiting(slip):
    return (Unit.select().join(SlipLine)
            .where(SlipLine.slip == slip, Unit.state == "awaiting").count())


def test_demo_has_a_case_at_every_stage(demo):
    cases = list(ComplaintCase.select())
    fresh = [c for c in cases if c.defect_qty is None and not c.slips.exists()
             and c.responsibility is None]
    assert fresh, "a fresh intake, its defective quantity not yet known"
    photos = CaseAttachment.select().where(CaseAttachment.content_type == "image/png")
    assert photos.count() >= 2
    for photo in photos:                             # real pictures, not placeholders
        assert Image.open(io.BytesIO(photo.data)).size[0] > 0
    assert any(c.status == "awaiting_decision" for c in cases)
    assert any(c.status == "rejected" for c in cases)
    waiting = [s for s in Slip.select() if s.status == "awaiting_approval"]
    assert waiting and all(s.case.responsibility for s in waiting), "assessed, slip not approved"
    caused = [s for s in Slip.select().join(ComplaintCase)
              .where(ComplaintCase.cause.in_(("customer_order", "wrong_item")))]
    assert caused and all(s.regional_manager and s.approved_at for s in caused)
    closings = list(CaseClosing.select())
    assert any(c.days_late == 0 and c.case.status == "closed" for c in closings)
    assert any(c.days_late > 0 and c.case.status == "closed" for c in closings)
    assert CaseReminder.select().join(ComplaintCase).where(ComplaintCase.status == "open").exists()
    reopened = [r.case for r in CaseReopening.select()]
    assert reopened and all(c.status == "open" for c in reopened)


def test_demo_has_slips_in_every_state(demo):
    slips = list(Slip.select())
    receiving = [s for s in slips if s.status == "receiving"]
    received_qty = {s.slip_no: sum(line.received_qty for line in s.lines) for s in receiving}
    assert any(qty == 0 for qty in received_qty.values()), "waiting for goods"
    assert any(qty > 0 for qty in received_qty.values()), "partly received"
    received = [s for s in slips if s.status == "received"]
    statuses = [row.figures.status for s in received
                for row in reconciliation_rows(slip_no=s.slip_no)]
    assert "over" in statuses and "decided" in statuses
    assert Decision.select().exists()
    assert any(s.status == "booked" for s in slips)
    assert sum(_units_awaiting(s) for s in slips) > 0, "units waiting for inspection"
    # Inspection comes before booking: no booked slip has units waiting.
    assert all(_units_awaiting(s) == 0 for s in slips if s.status == "booked")


def test_demo_is_built_through_the_operations_only():
    """Every write of the demo goes through an @operation: no table is written directly."""
    source = (Path(__file__).resolve().parents[2] / "models" / "demo.py").read_text()
    direct = re.compile(r"\b[A-Z]\w*\.(create|insert|insert_many|update|delete|replace)\("
                        r"|\.save\(\)|execute_sql|\bexecute\(|from \.tables import")
    assert [found.group(0) for found in direct.finditer(source)] == []


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
