"""What came of each receiving command, as plain values made in the worker thread: the
screen shows them and asks the database nothing more."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models import settings
from models.codes import Target
from models.receiving import Receipt
from models.reconciliation import figures_for
from models.reconciliation_rows import reconciliation_rows
from models.slips import lines_of
from models.tables import Slip, SlipLine
from models.text import shown


@dataclass(frozen=True)
class LineView:
    line_no: int
    part_no: str
    description: str
    unit: str
    approved: Decimal
    received: Decimal
    allowed: Decimal
    status: str


@dataclass(frozen=True)
class SlipView:
    slip_no: str
    case_no: str
    customer: str
    status: str
    handling: str
    blind: bool
    lines: tuple[LineView, ...]


@dataclass(frozen=True)
class Opened:
    slip: SlipView | None        # None: back to the list of slips


@dataclass(frozen=True)
class Received:
    unit_code: str
    line: LineView
    qty: Decimal
    replayed: bool               # this scan was already recorded: nothing new


@dataclass(frozen=True)
class Undone:
    unit_code: str
    line: LineView
    label_printed: bool          # its label went out before the undo (else it was cancelled)


@dataclass(frozen=True)
class CloseAsked:
    """The slip's figures now, for the clerk to sign for; `changed`: a scan went in after the
    figures they were asked to sign for."""
    slip: SlipView
    changed: bool


@dataclass(frozen=True)
class Closed:
    slip_no: str


@dataclass(frozen=True)
class NeedsCount:
    """A part counted by weight or length: the screen asks for the quantity."""
    part_no: str
    scan_id: str


@dataclass(frozen=True)
class Info:
    text: str


@dataclass(frozen=True)
class Elsewhere:
    """A code that opens on another screen (a case, or a slip for someone else's work)."""
    target: Target


@dataclass(frozen=True)
class Refusal:
    text: str
    command: object              # the command refused, as it was given


@dataclass(frozen=True)
class Kept:
    """The database is away: the scan is safe on this terminal's disk, not yet recorded."""
    code: str
    reason: str
    waiting: int


@dataclass(frozen=True)
class Replayed:
    sent: int
    refused: tuple[tuple[str, str], ...]     # (code, why) of kept scans the domain refused
    stopped: str | None                      # the database is still away: why
    waiting: int


Outcome = (Opened | Received | Undone | CloseAsked | Closed | NeedsCount | Info | Elsewhere
           | Refusal | Kept | Replayed)


def line_view(line: SlipLine) -> LineView:
    f = figures_for(line)
    return LineView(line.line_no, shown(line.part_no), shown(line.description), line.unit,
                    f.approved, f.received, f.allowed, f.status)


def slip_view(slip: Slip) -> SlipView:
    descriptions = {line.line_no: line.description for line in lines_of(slip)}
    lines = tuple(LineView(row.line_no, shown(row.part_no), shown(descriptions[row.line_no]), row.unit,
                           row.figures.approved, row.figures.received, row.figures.allowed,
                           row.figures.status)
                  for row in reconciliation_rows(slip_no=slip.slip_no))
    case = slip.case
    return SlipView(slip.slip_no, case.case_no, shown(f"{case.customer.code} {case.customer.name}"),
                    slip.status, slip.handling, settings.get("blind_receiving"), lines)


def received(receipt: Receipt) -> Received:
    line, f = receipt.line, receipt.figures
    view = LineView(line.line_no, shown(line.part_no), shown(line.description), line.unit,
                    f.approved, f.received, f.allowed, f.status)
    return Received(receipt.unit.code, view, receipt.unit.qty, receipt.replayed)
