"""The monthly report at the desk (001 §9.10, §12): a month's closed cases by responsibility,
category and customer, in counts and shares, closed on time or late, what was booked, and the
quality cost of failed customer-caused returns. A supervisor marks the month done here."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Label, Static

from models import clock
from models.access import allowed, not_allowed
from models.i18n import N_, _, language
from models.numbers import money, number
from models.reports import (AmountRow, AmountRows, MonthlyReport, mark_report_done, monthly_report,
                            previous_month, report_done, share)
from tui.desk.background import Leaving, in_db, on_ui
from tui.desk.widgets import cell
from models.words import word

NAME_WIDTH = 40


def padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two)."""
    return text + " " * max(0, width - cell_len(text))


def right(text: str, width: int) -> str:
    return " " * max(0, width - cell_len(text)) + text


def responsibility_word(key: str) -> str:
    """The report counts cases not assessed yet under their own key."""
    return _("not assessed") if key == "unassessed" else word("responsibility", key)


def month_words(month: str) -> str:
    """2026-11 -> November 2026, 2026年11月: Babel's words for a month in the desk's language
    (strftime's %B follows the process's C locale: English whatever the desk speaks)."""
    from babel.dates import format_skeleton     # ~17 ms to import: only once a month is shown
    return format_skeleton("yMMMM", dt.date.fromisoformat(month + "-01"),
                           locale=language().replace("-", "_"))


def other_month(month: str, step: int) -> str:
    """The month `step` months before (-1) or after (+1) `month`."""
    year, number_ = (int(part) for part in month.split("-"))
    index = year * 12 + number_ - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class ReportView:
    """What the screen shows of a month: the report, and who marked it done (empty while
    nobody has)."""
    report: MonthlyReport
    done: str


def read_report(month: str) -> tuple[ReportView, ReportLines]:
    """Worker thread: the month's report with who marked it done, and its lines."""
    done = report_done(month)
    view = ReportView(monthly_report(month),
                      _("marked done by {name} on {day}").format(
                          name=done.by.name, day=f"{done.at:%Y-%m-%d}") if done else "")
    return view, report_lines(view)


class ShareRow(NamedTuple):
    """A count of closed cases and its share, under its label (a category, a customer...)."""
    label: str
    count: int
    share: Decimal


def _amount_line(row: AmountRow, names: dict[str, str]) -> str:
    customer, unit, qty, amount, currency = row
    who = cell(f"{customer} {names.get(customer, '')}", 30)
    return f"  {who} {number(qty):>10} {unit:<5} {money(amount, currency):>12} {currency}"


def _share_line(row: ShareRow) -> str:
    return f"  {cell(row.label, NAME_WIDTH)} {row.count:>6} {row.share:>6} %"


class ReportLines(Sequence[str]):
    """The report's lines, in blocks: lists of texts and share rows, and the month's amount
    rows as read (models.reports.AmountRows). A row (a share, booked, quality cost) is written
    out only when it is asked for, as it scrolls into view: a month of a big site has ~1,700 of
    them (~4 ms to write them all, ~3 ms more to make their amounts, 1,000,000 lines), and the
    screen shows ~30."""

    def __init__(self, blocks: list[Sequence[str | ShareRow | AmountRow]],
                 names: dict[str, str]) -> None:
        self.blocks, self.names = blocks, names
        self.ends = list(accumulate(len(block) for block in blocks))

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        block = bisect_right(self.ends, index)
        return self._written(self.blocks[block][index - (self.ends[block - 1] if block else 0)])

    def _written(self, item: str | ShareRow | AmountRow) -> str:
        if isinstance(item, str):
            return item
        return _share_line(item) if isinstance(item, ShareRow) else _amount_line(item, self.names)

    def width(self) -> int:
        """Cells of the widest line. Rows of a kind are written to columns of one width: the
        first of each kind stands for them all."""
        texts, firsts = [], {}
        for block in self.blocks:
            if isinstance(block, list):
                texts += [item for item in block if isinstance(item, str)]
                items = block
            else:                                   # amount rows: the first is made, no more
                items = block[:1]
            for item in items:
                if not isinstance(item, str):
                    firsts.setdefault(type(item), item)
        return max(map(cell_len, texts + [self._written(item) for item in firsts.values()]))


def _shares(title: str, counts: dict[str, int], shares: dict, words) -> list:
    cases, shares_word = _("cases"), _("share")
    lines: list = [f"{padded(title, NAME_WIDTH + 2)} {right(cases, 6)} {right(shares_word, 8)}",
                   *[ShareRow(words(key), count, shares[key]) for key, count in counts.items()]]
    if not counts:
        lines.append("  " + _("none"))
    return lines


def _amounts(title: str, rows: AmountRows) -> list[Sequence]:
    """Blocks: the title, the rows (made as they are shown), a total per currency."""
    total_word = _("total")
    totals = [f"  {padded(total_word, 47)} {money(total, currency):>12} {currency}"
              for currency, total in rows.totals().items()]   # never EUR and CNY added
    return [[title] if rows else [title, "  " + _("none")], rows, totals]


