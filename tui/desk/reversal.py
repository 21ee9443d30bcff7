"""Receiving's correction: a wrongly received unit taken back by its label (models.receiving
.reverse_unit). The unit and its receipt stay on record, marked reversed, with who and why.
A clerk reverses a unit not inspected yet; an inspected one takes a supervisor, who types
their name and PIN on the form unless they are the one signed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from textual import work

from models.codes import scanned_unit_code
from models.errors import NotFound
from models.i18n import N_, _
from models.numbers import qty
from models.receiving import reverse_unit
from models.tables import User
from models.units import get_unit
from tui.desk.background import in_db, on_ui
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field
from tui.desk.slip_gates import supervisor, supervisor_fields
from tui.work.receiving import Refresh
from tui.work.labelling import read_label

UNIT_STATES = {"awaiting": N_("waiting for inspection"), "inspected": N_("inspected"),
               "reversed": N_("already reversed")}


@dataclass(frozen=True)
class UnitFacts:
    code: str
    slip_no: str
    line_no: int
    part_no: str
    qty: Decimal
    unit: str
    state: str


def unit_facts(text: str) -> UnitFacts:
    """Worker thread: the unit a scanned label (or a typed code) names."""
    code = scanned_unit_code(text, read_label)
    if code is None:
        raise NotFound(_("{code} is not a unit label: scan the label on the piece (or type its "
                         "code, like U000123)").format(code=repr(text.strip())))
    unit = get_unit(code)
    line = unit.line
    return UnitFacts(unit.code, line.slip.slip_no, line.line_no, line.part_no, unit.qty,
                     line.unit, unit.state)


def reverse_dialog(user: User, unit: UnitFacts) -> FormDialog:
    inspected = unit.state == "inspected"
    fields = [Field("reason", _("Why is this receipt wrong? (recorded)"),
                    placeholder=_("e.g. scanned twice, wrong part"))]
    if inspected:
        fields += supervisor_fields(user, "unit.reverse_inspected")

    def record(values: dict[str, str]):
        by = supervisor(user, "unit.reverse_inspected", values) if inspected else user
        return reverse_unit(by, unit.code, values["reason"])
    state = _(UNIT_STATES[unit.state]) if unit.state in UNIT_STATES else unit.state
    facts = _("{code} · slip {slip} line {line} {part} · {qty} {unit} · {state}").format(
        code=unit.code, slip=unit.slip_no, line=unit.line_no, part=unit.part_no,
        qty=qty(unit.qty), unit=unit.unit, state=state)
    after = (_(" It was inspected already: a supervisor reverses it (the inspection stays on "
               "record).") if inspected else "")
    return FormDialog(_("Reverse unit {code}").format(code=unit.code), fields,
                      intro=facts + "\n" + _("The receipt stays on record, marked reversed; the "
                                             "line's received quantity drops by {qty}.").format(
                                                 qty=qty(unit.qty)) + after,
                      record=record, submit_label=_("Enter on the last field reverses"))


class ReversingUnits:
    """Receiving's F9: the next scan names a unit to take back (a worker call of its own, not a
    queued scan). Mixed into the receiving screen, whose ack, log and queue it uses."""

    reversing = False
    app: Any

    def action_reverse(self) -> None:
        self.reverse_mode(True)
        self.ack(_("↶ REVERSE: scan the label of the unit to take back (Esc cancels)"), "-waiting")

    def reverse_mode(self, on: bool) -> None:
        self.reversing = on
        self.set_class(on, "-reversing")
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="reverse")
    def find_unit(self, code: str) -> None:
        with in_db(self):
            on_ui(self, self.ask_reason, unit_facts(code))

    def ask_reason(self, unit) -> None:
        self.reverse_mode(False)

        def reversed_(done) -> None:
            if done is None:
                self.ack(_("{code} not reversed").format(code=unit.code), "-info")
                return
            self.ack(_("↶ {code} reversed: line {line} {part} of slip {slip} is {qty} {unit} "
                       "less").format(code=done.code, line=unit.line_no, part=unit.part_no,
                                      slip=unit.slip_no, qty=qty(unit.qty), unit=unit.unit),
                     "-ok")
            self.log_line(_("↶ {code} reversed").format(code=done.code))
            self.scan_log.mark(done.code, _("↶ reversed"))
            if self.slip is not None:
                self.put(Refresh())
        self.app.push_screen(reverse_dialog(self.app.user, unit), reversed_)
