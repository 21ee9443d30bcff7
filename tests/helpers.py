"""Small builders for domain tests: a customer, an accepted case, a slip."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from labels import LabelData

from models import clock
from models.cases import CaseFacts, open_case
from models.customers import save_customer
from models.slips import LineSpec, issue_slip


def customer(desk, code="C1", market="domestic", tolerance=None):
    return save_customer(desk.supervisor, code, f"Customer {code}", market, tolerance)


def case(desk, code="C1", opened=dt.date(2026, 11, 18), received=dt.date(2026, 11, 17),
         category="appearance", **facts):
    with clock.frozen(dt.datetime.combine(opened, dt.time(9))):
        return open_case(desk.supervisor, CaseFacts(code, "PO-1", "P-1", received, category,
                                                    "minor", **facts))


def slip(desk, case_no, *lines, slip_no=None, approved=True):
    """lines: (part_no, unit, approved_qty, unit_price[, tolerance_pct[, reason[, handling]]]),
    reason "damaged" and handling "return" unless given. Issued by the supervisor and, unless
    `approved` is False, approved by the admin (a second person): ready to receive."""
    specs = [LineSpec(number, line[0], f"part {line[0]}", line[1], line[2], line[3],
                      line[4] if len(line) > 4 else None,
                      line[5] if len(line) > 5 else "damaged",
                      line[6] if len(line) > 6 else "return")
             for number, line in enumerate(lines, start=1)]
    return issue_slip(desk.supervisor, case_no, specs, "complaint accepted", slip_no=slip_no,
                      approved_by=desk.admin if approved else None)


def ready_slip(desk, *lines, tolerance=None, slip_no=None):
    """A customer, an accepted case and a slip with these lines, ready to receive."""
    customer(desk, tolerance=tolerance)
    return slip(desk, case(desk).case_no, *lines, slip_no=slip_no)


def inspect_all(desk, slip_no):
    """Every unit of the slip still waiting for inspection passes (restocked): booking waits
    for inspection."""
    from models.inspection import Portion, inspect
    from models.tables import Slip, SlipLine, Unit
    waiting = (Unit.select().join(SlipLine).join(Slip)
               .where(Slip.slip_no == slip_no, Unit.state == "awaiting").order_by(Unit.id))
    return [inspect(desk.inspector, unit.code, [Portion(True, "restock", unit.qty)])
            for unit in waiting]


def rows() -> list:
    """Every row of every table: what a refusal must leave as it was."""
    from models.tables import TABLES
    return [list(m.select().order_by(m._meta.primary_key).tuples()) for m in TABLES]


def refused(action, match: str, kind=None):
    """`action` is refused (Refused, or `kind`) with a message matching `match`, and writes
    nothing."""
    import pytest
    from models.errors import Refused
    before = rows()
    with pytest.raises(kind or Refused, match=match):
        action()
    assert rows() == before, "a refusal wrote something"


def make_label(**changes) -> LabelData:
    """A typical label: a lot of bulk goods with a Chinese customer name and description."""
    fields = dict(unit_code="U000123", case_no="2611-003", slip_no="RS2611-0007", line_no=3,
                  part_no="PX-4410-B", customer_code="C0012", customer_name="上海精密機電有限公司",
                  description="鋁合金外殼 刮傷", received_on=dt.date(2026, 11, 5),
                  quantity=Decimal("12.50"), unit="kg")
    fields.update(changes)
    return LabelData(**fields)
