"""The monthly report's lines (tui.desk.report): its rows are written out only as they are
asked for, and the view draws the lines that are scrolled into view, written out then."""
import asyncio
from decimal import Decimal as D

from rich.cells import cell_len
from textual.app import App

from models.reports import AmountRow
from tui.desk.report import NAME_WIDTH, LinesView, ReportLines, ShareRow

ROWS = [AmountRow(f"C{n:03d}", "pcs", D(n), D(n) * D("2.50"), "CNY") for n in range(1, 301)]


def report() -> ReportLines:
    return ReportLines([["Booked in the month"], ROWS, ["  total"]], {"C001": "Acme"})


def test_rows_are_written_out_as_they_are_asked_for():
    lines = report()
    assert len(lines) == 302
    assert lines[1].split() == ["C001", "Acme", "1", "pcs", "2.50", "CNY"]
    assert lines[-2].split() == ["C300", "300", "pcs", "750.00", "CNY"]
    assert [line.split()[0] for line in lines[2:4]] == ["C002", "C003"]
    assert list(lines)[-1] == "  total"
    # the widest line: the rows' columns (the texts here are narrower)
    assert lines.width() == len(lines[1]) > len("Booked in the month")


def test_share_rows_are_written_out_as_they_are_asked_for():
    shares = [ShareRow(f"C{n:03d} 客戶{n}", n, D(n) / 10) for n in range(1, 155)]
    lines = ReportLines([["By customer", *shares, ""]], {})
    assert lines[1].split() == ["C001", "客戶1", "1", "0.1", "%"]
    assert lines[154].split() == ["C154", "客戶154", "154", "15.4", "%"]
    # every share row takes the same cells, Chinese or not: the first stands for them all
    assert lines.width() == 2 + NAME_WIDTH + 1 + 6 + 1 + 6 + 2
    assert {cell_len(line) for line in lines[1:155]} == {lines.width()}


class Shown(App):
    def compose(self):
        yield LinesView(id="body")


def test_the_view_draws_the_lines_scrolled_into_view():
    asyncio.run(_draws_the_lines_scrolled_into_view())


async def _draws_the_lines_scrolled_into_view():
    app = Shown()
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(LinesView)
        lines = report()
        view.show(lines, lines.width())
        await pilot.pause()
        assert view.render_line(0).text.rstrip() == "Booked in the month"
        view.scroll_end(animate=False)
        await pilot.pause()
        shown = [view.render_line(y).text.rstrip() for y in range(view.size.height)]
        assert shown[-1] == "  total"
        assert shown[-2].split()[0] == "C300"
        assert shown[0] == lines[len(lines) - view.size.height].rstrip()
