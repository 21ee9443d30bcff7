"""Scans the database could not take, kept on local disk and sent in order, exactly once,
when it is back (the database stopped, the network cut, the SQLite file locked by a backup).

Each scan carries its id, so a scan that reached the database before the journal could say
so is recognised on replay and recorded nothing new.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import peewee

from . import clock
from .db import db
from .errors import DeskError
from .i18n import _
from .receiving import Receipt, receive_count, receive_scan
from .tables import User

# What "the database is not there" looks like from peewee, on SQLite and PostgreSQL.
UNAVAILABLE = (peewee.OperationalError, peewee.InterfaceError)


@dataclass(frozen=True)
class Scan:
    slip_no: str
    code: str
    user_id: int
    qty: str | None = None                       # None: one unit; else a counted lot
    scan_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: clock.now().isoformat())


@dataclass(frozen=True)
class Kept:
    """The scan is safe on local disk, not yet in the database."""
    scan: Scan
    reason: str


def _forget_connection() -> None:
    """Drop a broken connection so the next call opens a fresh one."""
    try:
        db.close()
    except peewee.PeeweeException:
        pass


def save(scan: Scan, journal: ScanJournal) -> Receipt | Kept:
    """Receive the scan now, or keep it in the journal if the database is away.
    A refusal (DeskError) is raised as usual: the clerk must see it."""
    if journal.pending():                       # keep order: older kept scans go first
        journal.add(scan)
        return Kept(scan, _("earlier scans are still waiting for the database"))
    try:
        return _apply(scan)
    except UNAVAILABLE as exc:
        _forget_connection()
        journal.add(scan)
        return Kept(scan, _first_line(exc))


def _apply(scan: Scan) -> Receipt:
    user = User.get_by_id(scan.user_id)
    if scan.qty is None:
        return receive_scan(user, scan.slip_no, scan.code, scan_id=scan.scan_id)
    return receive_count(user, scan.slip_no, scan.code, scan.qty, scan_id=scan.scan_id)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


@dataclass
class Replay:
    sent: int = 0
    refused: list[tuple[Scan, str]] = field(default_factory=list)   # show these to the clerk
    stopped: str | None = None                                      # still away: why


class ScanJournal:
    """An append-only file of kept scans and of what became of them (JSON lines, fsynced)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def add(self, scan: Scan) -> None:
        self._append({"scan": asdict(scan)})

    def pending(self) -> list[Scan]:
        if not self.path.exists():
            return []
        kept, done = {}, set()
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue            # a line torn by a crash mid-write: its scan was never kept
            if "scan" in record:
                kept[record["scan"]["scan_id"]] = Scan(**record["scan"])
            else:
                done.add(record["done"])
        return [scan for scan_id, scan in kept.items() if scan_id not in done]

    def replay(self) -> Replay:
        """Send kept scans in order. Stops at the first sign the database is still away."""
        result = Replay()
        for scan in self.pending():
            try:
                _apply(scan)
            except UNAVAILABLE as exc:
                _forget_connection()
                result.stopped = _first_line(exc)
                return result
            except DeskError as exc:
                self._append({"done": scan.scan_id, "refused": str(exc)})
                result.refused.append((scan, str(exc)))
            else:
                self._append({"done": scan.scan_id})
                result.sent += 1
        if not self.pending():
            self.path.unlink(missing_ok=True)
        return result

    def _append(self, record: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as out:
            out.seek(0, os.SEEK_END)
            if out.tell():
                out.seek(-1, os.SEEK_END)
                if out.read(1) != b"\n":   # a crash tore the last line: start a fresh one
                    out.write(b"\n")
            out.write((json.dumps(record, ensure_ascii=False) + "\n").encode())
            out.flush()
            os.fsync(out.fileno())
