"""Home: what waits for the signed-in person, and returns per month for those who steer."""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from models import clock, lists
from models.cases import decide_late
from models.access import allowed
from models.i18n import N_, _, language
from models.reports import previous_month
from tui.desk.background import ReadAhead, app_of, in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import FormDialog, late_choices, late_decided
from tui.desk.form_view import Field
from tui.desk.monthly_plot import MonthlyPlot
from tui.desk.report import MonthlyReportScreen, month_words, read_report
from tui.desk.widgets import MARK_GAP, Columns, RowList
from tui.work import home
from tui.work.home import Summary, Waiting, kind_word
from models.words import word

CHART_ROOM = 32     # lines the screen needs to show the chart below the list
# The bars' colours, one per category, named here so that the legend (drawn by Textual, not by
# plotext) shows the same ones: plotext counts a Chinese character as one cell, so its own
# legend and title broke the chart's right border in Chinese.
BAR_COLOURS = [(0, 130, 200), (60, 180, 75), (230, 25, 75), (255, 225, 25), (245, 130, 48)]
WAITING_COLUMNS = Columns((N_("waiting"), 16, False), (N_("number"), 12, False),
                          (N_("what"), 50, False), (N_("since / due"), 27, False))


class WaitingList(RowList):
    """Home's list of what waits. Where its last column ("since / due") has no room (80
    columns), a row with a brief form shows that instead of its `what`: the facts that matter
    within what is seen of the "what" column; a row without one says its "since / due" first
    (how late a case is, when a reply is due), then its `what`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(WAITING_COLUMNS, id=id)
        self.waiting: list[Waiting] = []
        self.briefly = False

    def show_waiting(self, rows: list[Waiting]) -> None:
        self.waiting = rows
        self.briefly = self.too_narrow()
        self.show_rows()

    def show_rows(self, cursor: int = 0) -> None:
        self.show(((kind_word(row.kind), row.key, self.what(row), row.when)
                   for row in self.waiting), (row.late for row in self.waiting), cursor)

    def what(self, row: Waiting) -> str:
        if not self.briefly:
            return row.what
        return row.brief or " · ".join(part for part in (row.when, row.what) if part)

    def too_narrow(self) -> bool:
        room = self.content_size.width          # 0: not laid out yet (a resize follows)
        return 0 < room < len(MARK_GAP) + self.columns.width()

    def on_resize(self) -> None:     # (RowList's own on_resize runs too: Textual calls both)
        if self.waiting and self.too_narrow() != self.briefly:
            self.briefly = not self.briefly
            self.show_rows(self.cursor)


def read_home_ahead(reads: ReadAhead, role: str) -> None:
    """At a sign-in: what home will show, read while it is being made (see ReadAhead)."""
    today = clock.today()
    reads.start(("home", role, language()), lambda: home.summary(role, today))
    if allowed(role, "statistics"):
        reads.start(("chart",), lambda: lists.returns_per_month(12, today))


class OverviewScreen(DeskScreen):
    TITLE = N_("Overview")
    HELP = N_("""\
## Overview
What waits, for your role: slips to receive, units to inspect, slips to book, overdue cases,
late complaints and slips that need a supervisor, quality's replies due by the next working
day or past, and reminders sent to your department (quality: inspectors; sales: sales;
manufacturing and R&D: the supervisor).

- ↑ ↓ choose a row, Enter opens it where you work on it. Home lists the first units to
  inspect; when more wait, the row after them opens Inspection's list of them all.
- Scan or type any slip, case or unit label to open it.
- Supervisors: **F7** decides the highlighted late complaint (accept, accept against payment,
  or reject, with a reason). Before the 10th, home says when last month's report is due.
