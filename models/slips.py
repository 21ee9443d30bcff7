"""Return slips (成品退貨單) issued against a complaint case, their lines, and their approval.

A slip states, line by line, what may come back, why and how it is handled, and on what
basis (001 §13.1(2)). It is issued waiting for approval: a supervisor other than its author
approves it, and a customer-caused return only once a regional manager has approved it
(000 §6.6). Nothing is received or booked on a slip that is not approved, or whose case
was rejected.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from . import audit, clock, month_totals
from .access import operation, require
from .cases import get_case, is_customer_caused
from .codes import checked_slip_no, clean, slip_no_for, slip_series
from .db import columns, execute, execute_all, is_postgres, load, lock_suffix, relate
from .errors import NotFound, Refused
from .fields import to_decimal
from .i18n import N_, _
from .numbering import next_serial
from .settings import KNOWN
from .tables import PRICE_PLACES, QTY_PLACES, ComplaintCase, Slip, SlipLine, User
from .text import check_text
from .words import word

STATUSES = ("awaiting_approval", "receiving", "received", "booked")
HANDLINGS = ("return", "reprocess")
COUNTABLE_UNITS = ("pcs", "set", "box", "pair", "roll")   # whole numbers only
MAX_QTY = Decimal(10) ** 9
MAX_REASON = 500
MAX_DESCRIPTION = 200
MAX_BASIS = 2000
_UNIT = re.compile(r"[a-z][a-z0-9]{0,7}")


@dataclass
class LineSpec:
    line_no: int
    part_no: str
    description: str
    unit: str
    approved_qty: Decimal | str
    unit_price: Decimal | str
    tolerance_pct: Decimal | str | None = None   # None: the customer's, else the default
    reason: str = ""                             # why this line comes back
    handling: str = ""                           # return | reprocess


def is_countable(unit: str) -> bool:
    return unit in COUNTABLE_UNITS


def round_down_to_unit(qty: Decimal, unit: str) -> Decimal:
    """`qty` as it can be booked: whole pieces for countable units (10.5 pcs -> 10), else
    exact to the quantity's stored places (grams, millimetres), never rounded up."""
    step = Decimal(1) if is_countable(unit) else Decimal(1).scaleb(-QTY_PLACES)
    return qty.quantize(step, rounding=ROUND_FLOOR)


def parse_quantity(value, unit: str, what: str | None = None) -> Decimal:
    """A positive quantity in `unit`: whole for pieces, up to 3 decimals for kg, m ...
    `what`: the field's name as shown (translated), "quantity" by default."""
    what = what or _("quantity")
    try:
        qty = to_decimal(value, QTY_PLACES, what)
    except (ValueError, TypeError) as exc:
        raise Refused(str(exc)) from None
    if qty <= 0:
        raise Refused(_("{what} must be more than 0, not {value}").format(what=what, value=value))
    if qty > MAX_QTY:
        raise Refused(_("{what} {value} is not a believable quantity").format(what=what, value=value))
    if is_countable(unit) and qty != qty.to_integral_value():
        raise Refused(_("{what} {value} {unit}: {unit} are counted in whole numbers").format(
            what=what, value=value, unit=unit))
    return qty


def check_handling(handling: str, where: str = "") -> None:
    if handling not in HANDLINGS:
        if where:
            raise Refused(_("{where}: handling must be return or reprocess, not {handling!r}")
                          .format(where=where, handling=handling))
        raise Refused(_("handling must be return or reprocess, not {handling!r}").format(
            handling=handling))


