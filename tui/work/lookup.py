"""What a scanned code is: a unit label, a return slip or a complaint case.

Runs in worker threads only (it reads the database).
"""
from __future__ import annotations

from dataclasses import dataclass

import labels
from models import settings
from models.errors import DeskError, NotFound
from models.tables import ComplaintCase, Slip, SlipLine, Unit


@dataclass(frozen=True)
class Target:
    kind: str            # unit | slip | case
    key: str             # U000123 | RS2611-0004 | 2611-003
    case_no: str
    slip_no: str = ""
    slip_status: str = ""


def unit_code_of(code: str) -> str | None:
    """The unit code a scanned label carries (QR payload, URL form or bare code), or None
    if the code is not a label at all. A damaged label is refused with the reason."""
    try:
        return labels.decode(code, settings.get("label_url_template") or None).unit_code
    except labels.NotALabel:
        return None
    except labels.PayloadError as exc:
        raise DeskError(str(exc)) from None


def identify(code: str) -> Target | None:
    unit_code = unit_code_of(code)
    if unit_code:
        row = (Unit.select(Unit.id, Slip.slip_no, Slip.status, ComplaintCase.case_no)
               .join(SlipLine).join(Slip).join(ComplaintCase)
               .where(Unit.id == int(unit_code[1:])).tuples().first())
        if row is None:
            raise NotFound(f"no unit {unit_code} on this desk: was the label printed elsewhere?")
        _, slip_no, status, case_no = row
        return Target("unit", unit_code, case_no, slip_no, status)
    text = code.strip().upper()
    slip = (Slip.select(Slip.slip_no, Slip.status, ComplaintCase.case_no).join(ComplaintCase)
            .where(Slip.slip_no == text).tuples().first())
    if slip:
        slip_no, status, case_no = slip
        return Target("slip", slip_no, case_no, slip_no, status)
    case = ComplaintCase.get_or_none(ComplaintCase.case_no == text)
    if case:
        return Target("case", case.case_no, case.case_no)
    return None
