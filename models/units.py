"""A received unit found by the code on its label (receiving, inspection and printing all
start from it)."""
from __future__ import annotations

from .codes import unit_code, unit_id
from .errors import NotFound
from .i18n import _
from .tables import Unit


def get_unit(code: str) -> Unit:
    found = unit_id(code)
    if found is None:
        raise NotFound(_("{code!r} is not a unit label id (like U000123)").format(code=code.strip()))
    unit = Unit.get_or_none(Unit.id == found)
    if unit is None:
        raise NotFound(_("no unit {unit}").format(unit=unit_code(found)))
    return unit
