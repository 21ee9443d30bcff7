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

from ..figures import record
from ..helpers import case, customer, slip

HOSTILE = Path(__file__).parent.parent / "hostile"
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


# --- issue 17: text a person enters, numbers and dates ----------------------------------------

@pytest.mark.parametrize("bad, kind", [
    ("PO\x1b[2J", "an escape sequence"), ("a\x07b", "a control character"),
    ("a\x9bb", "a control character"), ("a\tb", "a control character"),
    ("a\u202eb", "a bidi control"), ("a\u2066b", "a bidi control"), ("a\ud800b", "a lone surrogate"),
])
def test_check_text_refuses_what_a_terminal_obeys(bad, kind):
    from models.errors import Refused
    from models.text import check_text
    with pytest.raises(Refused, match=f"order no '.*' holds {kind}") as refusal:
        check_text(bad, "order no", 60)
    assert not any(c in str(refusal.value) for c in "\x1b\x07\x9b\t\u202e\u2066\ud800")


def test_check_text_keeps_plain_text_and_says_the_limit():
    from models.errors import Refused
    from models.text import check_text
    assert check_text("  東莞精密 🔩 O'Brien  ", "name", 200) == "東莞精密 🔩 O'Brien"
    assert check_text("line one\nline two\ttab", "note", multiline=True) == "line one\nline two\ttab"
    with pytest.raises(Refused, match="description is longer than 200 characters .1500 given."):
        check_text("d" * 1500, "description", 200)


def test_shown_makes_stored_text_inert():
    from models.text import quoted, shown
    assert shown("PO\x1b[2J\x1b]0;pwned\x07") == "PO<ESC>[2J<ESC>]0;pwned<U+0007>"
    assert shown("a\u202eb\ud800\x00\x7f\x9b") == "a<U+202E>b<U+D800><NUL><DEL><U+009B>"
    assert shown("東莞 =cmd") == "東莞 =cmd" and shown(None) == ""
    assert quoted("X\x1b]0;pwned\x07") == "'X<ESC>]0;pwned<U+0007>'"
    assert quoted("x" * 100).endswith("x…'")


def test_every_operation_that_stores_text_refuses_escapes(site):
    """The operations check their text (models.text.check_text); under them, the tables'
    fields refuse such text whatever the path (models.fields)."""
    from models.cases import CaseFacts, open_case
    from models.customers import save_customer
    from models.receiving import reverse_unit
    from models.tables import ComplaintCase
    facts = dict(customer_code="A1", order_no="PO-1", part_no="P", category="performance",
                 severity="minor", customer_received_on=dt.date(2026, 11, 20))
    with clock.frozen(dt.datetime(2026, 11, 22, 9)):
        for field in ("order_no", "part_no", "defect", "request", "defect_position"):
            refusal = refused(site, lambda f=field: open_case(
                site.admin, CaseFacts(**(facts | {f: "x\x1b]0;pwned\x07"}))), "hostile text")
            assert refusal and field.split("_")[0] in str(refusal) and "\x1b" not in str(refusal)
        assert refused(site, lambda: save_customer(site.admin, "A2", "N\u202eame", "domestic"),
                       "hostile text")
        unit = receive_scan(site.clerk, "RS-9", "P-1").unit
        assert refused(site, lambda: reverse_unit(site.clerk, unit.code, "oops\x1b[2J"),
                       "hostile text")
        with pytest.raises(DeskError, match="order no 'PO<ESC>' holds an escape"):
            ComplaintCase.update(order_no="PO\x1b").execute()


@pytest.mark.parametrize("text", ["1_0", "\uff13", "\u0663", "1E1", "+1", " 1 1", "1.", "NaN"])
def test_numbers_are_ascii_decimals(text):
    from models.fields import to_decimal
    with pytest.raises(ValueError, match="is not a number"):
        to_decimal(text, 3, "tolerance")


@pytest.mark.parametrize("text, message", [
    ("20261203", "not a date"), ("2026-W49-4", "not a date"), ("2026-1-2", "not a date"),
    ("\uff12026-11-11", "not a date"), ("2026-11-11T00:00", "not a date"),
    ("0001-12-03", "outside 2000-2099"), ("2100-01-01", "outside 2000-2099"),
])
def test_dates_are_iso_and_plausible(text, message):
    from models.fields import parse_date
    with pytest.raises(ValueError, match=message):
        parse_date(text, "customer_received_on")
    assert parse_date(" 2026-12-03 ") == dt.date(2026, 12, 3)


def test_a_long_description_is_refused_not_cut(site):
    from models.slips import LineSpec, check_line
    with pytest.raises(DeskError, match="description is longer than 200 characters"):
        check_line(LineSpec(1, "P-1", "d" * 1500, "pcs", "1", "1", None, "dents", "return"))
    with pytest.raises(DeskError, match="holiday '0001-12-03' is outside|outside 2000-2099"):
        from models.settings import set_value
        set_value(site.admin, "holidays", "0001-12-03")


def test_a_text_setting_refuses_escapes(site):
    from models.settings import set_value
    assert refused(site, lambda: set_value(site.admin, "label_printer", "dir:/tmp/\x1b[2J"),
                   "hostile text")
