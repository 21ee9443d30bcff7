"""Receiving returned goods against a slip: scans, counted lots, reversals, closing."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from . import audit, clock, settings
from .access import allowed, operation, require
from .codes import unit_code
from .db import columns, execute_all, for_update, load, new_instance, next_id, relate, set_stored
from .errors import Refused
from .i18n import _
from .inspection import write_return_reason
from .numbers import number
from .reconciliation import FACT_COLUMNS, FACT_JOINS, LineFacts, LineFigures, figures_for, line_facts
from .slips import (
    is_countable,
    lines_of,
    locked_slip,
    no_slip,
    parse_quantity,
    read_locked,
    refuse_if_barred,
    sign_for_arrivals,
    slip_number,
)
from .tables import PrintJob, Reversal, Slip, SlipLine, Unit
from .text import check_text
from .units import get_unit

# A count this far beyond the approved quantity is a typo (a barcode in the quantity field),
# not an over-receipt.
ABSURD_FACTOR = 10
ABSURD_FLOOR = Decimal(1000)


@dataclass(frozen=True)
class Receipt:
    unit: Unit
    line: SlipLine
    figures: LineFigures       # the line's quantities and status after this receipt
    replayed: bool = False     # the same scan id was already recorded: nothing new

    @property
    def over(self) -> bool:
        return self.figures.status == "over"


def _receiving(slip: Slip, case_status: str | None = None) -> Slip:
    """The slip, if goods may be received on it now. `case_status`: its case's, where the
    gate applies (a correction, like undoing a scan, goes through without it)."""
    if case_status is not None:
        refuse_if_barred(slip, case_status, "received")
    if slip.status != "receiving":
        if slip.status == "booked":
            raise Refused(_("slip {slip} is booked: nothing more can be received on it").format(
                slip=slip.slip_no))
        raise Refused(_("slip {slip} is closed for receiving: nothing more can be received on "
                        "it").format(slip=slip.slip_no))
    return slip


def _open_for_receiving(slip_no: str, gate: bool = True) -> Slip:
    slip = locked_slip(slip_no)
    return _receiving(slip, slip.case.status if gate else None)


# What a scan decides with, once its slip is locked, in one statement (see models.db): the
# slip; whether the scan id was already recorded, and on which slip; the slip's line for the
# code, with what the line's figures depend on; the two settings a receipt uses; and the id
# its unit will get (models.db.next_id), so that every write of the receipt goes at once; last,
# its case's status (the gate: refuse_if_barred).
_SLIP_COLUMNS = len(Slip._meta.sorted_fields)
_SCAN_FACTS = f"""
    SELECT {columns(Slip, "s")},
           (SELECT u.id FROM unit u WHERE u.scan_id = ?),
           (SELECT r.slip_id FROM unit u JOIN slip_line r ON r.id = u.line_id WHERE u.scan_id = ?),
           (SELECT value FROM setting WHERE name = 'label_printer'),
           (SELECT value FROM setting WHERE name = 'default_tolerance_pct'),
           {{next_unit_id}},
           {FACT_COLUMNS}, {columns(SlipLine, "l")}, k.status
    FROM slip s
    LEFT JOIN slip_line l ON l.slip_id = s.id AND l.part_no = ? {FACT_JOINS}
    WHERE s.slip_no = ?"""


def scan_facts_sql() -> str:
    return _SCAN_FACTS.format(next_unit_id=next_id(Unit))


@dataclass(frozen=True)
class _ScanFacts:
    replayed: tuple[int, int] | None      # (unit id, its slip id): this scan id is recorded
    printer: str
    default_pct: Decimal
    unit_id: int                          # the id of the unit this scan adds, if it adds one
    line: LineFacts | None                # None: the code is not a part on the slip


def _scan_facts(slip_no: str, code: str, scan_id: str | None) -> tuple[Slip, _ScanFacts]:
    """The slip, locked and open for receiving, and what the scan decides with."""
    number = slip_number(slip_no)
    scan_key = Unit.scan_id.db_value(scan_id) if scan_id else None
    # A code too long to be a part matches none (_line_for_code says why, after the replay).
    part = SlipLine.part_no.db_value(code) if len(code) <= SlipLine.part_no.max_length else None
    row = read_locked(number, scan_facts_sql(), (scan_key, scan_key, part, number)).fetchone()
    if row is None:
        raise no_slip(slip_no)
    slip = _receiving(load(Slip, row), row[-1])
    at = _SLIP_COLUMNS
    line = None
    if row[at + 8] is not None:           # the line's id: the code is a part of this slip
        line = load(SlipLine, row, at + 8)
        relate(line, "slip", slip)
    return slip, _ScanFacts(None if row[at] is None else (row[at], row[at + 1]),
                            settings.parse("label_printer", row[at + 2]),
                            settings.parse("default_tolerance_pct", row[at + 3]),
                            row[at + 4],
                            None if line is None else line_facts(row, at + 5, line))


def _replayed(scan_id: str | None, slip: Slip, facts: _ScanFacts) -> Receipt | None:
    if facts.replayed is None:
        return None
    unit_id, slip_id = facts.replayed
    if slip_id != slip.id:
        raise Refused(_("scan {scan} was already recorded on another slip").format(scan=scan_id))
    unit = Unit.get_by_id(unit_id)
    return Receipt(unit, unit.line, figures_for(unit.line), replayed=True)


def _line_for_code(slip: Slip, code: str, facts: _ScanFacts) -> LineFacts:
    if facts.line is not None:
        return facts.line
    elsewhere = (Slip.select(Slip.slip_no).join(SlipLine)
                 .where(SlipLine.part_no == code, Slip.status == "receiving", Slip.id != slip.id)
                 .limit(3))
    others = [s.slip_no for s in elsewhere]
    if others:
        raise Refused(_("part {code} belongs to slip {others}, not to {slip}: put it aside for "
                        "that slip").format(code=code, others=", ".join(others), slip=slip.slip_no))
    raise Refused(_("unknown code {code!r}: it is not a part on slip {slip}").format(
        code=code, slip=slip.slip_no))


# A receipt's writes, in SQL written once (see models.db): a scan is the desk's busiest path.
_INSERT_UNIT = """INSERT INTO unit (id, line_id, qty, lot, scan_id, state, received_by_id,
                                    received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""
_QUEUE_LABEL = """INSERT INTO print_job (unit_id, printer, copies, reprint, status, attempts,
                                         last_error, requested_by_id, requested_at)
                  VALUES (?, ?, 1, ?, 'queued', 0, '', ?, ?)"""
_ADD_RECEIVED = """UPDATE slip_line SET received_qty = received_qty + ? WHERE id = ?
                   RETURNING received_qty"""


def _add_unit(user, slip: Slip, facts: _ScanFacts, qty: Decimal, lot: bool,
              scan_id: str | None) -> Receipt:
    line = facts.line.line
    f = Unit._meta.fields
    values = {"id": facts.unit_id, "line": line.id, "qty": qty, "lot": lot, "scan_id": scan_id,
              "state": "awaiting", "received_by": user.id, "received_at": clock.now()}
    unit = new_instance(Unit, values, {"line": line, "received_by": user})
    # The slip is locked: every change to its lines' totals waits for this transaction, so the
    # total read with the facts plus this unit is the total after it. Every write goes in one
    # round trip (models.db.execute_all): the unit; its label, queued in the same transaction
    # (a unit never exists without one); the audit record; and one UPDATE that adds to the
    # running total, so two terminals never lose each other's units.
    received = line.received_qty + qty
    total = execute_all(
        (_INSERT_UNIT, [f[name].db_value(value) for name, value in values.items()]),
        (_QUEUE_LABEL, (unit.id, PrintJob.printer.db_value(facts.printer), False, user.id,
                        values["received_at"])),
        audit.statement(user, "receive.lot" if lot else "receive.scan", "unit", unit.code, None,
                        {"slip": slip.slip_no, "line": line.line_no, "qty": qty,
                         "received_qty": received}),
        (_ADD_RECEIVED, (SlipLine.received_qty.db_value(qty), line.id))).fetchone()[0]
    set_stored(line, "received_qty", SlipLine.received_qty.python_value(total))
    if line.received_qty != received:     # the lock did not hold: say so, record nothing
        raise RuntimeError(f"slip {slip.slip_no} line {line.line_no} changed while it was locked: "
                           f"{received} expected, {line.received_qty} found")
    return Receipt(unit, line, facts.line.figures(facts.default_pct))


@operation("receive")
def receive_scan(user, slip_no: str, code: str, scan_id: str | None = None) -> Receipt:
    """A scanned part code: one more unit of that part on the slip."""
    code = code.strip()
    slip, facts = _scan_facts(slip_no, code, scan_id)
    replay = _replayed(scan_id, slip, facts)
    if replay:
        return replay
    line = _line_for_code(slip, code, facts).line
    if not is_countable(line.unit):
        raise Refused(_("part {part} is counted in {unit}: enter the quantity instead").format(
            part=line.part_no, unit=line.unit))
    if line.received_qty >= line.approved_qty:       # over already: is it past the cap?
        _refuse_past_cap(user, slip, line)
    return _add_unit(user, slip, facts, Decimal(1), False, scan_id)


def _refuse_past_cap(user, slip: Slip, line: SlipLine) -> None:
    """Piece scans stop at scan_cap_factor x the approved quantity (a stuck scanner, a label
    scanned in a loop): a supervisor signed in decides whether more really came back.
    (Read only once a line is over, so the scan's one round trip stays one.)"""
    factor = settings.get("scan_cap_factor")
    if line.received_qty + 1 > line.approved_qty * factor and not allowed(user.role,
                                                                          "receive.beyond_cap"):
        raise Refused(_("slip {slip} line {line} ({part}) already has {received} {unit}, "
                        "{factor} times the approved {approved}: a supervisor must decide "
                        "whether more are received (a supervisor signed in may go on)").format(
            slip=slip.slip_no, line=line.line_no, part=line.part_no,
            received=number(line.received_qty), unit=line.unit, factor=factor,
            approved=number(line.approved_qty)))


@operation("receive")
def receive_count(user, slip_no: str, code: str, qty, scan_id: str | None = None) -> Receipt:
    """A counted or weighed lot of one part (bulk goods): one label for the lot."""
    code = code.strip()
    slip, facts = _scan_facts(slip_no, code, scan_id)
    replay = _replayed(scan_id, slip, facts)
    if replay:
        return replay
    line = _line_for_code(slip, code, facts).line
    quantity = parse_quantity(qty, line.unit)
    if quantity > max(ABSURD_FLOOR, line.approved_qty * ABSURD_FACTOR):
        raise Refused(_("{quantity} {unit} is more than {factor} times the approved "
                        "{approved}: check the count").format(
            quantity=quantity, unit=line.unit, factor=ABSURD_FACTOR,
            approved=line.approved_qty))
    return _add_unit(user, slip, facts, quantity, True, scan_id)


@operation("receive")
def reverse_unit(user, code: str, reason: str, request_id: str | None = None) -> Unit:
    """Take back a wrong receipt (by the unit's label): the unit and its receipt stay on
    record, marked reversed, and a Reversal record says who, when and why; its line's running
    total drops and its label, if not printed yet, is cancelled. Before the unit is inspected
    a clerk may; after that only a supervisor (the inspection stays on record too)."""
    found = get_unit(code)
    slip = locked_slip(found.line.slip.slip_no)
    unit = for_update(Unit.select().where(Unit.id == found.id)).get()   # as of the lock
    if slip.status == "booked":
        raise Refused(_("slip {slip} is booked: a supervisor reopens it before a unit is "
                        "reversed").format(slip=slip.slip_no))
    if unit.state == "reversed":
        raise Refused(_("{unit} was already reversed").format(unit=unit.code))
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("say why the receipt is reversed"))
    if unit.state == "inspected":
        require(user, "unit.reverse_inspected")
    Reversal.create(unit=unit, reason=reason.strip(), by=user, request_id=request_id)
    Unit.update(state="reversed").where(Unit.id == unit.id).execute()
    SlipLine.update(received_qty=SlipLine.received_qty - unit.qty).where(
        SlipLine.id == unit.line_id).execute()
    cancelled = _cancel_labels(unit)
    if unit.state == "inspected":
        write_return_reason(unit.line)
    audit.record(user, "receive.reverse", "unit", unit.code, {"state": unit.state},
                 {"state": "reversed", "slip": slip.slip_no, "line": unit.line.line_no,
                  "qty": unit.qty, "reason": reason.strip(), "labels_cancelled": cancelled})
    return Unit.get_by_id(unit.id)


