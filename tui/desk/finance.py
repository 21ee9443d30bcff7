"""Finance: reconcile approved against received, a supervisor's decision on over lines, book,
export."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from models import lists
from models.access import allowed, not_allowed
from models.cases import is_customer_caused
from models.codes import Target, identify
from models.numbers import NOTHING, amount, money, qty
from models.reconciliation import DECISIONS, book_slip, decide_line, slip_currency, total_amount
from models.reconciliation_rows import ReconciliationRow, reconciliation_rows
from models.slips import get_slip
from models.users import authenticate
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import ConfirmDialog, Field, FormDialog
from tui.desk.export_dialog import ExportDialog
from tui.desk.slip_gates import SlipFacts, approve_dialog, override_dialog, reopen_dialog
from tui.desk.widgets import SLIP_STATES, Columns, FigureList, FittedColumns, RowList, SlipList
from tui.work.labelling import read_label

# Narrower than its columns (80x24), a line leaves out price, tolerance, unit, approved, line
# and book first (the 4th number: the lowest goes first); received, allowed, status and
# amount always stay: they say whether the line is over tolerance and what it costs.
RECON_COLUMNS = Columns(("line", 4, True, 5), ("part", 12, False, 7), ("unit", 4, False, 3),
                        ("approved", 8, True, 4), ("received", 8, True), ("tol %", 5, True, 2),
                        ("allowed", 8, True), ("status", 7, False), ("book", 8, True, 6),
                        ("price", 8, True, 1), ("amount", 11, True))
CHOICE_NAMES = {"accept_actual": "book everything received",
                "cap_allowed": "book up to the allowed quantity",
                "approved_only": "book the approved quantity only"}


@dataclass(frozen=True)
class SlipRecon:
    slip_no: str
    case_no: str
    customer: str
    status: str
    late_waiting: bool      # the case was complained about late and waits for a supervisor
    lines: tuple[ReconciliationRow, ...]
    facts: SlipFacts
    currency: str           # of its amounts: the customer's, else the site's

    @property
    def over(self) -> list[ReconciliationRow]:
        return [line for line in self.lines if line.figures.status == "over"]

    @property
    def total(self) -> Decimal:
        return total_amount(line.amount for line in self.lines)


def slip_recon(slip_no: str) -> SlipRecon:
    """Worker thread: one slip's reconciliation, as the domain computes it."""
    slip = get_slip(slip_no)
    lines = tuple(reconciliation_rows(slip_no=slip.slip_no))
    case = slip.case
    facts = SlipFacts(slip.slip_no, slip.issued_by.name, slip.regional_manager or "",
                      is_customer_caused(case), lists.count_uninspected(slip.slip_no))
    return SlipRecon(slip.slip_no, case.case_no, f"{case.customer.code} {case.customer.name}",
                     slip.status, case.status == "awaiting_decision", lines, facts,
                     slip_currency(slip))


def recon_text(line: ReconciliationRow, columns: Columns = RECON_COLUMNS) -> str:
    """A line's figures as the domain computed them, in RECON_COLUMNS (those that fit)."""
    f = line.figures
    return columns.line((line.line_no, line.part_no, line.unit, qty(f.approved),
                               qty(f.received), qty(f.tolerance_pct), qty(f.allowed), f.status,
                               qty(f.book_qty), money(line.unit_price),
                               NOTHING if line.amount is None else money(line.amount, line.currency)))


