"""The append-only record of every change: who, when, what, before and after."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from peewee import JOIN, Model

from . import clock
from .access import require
from .codes import clean, unit_code
from .db import execute, insert, new_instance, stored, transaction
from .tables import AuditLog, ComplaintCase, Slip, SlipLine, Unit, User


def _plain(value):
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    if isinstance(value, Model):
        return value.get_id()
    return value


def snapshot(row: Model, *fields: str) -> dict:
    """The named fields of a row (all of them when none are named); foreign keys as ids."""
    names = fields or [f.name for f in row._meta.sorted_fields]
    return {name: _plain(stored(row, name)) for name in names}


# json.dumps with these options, made once: dumps builds an encoder on every call otherwise
_JSON = json.JSONEncoder(ensure_ascii=False, default=_plain)

_INSERT = """INSERT INTO audit_log (at, user_id, action, entity, entity_key, before, after)
              VALUES (?, ?, ?, ?, ?, ?, ?)"""


def _values(user, action: str, entity: str, key, before: dict | None,
            after: dict | None) -> dict:
    def text(values: dict | None) -> str | None:
        return None if values is None else _JSON.encode(values)

    return {"at": clock.now(), "user": user.id if isinstance(user, Model) else user,
            "action": action, "entity": entity, "entity_key": str(key),
            "before": text(before), "after": text(after)}


def _params(values: dict) -> list:
    f = AuditLog._meta.fields
    return [f[name].db_value(value) for name, value in values.items()]


def statement(user, action: str, entity: str, key, before: dict | None = None,
              after: dict | None = None) -> tuple[str, list]:
    """The record as a statement, (text, params), for an operation that sends it with its own
    (models.db.execute_all), in its transaction."""
    return _INSERT, _params(_values(user, action, entity, key, before, after))


def record(user, action: str, entity: str, key, before: dict | None = None,
           after: dict | None = None) -> AuditLog:
    """One record, in the caller's transaction (written by hand: every operation makes one)."""
    values = _values(user, action, entity, key, before, after)
    values["id"] = insert(_INSERT, _params(values))
    return new_instance(AuditLog, values, {"user": user} if isinstance(user, Model) else None)


def write(user, action: str, entity: str, key, before: dict | None = None,
          after: dict | None = None) -> None:
    """`record`, for a caller that has no use for the record it wrote (no instance built)."""
    execute(_INSERT, _params(_values(user, action, entity, key, before, after)))


def refusal(user, command: str, permission: str | None, reason: str) -> None:
    """That `user`, signed in, was refused `command`: recorded in a transaction of its own,
    after the refused work was rolled back, so the rollback never takes it along."""
    with transaction():
        record(user, "command.refused", "user", user.name, None,
               {"command": command, "permission": permission, "reason": reason})


def history(user, since: dt.datetime | None = None, until: dt.datetime | None = None,
            who: str | None = None, entity: str | None = None, key: str | None = None,
            limit: int = 1000) -> list[AuditLog]:
    """Changes in order, newest last: what an admin reads to find and show any change. A
    case number as `key` gives the case's whole story: its own records and those of its slips,
    their lines and their units."""
    require(user, "audit")
    query = AuditLog.select(AuditLog, User).join(User, JOIN.LEFT_OUTER)
    if since:
        query = query.where(AuditLog.at >= since)
    if until:
        query = query.where(AuditLog.at < until)
    if who:
        query = query.where(User.name == who)
    if entity:
        query = query.where(AuditLog.entity == entity)
    if key:
        query = query.where(AuditLog.entity_key.in_(_keys_of(key)))
    return list(reversed(query.order_by(AuditLog.id.desc()).limit(limit)))


def _keys_of(key: str) -> list[str]:
    """`key` itself; for a case number, also its slips', lines' (RS.../1) and units' keys."""
    case = ComplaintCase.get_or_none(ComplaintCase.case_no == clean(key))
    if case is None:
        return [key]
    lines = (SlipLine.select(Slip.slip_no, SlipLine.line_no).join(Slip)
             .where(Slip.case == case).tuples())
    units = Unit.select(Unit.id).join(SlipLine).join(Slip).where(Slip.case == case).tuples()
    slips = Slip.select(Slip.slip_no).where(Slip.case == case).tuples()
    return [key, case.case_no, *(slip_no for slip_no, in slips),
            *(f"{slip_no}/{line_no}" for slip_no, line_no in lines),
            *(unit_code(unit_id) for unit_id, in units)]