def check_line(spec: LineSpec) -> dict:
    if not isinstance(spec.line_no, int) or not 1 <= spec.line_no <= 999:
        raise Refused(_("line number {line!r} must be from 1 to 999").format(line=spec.line_no))
    where = _("slip line {line}").format(line=spec.line_no)
    part_no = check_text(spec.part_no, _("{where}: part no").format(where=where), 60)
    description = check_text(spec.description, _("{where}: description").format(where=where),
                             MAX_DESCRIPTION)
    if not part_no or len(part_no) > 60 or not part_no.isprintable():
        raise Refused(_("{where}: a part number is 1-60 printable characters").format(where=where))
    unit = (spec.unit or "").strip().lower()
    if not _UNIT.fullmatch(unit):
        raise Refused(_("{where}: unit {unit!r} is not a unit like pcs, kg or m").format(
            where=where, unit=spec.unit))
    try:
        price = to_decimal(spec.unit_price, PRICE_PLACES, _("unit price"))
        tolerance = (None if spec.tolerance_pct in (None, "")
                     else KNOWN["default_tolerance_pct"].parse(str(spec.tolerance_pct)))
    except (ValueError, TypeError) as exc:
        raise Refused(_("{where}: {problem}").format(where=where, problem=exc)) from None
    if price < 0:
        raise Refused(_("{where}: a unit price cannot be negative").format(where=where))
    reason = check_text(spec.reason, _("{where}: reason").format(where=where), MAX_REASON,
                        multiline=True)
    if not reason:
        raise Refused(_("{where}: the reason is empty: say why these goods come back").format(
            where=where))
    if len(reason) > MAX_REASON:
        raise Refused(_("{where}: the reason is longer than {n} characters").format(
            where=where, n=MAX_REASON))
    handling = (spec.handling or "").strip().lower()
    check_handling(handling, where)
    return dict(line_no=spec.line_no, part_no=part_no, description=description,
                unit=unit,
                approved_qty=parse_quantity(spec.approved_qty, unit,
                                            _("{where}: approved quantity").format(where=where)),
                unit_price=price, tolerance_pct=tolerance, reason=reason, handling=handling)


def _manager_name(name: str | None) -> str:
    text = check_text(name, _("regional manager"), 60)
    if not text or len(text) > 60 or not text.isprintable():
        raise Refused(_("name the regional manager who approved (1-60 printable characters)"))
    return text


def approver_named(name: str) -> User:
    """The active supervisor (or admin) called `name`: who approved a slip on paper."""
    text = (name or "").strip()
    user = User.get_or_none(User.name == text) if 0 < len(text) <= 60 else None
    if user is None or not user.active or user.role not in ("supervisor", "admin"):
        raise Refused(_("approved_by {name!r} is not an active supervisor of this desk").format(
            name=text))
    return user


def _approve(slip: Slip, case: ComplaintCase, approver: User, entered_by: User) -> None:
    """The second person's approval, in the caller's transaction, once every rule holds."""
    if slip.approved_at is not None:
        raise Refused(_("slip {slip} is already approved").format(slip=slip.slip_no))
    if approver.id == slip.issued_by_id:
        raise Refused(_("{name} issued slip {slip}: another supervisor approves it").format(
            name=approver.name, slip=slip.slip_no))
    if case.status == "rejected":
        raise Refused(_("case {case} was rejected: its slip cannot be approved").format(
            case=case.case_no))
    if is_customer_caused(case) and not slip.regional_manager:
        raise Refused(_("case {case} is a customer-caused return ({cause}): record the regional "
                        "manager's approval on the slip first").format(case=case.case_no,
                                                                       cause=word("cause", case.cause)))
    before = slip.status
    slip.approved_by, slip.approved_at = approver, clock.now()
    if slip.status == "awaiting_approval":
        slip.status = "receiving"
    slip.save()
    audit.record(approver, "slip.approve", "slip", slip.slip_no, {"status": before},
                 {"status": slip.status, "approved_by": approver.name,
                  "entered_by": entered_by.name})


