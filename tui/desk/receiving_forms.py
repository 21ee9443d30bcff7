"""Receiving's forms and columns: the count of weighed or measured goods, the question that
closes a slip, and the lines' columns, all in the language of the moment."""
from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len

from models.i18n import N_, _
from models.numbers import qty
from models.reconciliation import LINE_STATUSES
from tui.desk.dialogs import ConfirmDialog, FormDialog
from tui.desk.form_view import Field
from tui.desk.widgets import Columns
from tui.work.receiving_outcomes import LineView, SlipView
from models.words import word

# At 80x24 the description goes first, then unit, line, approved, part (the 4th number);
# received, allowed and status, which say whether a line is over tolerance, always stay.
LINE_COLUMNS = Columns((N_("line"), 4, True, 3), (N_("part"), 14, False, 5),
                       (N_("description"), 28, False, 1), (N_("unit"), 5, False, 2),
                       (N_("approved"), 10, True, 4), (N_("received"), 10, True),
                       (N_("allowed"), 10, True), (N_("status"), 8, False))


def line_columns() -> Columns:
    """The lines' columns, the status as wide as its longest word in the language of the
    moment (16 cells in English, 12 in Chinese)."""
    status = max(cell_len(word("line_status", code)) for code in LINE_STATUSES)
    return Columns(*LINE_COLUMNS.columns[:-1], (N_("status"), status, False))


def count_dialog(bulk: list[LineView], part_no: str, quantity: str = "",
                 error: str = "") -> FormDialog:
    """F7 (or a scanned part counted by quantity): which line, and how much of it."""
    choices = tuple((line.part_no, f"{line.part_no}  {line.description}  ({line.unit})")
                    for line in bulk)
    unit = next((line.unit for line in bulk if line.part_no == part_no), "")
    intro = error or _("Counted or weighed goods: type the quantity in {unit} and press "
                       "Enter.").format(unit=unit)
    return FormDialog(_("Counted goods"), [
        Field("part", _("Part"), choices, value=part_no),
        Field("qty", _("Quantity"), value=quantity, restrict=r"[0-9.,]*",
              placeholder=_("e.g. 26.5"), scanned=True),
    ], intro=intro, submit_label=_("Enter records the quantity"),
        focus="qty" if part_no in [value for value, _shown in choices] else None)


def close_question(slip: SlipView, changed: bool,
                   on_scans: Callable[[list[str]], None]) -> ConfirmDialog:
    """F8: the figures signed for, as the database holds them now."""
    summary = "\n".join(
        (_("line {line} {part}: {received} {unit} received") if slip.blind else
         _("line {line} {part}: {received} {unit} received of {approved} ({status})")).format(
            line=line.line_no, part=line.part_no, received=qty(line.received), unit=line.unit,
            approved=qty(line.approved), status=word("line_status", line.status))
        for line in slip.lines)
    again = (_("The slip received more (or less) since you were asked: these are its figures "
               "now.") + "\n\n" if changed else "")
    return ConfirmDialog(
        _("Close receiving of {slip}?").format(slip=slip.slip_no),
        again + _("You sign for what actually arrived:\n{summary}\n\nNothing more can be "
                  "received on this slip afterwards.").format(summary=summary),
        on_scans=on_scans)
