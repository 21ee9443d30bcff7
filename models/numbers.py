"""Quantities and money written out: one place for the screens, the command line and the
export's files alike. Exact digits, never through float.

Money: an amount is rounded once, half-up, to its currency's minor unit (ISO 4217) where the
rule says (models.reconciliation.amount: each line's amount as it is booked), and written
with exactly that many decimals; a price keeps its own precision."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .i18n import _

NOTHING = "–"     # on screen, where there is no number to show (nothing to book yet)

# ISO 4217 minor units (decimals) of the currencies a customer may be credited in.
MINOR_UNITS = {"CNY": 2, "TWD": 2, "HKD": 2, "MOP": 2, "USD": 2, "EUR": 2, "GBP": 2, "CHF": 2,
               "SGD": 2, "MYR": 2, "THB": 2, "INR": 2, "AUD": 2, "CAD": 2, "NZD": 2, "PHP": 2,
               "IDR": 2, "JPY": 0, "KRW": 0, "VND": 0}
CURRENCY_DEFAULT = "CNY"


def check_currency(code: str) -> str:
    """An ISO 4217 code the desk knows the minor unit of, or ValueError saying which are."""
    currency = (code or "").strip().upper()
    if currency not in MINOR_UNITS:
        raise ValueError(_("currency {code!r} is not one of {known}").format(
            code=code, known=", ".join(sorted(MINOR_UNITS))))
    return currency


def minor_places(currency: str) -> int:
    """Decimals of `currency`'s minor unit: 2 for CNY, TWD (ISO 4217), USD; 0 for JPY."""
    return MINOR_UNITS[check_currency(currency)]


def round_money(value: Decimal, currency: str) -> Decimal:
    """`value` rounded half-up (away from zero at .5) to `currency`'s minor unit."""
    rounded = value.quantize(Decimal(1).scaleb(-minor_places(currency)), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)      # 0.00, never -0.00


def number(value: Decimal | None) -> str:
    """Plain exact digits: 10 not 1E+1, 12.5 not 12.500; empty for none."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def money(value: Decimal | None, currency: str | None = None) -> str:
    """An amount's digits; empty for none. In a currency: rounded to its minor unit and
    written with exactly its decimals (240.29 CNY, 240 JPY). Without one (a price, a sum of
    old records): at least two decimals (41.60), more where the value has them (41.625)."""
    if value is None:
        return ""
    if currency:
        return format(round_money(value, currency), "f")
    value = value.normalize()
    return format(value.quantize(Decimal("0.01")) if value.as_tuple().exponent > -2 else value, "f")


def qty(value: Decimal | None) -> str:
    """A quantity as a person reads it on screen: number(), or a dash for none."""
    return NOTHING if value is None else number(value)


def amount(value: Decimal | None, currency: str | None = None) -> str:
    """An amount as a person reads it on screen: money() and its currency (240.29 CNY), or a
    dash for none."""
    if value is None:
        return NOTHING
    return f"{money(value, currency)} {currency}" if currency else money(value)


def typed(text: str) -> str:
    """A number as a person typed it at the desk, for the domain to parse: a decimal comma
    is read as a point (1,5 is 1.5)."""
    return text.strip().replace(",", ".")