@operation("slip.issue")
def issue_slip(user, case_no: str, lines: list[LineSpec], basis: str = "",
               slip_no: str | None = None, approved_by: User | None = None,
               regional_manager: str | None = None) -> Slip:
    """Issue a return slip for a case; it waits for a supervisor's approval. A slip approved
    on paper comes with `approved_by` (a supervisor, not `user`) and, for a customer-caused
    return, the `regional_manager` who approved it first."""
    today = clock.today()
    case = get_case(case_no)
    # A late case may still get its slip (the goods come back anyway); booking waits for
    # the supervisor's decision.
    if case.status not in ("open", "awaiting_decision"):
        raise Refused(_("case {case} is {status}: no more slips can be issued for it").format(
            case=case.case_no, status=word("status", case.status)))
    if not lines:
        raise Refused(_("a slip needs at least one line"))
    rows = [check_line(spec) for spec in lines]
    for key, twice in (("line_no", N_("line number {numbers} appears twice on the slip")),
                       ("part_no", N_("part number {numbers} appears twice on the slip"))):
        seen = [row[key] for row in rows]
        repeated = sorted({str(v) for v in seen if seen.count(v) > 1})
        if repeated:
            raise Refused(_(twice).format(numbers=", ".join(repeated)))
    basis = check_text(basis, _("basis"), multiline=True)
    if len(basis) > MAX_BASIS:
        raise Refused(_("the basis is longer than {n} characters").format(n=MAX_BASIS))
    if slip_no:
        slip_no = checked_slip_no(slip_no)
        if Slip.get_or_none(Slip.slip_no == slip_no):
            raise Refused(_("slip {slip} already exists").format(slip=slip_no))
    else:
        slip_no = slip_no_for(today, next_serial(slip_series(today)))
    regional = {}
    if regional_manager:
        regional = dict(regional_manager=_manager_name(regional_manager),
                        regional_recorded_by=user, regional_recorded_at=clock.now())
    slip = Slip.create(slip_no=slip_no, case=case, basis=basis, issued_on=today, issued_by=user,
                       status="awaiting_approval", **regional)
    SlipLine.insert_many([dict(row, slip=slip) for row in rows]).execute()
    month_totals.add_issued(slip, case.category)
    audit.record(user, "slip.issue", "slip", slip_no, None,
                 {"case": case.case_no, "basis": basis, "status": slip.status, "lines": rows,
                  **({"regional_manager": regional["regional_manager"]} if regional else {})})
    if approved_by is not None:
        _approve(slip, case, require(approved_by, "slip.approve"), user)
    return slip


@operation("slip.approve")
def approve_slip(user, slip_no: str) -> Slip:
    """A supervisor approves a slip someone else issued (the PIN is asked by the desk or
    the command line); from then on its goods may be received."""
    slip = locked_slip(slip_no)
    _approve(slip, slip.case, user, user)
    return slip


@operation("slip.regional")
def record_regional_approval(user, slip_no: str, manager: str) -> Slip:
    """Record that regional manager `manager` approved taking the goods back (000 §6.6: a
    customer-caused return needs it before the slip is approved); `user` entered it."""
    slip = locked_slip(slip_no)
    name = _manager_name(manager)
    if slip.approved_at is not None:
        raise Refused(_("slip {slip} is already approved: the regional manager's approval comes "
                        "before the supervisor's").format(slip=slip.slip_no))
    before = slip.regional_manager
    slip.regional_manager, slip.regional_recorded_by = name, user
    slip.regional_recorded_at = clock.now()
    slip.save()
    audit.record(user, "slip.regional_approval", "slip", slip.slip_no,
                 {"regional_manager": before}, {"regional_manager": name})
    return slip


def refuse_if_barred(slip: Slip, case_status: str, doing: str) -> None:
    """No goods move and nothing is booked (`doing`: "received", "booked") on a slip whose
    case was rejected or that is not approved."""
    if case_status == "rejected":
        rejected = (_("the complaint of slip {slip} was rejected: nothing can be booked on it")
                    if doing == "booked" else
                    _("the complaint of slip {slip} was rejected: nothing can be received on it"))
        raise Refused(rejected.format(slip=slip.slip_no))
    if slip.approved_at is None:
        unapproved = (_("slip {slip} is not approved yet: a supervisor approves it before "
                        "anything is booked") if doing == "booked" else
                      _("slip {slip} is not approved yet: a supervisor approves it before "
                        "anything is received"))
        raise Refused(unapproved.format(slip=slip.slip_no))


