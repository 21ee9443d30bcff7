"""The booking rule's small parts, as plain functions: what a supervisor's decision books, which
lines wait for one, and what a slip's amount adds up to. The finance screen and the domain's
operations both call these."""
from decimal import Decimal as D

import pytest

from models.errors import Refused
from models.reconciliation import DECISIONS, book_for, figures, total_amount
from models.reconciliation_rows import ReconciliationRow

OVER = figures(D(10), D(12), D(10))     # approved 10, allowed 11, received 12


@pytest.mark.parametrize("choice, booked", [
    ("accept_actual", D(12)), ("cap_allowed", D(11)), ("approved_only", D(10)),
])
def test_each_decision_books_its_quantity(choice, booked):
    assert book_for(choice, OVER, "pcs") == booked


def test_every_decision_has_a_quantity_and_nothing_else_does():
    assert [book_for(choice, OVER, "pcs") for choice in DECISIONS] == [D(12), D(11), D(10)]
    with pytest.raises(Refused, match="decide accept_actual, cap_allowed or approved_only, "
                                      "not 'accept'"):
        book_for("accept", OVER, "pcs")


def test_capped_books_whole_pieces_and_exact_kilograms():
    over = figures(D(10), D(11), D(5))                  # 10 at 5 % allow 10.5
    assert book_for("cap_allowed", over, "pcs") == D(10)
    assert book_for("cap_allowed", over, "kg") == D("10.5")
    weighed = figures(D("12.5"), D(13), D("2.5"))       # allowed 12.8125 kg: the gram below
    assert book_for("cap_allowed", weighed, "kg") == D("12.812")


@pytest.mark.parametrize("received, decided, status, decidable", [
    (D(0), None, "open", False), (D(9), None, "under", False), (D(11), None, "within", False),
    (D(12), None, "over", True), (D(12), D(11), "decided", True),
])
def test_only_a_line_beyond_its_tolerance_is_decided(received, decided, status, decidable):
    f = figures(D(10), received, D(10), decided)
    assert (f.status, f.decidable) == (status, decidable)


def test_what_a_choice_books_is_its_quantity_times_the_price_rounded_to_the_currency():
    row = ReconciliationRow("RS1", 1, "2611-001", "C1", "WIRE", "kg", D("3.3333"), False,
                            figures(D("2"), D("2.5"), D("10")), "CNY")
    assert [row.booked_if(choice) for choice in DECISIONS] == [
        (D("2.5"), D("8.33")), (D("2.2"), D("7.33")), (D(2), D("6.67"))]   # 6.6666 half-up
    in_yen = ReconciliationRow("RS1", 1, "2611-001", "C1", "WIRE", "kg", D("3.3333"), False,
                               figures(D("2"), D("2.5"), D("10")), "JPY")
    assert [in_yen.booked_if(choice)[1] for choice in DECISIONS] == [D(8), D(7), D(7)]


def test_a_slips_amount_adds_the_lines_with_something_to_book():
    assert total_amount([D("1.5"), None, D("2.25")]) == D("3.75")
    assert total_amount([None]) == total_amount([]) == D(0)
