"""Complaint cases: numbering, acceptance windows, deadlines, responsibility, outcome, closing."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from . import audit, clock, settings
from .access import operation
from .customers import get_customer
from .db import for_update
from .errors import NotFound, Refused
from .fields import to_decimal
from .numbering import claim_serial, next_serial
from .tables import QTY_PLACES, ComplaintCase
from .workdays import add_working_days, add_years

# 000 §5.1: the window counts from the day the customer received the goods.
WINDOW_WORKING_DAYS = {"appearance": 3, "model_quantity": 3}
WARRANTY_YEARS = {"performance": 1}
CATEGORIES = ("appearance", "model_quantity", "performance")
SEVERITIES = ("minor", "severe")
REPLY_WORKING_DAYS = {"minor": 1, "severe": 2}          # 000 §6.3
CLOSE_DAYS = {"domestic": 13, "foreign": 17}             # 001 §10.1, from acceptance
CAUSES = {                                               # 000 §5.2.2, 001 §9.7, 004
    "ours": ("quality", "process", "design"),
    "not_ours": ("customer_misuse", "customer_order", "transport", "not_our_product",
                 "force_majeure"),
}
CUSTOMER_CAUSES = ("customer_misuse", "customer_order")  # 000 §6.6: loss charged to sales
OUTCOMES = ("return", "rework", "repair", "exchange", "replenish", "allowance", "compensation")
LATE_DECISIONS = ("accept", "accept_paid", "reject")     # 不受理或有償受理
STATUSES = ("awaiting_decision", "open", "rejected", "closed")

_CASE_NO = re.compile(r"(\d{2})(\d{2})-(\d{3,})")


def case_no_for(opened_on: dt.date, serial: int) -> str:
    return f"{opened_on:%y%m}-{serial:03d}"


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


def reply_due_on(case: ComplaintCase) -> dt.date:
    return add_working_days(case.opened_on, REPLY_WORKING_DAYS[case.severity],
                            settings.get("holidays"), settings.get("extra_workdays"))


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
    defect_qty: Decimal | str | None = None   # None: customer still processing
    defect: str = ""
    request: str = ""
    opened_on: dt.date | None = None
    case_no: str | None = None                 # None: allocate the next number


def _quantity(value, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        qty = to_decimal(value, QTY_PLACES, what)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    if qty < 0:
        raise Refused(f"{what} cannot be negative")
    return qty


def _check_case_no(case_no: str, opened_on: dt.date) -> int:
    match = _CASE_NO.fullmatch(case_no)
    if not match:
        raise Refused(f"case number {case_no!r} is not YYMM-NNN (e.g. 2611-003)")
    if match.group(1) + match.group(2) != f"{opened_on:%y%m}":
        raise Refused(f"case number {case_no} does not belong to the month it was opened "
                      f"({opened_on:%Y-%m}): it would be {opened_on:%y%m}-NNN")
    serial = int(match.group(3))
    if serial == 0:
        raise Refused(f"case number {case_no}: serials start at 001")
    return serial


@operation("case.open")
def open_case(user, facts: CaseFacts) -> ComplaintCase:
    today = clock.today()
    opened_on = facts.opened_on or today
    if opened_on > today:
        raise Refused(f"a case cannot be opened in the future ({opened_on})")
    customer = get_customer(facts.customer_code)
    if facts.category not in CATEGORIES:
        raise Refused(f"category must be one of {', '.join(CATEGORIES)}, not {facts.category!r}")
    if facts.severity not in SEVERITIES:
        raise Refused(f"severity must be minor or severe, not {facts.severity!r}")
    if not facts.order_no or not facts.part_no:
        raise Refused("a case needs the customer's order number and the part number")
    if facts.customer_received_on > opened_on:
        raise Refused("the customer cannot have received the goods after the complaint was opened")
    if facts.delivered_on and facts.delivered_on > facts.customer_received_on:
        raise Refused("goods cannot be received by the customer before they were delivered")
    shipped = _quantity(facts.shipped_qty, "shipped quantity")
    defect = _quantity(facts.defect_qty, "defective quantity")
    if shipped is not None and defect is not None and defect > shipped:
        raise Refused(f"defective quantity {defect} is more than the {shipped} shipped")

    if facts.case_no:
        serial = _check_case_no(facts.case_no, opened_on)
        if ComplaintCase.get_or_none(ComplaintCase.case_no == facts.case_no):
            raise Refused(f"case {facts.case_no} already exists")
        claim_serial(case_serial_key(opened_on), serial)
        case_no = facts.case_no
    else:
        case_no = case_no_for(opened_on, next_serial(case_serial_key(opened_on)))

    window_end = window_ends_on(facts.category, facts.customer_received_on)
    late = is_late(opened_on, window_end)
    case = ComplaintCase.create(
        case_no=case_no, customer=customer, order_no=facts.order_no, part_no=facts.part_no,
        shipped_qty=shipped, delivered_on=facts.delivered_on,
        customer_received_on=facts.customer_received_on, defect_qty=defect,
        defect=facts.defect, category=facts.category, severity=facts.severity,
        request=facts.request, opened_on=opened_on, opened_by=user,
        window_ends_on=window_end, late=late,
        status="awaiting_decision" if late else "open",
        accepted_on=None if late else opened_on,
        due_on=None if late else due_on_for(customer.market, opened_on))
    audit.record(user, "case.open", "case", case_no, None, audit.snapshot(case))
    return case


def get_case(case_no: str) -> ComplaintCase:
    case = ComplaintCase.get_or_none(ComplaintCase.case_no == case_no.strip().upper())
    if case is None:
        raise NotFound(f"no complaint case {case_no}")
    return case


def _locked(case_no: str) -> ComplaintCase:
    case = for_update(ComplaintCase.select().where(
        ComplaintCase.case_no == case_no.strip().upper())).first()
    if case is None:
        raise NotFound(f"no complaint case {case_no}")
    return case


@operation("case.decide")
def decide_late(user, case_no: str, decision: str, reason: str) -> ComplaintCase:
    """A supervisor's ruling on a complaint made outside its acceptance window."""
    case = _locked(case_no)
    if case.status != "awaiting_decision":
        raise Refused(f"case {case.case_no} is not waiting for a decision (it is {case.status})")
    if decision not in LATE_DECISIONS:
        raise Refused(f"decide accept, accept_paid or reject, not {decision!r}")
    if not reason.strip():
        raise Refused("give the reason for the decision")
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


