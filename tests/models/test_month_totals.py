"""The running totals (models.month_totals), on SQLite and PostgreSQL: what the bookings,
reopenings, inspections and issued slips add up to as they happen is what the records
themselves add up to, made again from them (rebuild_sql, as the bench and migrations 0013 and
0014 do)."""
import datetime as dt
import sqlite3
import threading
from decimal import Decimal as D
from pathlib import Path
from shutil import copyfile

from models import connect, migrate_all
from models.cases import CAUSES, assess
from models.customers import save_customer
from models.db import db, is_postgres
from models.inspection import Portion, inspect
from models.month_totals import rebuild_sql
from models.receiving import close_receiving, receive_count, receive_scan
from models.reconciliation import book_slip, reopen_slip
from models.lists import returns_per_month
from models.reports import AmountRow, AmountRows, monthly_report
from models.tables import BookedTotal, FailedTotal, IssuedTotal, Slip, User

from ..helpers import case, customer, slip
from .test_case_lifecycle import at


def totals() -> tuple[list, list, list]:
    """Every running total with something in it, in a fixed order."""
    booked = (BookedTotal.select(BookedTotal.month, BookedTotal.customer, BookedTotal.unit,
                                 BookedTotal.lines, BookedTotal.qty, BookedTotal.amount)
              .where(BookedTotal.lines != 0)
              .order_by(BookedTotal.month, BookedTotal.customer, BookedTotal.unit).tuples())
    failed = (FailedTotal.select(FailedTotal.month, FailedTotal.case, FailedTotal.unit,
                                 FailedTotal.qty, FailedTotal.amount)
              .order_by(FailedTotal.month, FailedTotal.case, FailedTotal.unit).tuples())
    issued = (IssuedTotal.select(IssuedTotal.month, IssuedTotal.category, IssuedTotal.slips)
              .order_by(IssuedTotal.month, IssuedTotal.category).tuples())
    return list(booked), list(failed), list(issued)


def rebuilt() -> tuple[list, list, list]:
    """The totals made again from the records; the running ones are put back after."""
    with db.atomic() as transaction:
        for statement in rebuild_sql(is_postgres()):
            db.execute_sql(statement)
        made = totals()
        transaction.rollback()
    return made


def whose(cause: str) -> str:
    return next(side for side, causes in CAUSES.items() if cause in causes)


def received(desk, code: str, cause: str, lines, day: dt.date):
    """A case of customer `code` assessed with `cause`, its slip of `lines` received whole:
    a unit per piece, one lot per line counted in kg."""
    c = case(desk, code=code, opened=day, received=day)
    with at(day, 10):
        s = slip(desk, c.case_no, *lines)
        units = []
        for part, unit, qty, _price in lines:
            if unit == "pcs":
                units += [receive_scan(desk.clerk, s.slip_no, part).unit for _ in range(int(qty))]
            else:
                units.append(receive_count(desk.clerk, s.slip_no, part, qty).unit)
        close_receiving(desk.clerk, s.slip_no)
        assess(desk.inspector, c.case_no, whose(cause), cause, "return")
    return c, s, units


def test_running_totals_are_what_the_records_add_up_to(desk):
    customer(desk, "C1")
    save_customer(desk.supervisor, "EU1", "Kunde EU1", "foreign", currency="EUR")
    october, november = dt.date(2026, 10, 12), dt.date(2026, 11, 9)
    _c1, pieces, units = received(desk, "C1", "wrong_item",
                                  [("P-1", "pcs", "3", "2.5"), ("P-2", "kg", "1.25", "4.125")],
                                  october)
    _c2, bulk, more = received(desk, "EU1", "quality", [("P-1", "kg", "2.5", "10")], october)
    with at(october + dt.timedelta(days=1)):
        inspect(desk.inspector, units[0].code, [Portion(False, "scrap", "1")], "appearance", "dent")
        for unit in units[1:3]:
            inspect(desk.inspector, unit.code, [Portion(True, "restock", "1")])
        inspect(desk.inspector, units[3].code, [Portion(False, "scrap", "1.25")], "function",
                "rust")
        inspect(desk.inspector, more[0].code,          # split: 1 of its 2.5 kg fails
                [Portion(True, "restock", "1.5"), Portion(False, "scrap", "1")], "function", "rust")
        book_slip(desk.finance, pieces.slip_no)
        book_slip(desk.finance, bulk.slip_no)
    with at(november):
        reopen_slip(desk.supervisor, pieces.slip_no, "price was wrong")
    with at(november + dt.timedelta(days=1)):
        book_slip(desk.finance, pieces.slip_no)           # booked again, in November

    assert totals() == rebuilt()
    booked, failed, issued = totals()
    assert [(month, unit, lines) for month, _customer, unit, lines, _qty, _amount in booked] == [
        ("2026-10", "kg", 1), ("2026-11", "kg", 1), ("2026-11", "pcs", 1)]
    assert [(month, unit, qty, amount) for month, _case, unit, qty, amount in failed] == [
        ("2026-10", "kg", D("1.25"), D("5.15625")), ("2026-10", "pcs", D(1), D("2.5")),
        ("2026-10", "kg", D(1), D(10))]
    # the report reads them: October keeps EU1's booking only, the reopened one went; EU1's
    # failed goods are not the customer's doing (cause: quality)
    report = monthly_report("2026-10")
    assert report.booked == [("EU1", "kg", D("2.5"), D("25.00"), "EUR")]
    assert report.quality_cost == [("C1", "kg", D("1.25"), D("5.16"), "CNY"),
                                   ("C1", "pcs", D(1), D("2.50"), "CNY")]
    assert report.names == {"C1": "Customer C1", "EU1": "Kunde EU1"}
    assert monthly_report("2026-11").booked == [("C1", "kg", D("1.25"), D("5.16"), "CNY"),
                                                ("C1", "pcs", D(3), D("7.50"), "CNY")]
    # home's chart reads the slips issued: both in October, for cases of one category
    assert issued == [("2026-10", "appearance", 2)]
    chart = returns_per_month(3, november)
    assert chart.months == ["2026-09", "2026-10", "2026-11"]
    assert chart.by_category["appearance"] == [0, 2, 0]
    assert sum(map(sum, chart.by_category.values())) == 2


