"""Home: what waits for the signed-in person, and returns per month for those who steer."""
from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static
from textual_plotext import PlotextPlot

from models import clock, lists
from models.access import sees
from models.cases import LATE_DECISIONS, decide_late, overdue_cases
from models.codes import Target
from models.inspection import inspection_queue
from models.numbers import qty
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import LATE_NAMES, Field, FormDialog
from tui.desk.widgets import Columns, RowList

SHOWN = 8   # rows of each kind on the home screen; the full lists are on their screens
WAITING_COLUMNS = Columns(("waiting", 16, False), ("number", 12, False), ("what", 50, False),
                          ("since / due", 27, False))


@dataclass(frozen=True)
class Waiting:
    kind: str
    key: str
    what: str
    when: str
    target: Target
    late: bool = False


@dataclass(frozen=True)
class Summary:
    counts: list[tuple[str, int]]
    rows: list[Waiting]


class OverviewScreen(DeskScreen):
    TITLE = "Overview"
    HELP = """\
## Overview
What waits, for your role: slips to receive, units to inspect, slips to book, overdue cases
and late complaints that need a supervisor.

- ↑ ↓ choose a row, Enter opens it where you work on it.
- Scan or type any slip, case or unit label to open it.
- Supervisors: **F7** decides the highlighted late complaint (accept, accept against payment,
  or reject, with a reason).
"""
    BINDINGS = [
        Binding("f7", "decide", "Decide late", id="overview_decide",
                tooltip="accept, accept against payment or reject the highlighted late complaint"),
        Binding("ctrl+r", "reload", "Reload", id="overview_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"decide": "case.decide"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Waiting] = []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="counts")
        yield RowList(WAITING_COLUMNS, id="waiting")
        yield PlotextPlot(id="chart")

    def on_mount(self) -> None:
        table = self.query_one("#waiting", RowList)
        table.border_title = "what waits · ↑ ↓ choose, Enter opens it"
        self.query_one("#chart").display = self.has_chart()

    def on_screen_resume(self) -> None:
        # Also when first shown, after on_mount: loading there too ran the summary twice at
        # once, each in its own thread (~130 ms each on a 1,000,000-line site, against each
        # other and the first paint).
        self.action_reload()

    def can_do(self, action: str) -> bool | None:
        if action == "decide":
            return self.highlighted() is not None and self.highlighted().kind == "late complaint" or None
        return True

    def has_chart(self) -> bool:
        return self.may("statistics")

    def action_reload(self) -> None:
        self.load_summary(self.app.user.role if self.app.user else "")
        if self.has_chart():
            self.load_chart()

    @work(thread=True, exclusive=True, group="overview")
    def load_summary(self, role: str) -> None:
        with in_db(self):
            on_ui(self, self.show, self.summary(role))

    # In a thread of its own: the database counts the year's slips (~20 ms on a 1,000,000-line
    # site) while the summary's queries run and the rows are drawn.
    @work(thread=True, exclusive=True, group="overview-chart")
    def load_chart(self) -> None:
        with in_db(self):
            on_ui(self, self.draw_chart, lists.returns_per_month(12, clock.today()))

    def summary(self, role: str) -> Summary:
        """Worker thread: the counts and first rows of each kind this role works on."""
        counts, rows = [], []
        today = clock.today()
        if sees(role, "receive"):
            counts.append(("slips to receive", lists.count_slips("receiving")))
            for slip in lists.slips("receiving", SHOWN):
                rows.append(Waiting("slip to receive", slip.slip_no, f"{slip.customer} · case {slip.case_no}",
                                    str(slip.issued_on), Target("slip", slip.slip_no, slip.case_no,
                                                                slip.slip_no, "receiving")))
        if sees(role, "inspect"):
            counts.append(("units to inspect", lists.count_awaiting_units()))
            units = inspection_queue(limit=SHOWN // 2)
            parts = lists.unit_rows(units)
            for unit in units:
                part, measure, slip_no, case_no = parts[unit.line_id]
                rows.append(Waiting("unit to inspect", unit.code, f"{part} · {qty(unit.qty)} {measure}",
                                    f"{unit.received_at:%Y-%m-%d}",
                                    Target("unit", unit.code, case_no, slip_no, "")))
        if sees(role, "book"):
            counts.append(("slips to book", lists.count_slips("received")))
            for slip in lists.slips("received", SHOWN):
                rows.append(Waiting("slip to book", slip.slip_no, f"{slip.customer} · case {slip.case_no}",
                                    str(slip.issued_on), Target("slip", slip.slip_no, slip.case_no,
                                                                slip.slip_no, "received")))
        counts.append(("overdue cases", lists.count_overdue(today)))
        for case in overdue_cases(today, limit=SHOWN):
            rows.append(Waiting("overdue case", case.case_no, f"{case.customer.code} · {case.order_no}",
                                f"due {case.due_on} ({(today - case.due_on).days} d late)",
                                Target("case", case.case_no, case.case_no), late=True))
        if sees(role, "case.decide"):
            counts.append(("late complaints to decide", lists.count_late_awaiting()))
            for case in lists.late_awaiting(SHOWN):
                rows.append(Waiting("late complaint", case.case_no,
                                    f"{case.customer.code} · {case.category} · "
                                    f"window ended {case.window_ends_on}",
                                    f"opened {case.opened_on}", Target("case", case.case_no, case.case_no),
                                    late=True))
        urgent = {"late complaint": 0, "overdue case": 1}    # what needs a decision comes first
        rows.sort(key=lambda row: urgent.get(row.kind, 2))
        return Summary(counts, rows)

    def show(self, summary: Summary) -> None:
        self.rows = summary.rows
        self.query_one("#counts", Static).update(Content("   ".join(
            f"{what}: {count}" for what, count in summary.counts)))
        self.query_one("#waiting", RowList).show(
            ((row.kind, row.key, row.what, row.when) for row in summary.rows),
            (row.late for row in summary.rows))
        self.refresh_bindings()

    def draw_chart(self, chart: lists.MonthlyReturns) -> None:
        plot = self.query_one("#chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        months = [month[2:] for month in chart.months]     # "26-10": short enough for 12 bars
        plt.stacked_bar(months, list(chart.by_category.values()), labels=list(chart.by_category))
        top = max((sum(column) for column in zip(*chart.by_category.values())), default=0)
        step = max(1, -(-top // 5))
        plt.yticks(list(range(0, max(top, 1) + step, step)))   # whole slips, not 0.33
        plt.title("return slips issued per month, by complaint category")
        plot.refresh()

    def highlighted(self) -> Waiting | None:
        cursor = self.query_one("#waiting", RowList).cursor
        return self.rows[cursor] if cursor < len(self.rows) else None

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        self.refresh_bindings()

    def pick(self) -> None:
        row = self.highlighted()
        if row is not None:
            self.app.call_later(self.app.show_target, row.target)

    def action_decide(self) -> None:
        row = self.highlighted()
        if row is None or row.kind != "late complaint":
            self.app.refuse("choose a late complaint (↑ ↓) first")
            return
        user = self.app.user
        self.app.push_screen(FormDialog(
            f"Late complaint {row.key}", [
                Field("decision", "Decision", tuple((d, LATE_NAMES[d]) for d in LATE_DECISIONS)),
                Field("reason", "Reason (kept with the case)"),
            ], intro=f"{row.what}. Outside its acceptance window: not accepted, or accepted "
                     "against payment, unless you accept it.",
            record=lambda v: decide_late(user, row.key, v["decision"], v["reason"])),
            self.decided)

    def decided(self, result) -> None:
        if result is not None:
            self.notify(f"case {result.case_no}: {result.status.replace('_', ' ')}")
            self.action_reload()
