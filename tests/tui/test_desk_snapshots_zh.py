"""Issue 18: the desk's main screens in Chinese, as they look: zh-Hant at 80x24 and zh-Hans at
120x40, the same data and frozen clock as tests/tui/test_desk_snapshots.py. A Chinese character
takes two cells, so each picture also checks that what matters is not cut: the screen's title
whole on the header's line, and the footer's first key (key and description) whole on the last.
After a change of the catalogs, `pytest --snapshot-update tests/tui/test_desk_snapshots_zh.py`
accepts the new pictures (look at them first: the report shows both)."""
from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from models import clock
from models.i18n import LANGUAGE_ENV, set_language
from models.receiving import close_receiving

from .test_desk import SIZE, scan, settle, sign_in
from .test_desk_snapshots import site  # noqa: F401  (a fixture: the pictures' data)
from .test_desk_snapshots import snap as snap_english

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

SMALL = (80, 24)
# Each language at the size the issue asks for: Traditional on the smallest terminal.
LANGUAGE_SIZES = [pytest.param(("zh-Hant", SMALL), id="zh-Hant-80x24"),
                  pytest.param(("zh-Hans", SIZE), id="zh-Hans-120x40")]


@pytest.fixture(params=LANGUAGE_SIZES)
def speaking(request, monkeypatch):
    """The terminal's language (as RETURNS_DESK_LANG would set it) and its size."""
    code, size = request.param
    monkeypatch.setenv(LANGUAGE_ENV, code)
    set_language(code)
    yield size
    set_language("en")


def screen_lines(app) -> list[str]:
    """The screen's text as painted, one string a line (a wide character once)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def check_nothing_cut(app) -> None:
    """The screen's title on the first line and the footer's first key on the last, whole."""
    lines = screen_lines(app)
    assert any("\u4e00" <= c <= "\u9fff" for line in lines for c in line), \
        "no Chinese on the screen: " + lines[0]
    assert app.screen.title and app.screen.title in lines[0], (app.screen.title, lines[0])
    keys = list(app.screen.query(FooterKey))
    if keys:                                           # the sign-in screen has its own footer
        first = f"{keys[0].key_display} {keys[0].description}"
        assert first in lines[-1], (first, lines[-1])


def check_chart_box(app) -> None:
    """Home's chart, where shown: its box's right border in one column on every line (plotext
    counts a Chinese character as one cell: Chinese words inside the plot pushed the border)."""
    if not app.screen.query("#chart") or not app.screen.query_one("#chart").display:
        return
    lines = screen_lines(app)
    top = next(n for n, line in enumerate(lines) if "┌" in line)
    bottom = next((n for n, line in enumerate(lines) if "└" in line), None)
    assert bottom is not None, "the chart's box is cut:\n" + "\n".join(lines[top:])
    box = lines[top:bottom + 1]
    assert len({cell_len(line.rstrip()) for line in box}) == 1, "\n".join(box)


def snap(snap_compare, desk, flow, size) -> bool:
    """tests/tui/test_desk_snapshots.py's picture, with the checks of check_nothing_cut."""
    async def flow_and_check(pilot):
        await flow(pilot)
        await settle(pilot)
        check_nothing_cut(pilot.app)
        check_chart_box(pilot.app)
    return snap_english(snap_compare, desk, flow_and_check, size)


def test_sign_in(snap_compare, desk, speaking):
    async def flow(pilot):
        pass
    assert snap(snap_compare, desk, flow, speaking)


def test_supervisor_home(snap_compare, desk, site, speaking):  # noqa: F811
    async def flow(pilot):
        await sign_in(pilot, "supervisor")
    assert snap(snap_compare, desk, flow, speaking)


def test_receiving_with_an_over_line(snap_compare, desk, site, speaking):  # noqa: F811
    async def flow(pilot):
        await sign_in(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, site.slip_no, "SW-16A")
    assert snap(snap_compare, desk, flow, speaking)


def test_inspection_with_label_preview(snap_compare, desk, site, speaking):  # noqa: F811
    async def flow(pilot):
        await sign_in(pilot, "inspector")
        await pilot.press("f4")
        await scan(pilot, "U000006")
    assert snap(snap_compare, desk, flow, speaking)


def test_finance_reconciliation(snap_compare, desk, site, speaking):  # noqa: F811
    with clock.frozen(dt.datetime(2026, 11, 21, 9)):
        close_receiving(desk.clerk, site.slip_no)

    async def flow(pilot):
        await sign_in(pilot, "finance")
        await pilot.press("f5")
    assert snap(snap_compare, desk, flow, speaking)


def test_a_case_with_its_steps(snap_compare, desk, site, speaking):  # noqa: F811
    async def flow(pilot):
        await sign_in(pilot, "supervisor")
        await pilot.press("f6")
        await scan(pilot, site.slip_no)
    assert snap(snap_compare, desk, flow, speaking)
