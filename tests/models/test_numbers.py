"""How quantities and money are written, for the screens, the command line and the export."""
from decimal import Decimal as D

from models.numbers import NOTHING, amount, money, number, qty, typed


def test_number_is_the_exact_digits_without_exponent_or_trailing_zeros():
    assert [number(D(x)) for x in ("10", "1E+1", "12.500", "0.001", "-2.50", "0")] == \
        ["10", "10", "12.5", "0.001", "-2.5", "0"]
    assert number(None) == ""


def test_money_has_at_least_two_decimals_and_every_exact_one():
    assert [money(D(x)) for x in ("41.6", "41.625", "7", "1E+2", "0.0000001", "-3.1")] == \
        ["41.60", "41.625", "7.00", "100.00", "0.0000001", "-3.10"]
    assert money(None) == ""


def test_on_screen_nothing_shows_as_a_dash():
    assert (qty(None), amount(None)) == (NOTHING, NOTHING) == ("–", "–")
    assert (qty(D("2.500")), amount(D("6.6666"))) == ("2.5", "6.6666")


def test_a_typed_decimal_comma_is_a_point():
    assert [typed(t) for t in (" 1,5 ", "2.25", "10")] == ["1.5", "2.25", "10"]