class FinanceScreen(DeskScreen):
    TITLE = "Finance"
    SCAN_HINT = "scan or type a slip number (or choose one below with ↑ ↓)"
    HELP = """\
## Finance
Slips waiting for a supervisor's approval, and slips whose receiving is closed, wait here:
those waiting for approval, and those with lines over tolerance (the **over** column counts
them), stand out in the list (bold red) and their title says so; scan
any slip, booked ones too, to open it. For the highlighted slip each line shows approved
and received quantities, the tolerance in force, what the rule books and the amount.
Colours: **under** / **within** are booked as received, **over** waits for a supervisor's
decision, **decided** books what the supervisor decided.

- **F7** a supervisor decides an over line (a supervisor signed in here, or one who comes to
  this desk and types their name and PIN), with a reason. On a slip with no line waiting,
  F7 (or **Enter**) goes to the next slip with one.
- **F8** books the slip (asks first). While units of the slip wait for inspection it says
  how many, and a supervisor may let it book now with a reason (name and PIN, recorded).
- **F10** a supervisor approves a slip waiting for approval by name and PIN (not the one who
  issued it); a customer-caused return needs the regional manager's approval first.
- **ctrl+o** a supervisor reopens a booked slip with a reason (its booking is voided, kept on
  record), or sends a received slip back to receiving.
- **F9** exports the reconciliation to a file (CSV or JSON) with a progress bar.
"""
    BINDINGS = [
        Binding("f7", "decide", "Decide line", id="finance_decide",
                tooltip="a supervisor decides a line received beyond its tolerance"),
        Binding("f8", "book", "Book slip", id="finance_book",
                tooltip="book the slip shown; it is locked once booked"),
        Binding("f9", "export", "Export", id="finance_export",
                tooltip="write the reconciliation to a CSV or JSON file"),
        Binding("f10", "approve", "Approve slip", id="finance_approve",
                tooltip="a supervisor (not the slip's author) approves it by name and PIN"),
        Binding("ctrl+o", "reopen", "Reopen slip", id="finance_reopen",
                tooltip="a supervisor reopens a booked slip, with a reason"),
        Binding("ctrl+r", "reload", "Reload", id="finance_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"book": "book", "export": "export", "approve": "book", "reopen": "book"}

    def __init__(self) -> None:
        super().__init__()
        self.recon: SlipRecon | None = None
        self.recon_asked: str | None = None     # the slip whose reconciliation is on its way
        self.columns = FittedColumns(RECON_COLUMNS)

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        with Horizontal(id="finance-body"):
            yield SlipList(("awaiting_approval", "received"), "slips", ("slip", "over"),
                           marked="awaiting_approval", id="slips")
            with Vertical(id="recon-pane"):
                yield Static("", id="recon-title")
                yield Static(Content(RECON_COLUMNS.header()), classes="columns")
                yield FigureList(id="recon-lines")
                yield Static("", id="recon-total")

    def on_screen_resume(self) -> None:
        self.load_slips()

    def on_resize(self) -> None:
        self.call_after_refresh(self.refit)

    def fit_columns(self) -> bool:
        room = self.query_one("#recon-lines", FigureList).content_size.width
        return self.columns.fit(room, self.query_one("#recon-pane .columns", Static))

    def refit(self) -> None:
        if self.fit_columns() and self.recon is not None:
            self.show_recon(self.recon)

    def can_do(self, action: str) -> bool | None:
        recon = self.recon
        if action == "decide":    # a line of this slip, or on to the next slip with one
            return self.may("line.decide") or self.may("book")
        if action == "book":      # not asked while a line waits for a supervisor (shown below)
            return recon is not None and not recon.over or None
        if action in ("approve", "reopen"):   # a supervisor's PIN, also at finance's terminal
            return recon is not None or None
        return True

    def why_not_now(self, action: str) -> str | None:
        recon, user = self.recon, self.app.user
        if action == "decide" and user is not None and not (self.may("line.decide") or self.may("book")):
            return not_allowed(user.name, user.role, "line.decide")
        if recon is None:
            return "no slip is shown: choose one (↑ ↓) or scan it"
        if action == "decide":
            return (f"slip {recon.slip_no} is booked" if recon.status == "booked"
                    else f"no line of slip {recon.slip_no} waits for a supervisor's decision")
        if action == "book" and recon.over:
            return (f"slip {recon.slip_no} has a line over tolerance: a supervisor decides it "
                    "first (F7)")
        return None

    # --- slips ------------------------------------------------------------------------------

    def load_slips(self) -> None:
        """The page of slips to book again, the slip whose reconciliation is shown kept under
        the cursor if it is there."""
        shown = self.recon.slip_no if self.recon is not None else None
        self.query_one(SlipList).load(keep=self.recon_asked or shown)

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        slip = self.query_one(SlipList).highlighted
        # New rows: the first, unless a slip opened from elsewhere (home, a scan) is on its way.
        if slip is not None and (event.moved or (self.recon is None and self.recon_asked is None)):
            self.want_recon(slip.slip_no)

    def want_recon(self, slip_no: str) -> None:
        """The highlighted slip's reconciliation, unless it is shown or on its way: the first
        slips shown ask for it twice (the new rows, then the cursor on row 0), and when both
        answers came the pane was built twice (~80 ms of the screen's first paint)."""
        shown = self.recon.slip_no if self.recon is not None else None
        if slip_no not in (shown, self.recon_asked):
            self.recon_asked = slip_no
            self.load_recon(slip_no)

    def action_page(self, step: int) -> None:
        self.query_one(SlipList).load(step)

    def action_reload(self) -> None:
        self.load_slips()
        if self.recon is not None:
            self.load_recon(self.recon.slip_no)

    def open(self, target: Target) -> None:
        self.recon_asked = target.slip_no
        self.load_recon(target.slip_no)

    def handle_scan(self, code: str, scan_id: str) -> None:
        self.scan_slip(code)

    @work(thread=True, exclusive=True, group="recon")
    def scan_slip(self, code: str) -> None:
        with in_db(self):
            target = identify(code, read_label)
            if target is None or target.kind != "slip":   # a case or a label opens where it belongs
                self.app.call_from_thread(self.app.show_target, target, code)
                return
            on_ui(self, self.show_recon, slip_recon(target.key))

    # --- one slip ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="recon")
    def load_recon(self, slip_no: str) -> None:
        with in_db(self):
            on_ui(self, self.show_recon, slip_recon(slip_no))

    def show_recon(self, recon: SlipRecon) -> None:
        self.recon, self.recon_asked = recon, None
        slips = self.query_one(SlipList)
        on_page = [row.slip_no for row in slips.slips]
        if recon.slip_no in on_page:      # opened from home or a scan: the list shows which
            slips.move_to(on_page.index(recon.slip_no))
        state = "" if recon.status == "received" else f" — {SLIP_STATES[recon.status].upper()}"
        self.query_one("#recon-title", Static).update(Content(
            f"Slip {recon.slip_no} · case {recon.case_no} · {recon.customer} · "
            f"amounts in {recon.currency}{state}"))
        self.fit_columns()
        self.query_one("#recon-lines", FigureList).show(
            (line.line_no, recon_text(line, self.columns.now), line.figures.status)
            for line in recon.lines)
        notes = []
        if recon.status == "awaiting_approval":
            notes.append("waits for a supervisor's approval (F10) before its goods are received")
        if recon.facts.uninspected and recon.status != "booked":
            notes.append(f"{recon.facts.uninspected} unit(s) wait for inspection: booking waits "
                         "for it, or for a supervisor's override (F8)")
        if recon.over:
            notes.append(f"line(s) {', '.join(str(line.line_no) for line in recon.over)} over "
                         "tolerance: a supervisor decides (F7) before booking")
        if recon.late_waiting:
            notes.append(f"case {recon.case_no} was complained about late and waits for a "
                         "supervisor's decision")
        total = self.query_one("#recon-total", Static)
        so_far = " (lines waiting for a decision not counted)" if recon.over else ""
        total.update(Content(f"amount to book: {amount(recon.total, recon.currency)}{so_far}"
                             + ("".join(f"\n⚠ {note}" for note in notes))))
        total.set_class(bool(notes), "-warning")
        self.refresh_bindings()

    # --- lines over tolerance: decide, or on to the next one waiting ----------------------------

    def pick(self) -> None:
        """Enter: on to the next slip with a line over tolerance waiting for a decision."""
        self.next_waiting()

    def next_waiting(self) -> bool:
        """Show the next slip (after the one shown, round to the first) with a line waiting
        for a supervisor's decision; False, said, if there is none."""
        waiting = list(self.query_one(SlipList).waiting)
        if not waiting:
            self.app.refuse("no line over tolerance waits for a decision")
            return False
        shown = self.recon.slip_no if self.recon is not None else ""
        later = [slip_no for slip_no in waiting if slip_no > shown]
        slip_no = (later or waiting)[0]
        slips = self.query_one(SlipList)
        on_page = [row.slip_no for row in slips.slips]
        if slip_no in on_page:
            slips.move_to(on_page.index(slip_no))
        self.want_recon(slip_no)
        self.say(f"slip {slip_no}: {slips.waiting[slip_no]} line(s) over tolerance wait for a "
                 "supervisor's decision (F7)")
        return True

    def action_decide(self) -> None:
        """A line of this slip waits: decide it. Else on to the next slip with one; with none
        left, a decision taken before on this slip may be taken again."""
        recon = self.recon
        open_here = recon is not None and recon.status != "booked"
        if open_here and recon.over:
            self.ask_decision()
        elif self.query_one(SlipList).waiting or not (
                open_here and any(line.figures.decidable for line in recon.lines)):
            self.next_waiting()
        else:
            self.ask_decision()

    def ask_decision(self) -> None:
        recon, user = self.recon, self.app.user
        lines = [line for line in recon.lines if line.figures.decidable]
        line_choices = tuple((str(line.line_no), (f"line {line.line_no} {line.part_no}: approved "
                                                  f"{qty(line.figures.approved)}, received "
                                                  f"{qty(line.figures.received)}, allowed "
                                                  f"{qty(line.figures.allowed)} {line.unit}"))
                             for line in lines)
        names = dict(CHOICE_NAMES)
        if len(lines) == 1:   # say what each choice books for this line
            line = lines[0]
            for choice in DECISIONS:
                quantity, value = line.booked_if(choice)
                names[choice] += f": {qty(quantity)} {line.unit} = {amount(value, line.currency)}"
        fields = [Field("line", "Line", line_choices),
                  Field("choice", "Decision", tuple((c, names[c]) for c in DECISIONS)),
                  Field("reason", "Reason (kept with the booking)")]
        supervisor_here = allowed(user.role, "line.decide")
        if not supervisor_here:
            fields += [Field("supervisor", "Supervisor's name"),
                       Field("pin", "Supervisor's PIN", password=True, restrict=r"[0-9]*")]

        def record(values: dict[str, str]):
            decider = user if supervisor_here else authenticate(values["supervisor"], values["pin"])
            return decide_line(decider, recon.slip_no, int(values["line"]), values["choice"],
                               values["reason"])
        intro = ("Received beyond the tolerance: the quantities do not match, so a supervisor "
                 "decides what is booked." + ("" if supervisor_here else
                                               " A supervisor types their name and PIN below."))
        self.app.push_screen(FormDialog(f"Decision on slip {recon.slip_no}", fields, intro=intro,
                                        record=record), self.decided)

    def decided(self, decision) -> None:
        if decision is not None:
            self.say(f"✔ decided: {decision.choice.replace('_', ' ')}, book {qty(decision.book_qty)}"
                     " · Enter: the next line waiting")
            self.load_slips()
            self.load_recon(self.recon.slip_no)

    def action_book(self) -> None:
        recon = self.recon
        if recon.status != "received":     # the domain says why not, in its words
            self.book(recon.slip_no)
            return
        if recon.facts.uninspected:
            self.app.push_screen(override_dialog(self.app.user, recon.facts), self.booked_by_form)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.book(recon.slip_no)
        self.app.push_screen(ConfirmDialog(
            f"Book slip {recon.slip_no}?",
            f"{recon.customer}\namount {amount(recon.total, recon.currency)}\n\nThe slip is "
            "locked once booked; only a supervisor can reopen it."), confirmed)

    @work(thread=True, exclusive=True, group="book")
    def book(self, slip_no: str) -> None:
        user = self.app.user
        with in_db(self):
            booking = book_slip(user, slip_no)
            on_ui(self, self.booked, slip_no, amount(booking.amount, slip_currency(booking.slip)))

    def booked_by_form(self, booking) -> None:
        if booking is not None:
            self.booked(self.recon.slip_no, amount(booking.amount, self.recon.currency),
                        f" (booked before inspection: {booking.override_reason})")

    def action_approve(self) -> None:
        recon = self.recon
        if recon.status != "awaiting_approval":
            self.app.refuse(f"slip {recon.slip_no} is already approved "
                            f"({SLIP_STATES[recon.status]}): nothing to approve")
            return

        def approved(slip) -> None:
            if slip is not None:
                self.say(f"✔ slip {slip.slip_no} approved by {slip.approved_by.name}: its goods "
                         "may be received now")
                self.load_slips()
                self.load_recon(slip.slip_no)
        self.app.push_screen(approve_dialog(recon.facts), approved)

    def action_reopen(self) -> None:
        recon = self.recon
        if recon.status not in ("booked", "received"):
            self.app.refuse(f"slip {recon.slip_no} is {SLIP_STATES[recon.status]}: only a "
                            "booked (or received) slip is reopened")
            return

        def reopened(slip) -> None:
            if slip is not None:
                self.say(f"✔ slip {slip.slip_no} reopened: now {SLIP_STATES[slip.status]}")
                self.load_slips()
                self.load_recon(slip.slip_no)
        self.app.push_screen(reopen_dialog(self.app.user, recon.slip_no, recon.status), reopened)

    def booked(self, slip_no: str, total: str, note: str = "") -> None:
        self.say(f"✔ {slip_no} booked: amount {total}{note}")
        self.recon = None     # on to the next slip to book
        self.load_slips()

    def action_export(self) -> None:
        def exported(result) -> None:
            if result:
                path, count = result
                self.say(f"✔ {count} line(s) written to {path}")
        self.app.push_screen(ExportDialog(), exported)

    def say(self, text: str) -> None:
        ack = self.query_one("#ack", Static)
        ack.update(Content(text))
        ack.set_classes("-ok")
