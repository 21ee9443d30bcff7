"""Complaint cases: intake, acceptance windows, deadlines, the late decision and the
assessment (responsibility, cause, outcome). Closing and reopening: models/closing.py."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import attachments, audit, clock, settings
from .access import operation
from .codes import case_no_for, case_serial, case_series, clean
from .customers import customer_and_workdays
from .db import for_update, insert, new_instance
from .errors import NotFound, Refused
from .fields import parse_date, to_decimal
from .i18n import N_, _
from .numbering import claim_serial, next_serial
from .tables import AMOUNT_PLACES, QTY_PLACES, CaseAssessment, ComplaintCase, Customer
from .text import check_text
from .words import word
from .workdays import add_working_days, add_years

# 000 §5.1: the window counts from the day the customer received the goods.
WINDOW_WORKING_DAYS = {"appearance": 3, "model_quantity": 3}
WARRANTY_YEARS = {"performance": 1}
CATEGORIES = ("appearance", "model_quantity", "performance")
SEVERITIES = ("minor", "severe")
REPLY_WORKING_DAYS = {"minor": 1, "severe": 2}          # 000 §6.3
CLOSE_DAYS = {"domestic": 13, "foreign": 17}             # 001 §10.1, from acceptance
CAUSES = {                                               # 000 §5.1, §5.2.2, §6.6; 001 §9.7; 004
    "ours": ("quality", "process", "design"),
    "not_ours": ("customer_misuse", "customer_order", "wrong_item", "transport",
                 "not_our_product", "force_majeure", "wear", "unauthorised_repair",
                 "wrong_voltage", "out_of_warranty"),
}
# 000 §6.6: the customer ordered too many or the wrong item: a regional manager approves the
# return, and failed goods are the sales side's quality cost. (Index
# complaint_case_customer_caused, migration 0013, holds these two: a change here needs a
# migration that makes it again.)
CUSTOMER_CAUSES = ("customer_order", "wrong_item")
OUTCOMES = ("return", "rework", "repair", "onsite_repair", "exchange", "replenish", "allowance",
            "compensation", "other")
MONEY_OUTCOMES = ("allowance", "compensation")           # 001 §13.1(1): an amount is agreed
LATE_DECISIONS = ("accept", "accept_paid", "reject")     # 不受理或有償受理
STATUSES = ("awaiting_decision", "open", "rejected", "closed")

def _workdays() -> tuple:
    return settings.workdays()


def case_serial_key(opened_on: dt.date) -> str:
    """The counter (models.numbering) a case's serial comes from: one per month."""
    return f"case:{opened_on:%y%m}"


def window_ends_on(category: str, received_on: dt.date,
                   holidays: Collection[dt.date] | None = None,
                   extra_workdays: Collection[dt.date] | None = None) -> dt.date:
    """The last day a complaint of this category is accepted; working days count with the
    site's holidays and make-up days (its settings, unless given)."""
    if category in WARRANTY_YEARS:
        return add_years(received_on, WARRANTY_YEARS[category])
    if holidays is None:
        holidays = settings.get("holidays")
    if extra_workdays is None:
        extra_workdays = settings.get("extra_workdays")
    return add_working_days(received_on, WINDOW_WORKING_DAYS[category], holidays, extra_workdays)


def is_late(opened_on: dt.date, window_end: dt.date) -> bool:
    """A complaint opened after its window's last day waits for a supervisor's decision."""
    return opened_on > window_end


def reply_due_for(severity: str, opened_on: dt.date, workdays: tuple | None = None) -> dt.date:
    """Quality's opinion is due 1 working day after a minor complaint came to it, 2 after a
    severe one (000 §6.3: 1-2 days; the later bound is the deadline). `workdays`: the site's
    holidays and make-up days, where the caller has read them."""
    return add_working_days(opened_on, REPLY_WORKING_DAYS[severity], *(workdays or _workdays()))


def reply_due_on(case: ComplaintCase) -> dt.date:
    """The case's reply deadline, as recorded at intake (worked out for cases from before)."""
    return case.reply_due_on or reply_due_for(case.severity, case.opened_on)


def due_on_for(market: str, accepted_on: dt.date) -> dt.date:
    return accepted_on + dt.timedelta(days=CLOSE_DAYS[market])


