"""Small display pieces shared by the screens."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events, work
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import VisualType
from textual.widget import Widget
from textual.content import Content
from textual.widgets import Static

from models import lists
from models.i18n import N_, _, pgettext
from models.reconciliation import LINE_STATUSES
from models.reconciliation_rows import waiting_for_decision_per_slip
from models.text import shown
from tui.desk.background import in_db, on_ui

CURSOR_MARK = "▶"     # in front of the cursor row of a RowList
MARK_GAP = "  "       # where the other rows have it
SLIP_FIELDS = {"slip": "slip_no", "case": "case_no", "customer": "customer", "issued": "issued_on",
               "lines": "lines"}
# A slip's status in words, for lists and titles (marked here, translated where shown).
SLIP_STATES = {"awaiting_approval": N_("waiting for approval"), "receiving": N_("being received"),
               "received": N_("to book"), "booked": N_("booked")}


def cell(value, width: int, right: bool = False) -> str:
    """`value` as text padded or cut to `width` terminal cells (CJK characters take two); text
    stored with control characters or escapes is shown inert (models.text.shown)."""
    text = shown(value)
    if right:   # numbers: never cut (a cut amount reads as another amount), pad only
        return " " * max(0, width - cell_len(text)) + text
    return set_cell_size(text, width)


class Columns:
    """A fixed-width table layout: the header and each row use the same widths.

    A column is (title, width, right-aligned[, drop]): where a table has less room than its
    columns take, `fit` leaves out the columns with the lowest `drop` first; a column without
    one (or 0) is never left out, so the figures that say whether a line is over tolerance
    are the last on the screen."""

    def __init__(self, *columns: tuple, hidden: frozenset[int] = frozenset(),
                 context: str = "") -> None:
        self.columns = columns
        self.hidden = hidden
        self.context = context      # titles marked C_(context, ...): "unit" is not always 單位

    def width(self, hidden: frozenset[int] | set[int] | None = None) -> int:
        hidden = self.hidden if hidden is None else hidden
        widths = [column[1] for n, column in enumerate(self.columns) if n not in hidden]
        return sum(widths) + len(widths) - 1

    def fit(self, room: int) -> Columns:
        """These columns in `room` cells, the least needed left out until they fit."""
        hidden: set[int] = set()
        droppable = sorted((column[3], n) for n, column in enumerate(self.columns)
                           if len(column) > 3 and column[3])
        for _drop, n in droppable:
            if self.width(hidden) <= room:
                break
            hidden.add(n)
        return Columns(*self.columns, hidden=frozenset(hidden), context=self.context)

    def line(self, values) -> str:
        return " ".join(cell(value, column[1], column[2])
                        for n, (value, column) in enumerate(zip(values, self.columns))
                        if n not in self.hidden)

    def header(self) -> str:
        # A column's title is marked N_() where the columns are defined, translated here.
        return self.line(self.title(column[0]) for column in self.columns)

    def title(self, text: str) -> str:
        if not text:
            return ""
        return pgettext(self.context, text) if self.context else _(text)


class FittedColumns:
    """A table's columns as they fit the room it has now, its header line kept in step."""

    def __init__(self, columns: Columns) -> None:
        self.all = self.now = columns

    def fit(self, room: int, header: Static) -> bool:
        """Fit `room` cells (0: not laid out yet, all columns); whether the columns changed."""
        columns = self.all.fit(room) if room > 0 else self.all
        if columns.hidden == self.now.hidden:
            return False
        self.now = columns
        header.update(Content(columns.header()))
        return True


def show_text(static: Static, content: VisualType) -> None:
    """`static` shows `content`; the screen is laid out again only if its height changes.

    Static.update lays out the whole screen (~15 ms at 120×40 on a slow till, most of a
    frame) in case the text needs more or fewer lines; an acknowledgement or a count that
    stays on one line needs only its own line repainted.
    """
    width, height = static.content_size
    static.update(content, layout=False)
    if not (width and static.display and static.visual.get_height(static.styles, width) == height):
        static.clear_cached_dimensions()
        static.refresh(layout=True)


