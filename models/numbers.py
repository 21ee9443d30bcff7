"""Quantities and money written out: one place for the screens, the command line and the
export's files alike. Exact digits, never through float."""
from __future__ import annotations

from decimal import Decimal

NOTHING = "–"     # on screen, where there is no number to show (nothing to book yet)


def number(value: Decimal | None) -> str:
    """Plain exact digits: 10 not 1E+1, 12.5 not 12.500; empty for none."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def money(value: Decimal | None) -> str:
    """At least two decimals (41.60), more where the exact product has them (41.625); empty
    for none."""
    if value is None:
        return ""
    value = value.normalize()
    return format(value.quantize(Decimal("0.01")) if value.as_tuple().exponent > -2 else value, "f")


def qty(value: Decimal | None) -> str:
    """A quantity as a person reads it on screen: number(), or a dash for none."""
    return NOTHING if value is None else number(value)


def amount(value: Decimal | None) -> str:
    """An amount as a person reads it on screen: money(), or a dash for none."""
    return NOTHING if value is None else money(value)


def typed(text: str) -> str:
    """A number as a person typed it at the desk, for the domain to parse: a decimal comma
    is read as a point (1,5 is 1.5)."""
    return text.strip().replace(",", ".")
