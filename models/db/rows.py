"""Model instances from rows read with the desk's own SQL (models.db.statements), as peewee
would have made them from a SELECT of the whole row."""
from __future__ import annotations

from .peewee_internals import new_instance, returned_as_is


def columns(model, alias: str) -> str:
    """Every column of `model`, qualified by `alias`, in the order `load` reads them."""
    return ", ".join(f'{alias}."{f.column_name}"' for f in model._meta.sorted_fields)


def load(model, row, start: int = 0):
    """A model instance from `row[start:]` read in `columns(model, ...)` order, as peewee
    would have made it from a SELECT of the whole row."""
    data = {}
    values = row[start:] if start else row           # may go on with another model's columns
    for (name, convert), value in zip(_converters(model), values, strict=False):
        data[name] = value if convert is None or value is None else convert(value)
    return new_instance(model, data)


def _converters(model) -> list[tuple[str, object]]:
    cached = model.__dict__.get("_row_converters")
    if cached is None:
        cached = [(f.name, None if returned_as_is(f) else f.python_value)
                  for f in model._meta.sorted_fields]
        model._row_converters = cached
    return cached