def test_quality_cost_follows_the_cause_assessed_later(desk):
    """Failed goods are added up per case: a case assessed as the customer's doing after its
    goods were inspected counts as quality cost from then on."""
    customer(desk, "C1")
    c, _s, units = received(desk, "C1", "quality", [("P-1", "pcs", "1", "10")],
                            dt.date(2026, 11, 9))
    with at(dt.date(2026, 11, 10)):
        inspect(desk.inspector, units[0].code, [Portion(False, "scrap", "1")], "appearance", "dent")
    assert monthly_report("2026-11").quality_cost == []
    assess(desk.inspector, c.case_no, whose("customer_order"), "customer_order", "return")
    assert monthly_report("2026-11").quality_cost == [("C1", "pcs", D(1), D("10.00"), "CNY")]


def _book(slip_no: str, start: threading.Barrier, failures: list) -> None:
    try:
        with db.connection_context():
            finance = User.get(User.name == "finance")
            start.wait()
            book_slip(finance, slip_no)
    except Exception as exc:      # said below, with the other terminal's
        failures.append(exc)


def test_two_terminals_booking_for_one_customer_at_once_both_count(desk):
    customer(desk, "C1")
    slips = []
    for _ in range(2):
        _c, s, units = received(desk, "C1", "quality", [("P-1", "pcs", "1", "10")],
                                dt.date(2026, 11, 9))
        with at(dt.date(2026, 11, 10)):
            inspect(desk.inspector, units[0].code, [Portion(True, "restock", "1")])
        slips.append(s.slip_no)
    start, failures = threading.Barrier(2), []
    terminals = [threading.Thread(target=_book, args=(slip_no, start, failures))
                 for slip_no in slips]
    with at(dt.date(2026, 11, 20)):
        for terminal in terminals:
            terminal.start()
        for terminal in terminals:
            terminal.join(timeout=60)
    assert failures == []
    assert Slip.select().where(Slip.status == "booked").count() == 2
    assert monthly_report("2026-11").booked == [("C1", "pcs", D(2), D("20.00"), "CNY")]
    assert totals() == rebuilt()


def test_the_demo_database_keeps_its_totals(tmp_path):
    """The demo is built through the operations: its running totals match its records. And
    migrations 0013 and 0014 make the same from those records on a database that had none."""
    demo = tmp_path / "demo.db"
    copyfile(Path(__file__).resolve().parents[2] / "returns.db.example", demo)
    connect(f"sqlite:///{demo}")
    kept = totals()
    assert all(kept)                       # the demo has bookings, failed goods and slips
    assert kept == rebuilt()
    db.close()
    with sqlite3.connect(demo) as raw:     # as an older desk left it: no totals yet
        raw.executescript("""DROP TABLE booked_total; DROP TABLE failed_total;
                             DROP INDEX complaint_case_customer_caused;
                             DROP TABLE issued_total;
                             DELETE FROM schema_migration
                             WHERE name IN ('0013_month_totals', '0014_issued_totals');""")
    connect(f"sqlite:///{demo}", check=False)
    migrate_all()
    assert totals() == kept


def test_amount_rows_are_made_as_asked_for_and_added_as_stored():
    """The report's amount rows stay as read until one is asked for; their totals per currency
    are the same as the rows made and added up."""
    qty, amount = BookedTotal.qty.db_value, BookedTotal.amount.db_value
    stored = [("C1", "pcs", qty(D(3)), amount(D("7.50")), None, "Customer C1"),
              ("EU1", "kg", qty(D("2.5")), amount(D("25.125")), "EUR", "Kunde EU1"),
              ("C2", "pcs", qty(D(1)), amount(D("0.005")), None, "Customer C2")]
    rows = AmountRows(stored, "CNY", rounded=False)
    assert len(rows) == 3
    assert rows[1] == AmountRow("EU1", "kg", D("2.5"), D("25.125"), "EUR")
    assert rows[-1] == AmountRow("C2", "pcs", D(1), D("0.005"), "CNY")      # the site's currency
    assert rows.totals() == {"CNY": D("7.505"), "EUR": D("25.125")}
    rounded = AmountRows(stored, "CNY", rounded=True)
    assert [row.amount for row in rounded] == [D("7.50"), D("25.13"), D("0.01")]
    assert rounded.totals() == {"CNY": D("7.51"), "EUR": D("25.13")}
    assert rows == list(rows) and rows != rounded