def _cancel_labels(unit: Unit) -> list[int]:
    """The reversed unit's label jobs not printed yet will not print; their ids."""
    jobs = [job.id for job in PrintJob.select(PrintJob.id).where(
        PrintJob.unit == unit.id, PrintJob.status.in_(("queued", "failed", "printing")))]
    if jobs:
        PrintJob.update(status="cancelled").where(PrintJob.id.in_(jobs)).execute()
    return jobs


@operation("receive")
def undo_last(user, slip_no: str, request_id: str | None = None) -> Unit:
    """Reverse the last unit this user received on the slip ("undo last scan"). With a
    `request_id`, sending the same undo again reverses nothing more: it answers the same."""
    done = Reversal.get_or_none(Reversal.request_id == request_id) if request_id else None
    if done is not None:
        return Unit.get_by_id(done.unit_id)
    slip = _open_for_receiving(slip_no, gate=False)
    last = (Unit.select().join(SlipLine)
            .where(SlipLine.slip == slip, Unit.received_by == user, Unit.state == "awaiting")
            .order_by(Unit.id.desc()).first())
    if last is None:
        raise Refused(_("nothing of yours to undo on slip {slip}").format(slip=slip.slip_no))
    # Stored in English (the data stays the same in every language), shown as words (words.py).
    return reverse_unit(user, last.code, "undo last scan", request_id)