class FigureList(ScrollView, can_focus=False):
    """A slip's lines with their figures, one screen line each, coloured by the line's status
    (the colours are in desk.tcss), drawn a line at a time (Textual's Line API).

    One widget for all the lines: a widget per line cost ~6 ms each to mount, style and lay
    out, so a slip of 17 lines took ~100 ms longer to show than one of 2. A line whose figures
    change (a scan) repaints only itself. Taller than its room, it scrolls."""

    COMPONENT_CLASSES = {f"figure-list--{status}" for status in LINE_STATUSES}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.keys: list[object] = []
        self.texts: list[str] = []
        self.statuses: list[str] = []

    def show(self, rows: Iterable[tuple[object, str, str]]) -> None:
        """New lines: (key, text, status) each, the key to `update` it by (a line number)."""
        rows = list(rows)
        self.keys = [key for key, _text, _status in rows]
        self.texts = [text for _key, text, _status in rows]
        self.statuses = [status for _key, _text, status in rows]
        width = max((cell_len(text) for text in self.texts), default=0) + 2   # padding 0 1
        self.virtual_size = Size(width, len(rows))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh(layout=True)

    def update(self, key: object, text: str, status: str) -> None:
        """Line `key` shows `text` in its status's colour, scrolled into view if it was not;
        only that line is repainted. (A key not shown, a line of a slip shown before, changes
        nothing.)"""
        if key not in self.keys:
            return
        index = self.keys.index(key)
        self.texts[index], self.statuses[index] = text, status
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)
        self.refresh_line(index)

    def status(self, key: object) -> str:
        return self.statuses[self.keys.index(key)]

    def text(self, key: object) -> str:
        return self.texts[self.keys.index(key)]

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if index >= len(self.texts):
            return Strip.blank(width, style)
        style += self.get_component_rich_style(f"figure-list--{self.statuses[index]}")
        line = Strip([Segment(f" {self.texts[index]} ", style)])
        return line.crop_extend(scroll_x, scroll_x + width, style)


