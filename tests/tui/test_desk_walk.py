"""Issue 15: one complaint walked from intake to closed through the command line only, and the
same complaint through the desk only (keys, through Textual's Pilot), each on a fresh
database with the clock frozen at the same moment; both must leave the same records. The
comparison reads what matters from the database in one function, `records`. SQLite and
PostgreSQL; the desk in English and once more in zh-Hant (issue 18: a language changes what
the screens say, never what is recorded)."""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
from types import SimpleNamespace

import pytest
from peewee import DateTimeField, ForeignKeyField

from models import clock, connect, migrate_all
from models.audit import history
from models.db import db
from models.i18n import LANGUAGE_ENV, SOURCE, set_language
from models.tables import (BookedLine, Booking, CaseAssessment, CaseAttachment, CaseClosing,
                           ComplaintCase, Decision, Inspection, PrintJob, Slip, SlipLine, Unit,
                           User)
from models.users import add_user, create_first_admin
from tui.desk.app import make_app
from models.words import word

from ..cli_helpers import LINES_HEADER, ok
from ..conftest import PG_ENV, ROLES, fresh_postgres
from .languages import DESK_LANGUAGES, shows
from .test_desk import SIZE, journal_path, scan, settle, sign_in, text
from .test_desk_workflows import choose, type_in

THURSDAY = dt.datetime(2026, 11, 12, 10)      # the moment both walks happen
CUSTOMERS = "code,name,market,over_receipt_tolerance_pct\nACME,Acme 有限公司,domestic,\n"
PHOTO = b"\xff\xd8\xff photo of the dent"


# --- what the two walks must agree on -----------------------------------------------------------

def row(instance, *skip: str) -> dict:
    """A row's fields without its id and its timestamps; a user as their name; other
    references are left out (the nesting of `records` says what belongs to what)."""
    shown = {}
    for name, field in instance._meta.fields.items():
        if field is instance._meta.primary_key or name in skip or \
                isinstance(field, DateTimeField):
            continue
        value = instance.__data__.get(name)
        if isinstance(field, ForeignKeyField):
            if field.rel_model is not User:
                continue
            value = User.get_by_id(value).name if value is not None else None
        shown[name] = value
    return shown


def records(case_no: str) -> dict:
    """What the walk left in the database, for the case `case_no`: its facts and status, its
    attachments, assessments and closing (with lateness); each slip with its lines (reason,
    handling, approved, received and booked quantities, amounts), units (state, inspection,
    where each part went, labels queued), decisions and bookings; and the case's audit trail in
    order, as `returns-desk audit --key CASE` shows it (who, action, what, before and after).
    The trail's before/after texts hold ids and the frozen clock's time: both walks start from
    a site built the same way, so these agree too."""
    case = ComplaintCase.get(ComplaintCase.case_no == case_no)
    slips = []
    for slip in Slip.select().where(Slip.case == case).order_by(Slip.slip_no):
        lines = []
        for line in slip.lines.order_by(SlipLine.line_no):
            units = []
            for unit in line.units.order_by(Unit.id):
                inspection = Inspection.get_or_none(Inspection.unit == unit)
                checked = inspection and {
                    **row(inspection),
                    "portions": sorted(tuple(row(p).items()) for p in inspection.portions)}
                units.append({"code": unit.code, **row(unit, "scan_id"), "inspection": checked,
                              "labels": [row(job) for job in
                                         unit.print_jobs.order_by(PrintJob.id)]})
            lines.append({**row(line), "units": units,
                          "decisions": [row(d) for d in line.decisions.order_by(Decision.id)]})
        slips.append({**row(slip), "lines": lines, "bookings": [
            {**row(b), "lines": [row(bl) for bl in b.lines.order_by(BookedLine.id)]}
            for b in slip.bookings.order_by(Booking.id)]})
    admin = User.get(User.name == "admin")
    trail = [(entry.user.name if entry.user else None, entry.action, entry.entity,
              entry.entity_key, entry.before, entry.after)
             for entry in history(admin, key=case_no)]
    return {
        "case": row(case),
        "attachments": [row(a) for a in case.attachments.order_by(CaseAttachment.id)],
        "assessments": [row(a) for a in case.assessments.order_by(CaseAssessment.id)],
        "closings": [row(c) for c in case.closings.order_by(CaseClosing.id)],
        "slips": slips,
        "audit": trail,
    }


# --- a fresh site for each walk -----------------------------------------------------------------

def fresh_site(db_url: str, name: str) -> str:
    """An empty, migrated database with the `desk` fixture's users (named after their roles,
    PIN 1234; the admin's 9999), and its URL."""
    if db_url.startswith("sqlite:///"):
        url = f"{db_url[:-len('desk.db')]}{name}.db"
    else:
        url = fresh_postgres(os.environ[PG_ENV])
    if db.obj is not None:
        db.close()
    connect(url, check=False)
    migrate_all()
    admin = create_first_admin("admin", "9999")
    for role in ROLES:
        add_user(admin, role, role, "1234")
    return url


