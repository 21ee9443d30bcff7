"""Inspecting returned units: pass/fail, defect, cause, and where each part of it goes.

Goods go back into stock only after they pass (000 §6.6); non-conforming goods are
repaired, reworked, scrapped or returned (003 第八條).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import audit, month_totals
from .access import operation
from .db import for_update
from .errors import Refused
from .fields import exact_sum, to_decimal
from .i18n import _
from .slips import get_line, locked_slip
from .tables import QTY_PLACES, Inspection, InspectionPortion, SlipLine, Unit
from .text import check_text
from .units import get_unit
from .words import word

DISPOSITIONS = ("restock", "rework", "repair", "scrap", "return_supplier", "return_customer")
PASS_DISPOSITIONS = ("restock", "return_customer")
# Failed goods never go back into stock (000 §6.6): repaired, reworked, scrapped or returned.
FAIL_DISPOSITIONS = tuple(d for d in DISPOSITIONS if d != "restock")
DEFECT_CLASSES = ("appearance", "dimension", "function", "material", "packaging", "wrong_item",
                  "missing_parts", "other")


@dataclass(frozen=True)
class Portion:
    passed: bool
    disposition: str
    qty: Decimal | str


def inspection_queue(limit: int = 100, after_id: int = 0) -> list[Unit]:
    """Units and lots waiting for inspection, oldest first (paged by id)."""
    return list(Unit.select().where(Unit.state == "awaiting", Unit.id > after_id)
                .order_by(Unit.id).limit(limit))


def waiting_on_line(line: SlipLine) -> Decimal:
    """What of a slip line still waits for inspection (its units and lots not yet inspected)."""
    return (Unit.select(exact_sum(Unit.qty)).where(Unit.line == line, Unit.state == "awaiting")
            .scalar()) or Decimal(0)


def _quantity(value) -> Decimal:
    try:
        qty = to_decimal(value, QTY_PLACES, _("quantity"))
    except (ValueError, TypeError) as exc:
        raise Refused(str(exc)) from None
    if qty <= 0:
        raise Refused(_("each part of a split needs a quantity above 0"))
    return qty


def _check_portions(unit: Unit, portions: list[Portion]) -> list[tuple[bool, str, Decimal]]:
    if not portions:
        raise Refused(_("say what happens to the goods (at least one disposition)"))
    checked = []
    for portion in portions:
        if portion.disposition not in DISPOSITIONS:
            raise Refused(_("disposition must be one of {codes}").format(codes=", ".join(DISPOSITIONS)))
        if not portion.passed and portion.disposition not in FAIL_DISPOSITIONS:
            raise Refused(_("failed goods cannot go back into stock: rework, repair, scrap or return "
                            "them"))
        if portion.passed and portion.disposition not in PASS_DISPOSITIONS:
            raise Refused(_("passed goods are restocked or returned to the customer, not sent to "
                            "{disposition}").format(disposition=word("disposition", portion.disposition)))
        checked.append((portion.passed, portion.disposition, _quantity(portion.qty)))
    total = sum(qty for _passed, _disposition, qty in checked)
    if total != unit.qty:
        raise Refused(_("the split adds up to {total} but {unit} holds {qty} {measure}: the parts "
                        "must add up exactly").format(total=total, unit=unit.code, qty=unit.qty,
                                                      measure=unit.line.unit))
    return checked


@operation("inspect")
def inspect(user, code: str, portions: list[Portion], defect_class: str = "", cause: str = "",
            note: str = "") -> Inspection:
    """Record the decision for one unit or lot; a lot may be split across dispositions."""
    unit = get_unit(code)
    unit = for_update(Unit.select().where(Unit.id == unit.id)).get()
    if unit.state == "inspected":
        raise Refused(_("{unit} is already inspected").format(unit=unit.code))
    if unit.state == "reversed":
        raise Refused(_("{unit} was taken off the slip (reversed): nothing to inspect").format(
            unit=unit.code))
    return _record(user, unit, _check_portions(unit, portions), defect_class, cause, note)


@operation("inspect")
def inspect_line(user, slip_no: str, line_no: int, portions: list[Portion],
                 defect_class: str = "", cause: str = "", note: str = "") -> list[Inspection]:
    """One decision for a quantity of a line: its waiting units, oldest first, are shared out
    over the portions in order (e.g. 80 pcs restock, then 20 pcs scrap)."""
    line = get_line(locked_slip(slip_no), line_no)
    waiting = list(for_update(Unit.select().where(Unit.line == line, Unit.state == "awaiting")
                              .order_by(Unit.id)))
    wanted = [(p, _quantity(p.qty)) for p in portions]
    total = sum(qty for _portion, qty in wanted)
    covered, units = Decimal(0), []
    for unit in waiting:
        if covered >= total:
            break
        units.append(unit)
        covered += unit.qty
    if covered != total:
        available = sum(u.qty for u in waiting)
        raise Refused(_("{total} {measure} does not match whole waiting units of line {line} "
                        "({available} {measure} wait, oldest first): adjust the quantities").format(
            total=total, measure=line.unit, line=line_no, available=available))
    inspections, queue = [], [[p, qty] for p, qty in wanted]
    for unit in units:
        share, need = [], unit.qty
        while need > 0:
            portion, left = queue[0]
            take = min(left, need)
            share.append(Portion(portion.passed, portion.disposition, take))
            need -= take
            queue[0][1] -= take
            if queue[0][1] == 0:
                queue.pop(0)
        inspections.append(_record(user, unit, _check_portions(unit, share), defect_class,
                                   cause, note))
    return inspections


def _record(user, unit: Unit, checked, defect_class: str, cause: str, note: str) -> Inspection:
    failed = any(not passed for passed, _disposition, _qty in checked)
    cause = check_text(cause, _("cause"), 200)
    note = check_text(note, _("note"), 2000, multiline=True)
    if failed and defect_class not in DEFECT_CLASSES:
        raise Refused(_("a failed inspection needs a defect class: {codes}").format(
            codes=", ".join(DEFECT_CLASSES)))
    if failed and not cause.strip():
        raise Refused(_("a failed inspection needs the cause"))
    results = {passed for passed, _disposition, _qty in checked}
    result = "split" if len(results) == 2 else ("pass" if True in results else "fail")
    inspection = Inspection.create(unit=unit, result=result, defect_class=defect_class if failed else "",
                                   cause=cause.strip(), note=note.strip(), by=user)
    InspectionPortion.insert_many([dict(inspection=inspection, passed=p, disposition=d, qty=q)
                                   for p, d, q in checked]).execute()
    Unit.update(state="inspected").where(Unit.id == unit.id).execute()
    line = unit.line
    if failed:
        month_totals.add_failed(f"{inspection.at:%Y-%m}", line.slip.case_id, line.unit,
                                sum(q for passed, _d, q in checked if not passed), line.unit_price)
    write_return_reason(line)
    audit.record(user, "inspect", "unit", unit.code, {"state": "awaiting"},
                 {"state": "inspected", "result": result, "defect_class": defect_class,
                  "cause": cause.strip(), "portions": [[p, d, q] for p, d, q in checked]})
    return inspection


def write_return_reason(line: SlipLine) -> None:
    """Quality writes the result into the slip's return-reason column (002 §1.9): a summary
    of every inspection on the line, e.g. "3 pass -> restock; 1 fail -> scrap (appearance: dent)".
    A unit reversed after its inspection no longer counts (its inspection stays on record)."""
    kept = (Unit.line == line) & (Unit.state != "reversed")
    totals = (InspectionPortion.select(InspectionPortion.passed, InspectionPortion.disposition,
                                       exact_sum(InspectionPortion.qty))
              .join(Inspection).join(Unit).where(kept)
              .group_by(InspectionPortion.passed, InspectionPortion.disposition)
              .order_by(InspectionPortion.passed.desc(), InspectionPortion.disposition).tuples())
    defects = (Inspection.select(Inspection.defect_class, Inspection.cause).distinct()
               .join(Unit).where(kept, Inspection.defect_class != "")
               .order_by(Inspection.defect_class, Inspection.cause).limit(5).tuples())
    text = "; ".join(f"{qty} {'pass' if passed else 'fail'} -> {disposition}"
                     for passed, disposition, qty in totals)
    causes = ", ".join(f"{defect}: {cause}" for defect, cause in defects)
    SlipLine.update(return_reason=f"{text} ({causes})" if causes else text).where(
        SlipLine.id == line.id).execute()
