"""Case status: find a complaint case by anything you know about it, and follow its steps."""
from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from models import clock, lists
from models.cases import LATE_DECISIONS, days_left, decide_late, get_case
from models.codes import Target, scanned_unit_code
from models.numbers import qty
from models.reports import find_cases, timeline
from models.tables import ComplaintCase
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import LATE_NAMES, Field, FormDialog
from tui.desk.slip_form import open_slip_form
from tui.desk.widgets import Columns, RowList
from tui.work.labelling import read_label


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


@dataclass(frozen=True)
class CaseDetail:
    case_no: str
    status: str
    facts: str
    deadline: str
    overdue: bool
    events: str


def days_text(left: int | None) -> str:
    if left is None:
        return ""
    if left < 0:
        return f"overdue by {-left} day(s)"
    return "due today" if left == 0 else f"{left} day(s) left"


CASE_COLUMNS = Columns(("case", 9, False), ("customer", 8, False), ("order", 11, False),
                       ("status", 9, False), ("to close by", 17, False))
STATUS_WORDS = {"awaiting_decision": "to decide"}


def short_days(left: int | None) -> str:
    if left is None:
        return ""
    return f"{-left} d late" if left < 0 else ("today" if left == 0 else f"{left} d left")


def case_row(case: ComplaintCase, today) -> CaseRow:
    return CaseRow(case.case_no, case.customer.code, case.order_no, case.part_no, case.category,
                   STATUS_WORDS.get(case.status, case.status), str(case.due_on or ""),
                   days_left(case, today))


def case_detail(case_no: str) -> CaseDetail:
    """Worker thread: a case's facts, its deadline and every step so far."""
    case = get_case(case_no)
    today = clock.today()
    left = days_left(case, today)
    facts = "\n".join([
        f"Case {case.case_no} · {case.status.replace('_', ' ')} · {case.category}, {case.severity}",
        f"customer {case.customer.code} {case.customer.name} ({case.customer.market})",
        (f"order {case.order_no} · part {case.part_no} · shipped {qty(case.shipped_qty)} · "
         "defective " + (qty(case.defect_qty) if case.defect_qty is not None
                         else "not yet known (customer still processing)")),
        f"received by the customer {case.customer_received_on} · window ended {case.window_ends_on}"
        + (" · LATE" if case.late else ""),
        f"defect: {case.defect or '—'}",
        f"asks for: {case.request or '—'}",
        (f"responsibility: {case.responsibility or '—'} · cause: {case.cause or '—'} · "
         f"outcome: {case.outcome or '—'}"),
    ])
    if case.status == "awaiting_decision":
        deadline = "late complaint: waits for a supervisor's decision"
    elif case.due_on is None or case.status != "open":
        deadline = f"{case.status}" + (f" on {case.closed_on}" if case.closed_on else "")
    else:
        deadline = f"to close by {case.due_on}: {days_text(left)}"
    events = "\n".join(f"{event.at:%Y-%m-%d}  {event.what}" + (f" — {event.who}" if event.who else "")
                       for event in timeline(case))
    return CaseDetail(case.case_no, case.status, facts, deadline,
                      left is not None and left < 0 or case.status == "awaiting_decision", events)


class CasesScreen(DeskScreen):
    TITLE = "Cases"
    SCAN_HINT = "case number, customer, order number, slip or label — then Enter"
    HELP = """\
## Case status
Type or scan what you know: a case number (2611-003), a customer code or name, an order
number, a return slip, or a unit's label. Enter searches. With one match its steps show at
once; otherwise choose with ↑ ↓ and press Enter.

Before any search the list shows the open cases, the nearest deadline first. Overdue cases
are red. Supervisors decide a late complaint with **F7**.
"""
    BINDINGS = [
        Binding("f7", "decide", "Decide late", id="cases_decide",
                tooltip="accept, accept against payment or reject this late complaint"),
        Binding("ctrl+e", "issue_slip", "Issue slip", id="cases_issue_slip",
                tooltip="sales or a supervisor issue a return slip for the case shown"),
        Binding("ctrl+r", "reload", "Open cases", id="cases_reload",
                tooltip="back to the list of open cases"),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"decide": "case.decide"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseRow] = []
        self.detail: CaseDetail | None = None

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
        return True

    def handle_scan(self, code: str, scan_id: str) -> None:
        self.search(code)

    def open(self, target: Target) -> None:
        self.search(target.case_no)

    def action_reload(self) -> None:
        self.search("")

    @work(thread=True, exclusive=True, group="search")
    def search(self, text: str) -> None:
        today = clock.today()
        with in_db(self):
            if not text:
                cases = lists.open_cases()
            else:
                cases = find_cases(scanned_unit_code(text, read_label) or text, limit=lists.PAGE)
            rows = [case_row(case, today) for case in cases]
            detail = case_detail(rows[0].case_no) if len(rows) == 1 else None
            on_ui(self, self.show_found, text, rows, detail)

    def show_found(self, text: str, rows: list[CaseRow], detail: CaseDetail | None) -> None:
        self.rows = rows
        values, overdue = [], []
        for row in rows:
            due = row.due[5:]    # MM-DD: the year is in the case's details
            due = f"{due} · {short_days(row.left)}" if due and row.left is not None else due
            values.append((row.case_no, row.customer, row.order_no, row.status, due))
            overdue.append(row.left is not None and row.left < 0)
        self.query_one("#cases", RowList).show(values, overdue)
        more = f" (the first {lists.PAGE}: type more to narrow it)" if len(rows) == lists.PAGE else ""
        found = self.query_one("#found", Static)
        if not text:
            found.update(f"open cases, nearest deadline first: {len(rows)}{more}")
        elif rows:
            found.update(Content(f"{len(rows)} case(s) for {text!r}{more}"))
        else:
            found.update(Content(f"no case for {text!r}: try a case number, customer code, "
                                 "order number, slip number or label"))
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
            Content(detail.facts) if detail else "Choose a case (↑ ↓ Enter) to see its steps.")
        deadline = self.query_one("#case-deadline", Static)
        deadline.update(Content(detail.deadline) if detail else "")
        deadline.set_class(bool(detail and detail.overdue), "-overdue")
        self.query_one("#case-timeline", Static).update(Content(detail.events) if detail else "")
        self.refresh_bindings()

    def action_decide(self) -> None:
        detail, user = self.detail, self.app.user
        self.app.push_screen(FormDialog(
            f"Late complaint {detail.case_no}", [
                Field("decision", "Decision", tuple((d, LATE_NAMES[d]) for d in LATE_DECISIONS)),
                Field("reason", "Reason (kept with the case)"),
            ], intro="Outside its acceptance window: not accepted, or accepted against payment, "
                     "unless you accept it.",
            record=lambda v: decide_late(user, detail.case_no, v["decision"], v["reason"])),
            self.decided)

    def decided(self, case) -> None:
        if case is not None:
            self.load_detail(case.case_no)

    def action_issue_slip(self) -> None:
        open_slip_form(self, self.detail.case_no if self.detail else None, self.load_detail)
