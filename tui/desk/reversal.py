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
from models.numbers import qty
from models.receiving import reverse_unit
from models.tables import User
from models.units import get_unit
from tui.desk.background import in_db, on_ui
from tui.desk.dialogs import Field, FormDialog
from tui.desk.slip_gates import supervisor, supervisor_fields
from tui.work.receiving import Refresh
from tui.work.labelling import read_label

UNIT_STATES = {"awaiting": "waiting for inspection", "inspected": "inspected",
               "reversed": "already reversed"}


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
        raise NotFound(f"{text.strip()!r} is not a unit label: scan the label on the piece "
                       "(or type its code, like U000123)")
    unit = get_unit(code)
    line = unit.line
    return UnitFacts(unit.code, line.slip.slip_no, line.line_no, line.part_no, unit.qty,
                     line.unit, unit.state)


def reverse_dialog(user: User, unit: UnitFacts) -> FormDialog:
    inspected = unit.state == "inspected"
    fields = [Field("reason", "Why is this receipt wrong? (recorded)",
                    placeholder="e.g. scanned twice, wrong part")]
    if inspected:
        fields += supervisor_fields(user, "unit.reverse_inspected")

    def record(values: dict[str, str]):
        by = supervisor(user, "unit.reverse_inspected", values) if inspected else user
        return reverse_unit(by, unit.code, values["reason"])
    facts = (f"{unit.code} · slip {unit.slip_no} line {unit.line_no} {unit.part_no} · "
             f"{qty(unit.qty)} {unit.unit} · {UNIT_STATES.get(unit.state, unit.state)}")
    after = (" It was inspected already: a supervisor reverses it (the inspection stays on "
             "record)." if inspected else "")
    return FormDialog(f"Reverse unit {unit.code}", fields,
                      intro=f"{facts}\nThe receipt stays on record, marked reversed; the line's "
                            f"received quantity drops by {qty(unit.qty)}.{after}",
                      record=record, submit_label="Enter on the last field reverses")


class ReversingUnits:
    """Receiving's F9: the next scan names a unit to take back (a worker call of its own, not a
    queued scan). Mixed into the receiving screen, whose ack, log and queue it uses."""

    reversing = False
    app: Any

    def action_reverse(self) -> None:
        self.reverse_mode(True)
        self.ack("↶ REVERSE: scan the label of the unit to take back (Esc cancels)", "-waiting")

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
                self.ack(f"{unit.code} not reversed", "-info")
                return
            self.ack(f"↶ {done.code} reversed: line {unit.line_no} {unit.part_no} of slip "
                     f"{unit.slip_no} is {qty(unit.qty)} {unit.unit} less", "-ok")
            self.log_line(f"↶ {done.code} reversed")
            self.scan_log.mark(done.code, "↶ reversed")
            if self.slip is not None:
                self.put(Refresh())
        self.app.push_screen(reverse_dialog(self.app.user, unit), reversed_)
