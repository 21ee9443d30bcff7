"""The append-only record of every change: who, when, what, before and after."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from peewee import Model

from .tables import AuditLog


def _plain(value):
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    if isinstance(value, Model):
        return value.get_id()
    return value


def snapshot(row: Model, *fields: str) -> dict:
    """The named fields of a row (all of them when none are named); foreign keys as ids."""
    names = fields or [f.name for f in row._meta.sorted_fields]
    return {name: _plain(row.__data__.get(name)) for name in names}


def record(user, action: str, entity: str, key, before: dict | None = None,
           after: dict | None = None) -> AuditLog:
    return AuditLog.create(
        user=user, action=action, entity=entity, entity_key=str(key),
        before=json.dumps(before, ensure_ascii=False, default=_plain) if before is not None else None,
        after=json.dumps(after, ensure_ascii=False, default=_plain) if after is not None else None)
