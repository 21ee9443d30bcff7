"""Receiving: scan the return slip, then every returned piece; counted goods by quantity."""
from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Log, Static

from models import journal, settings
from models.db import db
from models.errors import DeskError, Refused
from models.numbers import qty
from models.receiving import (
    Receipt,
    close_receiving,
    receive_count,
    receive_scan,
    undo_last,
)
from models.reconciliation import figures_for, reconciliation_rows
from models.slips import get_slip, is_countable, lines_of
from models.tables import Slip, SlipLine, User
from tui.desk.background import OneAtATime, StillAway, app_of, on_ui, with_retry
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import ConfirmDialog, Field, FormDialog
from tui.work.lookup import Target, identify
from tui.desk.widgets import Columns, FigureList, SlipList, show_text

LINE_COLUMNS = Columns(("line", 4, True), ("part", 14, False), ("description", 28, False),
                       ("unit", 5, False), ("approved", 10, True), ("received", 10, True),
                       ("allowed", 10, True), ("status", 8, False))


# --- what the screen shows (plain values, made in the worker) ------------------------------

@dataclass(frozen=True)
class LineView:
    line_no: int
    part_no: str
    description: str
    unit: str
    approved: Decimal
    received: Decimal
    allowed: Decimal
    status: str


@dataclass(frozen=True)
class SlipView:
    slip_no: str
    case_no: str
    customer: str
    status: str
    handling: str
    blind: bool
    lines: tuple[LineView, ...]


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


@dataclass(frozen=True)
class Undo:
    user: User
    request_id: str           # sent again after a lost answer, it undoes nothing more


@dataclass(frozen=True)
class Close:
    user: User


@dataclass(frozen=True)
class Replay:
    """Send the scans kept on this terminal's disk while the database was away."""


@dataclass(frozen=True)
class Refresh:
    """Show the open slip's lines as they are now (after kept scans went in)."""


# --- and what came of it ---------------------------------------------------------------------

@dataclass(frozen=True)
class Opened:
    slip: SlipView | None


@dataclass(frozen=True)
class Received:
    unit_code: str
    line: LineView
    qty: Decimal
    replayed: bool


@dataclass(frozen=True)
class Undone:
    unit_code: str
    line: LineView


@dataclass(frozen=True)
class Closed:
    slip_no: str


@dataclass(frozen=True)
class NeedsCount:
    part_no: str
    scan_id: str


@dataclass(frozen=True)
class Info:
    text: str


@dataclass(frozen=True)
class Elsewhere:
    target: Target


@dataclass(frozen=True)
class Refusal:
    text: str
    command: object


@dataclass(frozen=True)
class Kept:
    """The database is away: the scan is safe on this terminal's disk, not yet recorded."""
    code: str
    reason: str
    waiting: int


@dataclass(frozen=True)
class Replayed:
    sent: int
    refused: tuple[tuple[str, str], ...]     # (code, why) of kept scans the domain refused
    stopped: str | None                      # the database is still away: why
    waiting: int


def line_view(line: SlipLine) -> LineView:
    f = figures_for(line)
    return LineView(line.line_no, line.part_no, line.description, line.unit, f.approved,
                    f.received, f.allowed, f.status)


def slip_view(slip: Slip) -> SlipView:
    descriptions = {line.line_no: line.description for line in lines_of(slip)}
    lines = tuple(LineView(row.line_no, row.part_no, descriptions[row.line_no], row.unit,
                           row.figures.approved, row.figures.received, row.figures.allowed,
                           row.figures.status)
                  for row in reconciliation_rows(slip_no=slip.slip_no))
    case = slip.case
    return SlipView(slip.slip_no, case.case_no, f"{case.customer.code} {case.customer.name}",
                    slip.status, slip.handling, settings.get("blind_receiving"), lines)