- **F9** opens the monthly report (supervisors, finance); a supervisor marks it done there.
""")
    BINDINGS = [
        Binding("f7", "decide", N_("Decide late"), id="overview_decide",
                tooltip=N_("accept, accept against payment or reject the highlighted late complaint")),
        Binding("f9", "report", N_("Monthly report"), id="overview_report",
                tooltip=N_("the month's closed cases, shares and quality cost; a supervisor marks it done")),
        Binding("ctrl+r", "reload", N_("Reload"), id="overview_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"decide": "case.decide", "report": "statistics"}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Waiting] = []
        self.report_due = ""           # the month whose report is due, while it is

    def compose_body(self) -> ComposeResult:
        yield Static("", id="notice")
        yield Static("", id="counts")
        yield WaitingList(id="waiting")
        with Vertical(id="chart"):
            yield Static("", id="chart-title")
            yield Static("", id="chart-legend")
            plot = MonthlyPlot(id="chart-plot")
            # Its room kept, but not drawn until its figures come: an empty plot costs a full
            # plot's drawing (~20 ms) on every home opened.
            plot.visible = False
            yield plot

    def on_mount(self) -> None:
        table = self.query_one("#waiting", RowList)
        table.border_title = _("what waits · ↑ ↓ choose, Enter opens it")
        self.fit_chart()

    def on_resize(self) -> None:
        self.fit_chart()

    def fit_chart(self) -> None:
        # On a small terminal (80x24) the chart's 16 lines would leave no room for the list
        # of what waits, which comes first.
        self.query_one("#chart").display = self.has_chart() and self.size.height >= CHART_ROOM

    def on_screen_resume(self) -> None:
        # Also when first shown, after on_mount: loading there too ran the summary twice at
        # once, each in its own thread (~130 ms each on a 1,000,000-line site, against each
        # other and the first paint).
        self.action_reload()

    def can_do(self, action: str) -> bool | None:
        if action == "decide":
            return self.highlighted() is not None and self.highlighted().kind == "late complaint" or None
        return True

    def why_not_now(self, action: str) -> str | None:
        if action == "decide":
            return _("choose a late complaint (↑ ↓) first")
        return None

    def has_chart(self) -> bool:
        return self.may("statistics")

    def action_reload(self) -> None:
        self.load_summary(self.app.user.role if self.app.user else "")
        if self.has_chart():
            self.load_chart()

    @work(thread=True, exclusive=True, group="overview")
    def load_summary(self, role: str) -> None:
        with in_db(self):
            on_ui(self, self.show, app_of(self).reads.take(
                ("home", role, language()), lambda: home.summary(role, clock.today())))

    # In a thread of its own: the database counts the year's slips (~20 ms on a 1,000,000-line
    # site) while the summary's queries run and the rows are drawn.
    @work(thread=True, exclusive=True, group="overview-chart")
    def load_chart(self) -> None:
        with in_db(self):
            on_ui(self, self.draw_chart, app_of(self).reads.take(
                ("chart",), lambda: lists.returns_per_month(12, clock.today())))

    def show(self, summary: Summary) -> None:
        self.rows = summary.rows
        self.report_due = summary.report_due
        notice = self.query_one("#notice", Static)
        notice.display = bool(summary.report_due)
        if summary.report_due:
            notice.update(Content(_("The monthly report for {month} is due before the 10th: F9 "
                                    "opens it, F8 there marks it done.").format(
                                        month=month_words(summary.report_due))))
        self.query_one("#counts", Static).update(Content("   ".join(
            _("{what}: {n}").format(what=_(what), n=count) for what, count in summary.counts)))
        self.query_one("#waiting", WaitingList).show_waiting(summary.rows)
        self.refresh_bindings()

    def draw_chart(self, chart: lists.MonthlyReturns) -> None:
        plot = self.query_one("#chart-plot", MonthlyPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        months = [month[2:] for month in chart.months]     # "26-10": short enough for 12 bars
        colours = [BAR_COLOURS[n % len(BAR_COLOURS)] for n in range(len(chart.by_category))]
        plt.stacked_bar(months, list(chart.by_category.values()), color=colours)
        top = max((sum(column) for column in zip(*chart.by_category.values())), default=0)
        step = max(1, -(-top // 5))
        plt.yticks(list(range(0, max(top, 1) + step, step)))   # whole slips, not 0.33
        self.query_one("#chart-title", Static).update(
            _("return slips issued per month, by complaint category"))
        self.query_one("#chart-legend", Static).update(Content("   ").join(
            Content.assemble(("██", "rgb({},{},{})".format(*colour)), " ", word("category", code))
            for colour, code in zip(colours, chart.by_category)))
        plot.figures = chart
        plot.visible = True
        plot.refresh()

    def highlighted(self) -> Waiting | None:
        cursor = self.query_one("#waiting", RowList).cursor
        return self.rows[cursor] if cursor < len(self.rows) else None

    def on_row_list_highlighted(self, event: RowList.Highlighted) -> None:
        self.refresh_bindings()

    def pick(self) -> None:
        row = self.highlighted()
        if row is not None and row.target is not None:
            self.app.call_later(self.app.show_target, row.target)
        elif row is not None:
            self.app.call_later(self.app.run_action, f"go({row.place!r})")

    def action_decide(self) -> None:
        row = self.highlighted()
        if row is None or row.kind != "late complaint":
            self.app.refuse(_("choose a late complaint (↑ ↓) first"))
            return
        user = self.app.user
        self.app.push_screen(FormDialog(
            _("Late complaint {case}").format(case=row.key), [
                Field("decision", _("Decision"), late_choices()),
                Field("reason", _("Reason (kept with the case)")),
            ], intro=_("{what}. Outside its acceptance window: not accepted, or accepted "
                       "against payment, unless you accept it.").format(what=row.what),
            record=lambda v: decide_late(user, row.key, v["decision"], v["reason"])),
            self.decided)

    def action_report(self) -> None:
        self.open_report(self.report_due or previous_month(clock.today()))

    @work(thread=True, exclusive=True, group="report")
    def open_report(self, month: str) -> None:
        """The report is read, then opened with it: read while the empty report was being
        painted, a big site's month (~1,700 lines) took twice as long to show."""
        with in_db(self):
            on_ui(self, self.show_report, month, read_report(month))

    def show_report(self, month: str, read) -> None:
        if self.app.screen is not self:     # left meanwhile (or F9 twice: open already)
            return
        self.app.push_screen(MonthlyReportScreen(month, read), lambda _result: self.action_reload())

    def decided(self, result) -> None:
        if result is not None:
            self.notify(late_decided(result))
            self.action_reload()
