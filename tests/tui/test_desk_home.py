"""Home (F2) for each role: replies due, reminders to the role's department, slips to approve,
the monthly report's notice; and the monthly report itself (F9), marked done by a supervisor."""
from __future__ import annotations

import datetime as dt

from textual.widgets import Static

from models import clock
from models.cases import CaseFacts, assess, open_case
from models.closing import close_case
from models.inspection import Portion, inspect
from models.receiving import close_receiving, receive_scan
from models.reminders import issue_reminder
from models.slips import LineSpec, issue_slip
from models.tables import MonthlyReportDone
from models.i18n import set_language
from tui.desk.report import LinesView, MonthlyReportScreen, month_words

from ..helpers import case, customer, slip
from .test_desk import desk_test, settle, sign_in, text

FRIDAY = dt.datetime(2026, 11, 20, 9)        # the next working day is Monday 23 November


def kinds(app) -> list[tuple[str, str]]:
    return [(row.kind, row.key) for row in app.screen.rows]


def notice_shown(app) -> bool:
    return app.screen.query_one("#notice", Static).display


def test_replies_due_by_the_next_working_day_or_past_are_listed(desk):
    customer(desk)
    past = case(desk, opened=dt.date(2026, 11, 18), received=dt.date(2026, 11, 17))
    near = case(desk, opened=dt.date(2026, 11, 20), received=dt.date(2026, 11, 19))
    with clock.frozen(FRIDAY):                             # severe: due Tuesday, not yet
        later = open_case(desk.supervisor, CaseFacts("C1", "PO-2", "P-2", dt.date(2026, 11, 19),
                                                     "appearance", "severe"))
    replied = case(desk, opened=dt.date(2026, 11, 18), received=dt.date(2026, 11, 17))
    with clock.frozen(dt.datetime(2026, 11, 18, 15)):
        assess(desk.inspector, replied.case_no, "ours", "quality", "return")

    @desk_test
    async def inspector(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        assert kinds(app) == [("reply overdue", past.case_no), ("reply due", near.case_no)]
        assert later.case_no not in {key for _, key in kinds(app)}
        assert "replies due: 2" in text(app, "#counts")     # overdue or due, counted alike
        assert "reply was due 2026-11-19" in app.screen.rows[0].when
        assert app.screen.rows[0].late and not app.screen.rows[1].late
        await pilot.press("down", "enter")                # opens on the Cases screen
        await settle(pilot)
        assert app.current_mode == "cases"
        assert near.case_no in text(app, "#case-facts")

    @desk_test
    async def sales(desk, pilot):                          # read-only, but they see them
        await sign_in(pilot, "sales")
        assert [kind for kind, _ in kinds(pilot.app)] == ["reply overdue", "reply due"]
        assert "replies due: 2" in text(pilot.app, "#counts")

    @desk_test
    async def clerk(desk, pilot):
        await sign_in(pilot, "clerk")
        assert kinds(pilot.app) == []
        assert "replies due" not in text(pilot.app, "#counts")      # not their work

    with clock.frozen(FRIDAY):
        inspector(desk)
        sales(desk)
        clerk(desk)


def test_home_counts_every_reply_due_where_it_lists_the_first_ones(desk):
    customer(desk)
    owed = [case(desk, opened=dt.date(2026, 11, 18), received=dt.date(2026, 11, 17))
            for _ in range(10)]
    late = case(desk, opened=dt.date(2026, 11, 19), received=dt.date(2026, 10, 1))

    @desk_test
    async def supervisor(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        replies = [key for kind, key in kinds(app) if kind.startswith("reply")]
        assert replies == [c.case_no for c in owed[:8]]          # home lists the first 8
        # the late complaint owes its reply too: listed once, as a late complaint
        assert ("late complaint", late.case_no) in kinds(app)
        assert "replies due: 11" in text(app, "#counts")

    assert late.status == "awaiting_decision"
    with clock.frozen(FRIDAY):
        supervisor(desk)


def test_a_reminder_shows_on_the_home_of_the_department_it_went_to(desk):
    customer(desk)
    overdue = case(desk, opened=dt.date(2026, 11, 2), received=dt.date(2026, 11, 1))
    with clock.frozen(dt.datetime(2026, 11, 2, 15)):
        assess(desk.inspector, overdue.case_no, "ours", "quality", "return")
    with clock.frozen(dt.datetime(2026, 11, 19, 10)):      # due 15 November
        issue_reminder(desk.supervisor, overdue.case_no, "quality", "reply to the customer")

    @desk_test
    async def inspector(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        assert kinds(app)[0] == ("reminder", overdue.case_no)
        assert "to quality · reply to the customer" in app.screen.rows[0].what
        assert app.screen.rows[0].when == "sent 2026-11-19 (4 d late)"

    @desk_test
    async def supervisor(desk, pilot):
        await sign_in(pilot, "supervisor")
        assert "reminder" not in {kind for kind, _ in kinds(pilot.app)}

    @desk_test
    async def supervisor_again(desk, pilot):
        await sign_in(pilot, "supervisor")
        rows = [row for row in pilot.app.screen.rows if row.kind == "reminder"]
        assert [row.what for row in rows] == ["to manufacturing"]

    with clock.frozen(FRIDAY):
        inspector(desk)
        supervisor(desk)
        issue_reminder(desk.supervisor, overdue.case_no, "manufacturing")
        supervisor_again(desk)


def test_a_slip_waiting_for_approval_is_on_the_supervisors_home(desk):
    customer(desk)
    c = case(desk, opened=dt.date(2026, 11, 19), received=dt.date(2026, 11, 18))
    with clock.frozen(dt.datetime(2026, 11, 19, 15)):
        assess(desk.inspector, c.case_no, "ours", "quality", "return")
    s = slip(desk, c.case_no, ("P-1", "pcs", "5", "1"), approved=False)

    @desk_test
    async def body(desk, pilot):
        await sign_in(pilot, "supervisor")
        assert ("slip to approve", s.slip_no) in kinds(pilot.app)
        assert "slips to approve: 1" in text(pilot.app, "#counts")

    with clock.frozen(FRIDAY):
        body(desk)


# --- the monthly report ---------------------------------------------------------------------

def november(desk):
    """Three cases closed in November 2026: one on time, one late, and a customer-caused
    return whose two failed gearboxes are the quality cost (2 x 96.00)."""
    customer(desk, "C1")
    customer(desk, "KRAU", market="foreign")
    on_time = case(desk, "C1", opened=dt.date(2026, 11, 2), received=dt.date(2026, 11, 1))
    late = case(desk, "C1", opened=dt.date(2026, 10, 26), received=dt.date(2026, 10, 23))
    caused = case(desk, "KRAU", opened=dt.date(2026, 11, 2), received=dt.date(2026, 11, 1),
                  category="model_quantity")
    with clock.frozen(dt.datetime(2026, 11, 3, 10)):
        assess(desk.inspector, on_time.case_no, "ours", "quality", "allowance", "50.00")
        assess(desk.inspector, late.case_no, "ours", "process", "repair")
        assess(desk.inspector, caused.case_no, "not_ours", "customer_order", "exchange")
        s = issue_slip(desk.sales, caused.case_no,
                       [LineSpec(1, "GRB-8", "Gearbox", "pcs", "2", "96.00", None, "wrong ratio",
                                 "return")], regional_manager="H. Becker",
                       approved_by=desk.supervisor)
    with clock.frozen(dt.datetime(2026, 11, 5, 10)):
        units = [receive_scan(desk.clerk, s.slip_no, "GRB-8").unit for _ in range(2)]
        close_receiving(desk.clerk, s.slip_no)
        for unit in units:
            inspect(desk.inspector, unit.code, [Portion(False, "scrap", "1")], "appearance",
                    "cracked housing")
    with clock.frozen(dt.datetime(2026, 11, 10, 10)):
        close_case(desk.inspector, on_time.case_no)       # due 15 November
        close_case(desk.inspector, late.case_no)          # due 8 November: 2 days late
        close_case(desk.supervisor, caused.case_no, "exchange shipped; slip not booked yet")


def test_the_report_notice_is_on_the_supervisors_home_before_the_10th_only(desk):
    @desk_test
    async def before(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        assert notice_shown(app)
        assert "November 2026 is due before the 10th" in text(app, "#notice")

    @desk_test
    async def not_shown(desk, pilot):
        await sign_in(pilot, "supervisor")
        assert not notice_shown(pilot.app)

    @desk_test
    async def inspector(desk, pilot):
        await sign_in(pilot, "inspector")
        assert not notice_shown(pilot.app)

    with clock.frozen(dt.datetime(2026, 12, 9, 17)):
        before(desk)
        inspector(desk)
    with clock.frozen(dt.datetime(2026, 12, 10, 8)):
        not_shown(desk)


def report_text(app) -> str:
    """The report's lines as its view holds them, each written out (tui.desk.report)."""
    return "\n".join(app.screen.query_one("#report-body", LinesView).lines)


def test_the_report_shows_counts_shares_and_quality_cost_and_is_marked_done(desk):
    november(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "supervisor")
        assert notice_shown(app)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, MonthlyReportScreen)
        assert "November 2026" in str(app.screen.query_one("#report-title").render())
        report = report_text(app)
        assert "Closed cases: 3    on time: 2 (66.7 %)    late: 1 (33.3 %)" in report
        lines = [line.split() for line in report.splitlines()]
        assert ["ours", "2", "66.7", "%"] in lines
        assert ["not", "ours", "1", "33.3", "%"] in lines
        assert ["model", "or", "quantity", "1", "33.3", "%"] in lines
        assert ["C1", "Customer", "C1", "2", "66.7", "%"] in lines
        assert ["KRAU", "Customer", "KRAU", "2", "pcs", "192.00", "CNY"] in lines
        assert ["total", "192.00", "CNY"] in lines
        assert "not marked done yet" in text(app, "#report-done")

        await pilot.press("left")                          # October: nothing closed
        await settle(pilot)
        assert "Closed cases: 0" in report_text(app)
        await pilot.press("right", "f8")
        await settle(pilot)
        done = MonthlyReportDone.get()
        assert (done.month, done.by.name) == ("2026-11", "supervisor")
        assert "marked done by supervisor on 2026-12-03" in text(app, "#report-done")
        await pilot.press("f8")                            # done once: the key is dimmed
        await settle(pilot)
        assert MonthlyReportDone.select().count() == 1
        await pilot.press("right", "right")                # December is in progress: no later
        await settle(pilot)
        assert app.screen.month == "2026-12"
        assert "→: December 2026 is the month in progress" in "\n".join(
            notice.message for notice in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert not notice_shown(app)

    with clock.frozen(dt.datetime(2026, 12, 3, 9)):
        body(desk)


def test_finance_reads_the_report_but_does_not_mark_it_done(desk):
    november(desk)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "finance")
        assert not notice_shown(app)
        await pilot.press("f9")
        await settle(pilot)
        assert "Closed cases: 3" in report_text(app)
        assert "done" not in {b.binding.action for b in app.screen.active_bindings.values()}
        await pilot.press("f8")
        await settle(pilot)
        assert not MonthlyReportDone.select().exists()

    with clock.frozen(dt.datetime(2026, 12, 3, 9)):
        body(desk)


def test_home_leads_to_every_unit_waiting_for_inspection(desk):
    """Issue 16.11: home said "units to inspect: 6" and listed 4, with no way to the rest."""
    from models.receiving import receive_scan
    from ..helpers import ready_slip
    with clock.frozen(FRIDAY):
        s = ready_slip(desk, ("P-1", "pcs", "6", "1"))
        codes = [receive_scan(desk.clerk, s.slip_no, "P-1").unit.code for _ in range(6)]

    @desk_test
    async def inspector(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        assert "units to inspect: 6" in text(app, "#counts")
        units = [(kind, key) for kind, key in kinds(app) if "inspect" in kind]
        assert units == [*(("unit to inspect", code) for code in codes[:4]),
                         ("all to inspect", "6 units")]
        await pilot.press(*["down"] * kinds(app).index(("all to inspect", "6 units")), "enter")
        await settle(pilot)
        assert app.current_mode == "inspection"
        assert [row.code for row in app.screen.queue] == codes     # all of them, oldest first

    with clock.frozen(FRIDAY):
        inspector(desk)


def test_a_month_in_words_in_each_language():
    # Babel's month names in the desk's language, not strftime's (the process's C locale).
    shown = {}
    try:
        for code in ("en", "zh-Hant", "zh-Hans"):
            set_language(code)
            shown[code] = month_words("2026-11")
    finally:
        set_language("en")
    assert shown == {"en": "November 2026", "zh-Hant": "2026年11月", "zh-Hans": "2026年11月"}


@desk_test
async def test_the_next_persons_home_shows_the_chart_drawn_for_the_last(desk, pilot, monkeypatch):
    # plotext draws in Python on the UI thread (~40 ms): the same figures at the same size are
    # drawn once, whoever signs in next
    from textual_plotext import PlotextPlot

    from tui.desk.monthly_plot import MonthlyPlot
    monkeypatch.setattr(MonthlyPlot, "_kept", (None, None))    # kept by an earlier test's desk
    drawn = []
    render = PlotextPlot.render
    monkeypatch.setattr(PlotextPlot, "render", lambda plot: drawn.append(1) or render(plot))
    await sign_in(pilot, "supervisor")
    assert pilot.app.screen.query_one("#chart-plot").visible and drawn
    first = len(drawn)
    await pilot.press("f12")
    await settle(pilot)
    await sign_in(pilot, "finance")
    plot = pilot.app.screen.query_one("#chart-plot")
    assert plot.visible and plot.figures is not None and len(drawn) == first