@operation("case.assess")
def assess(user, case_no: str, responsibility: str | None = None, cause: str | None = None,
           outcome: str | None = None) -> ComplaintCase:
    """Record whose fault it is and how the complaint is handled."""
    case = _locked(case_no)
    if case.status not in ("open", "awaiting_decision"):
        raise Refused(f"case {case.case_no} is {case.status}: a supervisor must reopen it first")
    responsibility = responsibility or case.responsibility
    cause = cause or case.cause
    if responsibility and responsibility not in CAUSES:
        raise Refused("responsibility is ours or not_ours")
    if cause and (not responsibility or cause not in CAUSES[responsibility]):
        raise Refused(f"cause {cause!r} does not fit responsibility {responsibility}: "
                      f"one of {', '.join(CAUSES.get(responsibility, ()))}")
    if outcome and outcome not in OUTCOMES:
        raise Refused(f"outcome must be one of {', '.join(OUTCOMES)}")
    before = audit.snapshot(case, "responsibility", "cause", "outcome")
    case.responsibility, case.cause = responsibility, cause
    case.outcome = outcome or case.outcome
    case.save()
    audit.record(user, "case.assess", "case", case.case_no, before,
                 audit.snapshot(case, "responsibility", "cause", "outcome"))
    return case


@operation("case.close")
def close_case(user, case_no: str) -> ComplaintCase:
    case = _locked(case_no)
    if case.status != "open":
        raise Refused(f"case {case.case_no} is {case.status}, not open")
    if not (case.responsibility and case.cause and case.outcome):
        raise Refused(f"record the responsibility, cause and outcome of {case.case_no} first")
    unfinished = [s.slip_no for s in case.slips if s.status != "booked"]
    if unfinished:
        raise Refused(f"slip(s) {', '.join(unfinished)} of this case are not booked yet")
    case.status, case.closed_on, case.closed_by = "closed", clock.today(), user
    case.save()
    audit.record(user, "case.close", "case", case.case_no, {"status": "open"},
                 {"status": "closed", "closed_on": case.closed_on})
    return case


def overdue_cases(today: dt.date | None = None, limit: int = 200) -> list[ComplaintCase]:
    """Open cases past their close deadline, most overdue first (001 §14 reminders)."""
    today = today or clock.today()
    return list(ComplaintCase.select()
                .where(ComplaintCase.status == "open", ComplaintCase.due_on < today)
                .order_by(ComplaintCase.due_on).limit(limit))


def days_left(case: ComplaintCase, today: dt.date | None = None) -> int | None:
    if case.due_on is None or case.status != "open":
        return None
    return (case.due_on - (today or clock.today())).days
