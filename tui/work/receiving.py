"""Receiving's queue: what the clerk asked for, carried out one by one in the order asked.

A busy database is waited for. A part scan of the open slip that cannot get in within
KEEP_AFTER seconds is kept on this terminal's disk (models.journal) and sent, in order and
exactly once, when the database is back; anything else cannot wait there (without the
database it is nothing yet) and is refused at once.

No Textual here: the screen puts commands in from the UI thread, runs `drain()` in a thread
worker, and shows each outcome the queue tells it of (tui.work.receiving_outcomes).
"""
from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from models import journal
from models.codes import identify
from models.db import db, url_from_env
from models.errors import DeskError, Refused
from models.i18n import _
from models.journal import ScanJournal
from models.receiving import FiguresChanged, close_receiving, receive_count, receive_scan, undo_last
from models.numbers import typed
from models.printing import label_printed
from models.slips import get_slip, is_countable
from models.tables import User
from tui.work.labelling import read_label
from tui.work.receiving_outcomes import (
    CloseAsked,
    Closed,
    Elsewhere,
    Info,
    Kept,
    NeedsCount,
    Opened,
    Outcome,
    Refusal,
    Replayed,
    Undone,
    line_view,
    received,
    slip_view,
)
from tui.work.retry import StillAway, never, with_retry

# --- what the clerk asked for, in the order they asked -------------------------------------


@dataclass(frozen=True)
class Open:
    slip_no: str | None          # None: back to the list of slips


@dataclass(frozen=True)
class Scan:
    code: str
    scan_id: str
    user: User


@dataclass(frozen=True)
class Count:
    part_no: str
    qty: str
    scan_id: str
    user: User
    scanned: bool = False     # scanned as PART,QTY (not typed into the count form)


@dataclass(frozen=True)
class Undo:
    user: User
    request_id: str           # sent again after a lost answer, it undoes nothing more


@dataclass(frozen=True)
class ReviewClose:
    """F8: the open slip's figures as the database holds them now, behind the scans before it,
    for the clerk to sign for."""


@dataclass(frozen=True)
class Close:
    user: User
    signed_for: tuple[tuple[int, Decimal], ...]    # (line number, received) as the clerk saw them


@dataclass(frozen=True)
class Replay:
    """Send the scans kept on this terminal's disk while the database was away."""


@dataclass(frozen=True)
class Refresh:
    """The open slip's lines as they are now (after kept scans went in)."""


Command = Open | Scan | Count | Undo | ReviewClose | Close | Replay | Refresh


def scanned(code: str, scan_id: str, user: User) -> Scan | Count:
    """What a scan asks for: `PART,QTY` (a quantity barcode, the batch upload's form) is a
    counted lot of that part, with the count form's checks; anything else a plain scan."""
    part_no, comma, quantity = code.partition(",")
    if comma and part_no.strip():
        return Count(part_no.strip(), typed(quantity), scan_id, user, scanned=True)
    return Scan(code, scan_id, user)


def ignore(reason: str) -> None:
    pass


