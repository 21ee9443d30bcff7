"""Every command that writes a file (`label --out`, `export --out`, `backup`, `demo`): a file
that can't be written, or a refused user, ends in one line on stderr and exit 1; the file that
was there is untouched, no half file is left, and nothing is recorded."""
import pytest

from models.receiving import receive_scan
from models.tables import AuditLog, PrintJob
from tui.cli import main

from ..helpers import ready_slip


@pytest.fixture
def site(desk, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"), slip_no="RS-9")
    units = [receive_scan(desk.clerk, "RS-9", "P-1").unit for _ in range(2)]
    return s, units


def recorded() -> tuple[int, int]:
    """Print jobs, and audit rows other than sign-ins (a refused command still signs in, and
    a refusal of its role is recorded as such)."""
    return (PrintJob.select().count(),
            AuditLog.select().where(AuditLog.action.not_in(["user.sign_in",
                                                             "command.refused"])).count())


def refused(capsys, argv) -> str:
    """Run `argv`, which must fail in one line; that line."""
    before = recorded()
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert recorded() == before
    return err.strip()


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def unwritable(kind: str, tmp_path, suffix: str) -> str:
    """Places a file can't be written to, each for its own reason."""
    return {"missing folder": str(tmp_path / "nowhere" / f"out{suffix}"),
            "a folder": str(tmp_path),
            "/dev/full": "/dev/full",
            "/proc": f"/proc/returns-desk-test{suffix}"}[kind]


KINDS = ["missing folder", "a folder", "/dev/full", "/proc"]


@pytest.mark.parametrize("kind", KINDS)
def test_export_that_cannot_be_written_says_where_in_one_line(site, capsys, tmp_path, kind):
    target = unwritable(kind, tmp_path, ".csv")
    line = refused(capsys, ["--user", "finance", "export", "reconciliation", "--out", target])
    assert line.startswith(f"returns-desk: cannot write {target}: "), line
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["pdf", "png", "zpl"])
@pytest.mark.parametrize("kind", KINDS)
def test_label_that_cannot_be_written_says_where_in_one_line(site, capsys, tmp_path, kind, fmt):
    _, units = site
    target = unwritable(kind, tmp_path, f".{fmt}")
    if kind == "a folder" and fmt == "png":       # png labels go into a folder, a file each
        assert main(["--user", "clerk", "label", units[0].code, "--format", fmt,
                     "--out", target]) == 0
        assert (tmp_path / f"{units[0].code}.png").read_bytes().startswith(b"\x89PNG")
        return
    line = refused(capsys, ["--user", "clerk", "label", units[0].code, "--format", fmt,
                            "--out", target])
    assert line.startswith(f"returns-desk: cannot write {target}: "), line
    assert leftovers(tmp_path) == []


@pytest.fixture
def admin_pin(monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")


@pytest.mark.parametrize("kind", ["missing folder", "/proc"])
def test_backup_into_a_place_that_cannot_be_written(site, admin_pin, capsys, tmp_path, kind):
    target = unwritable(kind, tmp_path, ".db")
    line = refused(capsys, ["--user", "admin", "backup", target])
    assert line.startswith(f"returns-desk: cannot write {target}: "), line
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("target", ["/dev/full", "."])
def test_backup_onto_something_that_exists_is_refused(site, admin_pin, capsys, target):
    line = refused(capsys, ["--user", "admin", "backup", target])
    assert "already exists" in line


def test_a_backup_appears_whole(site, admin_pin, capsys, tmp_path):
    target = tmp_path / "site.backup"
    assert main(["--user", "admin", "backup", str(target)]) == 0
    assert target.stat().st_size > 0 and leftovers(tmp_path) == []


def test_export_refused_to_a_clerk_leaves_the_file_as_it_was(site, capsys, tmp_path):
    precious = tmp_path / "f"
    precious.write_text("PRECIOUS\n")
    line = refused(capsys, ["--user", "clerk", "export", "reconciliation", "--out", str(precious)])
    assert "clerk is clerk: only finance" in line
    assert precious.read_text() == "PRECIOUS\n"
    assert leftovers(tmp_path) == []


def test_export_replaces_the_file_only_once_it_is_complete(site, capsys, tmp_path):
    target = tmp_path / "recon.csv"
    target.write_text("last month's\n")
    target.chmod(0o640)
    assert main(["--user", "finance", "export", "reconciliation", "--out", str(target)]) == 0
    assert target.read_text().startswith("slip_no,line_no,")
    assert target.stat().st_mode & 0o777 == 0o640          # the file keeps its permissions
    assert leftovers(tmp_path) == []
    # A month that is not a month is refused after the file was opened: it stays whole.
    refused(capsys, ["--user", "finance", "export", "reconciliation", "--month", "2026-13",
                     "--out", str(target)])
    assert target.read_text().startswith("slip_no,line_no,")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("user", ["finance", "sales"])
@pytest.mark.parametrize("fmt", ["pdf", "zpl", "png"])
def test_label_refused_to_a_role_writes_nothing(site, capsys, tmp_path, user, fmt):
    _, units = site
    precious = tmp_path / f"labels.{fmt}"
    precious.write_text("PRECIOUS\n")
    line = refused(capsys, ["--user", user, "label", "RS-9", "--format", fmt, "--out",
                            str(precious)])
    assert f"{user} is {user}: only clerk, inspector" in line
    assert precious.read_text() == "PRECIOUS\n"
    folder = tmp_path / "new"
    refused(capsys, ["--user", user, "label", "RS-9", "--format", "png", "--out", str(folder)])
    printer = tmp_path / "printer"
    printer.mkdir()
    refused(capsys, ["--user", user, "label", "RS-9", "--printer", f"dir:{printer}"])
    assert not folder.exists() and list(printer.iterdir()) == []
    assert leftovers(tmp_path) == []


def test_png_onto_a_file_without_a_suffix(site, capsys, tmp_path):
    """One label replaces the file; several can't go into a file, and leave it alone."""
    _, units = site
    existing = tmp_path / "label"
    existing.write_text("old")
    assert main(["--user", "clerk", "label", units[0].code, "--format", "png",
                 "--out", str(existing)]) == 0
    assert existing.read_bytes().startswith(b"\x89PNG")
    existing.write_text("old")
    line = refused(capsys, ["--user", "clerk", "label", "RS-9", "--format", "png",
                            "--out", str(existing)])
    assert line == (f"returns-desk: cannot write 2 labels into {existing}: it is a file, and "
                    "several png or svg labels go into a folder, a file each")
    assert existing.read_text() == "old"


def test_labels_into_a_folder_that_cannot_be_made(site, capsys):
    line = refused(capsys, ["--user", "clerk", "label", "RS-9", "--format", "png",
                            "--out", "/proc/returns-desk-labels"])
    assert line.startswith("returns-desk: cannot make the folder /proc/returns-desk-labels: ")


def test_demo_onto_a_folder_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "returns-demo.db").mkdir()
    assert main(["demo", "--fresh", "--no-desk"]) == 1
    err = capsys.readouterr().err
    assert err == "returns-desk: cannot write returns-demo.db: it is a folder, not a file\n"
    assert leftovers(tmp_path) == []
