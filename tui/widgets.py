"""Small display pieces shared by the screens."""
from __future__ import annotations

from decimal import Decimal

from rich.cells import set_cell_size
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from models.exports import money, number

# Line status -> CSS class; the colours are in desk.tcss.
STATUS_CLASSES = {status: f"-{status}" for status in ("open", "under", "within", "over", "decided")}


def cell(value, width: int, right: bool = False) -> str:
    """`value` as text padded or cut to `width` terminal cells (CJK characters take two)."""
    text = "" if value is None else str(value)
    if right:   # numbers: never cut (a cut amount reads as another amount), pad only
        return " " * max(0, width - len(text)) + text
    return set_cell_size(text, width)


def qty(value: Decimal | None) -> str:
    return number(value) if value is not None else "–"


def amount(value: Decimal | None) -> str:
    return money(value) if value is not None else "–"


class Columns:
    """A fixed-width table layout: the header and each row use the same widths."""

    def __init__(self, *columns: tuple[str, int, bool]) -> None:
        self.columns = columns   # (title, width, right-aligned)

    def line(self, values) -> str:
        return " ".join(cell(value, width, right)
                        for value, (_, width, right) in zip(values, self.columns))

    def header(self) -> str:
        return self.line(title for title, _, _ in self.columns)


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


class FigureRow(Static):
    """One slip line with its quantities; its status is a CSS class (-over, -within...)."""

    def show(self, text: str, status: str) -> None:
        self.update(Content(text), layout=False)     # one line, always (desk.tcss)
        wanted = STATUS_CLASSES.get(status, "-open")
        if not self.has_class(wanted):               # a class change restyles the row
            self.remove_class(*STATUS_CLASSES.values(), update=False)
            self.add_class(wanted)
