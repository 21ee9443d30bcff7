"""`backup` writes a copy a damaged site can be restored from."""
import subprocess

from models import connect
from models.backup import backup
from models.db import db
from models.tables import AuditLog, ComplaintCase

from .helpers import case, customer


def test_backup_holds_the_data_and_is_recorded(desk, tmp_path):
    customer(desk)
    number = case(desk).case_no
    target = backup(desk.admin, tmp_path / "copy.backup")
    assert AuditLog.select().where(AuditLog.action == "backup").get().user.name == "admin"
    if desk.url.startswith("sqlite"):
        db.close()
        connect(f"sqlite:///{target}")
        assert [c.case_no for c in ComplaintCase.select()] == [number]
    else:
        listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                                 text=True, check=True).stdout
        assert "TABLE DATA public complaint_case" in listing


def test_backup_never_overwrites(desk, tmp_path):
    import pytest
    from models.errors import Refused
    (tmp_path / "taken").write_text("keep me")
    with pytest.raises(Refused, match="already exists"):
        backup(desk.admin, tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "keep me"
