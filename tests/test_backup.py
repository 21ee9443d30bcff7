"""`backup` and `restore`: a damaged site is recovered at once, exactly as it was."""
import pytest

from models.backup import backup, restore
from models.errors import Refused
from models.receiving import receive_scan
from models.tables import TABLES, AuditLog

from .helpers import ready_slip


def contents():
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).tuples())
            for model in TABLES}


def test_restore_gives_back_exactly_what_was_backed_up(desk, tmp_path):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    target = backup(desk.admin, tmp_path / "site.backup")
    saved = contents()
    assert saved["AuditLog"].pop()[3] == "backup"   # recorded once the copy was made
    for _ in range(3):                                     # work done after the backup ...
        receive_scan(desk.clerk, s.slip_no, "P-1")
    restore(desk.admin, target)                            # ... is gone again
    now = contents()
    restored_entry = now["AuditLog"].pop()
    assert now == saved
    assert AuditLog.get_by_id(restored_entry[0]).action == "restore"


def test_backup_never_overwrites(desk, tmp_path):
    (tmp_path / "taken").write_text("keep me")
    with pytest.raises(Refused, match="already exists"):
        backup(desk.admin, tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "keep me"


def test_restore_refuses_what_is_not_a_backup(desk, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    with pytest.raises(Refused):
        restore(desk.admin, junk)
    with pytest.raises(Refused, match="no backup file"):
        restore(desk.admin, tmp_path / "missing")
