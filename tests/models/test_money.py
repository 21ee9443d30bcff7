"""Money: each line's amount rounded once, half-up, to the minor unit of the customer's
currency (else the site's `currency` setting) where the rule says, and written with it."""
import json
from decimal import Decimal as D

from models.customers import save_customer
from models.numbers import amount, money, round_money
from models.receiving import receive_count
from models.reconciliation import book_slip
from models.reconciliation_rows import reconciliation_rows
from models.settings import set_value
from models.tables import AuditLog, BookedLine, Customer

from ..helpers import case, inspect_all, refused, slip


def test_rounding_is_half_up_to_the_minor_unit():
    assert round_money(D("240.2875"), "CNY") == D("240.29")
    assert round_money(D("0.005"), "USD") == D("0.01")       # half-up, not to even
    assert round_money(D("0.0049999"), "TWD") == D("0.00")
    assert round_money(D("240.5"), "JPY") == D(241)
    assert round_money(D("-0.001"), "CNY") == D("0.00") and str(round_money(D("-0.001"), "CNY")) == "0.00"
    assert (money(D("240.2875"), "CNY"), money(D("240.2875"), "JPY")) == ("240.29", "240")
    assert amount(D("240.2875"), "CNY") == "240.29 CNY"
    assert money(D("2.5")) == "2.50"                          # a price keeps its precision
    assert money(D("3.3333")) == "3.3333"


def booked_slip(desk, code: str, currency: str | None):
    save_customer(desk.supervisor, code, f"Customer {code}", "domestic", None, currency)
    made = slip(desk, case(desk, code).case_no, ("WIRE", "kg", "12.5", "3.3333"),
                ("DUST", "kg", "1", "0.005"), ("GRIT", "kg", "1", "0.005"))
    receive_count(desk.clerk, made.slip_no, "WIRE", "12.5")
    receive_count(desk.clerk, made.slip_no, "DUST", "1")
    receive_count(desk.clerk, made.slip_no, "GRIT", "1")
    inspect_all(desk, made.slip_no)
    return made, book_slip(desk.finance, made.slip_no)


def test_a_line_is_rounded_at_booking_and_the_slip_adds_its_rounded_lines(desk):
    made, booking = booked_slip(desk, "C1", None)                 # the site's: CNY
    lines = [line.amount for line in BookedLine.select().where(BookedLine.booking == booking)
             .order_by(BookedLine.id)]
    assert lines == [D("41.67"), D("0.01"), D("0.01")]            # 41.66625, 0.005, 0.005
    assert booking.amount == D("41.69")                            # not round(41.67625) = 41.68
    assert [row.amount for row in reconciliation_rows(slip_no=made.slip_no)] == lines
    audit = AuditLog.select().where(AuditLog.action == "slip.book").get()
    assert json.loads(audit.after)["currency"] == "CNY"


def test_the_customer_s_currency_else_the_site_s(desk):
    set_value(desk.admin, "currency", "USD")
    made, _ = booked_slip(desk, "C1", None)
    assert {row.currency for row in reconciliation_rows(slip_no=made.slip_no)} == {"USD"}
    made, booking = booked_slip(desk, "JP1", "jpy")
    assert Customer.get(Customer.code == "JP1").currency == "JPY"
    assert [row.amount for row in reconciliation_rows(slip_no=made.slip_no)] == [D(42), D(0), D(0)]
    assert booking.amount == D(42)


def test_an_unknown_currency_is_refused(desk):
    refused(lambda: save_customer(desk.supervisor, "C9", "Customer", "domestic", None, "XYZ"),
            "currency 'XYZ' is not one of")
    refused(lambda: set_value(desk.admin, "currency", "dollars"), "currency 'dollars'")
