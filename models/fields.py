"""Exact decimals stored as scaled integers, so sums in SQL stay exact on every database."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from peewee import BigIntegerField, BlobField, CharField, TextField, fn

from .errors import Refused
from .i18n import _
from .text import first_hostile, quoted

# A number as a person types it: ASCII digits, at most one point, an optional leading minus
# (the callers refuse it where a negative makes no sense). Python's Decimal also takes
# "1_0", "1E1", "Infinity" and digits of any script ("３", "٣"): the desk does not.
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Dates a complaint, a delivery or a holiday can plausibly have: a case number keeps the
# year's last two digits, so 0001 and 2101 would both be numbered as 2001's.
FIRST_YEAR, LAST_YEAR = 2000, 2099


_BOUNDS: dict[int, tuple[Decimal, Decimal]] = {}


def _bounds(places: int) -> tuple[Decimal, Decimal]:
    """(the first number too large, the smallest step) for `places`: worked out once, as every
    quantity written goes through to_decimal at least twice (checked, then stored)."""
    _BOUNDS[places] = Decimal(10) ** (18 - places), Decimal(1).scaleb(-places)
    return _BOUNDS[places]


def to_decimal(value, places: int, what: str | None = None) -> Decimal:
    """Parse a quantity or price exactly; refuse more decimals than the desk keeps. `what`:
    the field's name as shown (translated), "value" by default."""
    what = what or _("value")
    if isinstance(value, float):
        raise TypeError(f"{what}: floats are not exact, pass a Decimal or a string")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if not _NUMBER.fullmatch(text):
            raise ValueError(_("{what} {value} is not a number (digits 0-9, at most one decimal "
                               "point, like 12 or 2.5)").format(what=what, value=quoted(value)))
        number = Decimal(text)
    if not number.is_finite():
        raise ValueError(_("{what} {value!r} is not a number").format(what=what, value=value))
    limit, step = _BOUNDS.get(places) or _bounds(places)
    if abs(number) >= limit:
        raise ValueError(_("{what} {value} is too large").format(what=what, value=value))
    if number != number.quantize(step, rounding="ROUND_DOWN"):
        raise ValueError(_("{what} {value} has more than {places} decimal places").format(
            what=what, value=value, places=places))
    return number + 0  # + 0 drops a negative zero


def parse_date(value, what: str | None = None) -> dt.date:
    """A date as YYYY-MM-DD (ISO), from FIRST_YEAR to LAST_YEAR; a date passes through, checked.
    `what`: the field's name as shown (translated), "date" by default."""
    what = what or _("date")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(_("{what} {value} is not a date (YYYY-MM-DD)").format(
                what=what, value=quoted(value))) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_("{what} {day} is outside {first}-{last}: check the year").format(
            what=what, day=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR))
    return day


class ExactDecimalField(BigIntegerField):
    """A Decimal with a fixed number of places, kept as an integer count of the smallest step."""

    def __init__(self, places: int, *args, **kwargs):
        self.places = places
        self.step = Decimal(10) ** places      # made once: a report reads ~3,000 of these
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        if value is None:
            return None
        return int(to_decimal(value, self.places, self.name or "value").scaleb(self.places))

    def python_value(self, value):
        if value is None:
            return None
        return Decimal(int(value)) / self.step  # exact, and 0 stays "0"


def exact_sum(field: ExactDecimalField):
    """SUM(field) read back as the field's Decimal, not its stored integer."""
    return fn.SUM(field).converter(field.python_value)


def _refuse_nul(field, value):
    """PostgreSQL cannot hold a NUL character in text at all (the driver fails with a bare
    ValueError); SQLite would keep it. Either way it is a damaged scan or file."""
    if isinstance(value, str) and "\x00" in value:
        raise Refused(_("{what} {value} holds a NUL character (\\x00): a damaged scan or file")
                      .format(what=field.name.replace("_", " "), value=quoted(value)))
    return value


def _refuse_hostile(field, value, multiline: bool):
    """The last guard under every operation: no text with control characters, escapes, bidi
    controls or lone surrogates reaches a table (models.text.check_text says it first, with
    the field's own words, where the operations check their input)."""
    if isinstance(value, str) and first_hostile(value, multiline):
        from .text import check_text
        check_text(value, field.name.replace("_", " "), multiline=multiline)
    return value


class BoundedCharField(CharField):
    """A CharField that refuses overlong text on every database (SQLite would keep it,
    PostgreSQL would fail with a DataError) and NUL characters: the message names the field."""

    def db_value(self, value):
        value = _refuse_hostile(self, _refuse_nul(self, super().db_value(value)), False)
        if isinstance(value, str) and self.max_length and len(value) > self.max_length:
            raise Refused(_("{what} is longer than {n} characters").format(
                what=self.name.replace("_", " "), n=self.max_length))
        return value


class NulFreeTextField(TextField):
    """Text without NUL characters, as the desk writes it (audit values, printer errors)."""

    def db_value(self, value):
        return _refuse_nul(self, super().db_value(value))


class PlainTextField(NulFreeTextField):
    """Text a person entered: several lines may be, control characters may not."""

    def db_value(self, value):
        return _refuse_hostile(self, super().db_value(value), True)


class BytesField(BlobField):
    """Bytes on every database (PostgreSQL's driver hands back a memoryview)."""

    def python_value(self, value):
        return None if value is None else bytes(value)