def set_up(url, tmp_path, monkeypatch, capsys) -> None:
    """The customer, the same way before either walk."""
    monkeypatch.setenv("RETURNS_DESK_DB", url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    customers = tmp_path / "customers.csv"
    customers.write_text(CUSTOMERS)
    ok(capsys, "--user", "supervisor", "import", "customers", str(customers))


# --- the walk on the command line ---------------------------------------------------------------

def cli_walk(tmp_path, capsys) -> str:
    """tests/test_cli_lifecycle.py's walk: open with a photo, assess, issue a slip of two lines
    (each its own reason and handling), a supervisor approves, receive three pieces and close,
    two pass and one fails to scrap, book, close the case. The case number."""
    folder = tmp_path / "cli"
    folder.mkdir()
    photo = folder / "flange.jpg"
    photo.write_bytes(PHOTO)
    case_no = ok(capsys, "--user", "sales", "case", "open", "--customer", "ACME", "--order",
                 "SO-1", "--part", "BOLT", "--shipped", "100", "--delivered-on", "2026-11-10",
                 "--received-on", "2026-11-11", "--defect-qty", "5", "--category",
                 "appearance", "--severity", "minor", "--defect", "dented flange", "--request",
                 "credit", "--attach", str(photo), "--defect-position", "flange",
                 "--defect-when", "on arrival").splitlines()[0]
    ok(capsys, "--user", "inspector", "case", "assess", case_no, "--responsibility", "ours",
       "--cause", "quality", "--outcome", "return")
    lines = folder / "lines.csv"
    lines.write_text(LINES_HEADER + "1,BOLT,Bolt M8,pcs,2,0.50,,dents,return\n"
                     "2,WASH,Washer,pcs,1,0.10,10,wrong model,reprocess\n")
    slip_no = ok(capsys, "--user", "sales", "slip", "issue", "--case", case_no, "--lines",
                 str(lines), "--basis", "complaint accepted").splitlines()[0]
    ok(capsys, "--user", "supervisor", "slip", "approve", slip_no)
    scans = folder / "scans.txt"
    scans.write_text("BOLT\nBOLT\nWASH\n")
    ok(capsys, "--user", "clerk", "receive", slip_no, "--scans", str(scans), "--close")
    codes = re.findall(r"unit (U\d+) ", ok(capsys, "slip", "show", slip_no))
    ok(capsys, "--user", "inspector", "inspect", codes[0], "--pass")
    ok(capsys, "--user", "inspector", "inspect", codes[1], "--pass")
    ok(capsys, "--user", "inspector", "inspect", codes[2], "--fail", "--defect", "appearance",
       "--cause", "scratched", "--disposition", "scrap")
    assert "booked: 1.10" in ok(capsys, "--user", "finance", "slip", "book", slip_no)
    assert "on time" in ok(capsys, "--user", "inspector", "case", "close", case_no)
    return case_no


# --- the same walk at the desk ------------------------------------------------------------------

async def switch_to(pilot, name: str, pin: str = "1234") -> None:
    await pilot.press("f12")
    await sign_in(pilot, name, pin)
    assert pilot.app.user.name == name
    assert pilot.app.sub_title == f"{name} · {word('role', name)}"    # in the desk's language


def desk_walk(url: str, tmp_path) -> str:
    """The same complaint, every step by keys at the desk. The case number."""
    folder = tmp_path / "desk"
    folder.mkdir()
    photo = folder / "flange.jpg"
    photo.write_bytes(PHOTO)
    made: dict[str, str] = {}

    async def walk(pilot):
        app = pilot.app
        # Sales take the complaint in (Cases, F8): the same facts and the photo.
        await sign_in(pilot, "sales")
        await pilot.press("f6", "f8")
        for value in ("ACME", "SO-1", "BOLT", "100", "2026-11-10", "2026-11-11"):
            await type_in(pilot, value)
        await pilot.press("enter")                   # the defective quantity is known
        await type_in(pilot, "5")
        await pilot.press("1", "1")                  # appearance, minor
        for value in ("flange", "dented flange", "on arrival", "credit", ""):
            await type_in(pilot, value)              # the complaint came in today
        await pilot.press(*str(photo), "ctrl+s")
        await settle(pilot)
        case_no = made["case"] = ComplaintCase.get().case_no
        assert case_no in text(app, "#case-facts")

        # The inspector assesses it (F9): ours, quality, return.
        await switch_to(pilot, "inspector")
        await pilot.press("f6")
        await scan(pilot, case_no)
        await pilot.press("f9", "1", "1", "1")
        await type_in(pilot, "")                     # no amount
        await type_in(pilot, "")                     # no note: saved
        await settle(pilot)
        assert ComplaintCase.get().outcome == "return"

        # Sales issue the slip from the case (ctrl+l): two lines, each its reason and handling.
        await switch_to(pilot, "sales")
        await pilot.press("f6")
        await scan(pilot, case_no)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("enter")                   # line 1: the case's part, BOLT
        await type_in(pilot, "Bolt M8")
        await pilot.press("enter", "ctrl+u")         # pcs; the case's defective 5 cleared
        await type_in(pilot, "2")
        await type_in(pilot, "0.50")
        await pilot.press("enter")                   # the customer's tolerance
        await type_in(pilot, "dents")
        await pilot.press("1")                       # return
        await pilot.press("ctrl+n")                  # line 2, its part first
        for value in ("WASH", "Washer"):
            await type_in(pilot, value)
        await pilot.press("enter")                   # pcs
        for value in ("1", "0.10", "10"):
            await type_in(pilot, value)
        await pilot.press("ctrl+u")                  # the reason copied from line 1, cleared
        await type_in(pilot, "wrong model")
        await pilot.press("2")                       # reprocess, on to the basis
        await type_in(pilot, "complaint accepted")
        await pilot.press("enter")                   # no regional manager: saved
        await settle(pilot)
        slip_no = Slip.get().slip_no
        assert Slip.get().status == "awaiting_approval"

        # Finance's desk: a supervisor approves it there by name and PIN (F10); the trail
        # names the supervisor, as `--user supervisor slip approve` does.
        await switch_to(pilot, "finance")
        await pilot.press("f5")
        await settle(pilot)
        await scan(pilot, slip_no)
        await pilot.press("f10")
        await type_in(pilot, "supervisor")
        await type_in(pilot, "1234")
        await settle(pilot)
        assert Slip.get().status == "receiving"

        # The clerk receives (F3): the slip, each piece, F8 closes receiving.
        await switch_to(pilot, "clerk")
        await pilot.press("f3")
        await scan(pilot, slip_no, "BOLT", "BOLT", "WASH")
        await pilot.press("f8")                      # the figures of the moment, read first
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert Slip.get().status == "received"

        # The inspector inspects each unit by its label (F4): two pass, one fails to scrap.
        await switch_to(pilot, "inspector")
        await pilot.press("f4")
        await settle(pilot)
        codes = [u.code for u in Unit.select().order_by(Unit.id)]
        for code in codes[:2]:
            await scan(pilot, code)
            await pilot.press("f8", "enter")
            await settle(pilot)
        await scan(pilot, codes[2])
        await pilot.press("f9")
        await choose(pilot, 1)                       # appearance
        await type_in(pilot, "scratched")
        await choose(pilot, 2)                       # rework, repair, scrap
        await type_in(pilot, "")                     # no note: saved
        await settle(pilot)
        assert Unit.select().where(Unit.state == "inspected").count() == 3

        # Finance books it (F5, F8).
        await switch_to(pilot, "finance")
        await pilot.press("f5")
        await settle(pilot)
        await scan(pilot, slip_no)
        await pilot.press("f8", "enter")
        await settle(pilot)
        assert Slip.get().status == "booked"

        # The inspector closes the case (Cases, F10): nothing is left to do.
        await switch_to(pilot, "inspector")
        await pilot.press("f6")
        await scan(pilot, case_no)
        await pilot.press("f10", "enter")
        await settle(pilot)
        assert shows(text(app, "#case-timeline"), "on time", " · on time")

    async def main():
        app = make_app(url, journal=journal_path(SimpleNamespace(url=url)))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await walk(pilot)
    asyncio.run(main())
    db.connect(reuse_if_open=True)
    return made["case"]


# --- the test -----------------------------------------------------------------------------------

@pytest.mark.parametrize("desk_speaks", DESK_LANGUAGES)
def test_the_command_line_and_the_desk_walk_a_case_to_the_same_records(db_url, tmp_path,
                                                                         monkeypatch, capsys,
                                                                         desk_speaks):
    with clock.frozen(THURSDAY):
        url = fresh_site(db_url, "cli")
        set_up(url, tmp_path, monkeypatch, capsys)
        by_cli = records(cli_walk(tmp_path, capsys))      # in English, as its output is read

        url = fresh_site(db_url, "desk")
        set_up(url, tmp_path, monkeypatch, capsys)
        monkeypatch.setenv(LANGUAGE_ENV, desk_speaks)
        set_language(desk_speaks)
        try:
            by_desk = records(desk_walk(url, tmp_path))
        finally:
            set_language(SOURCE)
    db.close()

    assert by_cli["case"]["status"] == "closed" and by_cli["slips"][0]["status"] == "booked"
    assert [step[1] for step in by_cli["audit"]][:2] == ["case.open", "case.attach"]
    for part in by_cli:                              # part by part: a difference reads easily
        assert by_desk[part] == by_cli[part], part
