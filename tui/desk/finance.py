"""Finance: reconcile approved against received, a supervisor's decision on over lines, book,
export (one slip's figures: tui.desk.finance_recon)."""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from models.access import allowed, not_allowed
from models.codes import Target, identify
from models.i18n import N_, _, ngettext
from models.numbers import amount, qty
from models.reconciliation import DECISIONS, book_slip, decide_line, slip_currency
from models.reconciliation_rows import next_slip_waiting
from models.users import authenticate
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import ConfirmDialog, FormDialog
from tui.desk.form_view import Field
from tui.desk.export_dialog import ExportDialog
from tui.desk.finance_recon import CHOICE_NAMES, RECON_COLUMNS, SlipRecon, recon_text, slip_recon
from tui.desk.slip_gates import approve_dialog, override_dialog, reopen_dialog
from tui.desk.widgets import SLIP_STATES, FigureList, FittedColumns, RowList, SlipList
from tui.work.labelling import read_label
from models.words import word


class FinanceScreen(DeskScreen):
    TITLE = N_("Finance")
    SCAN_HINT = N_("scan or type a slip number (or choose one below with ↑ ↓)")
    HELP = N_("""\
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
""")
    BINDINGS = [
        Binding("f7", "decide", N_("Decide line"), id="finance_decide",
                tooltip=N_("a supervisor decides a line received beyond its tolerance")),
        Binding("f8", "book", N_("Book slip"), id="finance_book",
                tooltip=N_("book the slip shown; it is locked once booked")),
        Binding("f9", "export", N_("Export"), id="finance_export",
                tooltip=N_("write the reconciliation to a CSV or JSON file")),
        Binding("f10", "approve", N_("Approve slip"), id="finance_approve",
                tooltip=N_("a supervisor (not the slip's author) approves it by name and PIN")),
        Binding("ctrl+o", "reopen", N_("Reopen slip"), id="finance_reopen",
                tooltip=N_("a supervisor reopens a booked slip, with a reason")),
        Binding("ctrl+r", "reload", N_("Reload"), id="finance_reload", show=False),
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
            yield SlipList(("awaiting_approval", "received"), N_("slips"), ("slip", "over"),
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
        # The header's room (the lines' less their padding 0 1): a column more than that
        # wrapped the header's last title ('amount') out of sight at 120x40.
        room = max(0, self.query_one("#recon-lines", FigureList).content_size.width - 2)
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
            return _("no slip is shown: choose one (↑ ↓) or scan it")
        if action == "decide":
            return (_("slip {slip} is booked") if recon.status == "booked"
                    else _("no line of slip {slip} waits for a supervisor's decision")).format(
                        slip=recon.slip_no)
        if action == "book" and recon.over:
            return _("slip {slip} has a line over tolerance: a supervisor decides it "
                     "first (F7)").format(slip=recon.slip_no)
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
            # what was said of the slip left ("Enter: the next line waiting") is not of this one
            self.query_one("#ack", Static).update("")

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
        else:                             # or will, when its page comes after this slip
            slips.keep = recon.slip_no
        state = "" if recon.status == "received" else f" — {_(SLIP_STATES[recon.status]).upper()}"
        self.query_one("#recon-title", Static).update(Content(
            _("Slip {slip} · case {case} · {customer} · amounts in {currency}").format(
                slip=recon.slip_no, case=recon.case_no, customer=recon.customer,
                currency=recon.currency) + state))
        self.fit_columns()
        self.query_one("#recon-lines", FigureList).show(
            (line.line_no, recon_text(line, self.columns.now), line.figures.status)
            for line in recon.lines)
        notes = []
        if recon.status == "awaiting_approval":
            notes.append(_("waits for a supervisor's approval (F10) before its goods are received"))
        if recon.facts.uninspected and recon.status != "booked":
            notes.append(ngettext(
                "{n} unit waits for inspection: booking waits for it, or for a supervisor's "
                "override (F8)",
                "{n} units wait for inspection: booking waits for them, or for a supervisor's "
                "override (F8)", recon.facts.uninspected).format(n=recon.facts.uninspected))
        if recon.over:
            notes.append(ngettext(
                "line {lines} over tolerance: a supervisor decides (F7) before booking",
                "lines {lines} over tolerance: a supervisor decides (F7) before booking",
                len(recon.over)).format(lines=", ".join(str(line.line_no) for line in recon.over)))
        if recon.late_waiting:
            notes.append(_("case {case} was complained about late and waits for a "
                           "supervisor's decision").format(case=recon.case_no))
        total = self.query_one("#recon-total", Static)
        so_far = _(" (lines waiting for a decision not counted)") if recon.over else ""
        total.update(Content(_("amount to book: {amount}").format(
            amount=amount(recon.total, recon.currency)) + so_far
            + ("".join(f"\n⚠ {note}" for note in notes))))
        total.set_class(bool(notes), "-warning")
        self.refresh_bindings()

    # --- lines over tolerance: decide, or on to the next one waiting ----------------------------

    def pick(self) -> None:
        """Enter: on to the next slip with a line over tolerance waiting for a decision."""
        self.next_waiting()

    def next_waiting(self, or_decide: bool = False) -> None:
        """Show the next slip (after the one shown, round to the first) with a line waiting
        for a supervisor's decision. With none: decide on this slip again (`or_decide`), else
        say there is none."""
        self.find_waiting(self.recon.slip_no if self.recon is not None else "", or_decide)

    @work(thread=True, exclusive=True, group="next-waiting")
    def find_waiting(self, shown: str, or_decide: bool) -> None:
        with in_db(self):
            on_ui(self, self.show_waiting, next_slip_waiting(shown), or_decide)

    def show_waiting(self, found: tuple[str, int] | None, or_decide: bool) -> None:
        if found is None:
            if or_decide and self.recon is not None:
                self.ask_decision()
            else:
                self.app.refuse(_("no line over tolerance waits for a decision"))
            return
        slip_no, waiting_lines = found
        slips = self.query_one(SlipList)
        on_page = [row.slip_no for row in slips.slips]
        if slip_no in on_page:
            slips.move_to(on_page.index(slip_no))
        self.want_recon(slip_no)
        self.say(ngettext("slip {slip}: {n} line over tolerance waits for a supervisor's "
                          "decision (F7)",
                          "slip {slip}: {n} lines over tolerance wait for a supervisor's "
                          "decision (F7)", waiting_lines).format(slip=slip_no, n=waiting_lines))

    def action_decide(self) -> None:
        """A line of this slip waits: decide it. Else on to the next slip with one; with none
        left, a decision taken before on this slip may be taken again."""
        recon = self.recon
        open_here = recon is not None and recon.status != "booked"
        if open_here and recon.over:
            self.ask_decision()
        else:
            self.next_waiting(or_decide=open_here and any(line.figures.decidable
                                                          for line in recon.lines))

    def ask_decision(self) -> None:
        recon, user = self.recon, self.app.user
        lines = [line for line in recon.lines if line.figures.decidable]
        line_choices = tuple((str(line.line_no), _(
            "line {line} {part}: approved {approved}, received {received}, allowed {allowed} "
            "{unit}").format(line=line.line_no, part=line.part_no,
                             approved=qty(line.figures.approved),
                             received=qty(line.figures.received),
                             allowed=qty(line.figures.allowed), unit=line.unit))
            for line in lines)
        names = {choice: _(name) for choice, name in CHOICE_NAMES.items()}
        if len(lines) == 1:   # say what each choice books for this line
            line = lines[0]
            for choice in DECISIONS:
                quantity, value = line.booked_if(choice)
                names[choice] += f": {qty(quantity)} {line.unit} = {amount(value, line.currency)}"
        fields = [Field("line", _("Line"), line_choices),
                  Field("choice", _("Decision"), tuple((c, names[c]) for c in DECISIONS)),
                  Field("reason", _("Reason (kept with the booking)"))]
        supervisor_here = allowed(user.role, "line.decide")
        if not supervisor_here:
            fields += [Field("supervisor", _("Supervisor's name")),
                       Field("pin", _("Supervisor's PIN"), password=True, restrict=r"[0-9]*")]

        def record(values: dict[str, str]):
            decider = user if supervisor_here else authenticate(values["supervisor"], values["pin"])
            return decide_line(decider, recon.slip_no, int(values["line"]), values["choice"],
                               values["reason"])
        intro = (_("Received beyond the tolerance: the quantities do not match, so a supervisor "
                   "decides what is booked.") if supervisor_here else
                 _("Received beyond the tolerance: the quantities do not match, so a supervisor "
                   "decides what is booked. A supervisor types their name and PIN below."))
        self.app.push_screen(FormDialog(_("Decision on slip {slip}").format(slip=recon.slip_no),
                                        fields, intro=intro,
                                        record=record), self.decided)

    def decided(self, decision) -> None:
        if decision is not None:
            self.say(_("✔ decided: {choice}, book {quantity} · Enter: the next line waiting").format(
                choice=word("line_decision", decision.choice), quantity=qty(decision.book_qty)))
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
            _("Book slip {slip}?").format(slip=recon.slip_no),
            recon.customer + "\n" + _("amount {amount}").format(
                amount=amount(recon.total, recon.currency)) + "\n\n"
            + _("The slip is locked once booked; only a supervisor can reopen it.")), confirmed)

    @work(thread=True, exclusive=True, group="book")
    def book(self, slip_no: str) -> None:
        user = self.app.user
        with in_db(self):
            booking = book_slip(user, slip_no)
            on_ui(self, self.booked, slip_no, amount(booking.amount, slip_currency(booking.slip)))

    def booked_by_form(self, booking) -> None:
        if booking is not None:
            self.booked(self.recon.slip_no, amount(booking.amount, self.recon.currency),
                        _(" (booked before inspection: {reason})").format(
                            reason=booking.override_reason))

    def action_approve(self) -> None:
        recon = self.recon
        if recon.status != "awaiting_approval":
            self.app.refuse(_("slip {slip} is already approved ({state}): nothing to approve")
                            .format(slip=recon.slip_no, state=_(SLIP_STATES[recon.status])))
            return

        def approved(slip) -> None:
            if slip is not None:
                self.say(_("✔ slip {slip} approved by {name}: its goods may be received now")
                         .format(slip=slip.slip_no, name=slip.approved_by.name))
                self.load_slips()
                self.load_recon(slip.slip_no)
        self.app.push_screen(approve_dialog(recon.facts), approved)

    def action_reopen(self) -> None:
        recon = self.recon
        if recon.status not in ("booked", "received"):
            self.app.refuse(_("slip {slip} is {state}: only a booked (or received) slip is "
                              "reopened").format(slip=recon.slip_no,
                                                 state=_(SLIP_STATES[recon.status])))
            return

        def reopened(slip) -> None:
            if slip is not None:
                self.say(_("✔ slip {slip} reopened: now {state}").format(
                    slip=slip.slip_no, state=_(SLIP_STATES[slip.status])))
                self.load_slips()
                self.load_recon(slip.slip_no)
        self.app.push_screen(reopen_dialog(self.app.user, recon.slip_no, recon.status), reopened)

    def booked(self, slip_no: str, total: str, note: str = "") -> None:
        self.say(_("✔ {slip} booked: amount {amount}").format(slip=slip_no, amount=total) + note)
        self.recon = None     # on to the next slip to book
        self.load_slips()

    def action_export(self) -> None:
        def exported(result) -> None:
            if result:
                path, count = result
                self.say(ngettext("✔ {n} line written to {path}", "✔ {n} lines written to {path}",
                                  count).format(n=count, path=path))
        self.app.push_screen(ExportDialog(), exported)

    def say(self, text: str) -> None:
        ack = self.query_one("#ack", Static)
        ack.update(Content(text))
        ack.set_classes("-ok")