class RowList(Widget, can_focus=False):
    """The desk's lists: fixed-width columns (`Columns`), a header row, a cursor row and zebra
    stripes, drawn a line at a time (Textual's Line API).

    Only the lines on the screen are drawn, each one piece of text cut to its columns: a
    page of 50 rows costs what the ~30 visible lines cost, whatever the database holds.
    (Textual's DataTable measured and rendered every cell through Rich: ~100-150 ms to show
    a page here.) It never takes the focus: the scan field keeps the keys, and the screen
    moves the cursor (`move`, from LIST_KEYS). The cursor row is shown in the accent colour
    with a ▶ in front, so it reads without colour too.
    """

    COMPONENT_CLASSES = {"row-list--header", "row-list--cursor", "row-list--stripe",
                         "row-list--marked"}
    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        background: $surface;
        color: $foreground;
        border: round $panel;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        & > .row-list--header { text-style: bold; color: $text-muted; background: $panel; }
        & > .row-list--stripe { background: $surface-lighten-1 50%; }
        & > .row-list--marked { color: $text-error; text-style: bold; }
        & > .row-list--cursor { background: $accent 45%; color: $text; text-style: bold; }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The cursor is on another row (`moved`), or on a row of new rows."""

        row_list: RowList
        index: int
        moved: bool

    def __init__(self, columns: Columns, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.lines: list[str] = []
        self.marked: list[bool] = []
        self.cursor = 0
        self.top = 0            # the row drawn just under the header
        self.page_text = ""     # "page 2/7" when the rows are one page of more

    @property
    def row_count(self) -> int:
        return len(self.lines)

    def show(self, rows: Iterable[Sequence[object]], marked: Iterable[bool] = (),
             cursor: int = 0) -> None:
        """New rows (values in column order); `marked` rows stand out (late, overdue)."""
        self.lines = [MARK_GAP + self.columns.line(values) for values in rows]
        marked = list(marked)
        self.marked = marked + [False] * (len(self.lines) - len(marked))
        self.cursor = max(0, min(cursor, len(self.lines) - 1))
        self.top = 0
        self.scroll_to_cursor()
        self.refresh()
        if self.lines:
            self.post_message(self.Highlighted(self, self.cursor, False))

    def move(self, step: int) -> None:
        """The cursor `step` rows down (up if negative), stopping at either end."""
        if not self.lines:
            return
        cursor = max(0, min(len(self.lines) - 1, self.cursor + step))
        if cursor != self.cursor:
            self.cursor = cursor
            self.scroll_to_cursor()
            self.refresh()
            self.post_message(self.Highlighted(self, cursor, True))

    def move_to(self, index: int) -> None:
        self.move(index - self.cursor)

    def visible_rows(self) -> int:
        return max(1, self.content_size.height - 1)    # the header takes the first line

    def scroll_to_cursor(self) -> None:
        shown = self.visible_rows()
        if self.cursor < self.top:
            self.top = self.cursor
        elif self.cursor >= self.top + shown:
            self.top = self.cursor - shown + 1
        self.top = max(0, min(self.top, max(0, len(self.lines) - shown)))
        partial = self.top or len(self.lines) > self.top + shown
        window = f"{self.top + 1}–{self.top + shown}/{len(self.lines)}" if partial else ""
        self.border_subtitle = " · ".join(part for part in (self.page_text, window) if part)

    def on_resize(self) -> None:
        self.scroll_to_cursor()

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:     # (the header is line 0)
            self.move_to(self.top + event.y - 1)

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        style = self.rich_style
        if y == 0:
            text = MARK_GAP + self.columns.header()
            parts = ("row-list--header",)
        else:
            index = self.top + y - 1
            if index >= len(self.lines):
                return Strip.blank(width, style)
            text = self.lines[index]
            parts = (("row-list--stripe",) if index % 2 else ()) \
                + (("row-list--marked",) if self.marked[index] else ())
            if index == self.cursor:
                text = CURSOR_MARK + text[len(CURSOR_MARK):]
                parts += ("row-list--cursor",)
        for part in parts:
            style += self.get_component_rich_style(part)
        return Strip([Segment(text, style)]).crop_extend(0, width, style)


class SlipList(RowList):
    """Slips in one status (or several), oldest first, a page at a time: receiving's slips to
    receive and finance's slips to approve or book. `load()` asks the database in a worker and
    shows the page."""

    COLUMNS = {"slip": (N_("slip"), 11, False), "case": (N_("case"), 10, False),
               "customer": (N_("customer"), 10, False), "issued": (N_("issued"), 10, False),
               # TRANSLATORS: a column of 5 cells (two Chinese characters)
               "lines": (N_("lines"), 5, True),
               # TRANSLATORS: a column of 4 cells (two Chinese characters): lines over tolerance
               "over": (N_("over"), 4, True)}

    def __init__(self, status: str | tuple[str, ...], what: str,
                 columns: Sequence[str] = ("slip", "case", "customer", "issued", "lines"), *,
                 marked: str = "",
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Columns(*(self.COLUMNS[name] for name in columns)), id=id,
                         classes=classes)
        self.status, self.what, self.names = status, what, tuple(columns)
        self.marked_status = marked     # slips in this status stand out (finance: to approve)
        # With an "over" column: slip -> its lines over tolerance waiting for a supervisor's
        # decision, of this page's slips; such slips stand out.
        self.waiting: dict[str, int] = {}
        self.slips: list[lists.SlipRow] = []
        self.page = 0
        self.keep: str | None = None

    @property
    def highlighted(self) -> lists.SlipRow | None:
        return self.slips[self.cursor] if self.cursor < len(self.slips) else None

    def load(self, step: int = 0, keep: str | None = None) -> None:
        """This page again (`step` 0) or another; the cursor on slip `keep` if it is there."""
        self.page = max(0, self.page + step)
        self.keep = keep
        self.fetch(self.screen, self.page)

    @work(thread=True, exclusive=True, group="slips")
    def fetch(self, screen, page: int) -> None:
        with in_db(screen):
            rows = lists.slips(self.status, lists.PAGE, page * lists.PAGE)
            # The page's slips only: every slip's count took ~15 ms (SQLite) to ~35 ms
            # (PostgreSQL) at 1,000,000 lines. F7 finds the next slip waiting when asked.
            waiting = (waiting_for_decision_per_slip([row.slip_no for row in rows])
                       if "over" in self.names else {})
            on_ui(screen, self.show_slips, rows, lists.count_slips(self.status), waiting)

    def show_slips(self, rows: list[lists.SlipRow], total: int, waiting: dict[str, int]) -> None:
        self.slips, self.waiting = rows, waiting
        pages = max(1, -(-total // lists.PAGE))
        self.border_title = _("{what}: {n}").format(what=_(self.what), n=total)
        keys = " (PgUp PgDn)" if len(self.names) > 2 else ""    # a narrow list has no room
        self.page_text = (_("page {page}/{pages}").format(page=self.page + 1, pages=pages) + keys
                          if pages > 1 else "")
        shown = [row.slip_no for row in rows]
        self.show(([waiting.get(row.slip_no, "") if name == "over"
                    else getattr(row, SLIP_FIELDS[name]) for name in self.names] for row in rows),
                  [row.status == self.marked_status or row.slip_no in waiting for row in rows],
                  cursor=shown.index(self.keep) if self.keep in shown else 0)
