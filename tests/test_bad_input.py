"""Hostile files and random input: each gives a clear message, and a refused input leaves the
database byte-for-byte as it was."""
import csv
import datetime as dt
import hashlib
import io
from contextlib import contextmanager
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import clock
from models.db import db, is_postgres
from models.errors import DeskError
from models.imports import (BatchRefused, import_cases, import_customers, import_slips,
                            receive_upload)
from models.inspection import Portion, inspect
from models.receiving import receive_count, receive_scan
from models.tables import TABLES, Customer, Slip, SlipLine

from .figures import record
from .helpers import case, customer, slip

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = dict(line.split(" | ", 1) for line in (HOSTILE / "expected.txt").read_text().splitlines()
                if line and not line.startswith("#"))
IMPORTS = {"customers": import_customers, "cases": import_cases, "slips": import_slips}


def fingerprint() -> str:
    """SQLite: the database file's bytes once the WAL is folded in. PostgreSQL: every row."""
    if is_postgres():
        rows = [list(m.select().order_by(m._meta.primary_key).tuples()) for m in TABLES]
        return hashlib.sha256(repr(rows).encode()).hexdigest()
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(Path(db.obj.database).read_bytes()).hexdigest()


@pytest.fixture
def site(desk):
    """One customer A1 with cases 2611-001/002 and a slip RS-9 (part P-1) to receive on."""
    customer(desk, "A1")
    with clock.frozen(dt.datetime(2026, 11, 22, 9)):
        for _ in range(2):
            case(desk, "A1", opened=dt.date(2026, 11, 3), received=dt.date(2026, 11, 2),
                 category="performance")
    slip(desk, "2611-001", ("P-1", "pcs", "10", "1"), slip_no="RS-9")
    return desk


def refused(site, action, kind: str, fingerprint=fingerprint) -> DeskError | None:
    """Run `action`. If the desk refuses it, the refusal must say why in words and leave the
    database as it was (byte-for-byte on SQLite; counted in the figures); returns the refusal,
    or None if the desk accepted it."""
    before = fingerprint()
    try:
        action()
    except DeskError as refusal:
        said = refusal.lines() if isinstance(refusal, BatchRefused) else [str(refusal)]
        unchanged = fingerprint() == before
        record("bad input", site.url, 1, int(unchanged and all(line.strip() for line in said)), kind)
        assert said and all(line.strip() for line in said)
        assert unchanged
        return refusal
    return None


def run(site, name: str, data: bytes):
    kind = name.split("_")[0]
    with clock.frozen(dt.datetime(2026, 11, 22, 9)):
        if kind == "scans":
            return receive_upload(site.clerk, "RS-9", data)
        return IMPORTS[kind](site.admin, data)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(site, name):
    data = (HOSTILE / name).read_bytes()
    expected = EXPECTED[name]
    if expected.startswith("imported "):
        assert len(run(site, name, data)) == int(expected.split()[1])
        return
    refusal = refused(site, lambda: run(site, name, data), "hostile file (tests/hostile)")
    assert isinstance(refusal, BatchRefused)
    assert " / ".join(refusal.lines()) == expected


def test_sql_in_a_name_is_only_text(site):
    run(site, "customers_sql_cjk_emoji_ok.csv", (HOSTILE / "customers_sql_cjk_emoji_ok.csv").read_bytes())
    names = {c.code: c.name for c in Customer.select()}
    assert names["S1"] == "Robert'); DROP TABLE customer;--"
    assert names["S2"] == "東莞精密 🔩 工業"


HEADER = "code,name,market,over_receipt_tolerance_pct\n"
cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "0", "-1", "1e309", "NaN", "12.345", "domestic", "foreign", "'; DROP TABLE user;--",
     "\x00", "上海", "🔩", "9" * 40])
# Rows of any text, and rows close enough to a customer's that some are accepted: then what was
# stored must be what the row says.
plausible = st.tuples(st.text(alphabet="ABCXYZ019-_", min_size=1, max_size=8),
                      st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs"]),
                              min_size=1, max_size=30),
                      st.sampled_from(["domestic", "foreign", " foreign ", "abroad"]),
                      st.sampled_from(["", "0", "5", "2.5", "12.345", "-1", "100", "1e3", "x"]))
rows = st.lists(st.tuples(cells, cells, cells, cells) | plausible, min_size=1, max_size=5)
checks = settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextmanager
def example_of_its_own():
    """Each hypothesis example starts from the same site: its writes are rolled back after it.
    Inside the rollback the file's bytes cannot show a write, so refusals compare rows."""
    with db.atomic() as outer:
        yield
        outer.rollback()


