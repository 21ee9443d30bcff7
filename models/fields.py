"""Exact decimals stored as scaled integers, so sums in SQL stay exact on every database."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from peewee import BigIntegerField, BlobField, CharField, TextField, fn

from .errors import Refused


def to_decimal(value, places: int, what: str = "value") -> Decimal:
    """Parse a quantity or price exactly; refuse more decimals than the desk keeps."""
    if isinstance(value, float):
        raise TypeError(f"{what}: floats are not exact, pass a Decimal or a string")
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{what} {value!r} is not a number")
    if abs(number) >= Decimal(10) ** (18 - places):
        raise ValueError(f"{what} {value} is too large")
    if number != number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
        raise ValueError(f"{what} {value} has more than {places} decimal places")
    return number + 0  # + 0 drops a negative zero


class ExactDecimalField(BigIntegerField):
    """A Decimal with a fixed number of places, kept as an integer count of the smallest step."""

    def __init__(self, places: int, *args, **kwargs):
        self.places = places
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        if value is None:
            return None
        return int(to_decimal(value, self.places, self.name or "value").scaleb(self.places))

    def python_value(self, value):
        if value is None:
            return None
        return Decimal(int(value)) / 10**self.places  # exact, and 0 stays "0"


def exact_sum(field: ExactDecimalField):
    """SUM(field) read back as the field's Decimal, not its stored integer."""
    return fn.SUM(field).converter(field.python_value)


def _refuse_nul(field, value):
    """PostgreSQL cannot hold a NUL character in text at all (the driver fails with a bare
    ValueError); SQLite would keep it. Either way it is a damaged scan or file."""
    if isinstance(value, str) and "\x00" in value:
        raise Refused(f"{field.name.replace('_', ' ')} {value!r} holds a NUL character (\\x00): "
                      "a damaged scan or file")
    return value


class BoundedCharField(CharField):
    """A CharField that refuses overlong text on every database (SQLite would keep it,
    PostgreSQL would fail with a DataError) and NUL characters: the message names the field."""

    def db_value(self, value):
        value = _refuse_nul(self, super().db_value(value))
        if isinstance(value, str) and self.max_length and len(value) > self.max_length:
            raise Refused(f"{self.name.replace('_', ' ')} is longer than {self.max_length} characters")
        return value


class NulFreeTextField(TextField):
    def db_value(self, value):
        return _refuse_nul(self, super().db_value(value))


class BytesField(BlobField):
    """Bytes on every database (PostgreSQL's driver hands back a memoryview)."""

    def python_value(self, value):
        return None if value is None else bytes(value)