class ReceivingScreen(DeskScreen):
    TITLE = "Receiving"
    SCAN_HINT = "scan the return slip, then each piece (part code); Enter after each"
    HELP = """\
## Receiving
1. Scan the **return slip** number (or choose a slip with ↑ ↓ and press Enter).
2. Scan the **part code** of every returned piece. Each scan is one piece, recorded at
   once, and its label is printed (or queued). A line received beyond its tolerance turns
   red: put the extra aside, finance will ask a supervisor.
3. Goods counted by weight or length (kg, m): scan the part code, or press **F7**, and type
   the quantity.
4. **ctrl+z** takes back your last scan on this slip. **F8** closes receiving: you sign for
   what actually arrived.

Scans are recorded in the order they were made, even when the database is slow: the line
under the scan field says how many are still waiting. If the database stays away, scans of
this slip's parts are kept on this terminal and go in, in order, when it is back; anything
else must be scanned again then. Esc goes back to the list of slips.

Signing in again (after a power cut, or a colleague's turn) brings you back to the slip of
your last scan, if it is still being received.
"""
    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo scan", id="receiving_undo",
                tooltip="take back the last piece you scanned on this slip"),
        Binding("f7", "count", "Count", id="receiving_count",
                tooltip="enter a weighed or measured quantity (kg, m...)"),
        Binding("f8", "close_slip", "Close slip", id="receiving_close",
                tooltip="sign for what arrived; nothing more can be received on the slip"),
        Binding("escape", "leave", "Slips", id="receiving_leave", tooltip="back to the list of slips"),
        Binding("ctrl+r", "reload", "Reload", id="receiving_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"undo": "receive", "count": "receive", "close_slip": "receive"}
    KEEP_AFTER = 5.0       # seconds a scan waits for a busy database before it is kept on disk
    WAITING_SHOWN_AFTER = 0.25   # seconds a command waits before the waiting count is shown
    REPLAY_EVERY = 10.0    # seconds between tries to send kept scans

    def __init__(self) -> None:
        super().__init__()
        self.slip: SlipView | None = None
        # Commands wait here in scan order; one worker at a time takes them (UI thread
        # appends, the worker pops: a deque is safe for that).
        self.pending: deque = deque()
        self.queue_slip: str | None = None     # the slip as the queue sees it (worker side)
        self.queue_parts: dict[str, str] = {}   # its part codes (what may be kept) -> unit
        self.waiting_timer = None       # shows the waiting count if a command waits long

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield Static("", id="pending")
        yield Static("", id="printer")
        yield Static("", id="slip-title")
        with Vertical(id="slip-pane"):
            yield Static(Content(LINE_COLUMNS.header()), classes="columns")
            yield FigureList(id="lines")
            yield Log(id="log", max_lines=500)
        yield SlipList("receiving", "slips to receive", id="slips")

    def on_mount(self) -> None:
        self.queue_worker = OneAtATime(self, self.drain, "receiving-queue")
        self.set_interval(self.REPLAY_EVERY, self.replay_kept)
        self.replay_kept()
        self.watch(self.app, "printer_status", self.show_printer)
        self.show_slip(None)

    def on_screen_resume(self) -> None:
        if self.slip is None and self.is_mounted:
            self.load_slips()

    # --- keys -------------------------------------------------------------------------------

    def can_do(self, action: str) -> bool | None:
        if action in ("undo", "count", "close_slip"):
            return self.slip is not None and self.slip.status == "receiving"
        if action == "leave":
            return self.slip is not None
        return True

    def handle_scan(self, code: str, scan_id: str) -> None:
        self.put(Scan(code, scan_id, self.app.user))

    def pick(self) -> None:
        chosen = self.query_one(SlipList).highlighted
        if self.slip is None and chosen is not None:
            self.put(Open(chosen.slip_no))

    def open(self, target: Target) -> None:
        self.put(Open(target.slip_no))

    def action_leave(self) -> None:
        self.put(Open(None))

    def action_undo(self) -> None:
        self.put(Undo(self.app.user, uuid.uuid4().hex))

    def action_count(self) -> None:
        bulk = [line for line in self.slip.lines if not is_countable(line.unit)] if self.slip else []
        if not bulk:
            self.app.refuse("no line of this slip is counted by quantity: scan each piece instead")
            return
        self.ask_count(bulk[0].part_no, uuid.uuid4().hex)

    def ask_count(self, part_no: str, scan_id: str, quantity: str = "", error: str = "") -> None:
        bulk = [line for line in self.slip.lines if not is_countable(line.unit)] if self.slip else []
        choices = tuple((line.part_no, f"{line.part_no}  {line.description}  ({line.unit})")
                        for line in bulk)
        unit = next((line.unit for line in bulk if line.part_no == part_no), "")
        intro = error or f"Counted or weighed goods: type the quantity in {unit} and press Enter."
        dialog = FormDialog("Counted goods", [
            Field("part", "Part", choices, value=part_no),
            Field("qty", "Quantity", value=quantity, restrict=r"[0-9.,]*", placeholder="e.g. 26.5"),
        ], intro=intro, submit_label="Enter records the quantity",
            focus="qty" if part_no in [value for value, _ in choices] else None)

        def counted(values: dict | None) -> None:
            if values:
                self.put(Count(values["part"], values["qty"].replace(",", "."), scan_id, self.app.user))
        self.app.push_screen(dialog, counted)

    def action_close_slip(self) -> None:
        slip = self.slip
        summary = "\n".join(
            f"line {line.line_no} {line.part_no}: {qty(line.received)} {line.unit} received"
            + ("" if slip.blind else f" of {qty(line.approved)} ({line.status})") for line in slip.lines)
        waiting = f"\n\n{len(self.pending)} scan(s) still waiting are recorded first." if self.pending else ""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.put(Close(self.app.user))
        self.app.push_screen(ConfirmDialog(
            f"Close receiving of {slip.slip_no}?",
            f"You sign for what actually arrived:\n{summary}{waiting}\n\nNothing more can be "
            "received on this slip afterwards."), confirmed)

    def action_reload(self) -> None:
        if self.slip is None:
            self.load_slips()
        else:
            self.put(Open(self.slip.slip_no))

    def action_page(self, step: int) -> None:
        if self.slip is None:
            self.query_one(SlipList).load(step)

    # --- the queue --------------------------------------------------------------------------

    def put(self, command) -> None:
        self.pending.append(command)
        self.show_waiting()
        self.queue_worker.kick()

    def drain(self) -> None:
        """Worker thread: the commands, one by one, in the order they were given."""
        while self.pending:
            outcome = self.attempt(self.pending[0])
            if outcome is None:
                return   # the desk is closing; what was not recorded was not acknowledged
            self.pending.popleft()
            on_ui(self, self.show_outcome, outcome)

    def attempt(self, command):
        """Worker thread: one command. A busy database is waited for; a part scan that cannot
        get in within KEEP_AFTER seconds is kept on this terminal's disk (models.journal) and
        sent, in order, when the database is back (the timer tries every REPLAY_EVERY)."""
        if isinstance(command, Replay):
            return self.replay()
        scanned = isinstance(command, (Scan, Count)) and self.queue_slip is not None
        if scanned and app_of(self).journal.pending():
            if self.keepable(command):
                # Straight onto the disk, behind the kept ones: trying the database first
                # would leave the scan in memory for as long as the database takes to fail.
                return self.keep(command, "earlier scans are still waiting for it")
            replayed = self.replay()        # another code: only the database can say what it is
            on_ui(self, self.show_outcome, replayed)
            if replayed.waiting:
                return self.cannot_keep(command, replayed.stopped or "earlier scans still wait")
        try:
            return with_retry(lambda: self.carry_out(command), self.waiting_from_thread,
                              self.KEEP_AFTER if scanned else None)
        except StillAway as away:
            if self.keepable(command):
                return self.keep(command, str(away))
            return self.cannot_keep(command, str(away))

    def keepable(self, command) -> bool:
        """A part scan or count of the open slip: safe to keep while the database is away."""
        code = command.code if isinstance(command, Scan) else getattr(command, "part_no", "")
        return self.queue_slip is not None and code.strip() in self.queue_parts

    def cannot_keep(self, command, reason: str) -> Refusal:
        """A slip or case number, a label, a typo: without the database it is nothing yet."""
        return Refusal(f"the database is away ({reason}): {command.code.strip()} is not a part of "
                       f"slip {self.queue_slip}, so it cannot wait on this terminal; scan it "
                       "again when the database is back", command)

    def keep(self, command, reason: str) -> Kept:
        code = command.code if isinstance(command, Scan) else command.part_no
        quantity = command.qty if isinstance(command, Count) else None
        app_of(self).journal.add(journal.Scan(self.queue_slip, code.strip(), command.user.id, quantity,
                                          command.scan_id))
        return Kept(code, reason, len(app_of(self).journal.pending()))

    def replay(self) -> Replayed:
        try:
            result = app_of(self).journal.replay()   # it connects, and drops a broken connection
        finally:
            db.close()
        return Replayed(result.sent, tuple((scan.code, why) for scan, why in result.refused),
                        result.stopped, len(app_of(self).journal.pending()))

    def replay_kept(self) -> None:
        """Every little while: scans kept on disk go in as soon as the database is back."""
        if app_of(self).journal.path.exists() and not any(isinstance(c, Replay) for c in self.pending):
            self.put(Replay())

    def carry_out(self, command):
        try:
            return self.perform(command)
        except DeskError as exc:
            return Refusal(str(exc), command)

    def perform(self, command):
        """Worker thread, inside a connection: one command, through the domain."""
        match command:
            case Open(slip_no=None):
                self.queue_slip = None
                return Opened(None)
            case Open(slip_no=slip_no):
                return self.open_slip(slip_no)
            case Refresh():
                return self.open_slip(self.queue_slip) if self.queue_slip else Opened(None)
            case Scan(code=code, scan_id=scan_id, user=user):
                return self.scan(code.strip(), scan_id, user)
            case Count(part_no=part_no, qty=quantity, scan_id=scan_id, user=user):
                return received(receive_count(user, self.slip_no(), part_no, quantity, scan_id))
            case Undo(user=user, request_id=request_id):
                unit = undo_last(user, self.slip_no(), request_id)
                return Undone(unit.code, line_view(unit.line))
            case Close(user=user):
                slip = close_receiving(user, self.slip_no())
                self.queue_slip = None
                return Closed(slip.slip_no)
        raise AssertionError(command)

    def slip_no(self) -> str:
        if self.queue_slip is None:
            raise Refused("no slip is open: scan the return slip first")
        return self.queue_slip

    def open_slip(self, slip_no: str) -> Opened:
        view = slip_view(get_slip(slip_no))
        self.queue_slip = view.slip_no
        self.queue_parts = {line.part_no: line.unit for line in view.lines}
        return Opened(view)

    def scan(self, code: str, scan_id: str, user: User):
        # A part of the open slip, as read when it was opened (asking the database again cost
        # a round trip per scan).
        if self.queue_slip and code in self.queue_parts:
            if not is_countable(self.queue_parts[code]):
                return NeedsCount(code, scan_id)
            return received(receive_scan(user, self.queue_slip, code, scan_id))
        target = identify(code)
        if target is not None and target.kind == "slip":
            return self.open_slip(target.key)
        if target is not None and target.kind == "unit":
            return Info(f"{target.key} is a unit label (slip {target.slip_no}, case {target.case_no}): "
                        "to receive a piece, scan its part code")
        if target is not None:
            return Elsewhere(target)
        if self.queue_slip:
            receive_scan(user, self.queue_slip, code, scan_id)   # the domain says why not
        raise Refused(f"{code!r} is not a return slip: scan the slip number first")

    def waiting_from_thread(self, reason: str) -> None:
        on_ui(self, self.show_waiting, reason)

    # --- showing it -------------------------------------------------------------------------

    def show_outcome(self, outcome) -> None:
        self.show_waiting()
        match outcome:
            case Opened(slip=None):
                self.show_slip(None)
                self.ack("", "")
            case Opened(slip=slip):
                again = self.slip is not None and self.slip.slip_no == slip.slip_no
                self.show_slip(slip)
                if again:
                    pass    # the same slip redrawn: what was said stays
                elif slip.status == "receiving":
                    self.ack(f"slip {slip.slip_no} open: scan each piece", "-info")
                else:
                    self.ack(f"slip {slip.slip_no} is {slip.status}: nothing more can be received",
                             "-error")
            case Received():
                self.show_received(outcome)
            case Undone(unit_code=code, line=line):
                self.update_line(line)
                self.ack(f"↶ {code} taken back (line {line.line_no} {line.part_no}: "
                         f"{qty(line.received)} {line.unit} received)", "-ok")
            case Closed(slip_no=slip_no):
                self.show_slip(None)
                self.ack(f"✔ receiving of {slip_no} closed: signed for what arrived", "-ok")
            case NeedsCount(part_no=part_no, scan_id=scan_id):
                self.ask_count(part_no, scan_id)
            case Info(text=text):
                self.ack(text, "-info")
            case Elsewhere(target=target):
                self.app.call_later(self.app.show_target, target)
            case Kept(code=code, reason=reason, waiting=waiting):
                self.ack(f"⏸ {code} kept on this terminal: the database is away ({reason}). "
                         f"{waiting} scan(s) wait here and go in, in order, when it is back",
                         "-waiting")
                self.log_line(f"⏸ {code} kept until the database is back")
            case Replayed():
                self.show_replayed(outcome)
            case Refusal(text=text, command=command):
                self.ack(f"✘ {text}", "-error")
                self.app.refuse(text)
                if isinstance(command, Count):
                    self.ask_count(command.part_no, command.scan_id, command.qty, f"✘ {text}")

    def show_received(self, outcome: Received) -> None:
        line, blind = outcome.line, self.slip is not None and self.slip.blind
        self.update_line(line)
        of = "" if blind else f" of {qty(line.approved)}"
        state = {"over": f" — OVER tolerance (allowed {qty(line.allowed)}): put the extra aside",
                 "within": " — within tolerance", "under": ""}.get(line.status, "")
        again = " (this scan was already recorded)" if outcome.replayed else ""
        text = (f"✔ {outcome.unit_code} · line {line.line_no} {line.part_no}: "
                f"{qty(line.received)}{of} {line.unit}{'' if blind else state}{again}")
        self.ack(text, "-over" if line.status == "over" and not blind else "-ok")
        self.log_line(
            f"{outcome.unit_code}  {line.part_no:<14} +{qty(outcome.qty)} {line.unit}  "
            f"→ {qty(line.received)} {line.unit}")
        self.call_after_refresh(self.app.kick_printer)   # the label's work after the ack's frame

    def show_replayed(self, outcome: Replayed) -> None:
        for code, why in outcome.refused:
            self.log_line(f"✘ kept scan {code} refused: {why}")
            self.app.refuse(f"a scan kept while the database was away was refused: {code}: {why}")
        if outcome.sent:
            self.log_line(f"✔ {outcome.sent} kept scan(s) recorded")
            self.ack(f"✔ the database is back: {outcome.sent} kept scan(s) recorded", "-ok")
            self.app.kick_printer()
            if self.slip is not None:
                self.put(Refresh())     # the slip the queue has open by then, as it is now
        elif outcome.waiting and outcome.stopped:
            self.ack(f"⏸ {outcome.waiting} scan(s) kept on this terminal: the database is still "
                     f"away ({outcome.stopped})", "-waiting")

    def show_slip(self, slip: SlipView | None) -> None:
        other = slip is None or self.slip is None or self.slip.slip_no != slip.slip_no
        self.slip = slip
        self.set_class(slip is not None, "-has-slip")
        title = self.query_one("#slip-title", Static)
        lines = self.query_one("#lines", FigureList)
        if slip is None:
            lines.show(())
            title.update("No slip open: scan a return slip, or choose one below (↑ ↓ Enter).")
            self.load_slips()
        else:
            state = "" if slip.status == "receiving" else f" — {slip.status.upper()}: nothing more can be received"
            title.update(Content(f"Slip {slip.slip_no} · case {slip.case_no} · {slip.customer} · "
                                 f"{slip.handling}{state}"))
            lines.show((line.line_no, self.line_text(line), line.status) for line in slip.lines)
            if other:
                self.call_after_refresh(self.query_one("#log", Log).clear)   # in turn with log_line
        self.refresh_bindings()

    def update_line(self, line: LineView) -> None:
        if self.slip is not None:
            self.query_one("#lines", FigureList).update(line.line_no, self.line_text(line),
                                                        line.status)

    def line_text(self, line: LineView) -> str:
        hidden = "·" if self.slip.blind else None
        return LINE_COLUMNS.line((line.line_no, line.part_no, line.description, line.unit,
                                  hidden or qty(line.approved), qty(line.received),
                                  hidden or qty(line.allowed), line.status))

    def log_line(self, text: str) -> None:
        """A line for the log of scans, written once the acknowledgement is on the screen: a
        line more in the Log changes its virtual size, which lays out the whole screen."""
        self.call_after_refresh(self.query_one("#log", Log).write_line, text)

    def ack(self, text: str, kind: str) -> None:
        ack = self.query_one("#ack", Static)
        show_text(ack, Content(text))
        ack.set_classes(kind)

    def show_waiting(self, reason: str = "") -> None:
        waiting = len(self.pending)
        if reason:
            self.ack(f"… the database is busy ({reason}): {waiting} scan(s) waiting, none lost — "
                     "retrying", "-waiting")
        pending = self.query_one("#pending", Static)
        if not waiting:
            pending.display = False
            if self.waiting_timer is not None:
                self.waiting_timer.stop()
                self.waiting_timer = None
        elif pending.display or reason:
            self.show_count()
        elif self.waiting_timer is None:
            # A scan acknowledged within a frame or two never flashes "1 scan(s) waiting"
            # (showing and hiding the line lays the whole screen out twice per scan).
            self.waiting_timer = self.set_timer(self.WAITING_SHOWN_AFTER, self.show_count)

    def show_count(self) -> None:
        self.waiting_timer = None
        if self.pending:
            pending = self.query_one("#pending", Static)
            pending.display = True
            show_text(pending, f"{len(self.pending)} scan(s) waiting to be recorded…")

    def show_printer(self, status: str) -> None:
        printer = self.query_one("#printer", Static)
        show_text(printer, Content(status))
        printer.display = bool(status)

    # --- the list of slips to receive ---------------------------------------------------------

    def load_slips(self) -> None:
        self.query_one(SlipList).load()


def received(receipt: Receipt) -> Received:
    line, f = receipt.line, receipt.figures
    view = LineView(line.line_no, line.part_no, line.description, line.unit, f.approved, f.received,
                    f.allowed, f.status)
    return Received(receipt.unit.code, view, receipt.unit.qty, receipt.replayed)