class FiguresChanged(Refused):
    """The slip's received quantities are no longer those the clerk was shown: they sign for
    what the database holds, so they are shown the figures again."""


@operation("receive")
def close_receiving(user, slip_no: str, signed_for: Mapping[int, Decimal] | None = None) -> Slip:
    """The clerk signs for what actually arrived (001 §13.2(2)). `signed_for` (line number ->
    received quantity) is what they were shown: if a scan went in since (theirs, or another
    terminal's), nothing is closed and FiguresChanged says so."""
    slip = _open_for_receiving(slip_no)
    if signed_for is not None:
        now = {line.line_no: line.received_qty for line in lines_of(slip)}
        if now != dict(signed_for):
            raise FiguresChanged(_("slip {slip} received more (or less) since its figures were "
                                   "shown: check them again before signing").format(
                slip=slip.slip_no))
    return sign_for_arrivals(user, slip)


def units_of(slip: Slip) -> list[Unit]:
    return list(Unit.select().join(SlipLine).where(SlipLine.slip == slip).order_by(Unit.id))


def slip_in_progress(user) -> str | None:
    """The slip `user` last received a piece on, if it is still open for receiving: where a
    clerk carries on after the desk was closed, crashed or used by someone else."""
    last = (Unit.select(Slip.slip_no, Slip.status).join(SlipLine).join(Slip)
            .where(Unit.received_by == user).order_by(Unit.id.desc()).limit(1).tuples().first())
    return last[0] if last and last[1] == "receiving" else None


__all__ = ["Receipt", "FiguresChanged", "receive_scan", "receive_count", "reverse_unit", "undo_last",
           "close_receiving", "get_unit", "units_of", "unit_code", "slip_in_progress"]
