"""The over-tolerance rule in SQL (models.reconciliation.OVER_TOLERANCE_SQL, which home and
finance use to find the lines waiting for a decision without reading every line) says "over"
for exactly the lines the Python rule (figures) says it for, at the edges included."""
from __future__ import annotations

import random
from decimal import Decimal

from models import settings
from models.reconciliation_rows import (lines_waiting_for_decision, reconciliation_rows,
                                        waiting_for_decision_per_slip)
from models.tables import Slip, SlipLine

from .helpers import case, customer, slip

# (approved, received, line tolerance %): each at or just beyond an edge of its allowed qty
EDGES = [("10", "10.5", None), ("10", "10.501", None), ("10", "10", "0"), ("10", "10.001", "0"),
         ("3", "3.999", "33.33"), ("3", "4", "33.33"), ("0.001", "0.002", "99.99"),
         ("7", "7.35", "5"), ("7", "7.351", "5"), ("1", "2", "100"), ("1", "2.001", "100"),
         ("12.5", "12.5", None), ("12.5", "12.501", None), ("2", "1", None), ("5", "0", "10")]


def _site(desk, customer_pct, lines):
    """One slip per customer tolerance, its receiving closed, lines received as given."""
    customer(desk, code=f"C{customer_pct}", tolerance=customer_pct)
    case_no = case(desk, code=f"C{customer_pct}").case_no
    issued = slip(desk, case_no, *[(f"P-{n}", "kg", approved, "2", pct)
                                   for n, (approved, _received, pct) in enumerate(lines)])
    for n, (_approved, received, _pct) in enumerate(lines, start=1):
        # the received quantity set as stored: what is under test is the reading, not receiving
        (SlipLine.update(received_qty=Decimal(received))
         .where(SlipLine.slip == issued.id, SlipLine.line_no == n).execute())
    Slip.update(status="received").where(Slip.id == issued.id).execute()
    return issued.slip_no


def test_sql_and_python_agree_on_every_line_over_its_tolerance(desk):
    settings.set_value(desk.admin, "default_tolerance_pct", "2.5")
    chance = random.Random(15)
    some = [(f"{chance.randint(1, 9999) / 1000}", f"{chance.randint(1, 12000) / 1000}",
             chance.choice([None, "0", "1.25", "5", "12.5"])) for _ in range(40)]
    for customer_pct in (None, "0", "7.5"):
        _site(desk, customer_pct, EDGES + some)
    over = [(row.slip_no, row.line_no) for row in reconciliation_rows()
            if row.figures.status == "over"]
    assert 20 < len(over) < 3 * len(EDGES + some)      # both sides of the edges are present
    assert [(row.slip_no, row.line_no) for row in lines_waiting_for_decision()] == over
    second = over[-1][0]
    assert [(row.slip_no, row.line_no) for row in lines_waiting_for_decision([second])] == [
        (slip_no, line) for slip_no, line in over if slip_no == second]
    assert lines_waiting_for_decision([]) == []
    per_slip: dict[str, int] = {}
    for slip_no, _line in over:
        per_slip[slip_no] = per_slip.get(slip_no, 0) + 1
    assert waiting_for_decision_per_slip() == per_slip
