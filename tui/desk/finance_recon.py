"""One slip's reconciliation as Finance shows it: its lines' figures in their columns, read in
a worker thread (tui.desk.finance)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models import lists
from models.cases import is_customer_caused
from models.i18n import N_
from models.numbers import NOTHING, money, qty
from models.reconciliation import slip_currency, total_amount
from models.reconciliation_rows import ReconciliationRow, reconciliation_rows
from models.slips import get_slip
from tui.desk.slip_gates import SlipFacts
from tui.desk.widgets import Columns
from models.words import word

# Narrower than its columns (80x24), a line leaves out price, tolerance, unit, approved, line
# and book first (the 4th number: the lowest goes first); received, allowed, status and
# amount always stay: they say whether the line is over tolerance and what it costs.
RECON_COLUMNS = Columns((N_("line"), 4, True, 5), (N_("part"), 12, False, 7),
                        (N_("unit"), 4, False, 3), (N_("approved"), 8, True, 4),
                        (N_("received"), 8, True), (N_("tol %"), 5, True, 2),
                        (N_("allowed"), 8, True), (N_("status"), 7, False),
                        (N_("book"), 8, True, 6), (N_("price"), 8, True, 1),
                        (N_("amount"), 10, True))   # 9999999.99; never cut (widgets.cell)
CHOICE_NAMES = {"accept_actual": N_("book everything received"),
                "cap_allowed": N_("book up to the allowed quantity"),
                "approved_only": N_("book the approved quantity only")}


@dataclass(frozen=True)
class SlipRecon:
    slip_no: str
    case_no: str
    customer: str
    status: str
    late_waiting: bool      # the case was complained about late and waits for a supervisor
    lines: tuple[ReconciliationRow, ...]
    facts: SlipFacts
    currency: str           # of its amounts: the customer's, else the site's

    @property
    def over(self) -> list[ReconciliationRow]:
        return [line for line in self.lines if line.figures.status == "over"]

    @property
    def total(self) -> Decimal:
        return total_amount(line.amount for line in self.lines)


def slip_recon(slip_no: str) -> SlipRecon:
    """Worker thread: one slip's reconciliation, as the domain computes it."""
    slip = get_slip(slip_no)
    lines = tuple(reconciliation_rows(slip_no=slip.slip_no))
    case = slip.case
    facts = SlipFacts(slip.slip_no, slip.issued_by.name, slip.regional_manager or "",
                      is_customer_caused(case), lists.count_uninspected(slip.slip_no))
    return SlipRecon(slip.slip_no, case.case_no, f"{case.customer.code} {case.customer.name}",
                     slip.status, case.status == "awaiting_decision", lines, facts,
                     slip_currency(slip))


def recon_text(line: ReconciliationRow, columns: Columns = RECON_COLUMNS) -> str:
    """A line's figures as the domain computed them, in RECON_COLUMNS (those that fit)."""
    f = line.figures
    return columns.line((line.line_no, line.part_no, line.unit, qty(f.approved),
                               qty(f.received), qty(f.tolerance_pct), qty(f.allowed),
                               word("line_status_short", f.status),
                               qty(f.book_qty), money(line.unit_price),
                               NOTHING if line.amount is None else money(line.amount, line.currency)))
