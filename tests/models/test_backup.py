"""`backup` and `restore`: a damaged site is recovered at once, exactly as it was; and a
restore never leaves the site worse than it was (issue 17): a damaged backup, one from a newer
desk, or one no admin could sign in to is refused before anything is replaced; the database
as it was is kept; a terminal signed in before the restore is refused its next write."""
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from models.access import RESTORED
from models.backup import _write_backup, backup, restore
from models.db import is_postgres
from models.errors import Refused, SiteRestored
from models.receiving import receive_scan
from models.tables import TABLES, AuditLog, Setting, Unit, User
from models.users import authenticate

from ..helpers import ready_slip


def contents():
    """Every row of every table, but the restore marker (each restore writes a new one)."""
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).tuples()
                                 .where(Setting.name != RESTORED if model is Setting else True))
            for model in TABLES}


def kept_files(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if ".pre-restore-" in p.name)


def test_restore_gives_back_exactly_what_was_backed_up(desk, tmp_path):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    target = backup(desk.admin, tmp_path / "site.backup")
    saved = contents()
    assert saved["AuditLog"].pop()[3] == "backup"   # recorded once the copy was made
    for _ in range(3):                                     # work done after the backup ...
        receive_scan(desk.clerk, s.slip_no, "P-1")
    kept = restore(desk.admin, target)                     # ... is gone again
    now = contents()
    restored_entry = now["AuditLog"].pop()
    assert now == saved
    assert AuditLog.get_by_id(restored_entry[0]).action == "restore"
    assert kept_files(tmp_path) == [kept.name]             # ... but kept, next to the database
    assert receive_scan(desk.clerk, s.slip_no, "P-1")      # the restoring process carries on


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


def site_with_work(desk, scans: int = 40):
    s = ready_slip(desk, ("P-1", "pcs", str(scans + 10), "1"))
    for _ in range(scans):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    return s


def refused_and_untouched(desk, tmp_path, source, match):
    before = contents()
    with pytest.raises(Refused, match=match) as refusal:
        restore(desk.admin, source)
    assert "nothing was restored" in str(refusal.value)
    assert contents() == before
    assert kept_files(tmp_path) == []       # refused before anything, even the kept copy


def swap_two_indexes(path):
    """A SQLite file that reads, copies and opens but whose indexes are each other's (what
    `PRAGMA integrity_check` finds, and a restore used to copy in as it was)."""
    connection = sqlite3.connect(path)
    (a, root_a), (b, root_b) = connection.execute(
        "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'unit' "
        "ORDER BY name LIMIT 2").fetchall()
    connection.execute("PRAGMA writable_schema = ON")
    connection.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (root_b, a))
    connection.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (root_a, b))
    connection.commit()
    connection.close()


@pytest.mark.parametrize("damage", ["garbage", "indexes"])
def test_a_damaged_backup_is_refused_before_anything_is_replaced(desk, tmp_path, damage):
    site_with_work(desk, 200)
    good = backup(desk.admin, tmp_path / "good.backup")
    damaged = tmp_path / "damaged.backup"
    if damage == "garbage":
        data = bytearray(good.read_bytes())
        middle = len(data) // 2
        data[middle:middle + 4096] = bytes(range(256)) * 16   # a page's worth of garbage
        damaged.write_bytes(bytes(data))
    elif is_postgres():
        pytest.skip("an index swapped in place is SQLite's kind of damage")
    else:
        shutil.copy(good, damaged)
        swap_two_indexes(damaged)
    refused_and_untouched(desk, tmp_path, damaged, "damaged|not a whole")
    restore(desk.admin, good)                                  # the good one still restores


def test_a_backup_from_a_newer_desk_is_refused(desk, tmp_path):
    site_with_work(desk, 2)
    future = "9001_from_a_newer_desk"
    insert = "INSERT INTO schema_migration (name, applied) VALUES (?, ?)"
    from models.db import execute
    execute(insert, (future, "2030-01-01 00:00:00"))
    newer = backup(desk.admin, tmp_path / "newer.backup")
    execute("DELETE FROM schema_migration WHERE name = ?", (future,))
    refused_and_untouched(desk, tmp_path, newer, f"newer Returns Desk .*{future}")
    restore(desk.admin, backup(desk.admin, tmp_path / "now.backup"))   # restores still work


@pytest.mark.parametrize("how", [{"locked": True}, {"active": False}])
def test_a_backup_no_admin_could_sign_in_to_is_refused(desk, tmp_path, how):
    site_with_work(desk, 2)
    # As a backup taken by the database's own tools at a moment the only admin was locked.
    User.update(**how).where(User.role == "admin").execute()
    _write_backup(tmp_path / "locked-out.backup")
    User.update(locked=False, active=True).where(User.role == "admin").execute()
    refused_and_untouched(desk, tmp_path, tmp_path / "locked-out.backup",
                          "no admin who could sign in .*lock everyone out")


def restore_from_another_terminal(desk, source):
    """`returns-desk restore` run by the admin at another terminal (a process of its own)."""
    env = dict(os.environ, RETURNS_DESK_PIN="9999")
    result = subprocess.run([sys.executable, "-m", "tui.cli", "--db", desk.url, "--user",
                             "admin", "restore", str(source), "--yes"],
                            capture_output=True, text=True, env=env, cwd=os.getcwd())
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_terminal_writing_through_a_restore_is_stopped_and_its_work_kept(desk, tmp_path):
    s = site_with_work(desk, 1)
    target = backup(desk.admin, tmp_path / "site.backup")
    for _ in range(3):                                        # confirmed to this terminal ...
        receive_scan(desk.clerk, s.slip_no, "P-1")
    said = restore_from_another_terminal(desk, target)
    kept = tmp_path / kept_files(tmp_path)[0]
    assert f"kept in {kept}" in said
    units = Unit.select().count()
    assert units == 1                                         # ... gone from the site
    with pytest.raises(SiteRestored, match=r"the site was restored at 20\d\d-.* by admin: "
                                           "sign in again"):
        receive_scan(desk.clerk, s.slip_no, "P-1")            # this terminal stops
    assert Unit.select().count() == units
    admin = authenticate("admin", "9999")                     # signed in again, it goes on
    restore(admin, kept)                                      # and the dropped work is back
    assert Unit.select().count() == 4
    receive_scan(authenticate("clerk", "1234"), s.slip_no, "P-1")
    assert Unit.select().count() == 5
    assert is_postgres() or kept.parent == tmp_path           # SQLite: next to the database
