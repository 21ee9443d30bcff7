"""Small display pieces shared by the screens."""
from __future__ import annotations

from decimal import Decimal

from rich.cells import set_cell_size
from textual.content import Content
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


class FigureRow(Static):
    """One slip line with its quantities; its status is a CSS class (-over, -within...)."""

    def show(self, text: str, status: str) -> None:
        self.update(Content(text))
        for name in STATUS_CLASSES.values():
            self.remove_class(name)
        self.add_class(STATUS_CLASSES.get(status, "-open"))
