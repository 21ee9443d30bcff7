"""Driving `returns-desk` in-process for the lifecycle tests: a command's outcome, and a
refusal that must be one line on stderr, exit 1, and leave the database as it was."""
from __future__ import annotations

from dataclasses import dataclass

from models.tables import TABLES, AuditLog
from tui.cli import main


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(capsys, *argv: str) -> Ran:
    code = main(list(argv))
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)


def ok(capsys, *argv: str) -> str:
    """Run a command that must succeed; its stdout."""
    ran = run(capsys, *argv)
    assert ran.code == 0, ran.err
    assert ran.err == ""
    return ran.out


def state() -> list:
    """Every row of every table, but the sign-in and the refusal (`command.refused`) that a
    refused command still records."""
    rows = []
    for model in TABLES:
        query = model.select().order_by(model._meta.primary_key)
        if model is AuditLog:
            query = query.where(AuditLog.action.not_in(("user.sign_in", "command.refused")))
        rows.append(list(query.tuples()))
    return rows


def refused(capsys, *argv: str) -> str:
    """Run a command that must be refused in one line, writing nothing; that line."""
    before = state()
    ran = run(capsys, *argv)
    assert ran.code == 1, ran.out
    lines = ran.err.splitlines()
    assert len(lines) == 1, ran.err
    assert lines[0].startswith("returns-desk: ") and "Traceback" not in ran.err
    assert state() == before, "a refusal wrote something"
    return lines[0]


LINES_HEADER = ("line_no,part_no,description,unit,approved_qty,unit_price,tolerance_pct,reason,"
                "handling\n")
