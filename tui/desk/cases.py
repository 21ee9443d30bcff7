"""Cases: find a complaint case by anything you know about it and follow its steps; take a
complaint in, assess it, attach its photos, close or reopen it, and chase it with reminders
(the forms: tui.desk.case_forms)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from models import clock, lists
from models.i18n import N_, _, ngettext
from models.cases import LATE_DECISIONS, days_left, decide_late
from models.codes import Target, scanned_unit_code
from models.reports import find_cases
from models.tables import ComplaintCase
from tui.desk import case_forms as forms
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import LATE_NAMES, FormDialog, late_decided
from tui.desk.form_view import Field
from tui.desk.slip_form import open_slip_form
from tui.desk.widgets import Columns, RowList
from tui.work.case_view import CaseDetail, case_detail
from tui.work.labelling import read_label
from models.words import word


@dataclass(frozen=True)
class CaseRow:
    case_no: str
    customer: str
    order_no: str
    part_no: str
    category: str
    status: str
    due: str
    left: int | None


CASE_COLUMNS = Columns((N_("case"), 9, False), (N_("customer"), 8, False), (N_("order"), 11, False),
                       (N_("status"), 9, False), (N_("to close by"), 17, False))


def short_days(left: int | None) -> str:
    if left is None:
        return ""
    if left < 0:
        return _("{n} d late").format(n=-left)
    return _("today") if left == 0 else _("{n} d left").format(n=left)


def case_row(case: ComplaintCase, today) -> CaseRow:
    return CaseRow(case.case_no, case.customer.code, case.order_no, case.part_no, case.category,
                   word("status", case.status), str(case.due_on or ""),
                   days_left(case, today))


class CasesScreen(DeskScreen):
    TITLE = N_("Cases")
    SCAN_HINT = N_("case number, customer, order number, slip or label — then Enter")
    HELP = N_("""\
## Case status, from intake to closing
Type or scan what you know: a case number (2611-003), a customer code or name, an order
number, a return slip, or a unit's label. Enter searches. With one match the case shows at
once; otherwise choose with ↑ ↓ and press Enter. Before any search the list shows the open
cases, the nearest deadline first; overdue cases are red.

The case shows its facts, the reply deadline (quality's opinion: 1 working day for a minor
complaint, 2 for a severe one) and the deadline to close, what is still to do, its
attachments, reminders, each step's due and done dates and how late, and its timeline.

- **F8** a new complaint case (sales, inspector, supervisor): every intake fact and its
  photos or documents (file paths). Scan the customer's code here first and the form starts
  with it. **ctrl+d** fills in the defective quantity once the customer knows it.
- **ctrl+a** attaches a photo or document; **ctrl+o** saves one of the case's to a folder.
- **F9** the assessment (inspector, supervisor): responsibility, cause, outcome, amount.
- **F10** closes the case. Quality closes it once its slips are booked and inspected;
  otherwise only a supervisor, with the reason. **ctrl+e** reopens it (supervisor, reason).
- **ctrl+t** a reminder (催辦單) on an overdue case to the department that holds it
  (supervisor); **ctrl+w** saves one of the case's reminders as a one-page PDF.
- **ctrl+l** issues the case's return slip (sales, supervisor): its lines, each with its
  reason and handling; it waits for a supervisor's approval (Finance, F10).
- **F7** a supervisor decides a late complaint.

