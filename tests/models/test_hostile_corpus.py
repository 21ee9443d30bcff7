"""The generated hostile corpus (tests/hostile_corpus.py) through import, export and the command
line, on SQLite and PostgreSQL: every refusal names its row and column and leaves the data as it
was; what is accepted comes out of the CSV export defused and out of the CLI inert."""
import csv
import datetime as dt
import io
import json
import re

import pytest

from models import clock
from models.db import db, is_postgres
from models.exports import FORMULA_STARTS, export_reconciliation
from models.imports import BatchRefused, import_cases, import_customers, import_slips, receive_upload
from models.tables import Customer
from tui.cli import main

from ..helpers import case, customer, slip
from ..hostile_corpus import FORMULAS, SITE_CASE, SITE_CUSTOMER, corpus, write_corpus
from .test_bad_input import fingerprint

# What must never reach a terminal: C0 controls but the line break, DEL, C1, bidi, surrogates.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
IMPORTS = {"customers": import_customers, "cases": import_cases, "slips": import_slips}
DAY = dt.datetime(2026, 11, 22, 9)
ENTRIES = corpus()


@pytest.fixture
def site(desk):
    with clock.frozen(DAY):
        customer(desk, SITE_CUSTOMER)
        opened = case(desk, SITE_CUSTOMER, opened=dt.date(2026, 11, 3), received=dt.date(2026, 11, 2))
        assert opened.case_no == SITE_CASE
        slip(desk, SITE_CASE, ("P-1", "pcs", "10", "1"), slip_no="RS-9")
    return desk


def _import(site, name: str, data: bytes):
    kind = name.split("_")[0]
    with clock.frozen(DAY):
        if kind == "scans":
            return receive_upload(site.clerk, "RS-9", data)
        return IMPORTS[kind](site.admin, data)


def _cli(site, monkeypatch, capsys, *argv, user="admin") -> tuple[int, str]:
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999" if user == "admin" else "1234")
    with clock.frozen(DAY):
        code = main(["--db", site.url, "--user", user, *argv])
    said = capsys.readouterr()
    return code, said.out + said.err


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_corpus_file(site, entry, tmp_path, monkeypatch, capsys):
    before = fingerprint()
    if not entry.refusals:
        assert len(_import(site, entry.name, entry.data)) == entry.imported
        return
    with pytest.raises(BatchRefused) as refusal:
        _import(site, entry.name, entry.data)
    lines = refusal.value.lines()
    assert fingerprint() == before, "a refused file changed the data"
    assert len(lines) == len(entry.refusals), lines
    for (number, column), line in zip(entry.refusals, lines, strict=True):
        assert line.startswith(f"line {number}: "), line
        assert column in line, f"{line!r} does not name the column ({column})"
    assert not any(RAW.search(line) for line in lines), lines

    # The same file through the command line: one refusal, nothing raw on the terminal.
    path = tmp_path / entry.name
    path.write_bytes(entry.data)
    kind = entry.name.split("_")[0]
    argv = (["receive", "RS-9", "--scans", str(path)] if kind == "scans"
            else ["import", kind, str(path)])
    code, said = _cli(site, monkeypatch, capsys, *argv, user="clerk" if kind == "scans" else "admin")
    assert code == 1
    assert "Traceback" not in said and not RAW.search(said), said
    for number, _ in entry.refusals:
        assert f"line {number}: " in said


def test_accepted_formulas_are_defused_in_csv_and_exact_in_json(site, tmp_path, monkeypatch, capsys):
    entries = {entry.name: entry for entry in write_corpus(tmp_path / "corpus")}
    for name in ("customers_formulas_ok.csv", "slips_formulas_ok.csv"):
        _import(site, name, entries[name].data)
    out = io.StringIO()
    export_reconciliation(site.finance, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    texts = [row[name] for row in table for name in ("slip_no", "case_no", "customer_code",
                                                      "part_no", "unit", "status")]
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    assert {row["part_no"] for row in table} >= {"'" + f for f in FORMULAS}
    out = io.StringIO()
    export_reconciliation(site.finance, out, "json")
    assert {o["part_no"] for o in json.loads(out.getvalue())} >= set(FORMULAS)
    # The command line's export, to a file and to the terminal, the same.
    code, said = _cli(site, monkeypatch, capsys, "export", "reconciliation", user="finance")
    assert code == 0 and "'=cmd|" in said and "\n=cmd" not in said and ",=cmd" not in said
    assert Customer.get(Customer.code == FORMULAS[0]).name == "Formula Code Ltd"


def test_text_stored_before_the_checks_is_shown_inert(site, monkeypatch, capsys):
    """Rows written before the desk refused such text (or by hand in the database) come out of
    the command line with visible placeholders, never as escapes a terminal obeys."""
    hostile = "PO\x1b[2J\x1b]0;pwned\x07\u202eX"
    mark = "%s" if is_postgres() else "?"
    # Written as an old version or a hand in the database would: past the fields' checks.
    db.execute_sql("INSERT INTO audit_log (at, user_id, action, entity, entity_key, before, "
                   f"after) VALUES ({', '.join([mark] * 7)})",
                   (dt.datetime(2026, 11, 22, 8), site.admin.id, "customer.add", "customer",
                    hostile, None, '{"name": "' + hostile + '"}'))
    db.execute_sql(f'UPDATE "user" SET badge = {mark} WHERE name = {mark}', (hostile, "clerk"))
    for argv in (["audit"], ["user", "list"]):
        code, said = _cli(site, monkeypatch, capsys, *argv)
        assert code == 0
        assert not RAW.search(said.replace("\t", " ")), said
        assert "PO<ESC>[2J<ESC>]0;pwned<U+0007><U+202E>X" in said


def test_cli_error_line_quotes_a_hostile_value(site, tmp_path, monkeypatch, capsys):
    """`slip X^[]0;pwned^G has another case_no...` came out raw; now every byte is visible."""
    path = tmp_path / "slips.csv"
    entry = next(e for e in ENTRIES if e.name == "slips_escape_in_quoted_value.csv")
    path.write_bytes(entry.data)
    code, said = _cli(site, monkeypatch, capsys, "import", "slips", str(path))
    assert code == 1
    assert "slip 'X<ESC>]0;pwned<U+0007>' has another case_no here ('2611-9<ESC>[2J')" in said, said
    assert "\x1b" not in said and "\x07" not in said


def test_a_label_never_carries_stored_control_characters(site):
    """A ZPL printer obeys ^ and ~ commands and a terminal ESC: a label's texts are shown()."""
    from models.printing import label_facts
    from models.receiving import receive_scan
    mark = "%s" if is_postgres() else "?"
    db.execute_sql(f"UPDATE slip_line SET description = {mark}", ("bolt\x1b[2J\u202e",))
    db.execute_sql(f"UPDATE customer SET name = {mark}", ("Acme\x07",))
    with clock.frozen(DAY):
        facts = label_facts(receive_scan(site.clerk, "RS-9", "P-1").unit)
    assert facts["description"] == "bolt<ESC>[2J<U+202E>" and facts["customer_name"] == "Acme<U+0007>"


def test_the_cli_error_printer_is_the_last_guard(site, tmp_path, monkeypatch, capsys):
    """A message that echoes an argument as it is (here a file's name) still writes no escape:
    tui.cli's one error printer shows every control character."""
    missing = tmp_path / "x\x1b]0;pwned\x07.csv"
    code, said = _cli(site, monkeypatch, capsys, "import", "customers", str(missing))
    assert code == 1 and "cannot read" in said and "x<ESC>]0;pwned<U+0007>.csv" in said
    assert not RAW.search(said), said