class ReceivingQueue:
    """The commands of one receiving screen, and the slip they work on.

    `told(outcome)` hears of each outcome (and of kept scans sent on the way), `waiting(reason)`
    that the database is busy and the command is tried again; `cancelled()` says the desk is
    closing (what was not recorded then stays in `pending`, unacknowledged). All three are
    called from the thread that runs `drain()`.
    """

    KEEP_AFTER = 5.0       # seconds a scan waits for a busy database before it is kept on disk

    def __init__(self, scans: ScanJournal, told: Callable[[Outcome], None], *,
                 waiting: Callable[[str], None] = ignore, cancelled: Callable[[], bool] = never,
                 keep_after: float | None = None) -> None:
        self.journal = scans
        self.told, self.waiting, self.cancelled = told, waiting, cancelled
        self.keep_after = self.KEEP_AFTER if keep_after is None else keep_after
        # Commands wait here in order; one thread at a time drains them (the UI thread
        # appends, the worker pops: a deque is safe for that).
        self.pending: deque[Command] = deque()
        self.slip_no: str | None = None     # the open slip, as the queue sees it
        self.receiving = False              # ... and whether it was open for receiving then
        self.parts: dict[str, str] = {}     # its part codes (what may be kept) -> unit

    def put(self, command: Command) -> None:
        self.pending.append(command)

    def wants_replay(self) -> bool:
        """Scans are kept on disk and no replay waits in the queue yet."""
        # A copy first: the worker may pop while this looks (a deque iterated then fails).
        return self.journal.path.exists() and not any(
            isinstance(command, Replay) for command in tuple(self.pending))

    def drain(self) -> None:
        """Worker thread: the commands, one by one, in the order they were given."""
        while self.pending:
            outcome = self.attempt(self.pending[0])
            if outcome is None:
                return   # the desk is closing; what was not recorded was not acknowledged
            self.pending.popleft()
            self.told(outcome)

    def attempt(self, command: Command) -> Outcome | None:
        """One command. A busy database is waited for; a part scan that cannot get in within
        `keep_after` seconds is kept on disk and sent, in order, at the next Replay."""
        if isinstance(command, Replay):
            return self.replay()
        scanned = isinstance(command, (Scan, Count)) and self.slip_no is not None
        if scanned and self.journal.pending():
            if self.keepable(command):
                # Straight onto the disk, behind the kept ones: trying the database first
                # would leave the scan in memory for as long as the database takes to fail.
                return self.keep(command, _("earlier scans are still waiting for it"))
            replayed = self.replay()        # another code: only the database can say what it is
            self.told(replayed)
            if replayed.waiting:
                return self.cannot_keep(command, replayed.stopped or _("earlier scans still wait"))
        try:
            return with_retry(lambda: self.carry_out(command), self.waiting,
                              self.keep_after if scanned else None, self.cancelled)
        except StillAway as away:
            if self.keepable(command):
                return self.keep(command, str(away))
            return self.cannot_keep(command, str(away))

    def keepable(self, command: Command) -> TypeGuard[Scan | Count]:
        """A part scan or count of the open slip: safe to keep while the database is away."""
        return (isinstance(command, (Scan, Count)) and self.slip_no is not None
                and code_of(command) in self.parts)

    def cannot_keep(self, command: Command, reason: str) -> Refusal:
        """A slip or case number, a label, a typo: without the database it is nothing yet."""
        return Refusal(_("the database is away ({reason}): {code} is not a part of slip {slip}, "
                         "so it cannot wait on this terminal; scan it again when the database "
                         "is back").format(reason=reason, code=code_of(command),
                                           slip=self.slip_no), command)

    def keep(self, command: Scan | Count, reason: str) -> Kept:
        quantity = command.qty if isinstance(command, Count) else None
        self.journal.add(journal.Scan(self.open_slip_no(), code_of(command), command.user.id,
                                      quantity, command.scan_id))
        code = command.code if isinstance(command, Scan) else command.part_no
        return Kept(code, reason, len(self.journal.pending()))

    def replay(self) -> Replayed:
        try:
            result = self.journal.replay()   # it connects, and drops a broken connection
        finally:
            db.close()
        return Replayed(result.sent, tuple((scan.code, why) for scan, why in result.refused),
                        result.stopped, len(self.journal.pending()))

    def carry_out(self, command: Command) -> Outcome:
        try:
            return self.perform(command)
        except DeskError as exc:
            return Refusal(str(exc), command)

    def perform(self, command: Command) -> Outcome:
        """Inside a connection: one command, through the domain."""
        match command:
            case Open(slip_no=None):
                self.slip_no = None
                return Opened(None)
            case Open(slip_no=str() as slip_no):
                return self.open_slip(slip_no)
            case Refresh():
                return self.open_slip(self.slip_no) if self.slip_no else Opened(None)
            case Scan(code=code, scan_id=scan_id, user=user):
                return self.scan(code.strip(), scan_id, user)
            case Count(part_no=part_no, qty=quantity, scan_id=scan_id, user=user):
                return received(receive_count(user, self.open_slip_no(), part_no, quantity,
                                              scan_id))
            case Undo(user=user, request_id=request_id):
                unit = undo_last(user, self.open_slip_no(), request_id)
                return Undone(unit.code, line_view(unit.line), label_printed(unit))
            case ReviewClose():
                return CloseAsked(self.open_slip(self.open_slip_no()).slip, changed=False)
            case Close(user=user, signed_for=signed_for):
                try:
                    slip = close_receiving(user, self.open_slip_no(), dict(signed_for))
                except FiguresChanged:     # a scan went in since: asked again, with the new figures
                    return CloseAsked(self.open_slip(self.open_slip_no()).slip, changed=True)
                self.slip_no = None
                return Closed(slip.slip_no)
        raise AssertionError(command)

    def open_slip_no(self) -> str:
        if self.slip_no is None:
            raise Refused(_("no slip is open: scan the return slip first"))
        return self.slip_no

    def open_slip(self, slip_no: str) -> Opened:
        view = slip_view(get_slip(slip_no))
        self.slip_no = view.slip_no
        self.receiving = view.status == "receiving"
        self.parts = {line.part_no: line.unit for line in view.lines}
        return Opened(view)

    def scan(self, code: str, scan_id: str, user: User) -> Outcome:
        # A part of the open slip, as read when it was opened (asking the database again cost
        # a round trip per scan).
        if self.slip_no and code in self.parts:
            if not is_countable(self.parts[code]):
                return NeedsCount(code, scan_id)
            return received(receive_scan(user, self.slip_no, code, scan_id))
        target = identify(code, read_label)
        if target is not None and target.kind == "slip":
            return self.open_slip(target.key)
        if target is not None and target.kind == "unit":
            return Info(_("{code} is a unit label (slip {slip}, case {case}): to receive a piece, "
                          "scan its part code").format(code=target.key, slip=target.slip_no,
                                                       case=target.case_no))
        if target is not None:
            return Elsewhere(target)
        if self.slip_no and self.receiving:
            receive_scan(user, self.slip_no, code, scan_id)   # the domain says why not
        if self.slip_no:      # a closed slip is shown: the code is unknown, not the slip closed
            raise Refused(_("unknown code {code}: not a part of slip {slip}, nor a return slip, "
                            "complaint case or unit label of this desk").format(
                                code=repr(code), slip=self.slip_no))
        raise Refused(_("{code} is not a return slip: scan the slip number first").format(
            code=repr(code)))


def code_of(command: Command) -> str:
    """The code a command carries, as scanned (a part, slip or case number, a label...)."""
    code = command.code if isinstance(command, Scan) else getattr(command, "part_no", "")
    return code.strip()


def default_journal(db_url: str | None) -> Path:
    """Where this terminal keeps scans for this database while the database is away."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    key = hashlib.sha256(url_from_env(db_url).encode()).hexdigest()[:12]
    return state / "returns-desk" / f"scans-{key}.jsonl"