On a narrow terminal (80 columns) a case takes the whole width: ↑ ↓ PgUp PgDn scroll its
steps and timeline, and **Esc** goes back to the list.
""")
    BINDINGS = [
        Binding("f7", "decide", N_("Decide late"), id="cases_decide",
                tooltip=N_("accept, accept against payment or reject this late complaint")),
        Binding("f8", "intake", N_("New case"), id="cases_intake",
                tooltip=N_("take a complaint in: every intake fact and its attachments")),
        Binding("f9", "assess", N_("Assess"), id="cases_assess",
                tooltip=N_("responsibility, cause and outcome of this case")),
        Binding("f10", "close_case", N_("Close case"), id="cases_close",
                tooltip=N_("close this case (a supervisor with a reason if work is unfinished)")),
        Binding("ctrl+d", "defect_qty", N_("Defect qty"), id="cases_defect_qty", show=False,
                tooltip=N_("fill in the defective quantity once the customer knows it")),
        Binding("ctrl+a", "attach", N_("Attach"), id="cases_attach", show=False,
                tooltip=N_("add a photo or document (a file path) to this case")),
        Binding("ctrl+o", "save_attachment", N_("Save attachment"), id="cases_save_attachment",
                show=False, tooltip=N_("save one of this case's attachments to a folder")),
        Binding("ctrl+e", "reopen", N_("Reopen"), id="cases_reopen", show=False,
                tooltip=N_("reopen this closed case, with the reason (supervisor)")),
        Binding("ctrl+t", "remind", N_("Reminder"), id="cases_remind", show=False,
                tooltip=N_("send a reminder (催辦單) on this overdue case to a department")),
        Binding("ctrl+w", "save_reminder", N_("Reminder PDF"), id="cases_save_reminder",
                show=False, tooltip=N_("save one of this case's reminders as a one-page PDF")),
        Binding("ctrl+l", "issue_slip", N_("Issue slip"), id="cases_issue_slip",
                tooltip=N_("sales or a supervisor issue a return slip for the case shown")),
        Binding("escape", "back", N_("List"), id="cases_back",
                tooltip=N_("back to the list (a narrow terminal shows a case on its own)")),
        Binding("ctrl+r", "reload", N_("Open cases"), id="cases_reload",
                tooltip=N_("back to the list of open cases")),
        *LIST_KEYS,
    ]
    NARROW = 100     # columns below which a case and the list take turns
    ACTION_PERMISSIONS = {"decide": "case.decide"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseRow] = []
        self.detail: CaseDetail | None = None
        self.searched = ""
        self.folder = str(Path.home())

    def compose_body(self) -> ComposeResult:
        yield Static("", id="found")
        with Horizontal(id="cases-body"):
            yield RowList(CASE_COLUMNS, id="cases")
            with Vertical(id="case-pane"):
                yield Static("", id="case-facts")
                yield Static("", id="case-deadline")
                with VerticalScroll(id="case-events"):
                    yield Static("", id="case-timeline")

    def on_mount(self) -> None:
        self.search("")

    def can_do(self, action: str) -> bool | None:
        if action == "decide":
            return self.detail is not None and self.detail.status == "awaiting_decision"
        if action == "back":
            return self.has_class("-narrow") and self.detail is not None
        return True

    def why_not_now(self, action: str) -> str | None:
        if action == "decide":
            if self.detail is None:
                return _("choose a case first: scan or type it, or pick it with ↑ ↓ and Enter")
            return _("case {case} does not wait for a decision on a late complaint").format(
                case=self.detail.case_no)
        if action == "back":
            return _("the list of cases is shown already")
        return None

    # --- a narrow terminal: the list, or one case over the whole width -----------------------

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW, "-narrow")
        self.refresh_bindings()

    def action_back(self) -> None:
        self.show_detail(None)

    def action_move(self, step: int) -> None:
        if self.has_class("-narrow") and self.detail is not None:   # the list is not shown
            self.query_one("#case-pane").scroll_relative(y=step, animate=False)
        else:
            super().action_move(step)

    def handle_scan(self, code: str, scan_id: str) -> None:
        self.search(code)

    def open(self, target: Target) -> None:
        self.search(target.case_no)

    def action_reload(self) -> None:
        self.search("")

    @work(thread=True, exclusive=True, group="search")
    def search(self, text: str, keep: str | None = None) -> None:
        """The cases for `text`; with `keep`, that case stays shown (after a form records)."""
        self.searched = text
        today = clock.today()
        with in_db(self):
            if not text:
                cases = lists.open_cases()
            else:
                cases = find_cases(scanned_unit_code(text, read_label) or text, limit=lists.PAGE)
            rows = [case_row(case, today) for case in cases]
            shown = keep or (rows[0].case_no if len(rows) == 1 else None)
            detail = case_detail(shown) if shown else None
            on_ui(self, self.show_found, text, rows, detail)

    def show_found(self, text: str, rows: list[CaseRow], detail: CaseDetail | None) -> None:
        self.rows = rows
        values, overdue = [], []
        for row in rows:
            due = row.due[5:]    # MM-DD: the year is in the case's details
            due = f"{due} · {short_days(row.left)}" if due and row.left is not None else due
            values.append((row.case_no, row.customer, row.order_no, row.status, due))
            overdue.append(row.left is not None and row.left < 0)
        numbers = [row.case_no for row in rows]
        cursor = numbers.index(detail.case_no) if detail and detail.case_no in numbers else 0
        self.query_one("#cases", RowList).show(values, overdue, cursor=cursor)
        more = (_(" (the first {n}: type more to narrow it)").format(n=lists.PAGE)
                if len(rows) == lists.PAGE else "")
        found = self.query_one("#found", Static)
        if not text:
            found.update(_("open cases, nearest deadline first: {n}{more}").format(
                n=len(rows), more=more))
        elif rows:
            found.update(Content(ngettext("{n} case for {text}{more}", "{n} cases for {text}{more}",
                                          len(rows)).format(n=len(rows), text=repr(text), more=more)))
        else:
            found.update(Content(_("no case for {text}: try a case number, customer code, "
                                   "order number, slip number or label").format(text=repr(text))))
            self.app.bell()
        self.show_detail(detail)

    def pick(self) -> None:
        table = self.query_one("#cases", RowList)
        if table.cursor < len(self.rows):
            self.load_detail(self.rows[table.cursor].case_no)

    @work(thread=True, exclusive=True, group="detail")
    def load_detail(self, case_no: str) -> None:
        with in_db(self):
            on_ui(self, self.show_detail, case_detail(case_no))

    def show_detail(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        self.query_one("#case-facts", Static).update(
            Content(detail.facts) if detail else _("Choose a case (↑ ↓ Enter) to see its steps."))
        deadline = self.query_one("#case-deadline", Static)
        deadline.update(Content(detail.deadline) if detail else "")
        deadline.set_class(bool(detail and detail.overdue), "-overdue")
        self.query_one("#case-timeline", Static).update(Content(detail.events) if detail else "")
        self.set_class(detail is not None, "-has-case")
        if detail is not None:
            self.query_one("#case-events").scroll_home(animate=False)
            self.query_one("#case-pane").scroll_home(animate=False)
        self.refresh_bindings()

    def action_decide(self) -> None:
        detail, user = self.detail, self.app.user
        self.app.push_screen(FormDialog(
            _("Late complaint {case}").format(case=detail.case_no), [
                Field("decision", _("Decision"),
                      tuple((d, _(LATE_NAMES[d])) for d in LATE_DECISIONS)),
                Field("reason", _("Reason (kept with the case)")),
            ], intro=_("Outside its acceptance window: not accepted, or accepted against payment, "
                       "unless you accept it."),
            record=lambda v: decide_late(user, detail.case_no, v["decision"], v["reason"])),
            self.decided)

    def decided(self, case) -> None:
        if case is not None:
            self.notify(late_decided(case))
            self.search(self.searched, keep=case.case_no)

    # --- the case's own keys: each acts or says why not ------------------------------------

    def ready(self, permission: str, *, case: bool = True) -> bool:
        """Whether the key may act: the role may, and a case is shown where one is needed."""
        problem = forms.why_not(self.app.user, permission)
        if problem is None and case and self.detail is None:
            problem = _("choose a case first: scan or type it, or pick it with ↑ ↓ and Enter")
        if problem is not None:
            self.app.refuse(problem)
        return problem is None

    def ask(self, dialog, done: Callable | None = None) -> None:
        self.app.push_screen(dialog, done or self.recorded)

    def recorded(self, result) -> None:
        """A form recorded: the list and the case as they are now."""
        if result is not None and self.detail is not None:
            self.search(self.searched, keep=self.detail.case_no)

    def action_intake(self) -> None:
        if self.ready("case.open", case=False):
            self.ask(forms.intake_dialog(self.app.user, self.customer_hint()), self.opened)

    def customer_hint(self) -> str:
        """The customer the intake form starts with: the shown case's, the one customer of
        the cases found, or a code scanned here that found no case yet."""
        if self.detail is not None:
            return self.detail.customer_code
        customers = {row.customer for row in self.rows}
        if self.searched and len(customers) == 1:
            return customers.pop()
        return self.searched.strip()[:20] if self.searched and not self.rows else ""

    def opened(self, case) -> None:
        if case is not None:
            self.app.notify(_("case {case} is opened").format(case=case.case_no), timeout=10)
            self.search(case.case_no)

    def action_defect_qty(self) -> None:
        if self.ready("case.defect_qty"):
            if self.detail.defect_qty_known:
                self.app.refuse(_("case {case} already has its defective quantity").format(
                    case=self.detail.case_no))
            else:
                self.ask(forms.defect_qty_dialog(self.app.user, self.detail))

    def action_attach(self) -> None:
        if self.ready("case.attach"):
            self.ask(forms.attach_dialog(self.app.user, self.detail))

    def action_save_attachment(self) -> None:
        if self.ready("view"):
            if not self.detail.attachments:
                self.app.refuse(_("case {case} has no attachments (ctrl+a adds one)").format(
                    case=self.detail.case_no))
            else:
                self.ask(forms.save_attachment_dialog(self.detail, self.folder), self.saved)

    def saved(self, path) -> None:
        if path is not None:
            self.folder = str(path.parent)
            self.app.notify(_("saved {path}").format(path=path), timeout=10)

    def action_assess(self) -> None:
        if self.ready("case.assess"):
            self.ask(forms.assess_dialog(self.app.user, self.detail,
                                         f"{self.detail.reply}; {self.detail.deadline}"))

    def action_close_case(self) -> None:
        if self.ready("case.close"):
            if self.detail.status != "open":
                self.app.refuse(_("case {case} is {status}: only an open case is closed").format(
                    case=self.detail.case_no, status=word("status", self.detail.status)))
            else:
                self.ask(forms.close_dialog(self.app.user, self.detail))

    def action_reopen(self) -> None:
        if self.ready("case.reopen"):
            if self.detail.status != "closed":
                self.app.refuse(_("case {case} is {status}: only a closed case is reopened").format(
                    case=self.detail.case_no, status=word("status", self.detail.status)))
            else:
                self.ask(forms.reopen_dialog(self.app.user, self.detail))

    def action_remind(self) -> None:
        if self.ready("case.remind"):
            self.ask(forms.remind_dialog(self.app.user, self.detail))

    def action_save_reminder(self) -> None:
        if self.ready("view"):
            if not self.detail.reminders:
                self.app.refuse(_("case {case} has no reminders").format(case=self.detail.case_no))
            else:
                self.ask(forms.save_reminder_dialog(self.detail, self.folder), self.saved)

    def action_issue_slip(self) -> None:
        open_slip_form(self, self.detail.case_no if self.detail else None, self.load_detail)
