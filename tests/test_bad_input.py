"""Hostile files and random input: each gives a clear message, and a refused input leaves the
database byte-for-byte as it was."""
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import clock
from models.db import db, is_postgres
from models.imports import (BatchRefused, import_cases, import_customers, import_slips,
                            receive_upload)
from models.tables import TABLES, Customer

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
    before = fingerprint()
    if expected.startswith("imported "):
        assert len(run(site, name, data)) == int(expected.split()[1])
        return
    with pytest.raises(BatchRefused) as refused:
        run(site, name, data)
    assert " / ".join(refused.value.lines()) == expected
    assert fingerprint() == before


def test_sql_in_a_name_is_only_text(site):
    run(site, "customers_sql_cjk_emoji_ok.csv", (HOSTILE / "customers_sql_cjk_emoji_ok.csv").read_bytes())
    names = {c.code: c.name for c in Customer.select()}
    assert names["S1"] == "Robert'); DROP TABLE customer;--"
    assert names["S2"] == "東莞精密 🔩 工業"


HEADER = "code,name,market,over_receipt_tolerance_pct\n"
cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "0", "-1", "1e309", "NaN", "12.345", "domestic", "foreign", "'; DROP TABLE user;--",
     "\x00", "上海", "🔩", "9" * 40])
rows = st.lists(st.tuples(cells, cells, cells, cells), min_size=1, max_size=5)
checks = settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@checks
@given(data=st.binary(max_size=300))
def test_random_bytes_as_a_customer_file(site, data):
    before = fingerprint()
    try:
        import_customers(site.admin, data)
    except BatchRefused as refused:
        assert refused.lines() and all(line.strip() for line in refused.lines())
        assert fingerprint() == before


@checks
@given(table=rows)
def test_random_rows_as_a_customer_file(site, table):
    text = HEADER + "".join(",".join('"' + c.replace('"', '""') + '"' for c in row) + "\n"
                            for row in table)
    before = fingerprint()
    try:
        import_customers(site.admin, text.encode("utf-8", "surrogatepass"))
    except BatchRefused as refused:
        assert all(line.strip() for line in refused.lines())
        assert fingerprint() == before


@checks
@given(lines=st.lists(cells, min_size=1, max_size=8))
def test_random_scanner_uploads(site, lines):
    before = fingerprint()
    try:
        receive_upload(site.clerk, "RS-9", "\n".join(lines).encode("utf-8", "surrogatepass"))
    except BatchRefused as refused:
        assert all(line.strip() for line in refused.lines())
        assert fingerprint() == before