# Lookups a person waits on, in SQL written once (see models.db).
_SLIP = f"SELECT {columns(Slip, 's')} FROM slip s WHERE s.slip_no = ?"
_LINES = f"SELECT {columns(SlipLine, 'l')} FROM slip_line l WHERE l.slip_id = ? ORDER BY l.line_no"
_LINE = f"SELECT {columns(SlipLine, 'l')} FROM slip_line l WHERE l.slip_id = ? AND l.line_no = ?"
_SLIP_WITH_LINES = f"""
    SELECT {columns(Slip, 's')}, {columns(SlipLine, 'l')}
    FROM slip s LEFT JOIN slip_line l ON l.slip_id = s.id
    WHERE s.slip_no = ? ORDER BY l.line_no"""
_SLIP_COLUMNS = len(Slip._meta.sorted_fields)
_LOCK = "SELECT s.id FROM slip s WHERE s.slip_no = ? FOR UPDATE"


def slip_number(slip_no: str) -> str:
    """A slip number as typed or scanned, as the database has it (too long: Refused)."""
    return Slip.slip_no.db_value(clean(slip_no))


def no_slip(slip_no: str) -> NotFound:
    return NotFound(_("no return slip {slip}").format(slip=slip_no.strip()))


def get_slip(slip_no: str) -> Slip:
    row = execute(_SLIP, (slip_number(slip_no),)).fetchone()
    if row is None:
        raise no_slip(slip_no)
    return load(Slip, row)


def locked_slip(slip_no: str) -> Slip:
    """The slip, held against other terminals until this transaction ends."""
    row = execute(_SLIP + lock_suffix(), (slip_number(slip_no),)).fetchone()
    if row is None:
        raise no_slip(slip_no)
    return load(Slip, row)


def read_locked(number: str, text: str, params: tuple | list):
    """`text` run once the slip numbered `number` is held against other terminals until this
    transaction ends, in one round trip; its cursor. On PostgreSQL the lock is a statement of
    its own sent just before, not FOR UPDATE on `text`: a statement reads what was committed
    when it began, so one that waited for the lock would not see what the terminal that held
    it wrote. On SQLite the IMMEDIATE transaction already holds the write lock."""
    if is_postgres():
        return execute_all((_LOCK, (number,)), (text, params))
    return execute(text, params)


def lines_of(slip: Slip) -> list[SlipLine]:
    lines = [load(SlipLine, row) for row in execute(_LINES, (slip.id,)).fetchall()]
    for line in lines:
        relate(line, "slip", slip)
    return lines


def slip_with_lines(slip_no: str) -> tuple[Slip, list[SlipLine]]:
    """The slip and its lines in line order, in one statement (get_slip and lines_of in one)."""
    rows = execute(_SLIP_WITH_LINES, (slip_number(slip_no),)).fetchall()
    if not rows:
        raise no_slip(slip_no)
    slip = load(Slip, rows[0])
    lines = [load(SlipLine, row, _SLIP_COLUMNS) for row in rows if row[_SLIP_COLUMNS] is not None]
    for line in lines:
        relate(line, "slip", slip)
    return slip, lines


def get_line(slip: Slip, line_no: int) -> SlipLine:
    row = execute(_LINE, (slip.id, line_no)).fetchone()
    if row is None:
        raise NotFound(_("slip {slip} has no line {line}").format(slip=slip.slip_no, line=line_no))
    line = load(SlipLine, row)
    relate(line, "slip", slip)
    return line


def sign_for_arrivals(user, slip: Slip, note: str = "") -> Slip:
    """Receiving ends: what actually arrived is signed for (001 §13.2(2)) and nothing more can
    be received. The slip must be locked and open for receiving."""
    slip.status, slip.receiving_closed_at, slip.receiving_closed_by = "received", clock.now(), user
    slip.save()
    after = {"status": "received", **({"note": note} if note else {})}
    audit.record(user, "receive.close", "slip", slip.slip_no, {"status": "receiving"}, after)
    return slip

