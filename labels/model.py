"""The plain data a label is made from, and label sizes.

Nothing here knows about the database: the desk copies what it needs into a
`LabelData` and hands it over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from labels.errors import N_, LabelError


class BadLabelSize(LabelError, ValueError):
    """A label size that is not understood or out of range."""


@dataclass(frozen=True)
class LabelCaptions:
    """The words around a label's numbers, in the reader's language. labels/ translates
    nothing: the desk passes them translated (tui/work/labelling.py); English by default.
    Each is a template with the placeholders shown, in the order the language wants."""

    case: str = "Case {case_no}"
    slip: str = "Slip {slip_no} #{line_no}"
    part: str = "Part {part_no}"


@dataclass(frozen=True)
class LabelData:
    """Everything printed on one label: one returned unit, or one lot of bulk goods."""

    unit_code: str  # "U000123"
    case_no: str  # "2611-003"
    slip_no: str  # "RS2611-0007"
    line_no: int
    part_no: str
    customer_code: str
    customer_name: str
    description: str
    received_on: date
    quantity: Decimal
    unit: str  # "pcs", "kg", ...
    captions: LabelCaptions = LabelCaptions()

    @property
    def ref(self) -> LabelRef:
        return LabelRef(self.case_no, self.slip_no, self.line_no, self.unit_code)

    @property
    def quantity_text(self) -> str:
        """ "12.5 kg", "3 pcs": no exponent, no trailing zeros."""
        return f"{self.quantity.normalize():f} {self.unit}".strip()


@dataclass(frozen=True)
class LabelRef:
    """What a scanned label leads back to.

    A label printed with a URL template only carries the unit code; the other
    fields are then None and the desk looks them up from the unit.
    """

    case_no: str | None
    slip_no: str | None
    line_no: int | None
    unit_code: str


@dataclass(frozen=True)
class LabelSize:
    width_mm: float
    height_mm: float

    def __post_init__(self) -> None:
        if not (10 <= self.width_mm <= 300 and 10 <= self.height_mm <= 300):
            raise BadLabelSize(
                N_("label size {width:g}x{height:g} mm is out of range (each side 10 to 300 mm)"),
                width=self.width_mm, height=self.height_mm)

    def dots(self, dpi: int) -> tuple[int, int]:
        """Width and height in printer dots."""
        return round(self.width_mm * dpi / 25.4), round(self.height_mm * dpi / 25.4)

    def __str__(self) -> str:
        return f"{self.width_mm:g}x{self.height_mm:g}mm"


SIZE_50X25MM = LabelSize(50, 25)
SIZE_2X1IN = LabelSize(50.8, 25.4)
SIZE_4X6IN = LabelSize(101.6, 152.4)
DEFAULT_SIZE = SIZE_50X25MM

_SIZE_RE = re.compile(
    r"\s*(\d+(?:\.\d+)?)\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(mm|in|\"|inch|inches)?\s*",
    re.IGNORECASE,
)


def parse_size(text: str) -> LabelSize:
    """Parse "50x25mm", "2x1in", "4x6in" (width first; unit mm if none is given)."""
    match = _SIZE_RE.fullmatch(text)
    if not match:
        raise BadLabelSize(N_("label size {text!r} not understood: write it like 50x25mm or 2x1in"),
                           text=text)
    width, height, unit = float(match[1]), float(match[2]), (match[3] or "mm").lower()
    factor = 1.0 if unit == "mm" else 25.4
    return LabelSize(round(width * factor, 2), round(height * factor, 2))
