"""Receiving: scan the return slip, then every returned piece; counted goods by quantity."""
from __future__ import annotations

import uuid
from collections import deque

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static
from textual.worker import get_current_worker

from models.codes import Target
from models.i18n import N_, _, ngettext
from models.numbers import qty
from models.slips import is_countable
from tui.desk.background import OneAtATime, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import ConfirmDialog
from tui.desk.receiving_forms import close_question, count_dialog, line_columns
from tui.desk.receiving_outcomes_shown import ShowsOutcomes
from tui.desk.reversal import ReversingUnits
from tui.desk.scan_log import ScanLog
from tui.desk.widgets import FigureList, FittedColumns, SlipList, show_text
from tui.work.receiving import (
    Close,
    Command,
    Count,
    Open,
    ReceivingQueue,
    Replay,
    ReviewClose,
    Undo,
    scanned,
)
from tui.work.receiving_outcomes import LineView, Outcome, SlipView
from models.words import word


class ReceivingScreen(ShowsOutcomes, ReversingUnits, DeskScreen):
    TITLE = N_("Receiving")
    SCAN_HINT = N_("scan the return slip, then each piece (part code); Enter after each")
    HELP = N_("""\
## Receiving
1. Scan the **return slip** number (or choose a slip with ↑ ↓ and press Enter).
2. Scan the **part code** of every returned piece. Each scan is one piece, recorded at
   once, and its label is printed (or queued). A line received beyond its tolerance turns
   red: put the extra aside, finance will ask a supervisor.
3. Goods counted by weight or length (kg, m): scan the part code, or press **F7**, and type
   the quantity (a scale may send it). A quantity barcode `PART,QTY` (e.g. `PIP-32,10`) is a
   counted lot of that part, as the count form would record it.
4. **ctrl+z** takes back your last scan on this slip (its label is cancelled; the log marks
   it undone). **F8** closes receiving: you sign for what actually arrived, as the database
   holds it at that moment. A piece scanned while the question is open is kept and goes in
   when you answer; if anything arrived meanwhile, you are asked again with the new figures.
5. **F9** takes back a wrongly received unit by its label: press F9, scan the unit's label,
   say why. Before the unit is inspected a clerk may; after that a supervisor types their
   name and PIN. The receipt stays on record, marked reversed. Esc leaves F9's mode.

Scans are recorded in the order they were made, even when the database is slow: the line
under the scan field says how many are still waiting. If the database stays away, scans of
this slip's parts are kept on this terminal and go in, in order, when it is back; anything
else must be scanned again then. Esc goes back to the list of slips.

Signing in again (after a power cut, or a colleague's turn) brings you back to the slip of
your last scan, if it is still being received.
""")
    BINDINGS = [
        Binding("ctrl+z", "undo", N_("Undo scan"), id="receiving_undo",
                tooltip=N_("take back the last piece you scanned on this slip")),
        Binding("f7", "count", N_("Count"), id="receiving_count",
                tooltip=N_("enter a weighed or measured quantity (kg, m...)")),
        Binding("f8", "close_slip", N_("Close slip"), id="receiving_close",
                tooltip=N_("sign for what arrived; nothing more can be received on the slip")),
        Binding("f9", "reverse", N_("Reverse unit"), id="receiving_reverse",
                tooltip=N_("take back a wrongly received unit: scan its label, say why")),
        Binding("escape", "leave", N_("Slips"), id="receiving_leave",
                tooltip=N_("back to the list of slips")),
        Binding("ctrl+r", "reload", N_("Reload"), id="receiving_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"undo": "receive", "count": "receive", "close_slip": "receive",
                          "reverse": "receive"}
    WAITING_SHOWN_AFTER = 0.25   # seconds a command waits before the waiting count is shown
    REPLAY_EVERY = 10.0    # seconds between tries to send kept scans

    def __init__(self) -> None:
        super().__init__()
        self.slip: SlipView | None = None       # the slip shown (the queue's may be ahead)
        self.waiting_timer = None       # shows the waiting count if a command waits long
        self.reversing = False          # F9: the next scan names a unit to take back
        self.columns = FittedColumns(line_columns())

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield Static("", id="pending")
        yield Static("", id="printer")
        yield Static("", id="slip-title")
        with Vertical(id="slip-pane"):
            yield Static(Content(self.columns.all.header()), classes="columns")
            yield FigureList(id="lines")
            yield ScanLog(id="log")
        yield SlipList("receiving", N_("slips to receive"), id="slips")

    def on_mount(self) -> None:
        # Commands wait in the queue in scan order; one worker at a time carries them out and
        # tells the screen what came of each. Kept scans wait in the app's journal.
        self.queue = ReceivingQueue(self.app.journal, self.told,
                                    waiting=self.waiting_from_thread,
                                    cancelled=lambda: get_current_worker().is_cancelled)
        self.queue_worker = OneAtATime(self, self.queue.drain, "receiving-queue")
        self.set_interval(self.REPLAY_EVERY, self.replay_kept)
        self.replay_kept()
        self.watch(self.app, "printer_status", self.show_printer)
        self.show_slip(None)

    def on_screen_resume(self) -> None:
        if self.slip is None and self.is_mounted:
            self.load_slips()

    def on_resize(self) -> None:
        if self.fit_columns() and self.slip is not None:
            self.show_slip(self.slip)

    def fit_columns(self) -> bool:
        # From the screen's width (less the pane's margin, the list's border and padding):
        # the lines' pane is not laid out while no slip is shown.
        room = self.size.width - 6 if self.size.width else 0
        return self.columns.fit(room, self.query_one("#slip-pane .columns", Static))

    # --- keys -------------------------------------------------------------------------------

    def can_do(self, action: str) -> bool | None:
        if action in ("undo", "count", "close_slip"):
            return self.slip is not None and self.slip.status == "receiving"
        if action == "leave":
            return self.slip is not None or self.reversing
        return True

    def why_not_now(self, action: str) -> str | None:
        if action in ("undo", "count", "close_slip"):
            if self.slip is None:
                return _("no slip is open: scan a return slip first")
            return _("slip {slip} is {status}: nothing more is received or taken back on it (F9 "
                     "reverses a unit by its label)").format(
                         slip=self.slip.slip_no, status=word("slip_status", self.slip.status))
        if action == "leave":
            return _("this is the list of slips already")
        return None

    def handle_scan(self, code: str, scan_id: str) -> None:
        if self.reversing:     # not a receipt: a plain lookup, never the queue of scans
            self.find_unit(code)
        else:
            self.put(scanned(code, scan_id, self.app.user))

    def pick(self) -> None:
        chosen = self.query_one(SlipList).highlighted
        if self.slip is None and chosen is not None:
            self.put(Open(chosen.slip_no))

    def open(self, target: Target) -> None:
        self.put(Open(target.slip_no))

    def action_leave(self) -> None:
        if self.reversing:
            self.reverse_mode(False)
            self.ack(_("reversing cancelled: scans are received again"), "-info")
        else:
            self.put(Open(None))

    def action_undo(self) -> None:
        self.put(Undo(self.app.user, uuid.uuid4().hex))

    def action_count(self) -> None:
        bulk = [line for line in self.slip.lines if not is_countable(line.unit)] if self.slip else []
        if not bulk:
            self.app.refuse(_("no line of this slip is counted by quantity: scan each piece instead"))
            return
        self.ask_count(bulk[0].part_no, uuid.uuid4().hex)

    def ask_count(self, part_no: str, scan_id: str, quantity: str = "", error: str = "") -> None:
        bulk = [line for line in self.slip.lines if not is_countable(line.unit)] if self.slip else []
        dialog = count_dialog(bulk, part_no, quantity, error)

        def counted(values: dict | None) -> None:
            if values:
                self.put(Count(values["part"], values["qty"].replace(",", "."), scan_id, self.app.user))
        self.app.push_screen(dialog, counted)

    def action_close_slip(self) -> None:
        # The figures to sign for are read in the queue, behind the scans made before F8.
        self.put(ReviewClose())

    def ask_close(self, slip: SlipView, changed: bool) -> None:
        if isinstance(self.app.screen, ConfirmDialog):
            return      # F8 pressed twice: the question is open already
        signed_for = tuple((line.line_no, line.received) for line in slip.lines)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.put(Close(self.app.user, signed_for))
        self.app.push_screen(close_question(slip, changed, self.scanned_during_question),
                             confirmed)

    def action_reload(self) -> None:
        if self.slip is None:
            self.load_slips()
        else:
            self.put(Open(self.slip.slip_no))

    def action_page(self, step: int) -> None:
        if self.slip is None:
            self.query_one(SlipList).load(step)

    # --- the queue (tui.work.receiving) -----------------------------------------------------

    @property
    def pending(self) -> deque[Command]:
        """The commands given and not carried out yet, in order."""
        return self.queue.pending

    def put(self, command: Command) -> None:
        self.queue.put(command)
        self.show_waiting()
        self.queue_worker.kick()

    def replay_kept(self) -> None:
        """Every little while: scans kept on disk go in as soon as the database is back."""
        if self.queue.wants_replay():
            self.put(Replay())

    def told(self, outcome: Outcome) -> None:
        on_ui(self, self.show_outcome, outcome)

    def waiting_from_thread(self, reason: str) -> None:
        on_ui(self, self.show_waiting, reason)

    # --- showing it -------------------------------------------------------------------------

    def show_slip(self, slip: SlipView | None) -> None:
        other = slip is None or self.slip is None or self.slip.slip_no != slip.slip_no
        self.slip = slip
        self.set_class(slip is not None, "-has-slip")
        title = self.query_one("#slip-title", Static)
        lines = self.query_one("#lines", FigureList)
        if slip is None:
            lines.show(())
            title.update(_("No slip open: scan a return slip, or choose one below (↑ ↓ Enter)."))
            self.load_slips()
        else:
            state = ("" if slip.status == "receiving"
                     else _(" — {status}: nothing more can be received").format(
                         status=word("slip_status", slip.status).upper()))
            title.update(Content(_("Slip {slip} · case {case} · {customer} · {handling}").format(
                slip=slip.slip_no, case=slip.case_no, customer=slip.customer,
                handling=word("handling", slip.handling)) + state))
            self.fit_columns()
            lines.show((line.line_no, self.line_text(line), line.status) for line in slip.lines)
            if other:
                self.scan_log.start_over()
        self.refresh_bindings()

    def update_line(self, line: LineView) -> None:
        if self.slip is not None:
            self.query_one("#lines", FigureList).update(line.line_no, self.line_text(line),
                                                        line.status)

    def line_text(self, line: LineView) -> str:
        hidden = "·" if self.slip.blind else None
        return self.columns.now.line((line.line_no, line.part_no, line.description, line.unit,
                                  hidden or qty(line.approved), qty(line.received),
                                  hidden or qty(line.allowed), word("line_status", line.status)))

    @property
    def scan_log(self) -> ScanLog:
        return self.query_one("#log", ScanLog)

    def log_line(self, text: str, unit_code: str = "") -> None:
        self.scan_log.add(text, unit_code)

    def ack(self, text: str, kind: str) -> None:
        ack = self.query_one("#ack", Static)
        show_text(ack, Content(text))
        ack.set_classes(kind)

    def show_waiting(self, reason: str = "") -> None:
        waiting = len(self.pending)
        if reason:
            self.ack(ngettext("… the database is busy ({reason}): {n} scan waiting, none lost "
                              "— retrying", "… the database is busy ({reason}): {n} scans "
                              "waiting, none lost — retrying", waiting).format(
                                  reason=reason, n=waiting), "-waiting")
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
            n = len(self.pending)
            show_text(pending, ngettext("{n} scan waiting to be recorded…",
                                        "{n} scans waiting to be recorded…", n).format(n=n))

    def show_printer(self, status: str) -> None:
        printer = self.query_one("#printer", Static)
        show_text(printer, Content(status))
        printer.display = bool(status)

    # --- the list of slips to receive ---------------------------------------------------------

    def load_slips(self) -> None:
        self.query_one(SlipList).load()