def report_lines(view: ReportView) -> ReportLines:
    """The report as the screen shows it, in words."""
    report, names = view.report, view.report.names
    closed = report.closed
    return ReportLines([[
        _("Closed cases: {closed}    on time: {on_time} ({on_time_share} %)    late: {late} "
          "({late_share} %)").format(
              closed=closed, on_time=report.closed_on_time,
              on_time_share=share(report.closed_on_time, closed), late=report.closed_late,
              late_share=share(report.closed_late, closed)),
        "",
        *_shares(_("By responsibility"), report.closed_by_responsibility,
                 report.share_by_responsibility, responsibility_word),
        "",
        *_shares(_("By category"), report.closed_by_category, report.share_by_category,
                 lambda key: word("category", key)),
        "",
        *_shares(_("By customer"), report.closed_by_customer, report.share_by_customer,
                 lambda key: f"{key} {names.get(key, '')}".strip()),
        ""],
        *_amounts(_("Booked in the month"), report.booked),
        [""],
        *_amounts(_("Quality cost: failed goods of customer-caused returns (sales side)"),
                  report.quality_cost)], names)


class LinesView(ScrollView):
    """Lines of text, each drawn only as it comes into view (a Log takes every line in
    written out, and measures each)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: Sequence[str] = ()

    def show(self, lines: Sequence[str], width: int) -> None:
        self.lines = lines
        self.virtual_size = Size(width, len(lines))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        style, index = self.rich_style, scroll_y + y
        if index >= len(self.lines):
            return Strip.blank(self.size.width, style)
        line = self.lines[index]
        strip = Strip(Text(line, style=style, no_wrap=True).render(self.app.console),
                      cell_len(line))
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, style)


class MonthlyReportScreen(Leaving, ModalScreen):
    """The report of one month over the screen; ← → go to the month before or after."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="report_close"),
        Binding("left", "month(-1)", N_("Month before"), id="report_before"),
        Binding("right", "month(1)", N_("Month after"), id="report_after"),
        Binding("f8", "done", N_("Mark done"), id="report_done",
                tooltip=N_("the supervisor has done this month's statistics")),
        Binding("up", "scroll(-1)", N_("Up"), show=False, id="report_up"),
        Binding("down", "scroll(1)", N_("Down"), show=False, id="report_down"),
        Binding("pageup", "scroll(-10)", N_("Page up"), show=False, id="report_page_up"),
        Binding("pagedown", "scroll(10)", N_("Page down"), show=False, id="report_page_down"),
    ]

    def __init__(self, month: str | None = None,
                 read: tuple[ReportView, ReportLines] | None = None) -> None:
        """`read`: the month's read_report(), when it was read before the screen opens."""
        super().__init__()
        self.month = month or previous_month(clock.today())
        self.view: ReportView | None = None
        self.read = read

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog report"):
            yield Label("", id="report-title", classes="dialog-title")
            yield Static("", id="report-done")
            # Not focusable: ← → are the months here, not a sideways scroll. Not a Static:
            # a month of a big site is ~1,700 lines (a booked row per customer and unit) and
            # a Static lays every one of them out before the first paint (4x the paint of a
            # small site, python -m bench --only desk); a LinesView draws what is seen.
            body = LinesView(id="report-body")
            body.can_focus = False
            yield body
            yield Static(_("← → month before / after · F8 marks it done (supervisor) · Esc closes"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done":
            user = self.app.user
            if user is None or not allowed(user.role, "report.done"):
                return False
            return (self.view is not None and not self.view.done) or None
        if action == "month" and parameters == (1,):   # no month after the one in progress
            return self.month < f"{clock.today():%Y-%m}" or None
        return True

    def why_not(self, action: str) -> str:
        """Why a key did nothing (check_action said no), for the desk's notice."""
        user = self.app.user
        if action == "done" and user is not None and not allowed(user.role, "report.done"):
            return not_allowed(user.name, user.role, "report.done")
        if action == "done" and self.view is not None:
            return _("this month's report was marked done already ({done})").format(
                done=self.view.done)
        if action == "month":
            return _("{month} is the month in progress: no later month has begun").format(
                month=month_words(self.month))
        return _("it does nothing here just now")

    def reload(self) -> None:
        self.query_one("#report-title", Label).update(
            Content(_("Monthly report · {month}").format(month=month_words(self.month))))
        read, self.read = self.read, None      # read before it opened: shown once, as it opens
        if read is not None and read[0].report.month == self.month:
            self.show(*read)
        else:
            self.load(self.month)

    @work(thread=True, exclusive=True, group="report")
    def load(self, month: str) -> None:
        with in_db(self):
            on_ui(self, self.show, *read_report(month))

    def show(self, view: ReportView, lines: ReportLines) -> None:
        if view.report.month != self.month:      # a month since left
            return
        self.view = view
        done = self.query_one("#report-done", Static)
        done.update(Content(view.done or _("not marked done yet")))
        done.set_class(bool(view.done), "-done")
        self.query_one("#report-body", LinesView).show(lines, lines.width())
        self.refresh_bindings()

    def action_month(self, step: int) -> None:
        self.month = other_month(self.month, step)
        self.view = None
        self.reload()
        self.refresh_bindings()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#report-body", LinesView).scroll_relative(y=lines, animate=False)

    def action_done(self) -> None:
        self.mark_done(self.app.user, self.month)

    @work(thread=True, exclusive=True, group="report-done")
    def mark_done(self, user, month: str) -> None:
        with in_db(self):
            mark_report_done(user, month)
            on_ui(self, self.marked, month)

    def marked(self, month: str) -> None:
        self.notify(_("the report for {month} is marked done").format(month=month_words(month)))
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