@dataclass
class CaseFacts:
    """What is recorded at intake (000 §5.2.1, 001 §9.1)."""
    customer_code: str
    order_no: str
    part_no: str
    customer_received_on: dt.date
    category: str
    severity: str
    shipped_qty: Decimal | str | None = None
    delivered_on: dt.date | None = None
    defect_qty: Decimal | str | None = None   # None: not yet determined, customer still processing
    defect: str = ""                           # its nature, in words
    request: str = ""                          # what the customer asks for
    # The day the complaint came in, when that was before today. The window is still judged
    # on the day the case is entered: a complaint entered late needs a supervisor's decision.
    complaint_received_on: dt.date | None = None
    case_no: str | None = None                 # None: allocate the next number
    defect_position: str = ""
    defect_when: str = ""


def _quantity(value, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        qty = to_decimal(value, QTY_PLACES, what)
    except (ValueError, TypeError) as exc:
        raise Refused(str(exc)) from None
    if qty < 0:
        raise Refused(_("{what} cannot be negative").format(what=what))
    return qty


# The texts of a case's facts: (field, its name in words, most characters, several lines?)
_TEXTS = (("customer_code", N_("customer code"), 30, False), ("order_no", N_("order no"), 60, False),
          ("part_no", N_("part no"), 60, False), ("defect", N_("defect"), 2000, True),
          ("request", N_("request"), 2000, True),
          ("defect_position", N_("defect position"), 200, False),
          ("defect_when", N_("defect when"), 200, False))


def _check_facts(facts: CaseFacts, today: dt.date) -> tuple[Decimal | None, Decimal | None]:
    """The shipped and defective quantities, once every fact is checked. The texts are
    stored as checked here (check_text: stripped, no control characters, within the limit)."""
    for name, what, limit, multiline in _TEXTS:
        setattr(facts, name, check_text(getattr(facts, name), _(what), limit,
                                               multiline=multiline))
    for name, what in (("customer_received_on", N_("customer received on")),
                       ("delivered_on", N_("delivered on")),
                       ("complaint_received_on", N_("complaint received on"))):
        if getattr(facts, name) is not None:
            try:
                parse_date(getattr(facts, name), _(what))
            except ValueError as exc:
                raise Refused(str(exc)) from None
    came_in = facts.complaint_received_on or today
    if came_in > today:
        raise Refused(_("a complaint cannot have come in in the future ({day})").format(day=came_in))
    if facts.category not in CATEGORIES:
        raise Refused(_("category must be one of {codes}, not {category!r}").format(
            codes=", ".join(CATEGORIES), category=facts.category))
    if facts.severity not in SEVERITIES:
        raise Refused(_("severity must be minor or severe, not {severity!r}").format(
            severity=facts.severity))
    if not facts.order_no or not facts.part_no:
        raise Refused(_("a case needs the customer's order number and the part number"))
    if facts.customer_received_on > came_in:
        raise Refused(_("the customer cannot have received the goods ({received}) after the "
                        "complaint came in ({came_in})").format(
            received=facts.customer_received_on, came_in=came_in))
    if facts.delivered_on and facts.delivered_on > facts.customer_received_on:
        raise Refused(_("goods cannot be received by the customer before they were delivered"))
    shipped = _quantity(facts.shipped_qty, _("shipped quantity"))
    defect = _quantity(facts.defect_qty, _("defective quantity"))
    if shipped is not None and defect is not None and defect > shipped:
        raise Refused(_("defective quantity {defect} is more than the {shipped} shipped").format(
            defect=defect, shipped=shipped))
    return shipped, defect


# The case's row, in SQL written once (see models.db): building it with peewee cost more than
# the rest of the intake's save together (python -m bench --only intake).
_CASE_FIELDS = [f for f in ComplaintCase._meta.sorted_fields if f.name != "id"]
_INSERT_CASE = (f"INSERT INTO complaint_case ({', '.join(f.column_name for f in _CASE_FIELDS)}) "
                f"VALUES ({', '.join('?' for _field in _CASE_FIELDS)})")


def _insert_case(user, customer, values: dict) -> tuple[ComplaintCase, dict]:
    """A new case row from `values` (foreign keys as ids; what is left out takes its field's
    default), as the instance peewee would have made, and the row as its audit record has it
    (audit.snapshot of the instance: the same values, without building them again)."""
    data = {"id": None}
    for f in _CASE_FIELDS:
        data[f.name] = values[f.name] if f.name in values else (
            f.default() if callable(f.default) else f.default)
    # a field's db_value of None is None: only the values given are converted and checked
    params = [None if (v := data[f.name]) is None else f.db_value(v) for f in _CASE_FIELDS]
    data["id"] = insert(_INSERT_CASE, params)
    return (new_instance(ComplaintCase, dict(data), {"customer": customer, "opened_by": user}),
            data)


@operation("case.open")
def open_case(user, facts: CaseFacts,
              files: Sequence[attachments.NewAttachment] = ()) -> ComplaintCase:
    """A complaint as sales or quality take it in, with its photos and documents; numbered on
    save. Outside its acceptance window on the day it is entered, it waits for a supervisor."""
    today = clock.today()
    shipped, defect = _check_facts(facts, today)
    customer, workdays = customer_and_workdays(facts.customer_code)   # both deadlines use them
    checked = [attachments.check(file) for file in files]
    opened_on = today
    if facts.case_no:
        serial = case_serial(facts.case_no, opened_on)
        if ComplaintCase.get_or_none(ComplaintCase.case_no == facts.case_no):
            raise Refused(_("case {case} already exists").format(case=facts.case_no))
        claim_serial(case_series(opened_on), serial)
        case_no = facts.case_no
    else:
        case_no = case_no_for(opened_on, next_serial(case_series(opened_on)))

    window_end = window_ends_on(facts.category, facts.customer_received_on, *workdays)
    late = is_late(opened_on, window_end)
    came_in = facts.complaint_received_on
    case, row = _insert_case(user, customer, dict(
        case_no=case_no, customer=customer.id, order_no=facts.order_no, part_no=facts.part_no,
        shipped_qty=shipped, delivered_on=facts.delivered_on,
        customer_received_on=facts.customer_received_on, defect_qty=defect,
        defect=facts.defect.strip(), defect_position=facts.defect_position.strip() or None,
        defect_when=facts.defect_when.strip() or None, category=facts.category,
        severity=facts.severity, request=facts.request.strip(), opened_on=opened_on,
        opened_by=user.id, complaint_received_on=came_in if came_in and came_in < today else None,
        window_ends_on=window_end, late=late,
        status="awaiting_decision" if late else "open",
        accepted_on=None if late else opened_on,
        due_on=None if late else due_on_for(customer.market, opened_on),
        reply_due_on=reply_due_for(facts.severity, opened_on, workdays)))
    audit.write(user, "case.open", "case", case_no, None, row)
    for row in checked:
        attachments.add(user, case, row)
    return case


@operation("case.defect_qty")
def set_defect_qty(user, case_no: str, defect_qty: Decimal | str) -> ComplaintCase:
    """The defective quantity of a case opened while the customer was still processing."""
    case = locked_case(case_no)
    if case.status in ("closed", "rejected"):
        raise Refused(_("case {case} is {status}: its facts are no longer changed").format(
            case=case.case_no, status=word("status", case.status)))
    if case.defect_qty is not None:
        raise Refused(_("case {case} already has its defective quantity ({qty})").format(
            case=case.case_no, qty=case.defect_qty))
    qty = _quantity(defect_qty, _("defective quantity"))
    if qty is None:
        raise Refused(_("give the defective quantity"))
    if case.shipped_qty is not None and qty > case.shipped_qty:
        raise Refused(_("defective quantity {defect} is more than the {shipped} shipped").format(
            defect=qty, shipped=case.shipped_qty))
    case.defect_qty, case.defect_qty_set_by, case.defect_qty_set_at = qty, user, clock.now()
    case.save()
    audit.record(user, "case.defect_qty", "case", case.case_no, {"defect_qty": None},
                 {"defect_qty": qty})
    return case


def get_case(case_no: str) -> ComplaintCase:
    case = ComplaintCase.get_or_none(ComplaintCase.case_no == clean(case_no))
    if case is None:
        raise NotFound(_("no complaint case {case}").format(case=case_no))
    return case


def locked_case(case_no: str) -> ComplaintCase:
    """The case, held against other terminals until this transaction ends."""
    case = for_update(ComplaintCase.select().where(
        ComplaintCase.case_no == clean(case_no))).first()
    if case is None:
        raise NotFound(_("no complaint case {case}").format(case=case_no))
    return case


@operation("case.decide")
def decide_late(user, case_no: str, decision: str, reason: str) -> ComplaintCase:
    """A supervisor's ruling on a complaint made outside its acceptance window."""
    case = locked_case(case_no)
    if case.status != "awaiting_decision":
        raise Refused(_("case {case} is not waiting for a decision (it is {status})").format(
            case=case.case_no, status=word("status", case.status)))
    if decision not in LATE_DECISIONS:
        raise Refused(_("decide accept, accept_paid or reject, not {decision!r}").format(
            decision=decision))
    reason = check_text(reason, _("reason"), 2000, multiline=True)
    if not reason:
        raise Refused(_("give the reason for the decision"))
    today = clock.today()
    before = audit.snapshot(case, "status", "against_payment")
    case.decided_by, case.decided_at, case.decision_reason = user, clock.now(), reason.strip()
    if decision == "reject":
        case.status = "rejected"
    else:
        case.status, case.accepted_on = "open", today
        case.against_payment = decision == "accept_paid"
        case.due_on = due_on_for(case.customer.market, today)
    case.save()
    audit.record(user, f"case.{decision}", "case", case.case_no, before,
                 audit.snapshot(case, "status", "against_payment", "decision_reason", "due_on"))
    return case


def _amount(outcome: str, amount) -> Decimal | None:
    if outcome not in MONEY_OUTCOMES:
        if amount not in (None, ""):
            raise Refused(_("an amount goes with an allowance or compensation, not with {outcome}")
                          .format(outcome=word("outcome", outcome)))
        return None
    if amount in (None, ""):
        raise Refused(_("{outcome} needs its amount").format(outcome=word("outcome", outcome)))
    try:
        value = to_decimal(amount, AMOUNT_PLACES, _("amount"))
    except (ValueError, TypeError) as exc:
        raise Refused(str(exc)) from None
    if value != value.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        raise Refused(_("amount {amount} has more than 2 decimal places").format(amount=amount))
    if value <= 0:
        raise Refused(_("the amount of {outcome} must be more than 0, not {amount}").format(
            outcome=word("outcome", outcome), amount=amount))
    return value


_ASSESSED = ("responsibility", "cause", "outcome", "outcome_amount", "replied_at")


@operation("case.assess")
def assess(user, case_no: str, responsibility: str, cause: str, outcome: str,
           amount: Decimal | str | None = None, note: str = "") -> ComplaintCase:
    """Quality's opinion: whose fault it is, why, and how the complaint is handled. The first
    one is the reply (000 §6.3); a later one replaces it on the case, and both are kept."""
    case = locked_case(case_no)
    note = check_text(note, _("note"), 2000, multiline=True)
    if case.status not in ("open", "awaiting_decision"):
        raise Refused(_("case {case} is {status}: a supervisor must reopen it first").format(
            case=case.case_no, status=word("status", case.status)))
    if responsibility not in CAUSES:
        raise Refused(_("responsibility is ours or not_ours, not {responsibility!r}").format(
            responsibility=responsibility))
    if cause not in CAUSES[responsibility]:
        raise Refused(_("cause {cause!r} does not fit responsibility {responsibility}: one of "
                        "{codes}").format(cause=cause, responsibility=responsibility,
                                          codes=", ".join(CAUSES[responsibility])))
    if outcome not in OUTCOMES:
        raise Refused(_("outcome must be one of {codes}, not {outcome!r}").format(
            codes=", ".join(OUTCOMES), outcome=outcome))
    money = _amount(outcome, amount)
    before = audit.snapshot(case, *_ASSESSED)
    at = clock.now()
    CaseAssessment.create(case=case, responsibility=responsibility, cause=cause, outcome=outcome,
                          amount=money, note=note.strip(), by=user, at=at)
    case.responsibility, case.cause, case.outcome, case.outcome_amount = (
        responsibility, cause, outcome, money)
    case.replied_at = case.replied_at or at
    case.save()
    audit.record(user, "case.assess", "case", case.case_no, before,
                 dict(audit.snapshot(case, *_ASSESSED), note=note.strip()))
    return case


def is_assessed(case: ComplaintCase) -> bool:
    return bool(case.responsibility and case.cause and case.outcome)


def is_customer_caused(case: ComplaintCase) -> bool:
    """The customer ordered too many or the wrong item (000 §6.6)."""
    return case.cause in CUSTOMER_CAUSES


def _owes_reply_soon(today: dt.date | None):
    """Still waiting for quality's reply, due by the next working day or past due."""
    horizon = add_working_days(today or clock.today(), 1, *_workdays())
    return (ComplaintCase.status.in_(("open", "awaiting_decision"))
            & (ComplaintCase.reply_due_on <= horizon) & ComplaintCase.replied_at.is_null())


def replies_due(today: dt.date | None = None, limit: int = 200) -> list[ComplaintCase]:
    """Cases still waiting for quality's reply that is due by the next working day or past
    due, the earliest first: what the home screen warns about."""
    return list(ComplaintCase.select(ComplaintCase, Customer).join(Customer)
                .where(_owes_reply_soon(today))
                .order_by(ComplaintCase.reply_due_on, ComplaintCase.id).limit(limit))


def count_replies_due(today: dt.date | None = None) -> int:
    """How many cases `replies_due` has in all (home's count)."""
    return ComplaintCase.select().where(_owes_reply_soon(today)).count()


def days_left(case: ComplaintCase, today: dt.date | None = None) -> int | None:
    if case.due_on is None or case.status != "open":
        return None
    return (case.due_on - (today or clock.today())).days