def row_fingerprint() -> str:
    rows = [list(m.select().order_by(m._meta.primary_key).tuples()) for m in TABLES]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def refused_in_example(site, action, kind: str) -> DeskError | None:
    return refused(site, action, kind, fingerprint=row_fingerprint)


def data_rows(data: bytes) -> list[list[str]]:
    """The rows a CSV file holds under its header, read by the csv module."""
    return [cells for cells in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
            if any(cell.strip() for cell in cells)][1:]


def stored_as_given(done: list, data: bytes) -> None:
    """An accepted customer file: one customer per row, each stored as the row says."""
    table = data_rows(data)
    assert len(done) == len(table)
    for (code, name, market, tolerance), added in zip(table, done, strict=True):
        stored = Customer.get(Customer.code == added.code)
        assert (stored.code, stored.name, stored.market) == (code.strip(), name.strip(), market.strip())
        expected = D(tolerance.strip()) if tolerance.strip() else None
        assert stored.tolerance_pct == expected


@checks
@given(data=st.binary(max_size=300))
def test_random_bytes_as_a_customer_file(site, data):
    with example_of_its_own():
        done = refused_in_example(site, lambda: import_customers(site.admin, data),
                                  "random bytes as a customer file")
        if done is None:
            stored_as_given(import_customers(site.admin, data), data)


@checks
@given(table=rows)
def test_random_rows_as_a_customer_file(site, table):
    text = HEADER + "".join(",".join('"' + c.replace('"', '""') + '"' for c in row) + "\n"
                            for row in table)
    data = text.encode("utf-8", "surrogatepass")
    with example_of_its_own():
        imported: list = []
        if refused_in_example(site, lambda: imported.extend(import_customers(site.admin, data)),
                              "random rows as a customer file") is None:
            stored_as_given(imported, data)


def received_on(slip_no: str, part_no: str) -> D:
    return (SlipLine.select(SlipLine.received_qty).join(Slip)
            .where(Slip.slip_no == slip_no, SlipLine.part_no == part_no).scalar())


@checks
@given(lines=st.lists(cells, min_size=1, max_size=8))
def test_random_scanner_uploads(site, lines):
    upload = "\n".join(lines).encode("utf-8", "surrogatepass")
    with example_of_its_own():
        before = received_on("RS-9", "P-1")
        receipts: list = []
        if refused_in_example(site, lambda: receipts.extend(receive_upload(site.clerk, "RS-9", upload)),
                              "random scanner upload") is None:
            # Accepted: every line that says something is a piece of P-1, and each was counted.
            said = [line.strip() for line in upload.decode().splitlines() if line.strip()]
            assert said and all(line.upper() == "P-1" for line in said)
            assert len(receipts) == len(said)
            assert received_on("RS-9", "P-1") == before + len(said)


codes = cells | st.sampled_from(
    [" ", "p-1", "P-1\x00", "P-1\r\nP-1", "U000001", "u1", "U" + "9" * 30, "RS-9", "2611-001",
     "R1*2611-001*RS-9*1*U000001*Z", "R1*2611-001*RS-9*1*U000001", "R9*x", "'; DELETE FROM unit;--",
     "P" * 500, "\u202eP-1", "Ｐ－１"])
quantities = cells | st.sampled_from(
    ["-1", "0", "0.0001", "1e3", "1,5", "99999999999999999999", "1.5.5", "½", "١٢", " 2 ", "inf"])


@checks
@given(code=codes)
def test_random_codes_scanned_at_receiving_and_inspection(site, code):
    """Only the slip's own part code is received; the site has no unit yet, so nothing can be
    inspected; anything else is refused, unchanged."""
    with example_of_its_own():
        before = received_on("RS-9", "P-1")
        if refused_in_example(site, lambda: receive_scan(site.clerk, "RS-9", code, scan_id=None),
                              "random code scanned at receiving") is None:
            assert code.strip().upper() == "P-1"
            assert received_on("RS-9", "P-1") == before + 1
    with example_of_its_own():
        passed = [Portion(True, "restock", "1")]
        assert refused_in_example(site, lambda: inspect(site.inspector, code, passed),
                                  "random code scanned at inspection") is not None


@checks
@given(quantity=quantities)
def test_random_quantities_counted(site, quantity):
    """A counted quantity is a plain positive decimal of at most 3 places, not absurd."""
    with example_of_its_own():
        slip(site, "2611-002", ("WIRE", "kg", "10", "1"), slip_no="RS-10")
        if refused_in_example(site, lambda: receive_count(site.clerk, "RS-10", "WIRE", quantity),
                              "random quantity counted") is None:
            assert 0 < D(quantity.strip()) <= 1000
            assert received_on("RS-10", "WIRE") == D(quantity.strip())
