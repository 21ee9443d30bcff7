"""The command line as a site uses it: init, users, CSV imports, a scanner upload, the export.

Runs in-process through tui.cli.main, on SQLite and PostgreSQL."""
import datetime as dt
import json
from decimal import Decimal as D

import pytest

from models import clock
from models.tables import ComplaintCase, Customer, Slip, SlipLine, Unit
from tui.cli import main

CUSTOMERS = """code,name,market,over_receipt_tolerance_pct
ACME,Acme 有限公司,domestic,
ZERO,Zero Tolerance GmbH,foreign,0
WIDE,Wide Margins Ltd,domestic,10
"""
CASES = """case_no,customer_code,order_no,part_no,shipped_qty,delivered_on,customer_received_on,defect_qty,category,severity,request,opened_on
,ACME,SO-1,BOLT,1000,2026-11-10,2026-11-11,50,appearance,minor,credit,2026-11-12
2611-010,ZERO,SO-2,WIRE,500,,2026-11-11,,performance,severe,repair,2026-11-12
,WIDE,SO-3,NUT,100,,2026-11-11,10,model_quantity,minor,,2026-11-12
"""
# Approved on paper by boss (an admin, not sup who imports them): ready to receive.
SLIPS = """slip_no,case_no,line_no,part_no,description,unit,approved_qty,unit_price,tolerance_pct,reason,handling,approved_by
RS-1,2611-001,1,BOLT,Bolt M8,pcs,10,0.50,,dents,return,boss
RS-1,2611-001,2,WASH,Washer,pcs,4,0.10,,wrong model,reprocess,boss
RS-2,2611-010,1,WIRE,Copper wire,kg,12.5,8.00,,rust,reprocess,boss
RS-3,2611-011,1,NUT,Nut M8,pcs,10,0.20,,wrong model,return,boss
"""


@pytest.fixture
def site(db_url, tmp_path, monkeypatch):
    """A site on the day the cases above are imported: a case is opened, and its window
    judged, on the day it is entered."""
    with clock.frozen(dt.datetime(2026, 11, 12, 10)):
        yield from _site(db_url, tmp_path, monkeypatch)


def _site(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", db_url)
    monkeypatch.setenv("RETURNS_DESK_NEW_PIN", "9999")
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")
    assert main(["init", "--admin", "boss"]) == 0
    for name, role in (("sup", "supervisor"), ("clerk", "clerk"), ("fin", "finance")):
        assert main(["--user", "boss", "user", "add", name, "--role", role]) == 0

    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    yield write


def test_import_receive_export(site, capsys):
    assert main(["--user", "sup", "import", "customers", site("c.csv", CUSTOMERS)]) == 0
    assert main(["--user", "sup", "import", "cases", site("k.csv", CASES)]) == 0
    assert [c.case_no for c in ComplaintCase.select().order_by(ComplaintCase.id)] == \
        ["2611-001", "2611-010", "2611-011"]
    assert main(["--user", "sup", "import", "slips", site("s.csv", SLIPS)]) == 0
    # Each line keeps its own reason and handling (RS-1: dents/return, wrong model/reprocess).
    assert [(line.reason, line.handling) for line in
            SlipLine.select().join(Slip).where(Slip.slip_no == "RS-1").order_by(SlipLine.line_no)] \
        == [("dents", "return"), ("wrong model", "reprocess")]

    scans = "BOLT\n" * 10 + "WASH\nWASH\nBOLT\n"
    assert main(["--user", "clerk", "receive", "rs-1", "--scans", site("u1.txt", scans)]) == 0
    assert main(["--user", "clerk", "receive", "RS-2", "--scans", site("u2.txt", "WIRE,12.8\n")]) == 0
    assert main(["--user", "clerk", "receive", "RS-3", "--scans", site("u3.txt", "NUT,11\n")]) == 0
    out = capsys.readouterr().out
    assert "received 13 scan(s) on RS-1" in out
    assert "over tolerance: line(s) 1" in out

    assert main(["--user", "fin", "export", "reconciliation", "--format", "json"]) == 0
    rows = {(r["slip_no"], r["line_no"]): r for r in
            json.loads(capsys.readouterr().out, parse_float=D)}
    # ACME: company default 5 %: 11 bolts of 10 allowed 10.5 -> over; 2 of 4 washers -> under.
    assert (rows["RS-1", 1]["status"], rows["RS-1", 1]["book_qty"]) == ("over", None)
    assert (rows["RS-1", 2]["status"], rows["RS-1", 2]["amount"]) == ("under", D("0.20"))
    # ZERO: explicit 0 %: 12.8 kg of 12.5 -> over.
    assert (rows["RS-2", 1]["tolerance_pct"], rows["RS-2", 1]["status"]) == (D(0), "over")
    # WIDE: 10 %: 11 of 10 is exactly at the allowed 11 -> within, booked as received.
    assert (rows["RS-3", 1]["allowed_qty"], rows["RS-3", 1]["status"],
            rows["RS-3", 1]["book_qty"]) == (D(11), "within", D(11))


def test_uploading_the_same_file_twice_adds_nothing(site, capsys):
    main(["--user", "sup", "import", "customers", site("c.csv", CUSTOMERS)])
    main(["--user", "sup", "import", "cases", site("k.csv", CASES)])
    main(["--user", "sup", "import", "slips", site("s.csv", SLIPS)])
    upload = site("u.txt", "BOLT\nBOLT\n")
    assert main(["--user", "clerk", "receive", "RS-1", "--scans", upload]) == 0
    assert main(["--user", "clerk", "receive", "RS-1", "--scans", upload]) == 0
    assert "0 scan(s) on RS-1; 2 were already recorded" in capsys.readouterr().out
    assert Unit.select().count() == 2


def test_a_bad_upload_receives_nothing(site, capsys):
    main(["--user", "sup", "import", "customers", site("c.csv", CUSTOMERS)])
    main(["--user", "sup", "import", "cases", site("k.csv", CASES)])
    main(["--user", "sup", "import", "slips", site("s.csv", SLIPS)])
    upload = site("u.txt", "BOLT\nNUT\nBOLT\nGHOST\nBOLT,-3\n")
    assert main(["--user", "clerk", "receive", "RS-1", "--scans", upload]) == 1
    err = capsys.readouterr().err
    assert "line 2: part NUT belongs to slip RS-3, not to RS-1" in err
    assert "line 4: unknown code 'GHOST'" in err
    assert "line 5: quantity must be more than 0" in err
    assert Unit.select().count() == 0


def test_bad_rows_are_listed_and_nothing_is_imported(site, capsys):
    bad = CUSTOMERS + "ACME,Again,domestic,\nBAD,Bad,mars,\nNEG,Negative,domestic,-1\n"
    assert main(["--user", "sup", "import", "customers", site("c.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "nothing was imported" in err
    assert "line 5: code ACME repeats line 2" in err
    assert Customer.select().count() == 0

    bad = CUSTOMERS.replace("WIDE,Wide Margins Ltd,domestic,10", "WIDE,Wide,mars,1.234")
    assert main(["--user", "sup", "import", "customers", site("c2.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "line 4: market must be domestic or foreign, not 'mars'" in err
    assert Customer.select().count() == 0


def test_slip_rows_are_checked_one_by_one(site, capsys):
    main(["--user", "sup", "import", "customers", site("c.csv", CUSTOMERS)])
    main(["--user", "sup", "import", "cases", site("k.csv", CASES)])
    bad = SLIPS.replace("RS-1,2611-001,2,WASH,Washer,pcs,4,0.10", "RS-1,2611-001,2,WASH,Washer,pcs,4.5,0.10")
    bad = bad.replace("RS-3,2611-011", "RS-3,2611-099")
    assert main(["--user", "sup", "import", "slips", site("s.csv", bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3: slip line 2: approved quantity 4.5 pcs: pcs are counted in whole numbers" in err
    assert "line 5: no complaint case 2611-099" in err
    assert Slip.select().count() == 0


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfecode", "not UTF-8 text"),
    (b"code;name;market;over_receipt_tolerance_pct\nA;B;domestic;\n", "separated by ';'"),
    (b"code,name\nA,B\n", "missing market, over_receipt_tolerance_pct"),
    (b"", "the file is empty"),
    (b"code,name,market,over_receipt_tolerance_pct\n", "no rows"),
    (b"code,name,market,over_receipt_tolerance_pct\nA,B,domestic\n", "has 3 fields, the header has 4"),
])
def test_malformed_files(site, capsys, content, message):
    path = site("bad.csv", "")
    open(path, "wb").write(content)
    assert main(["--user", "sup", "import", "customers", path]) == 1
    assert message in capsys.readouterr().err
    assert Customer.select().count() == 0


def test_bom_is_accepted(site):
    path = site("bom.csv", "")
    open(path, "wb").write("\ufeff".encode() + CUSTOMERS.encode())
    assert main(["--user", "sup", "import", "customers", path]) == 0
    assert Customer.select().count() == 3


def test_wrong_pin_and_wrong_role_exit_non_zero(site, monkeypatch, capsys):
    monkeypatch.setenv("RETURNS_DESK_PIN", "0000")
    assert main(["--user", "sup", "import", "customers", site("c.csv", CUSTOMERS)]) == 1
    assert "wrong name or PIN" in capsys.readouterr().err
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")
    assert main(["--user", "clerk", "import", "customers", site("c.csv", CUSTOMERS)]) == 1
    assert "clerk is clerk: only supervisor, admin may import data" in capsys.readouterr().err


def test_settings(site, capsys):
    assert main(["--user", "boss", "setting", "set", "default_tolerance_pct", "7.5"]) == 0
    assert main(["--user", "boss", "setting", "list"]) == 0
    assert "default_tolerance_pct = 7.5" in capsys.readouterr().out
    assert main(["--user", "boss", "setting", "set", "holidays", "2026-02-30"]) == 1
    assert "not a date" in capsys.readouterr().err


@pytest.mark.parametrize("name, bad, said", (
    ("label_size", "abc", "label size 'abc' not understood: write it like 50x25mm"),
    ("label_size", "5x5mm", "out of range"),
    ("label_printer", "xyz", "printer 'xyz' not understood: write cups:QUEUE, tcp:HOST:9100"),
    ("label_printer", "tcp:host:99999", "not understood"),
    ("label_font", "/no/such/font.ttc", "label font '/no/such/font.ttc' does not exist"),
    ("label_url_template", "https://r.example/u/", "must contain {unit} exactly once"),
))
def test_a_label_setting_the_labels_cannot_use_is_refused_and_nothing_written(
        site, capsys, name, bad, said):
    from models.tables import AuditLog, Setting
    assert main(["--user", "boss", "setting", "set", name, bad]) == 1
    err = capsys.readouterr().err
    assert said in err and err.startswith(f"returns-desk: {name}: ") and len(err.strip().splitlines()) == 1
    assert not Setting.select().where(Setting.name == name).exists()
    assert not AuditLog.select().where(AuditLog.entity == "setting").exists()


def test_a_refused_label_setting_is_said_in_the_desk_s_language(site, capsys):
    assert main(["--lang", "zh-Hant", "--user", "boss", "setting", "set", "label_size", "abc"]) == 1
    assert "label_size：看不懂標籤尺寸 'abc'" in capsys.readouterr().err


@pytest.mark.parametrize("name, good", (
    ("label_size", "50x25mm"), ("label_size", "4x6in"), ("label_size", " 2x1in "),
    ("label_printer", "dir:/tmp/x"), ("label_printer", "tcp:host:9100"),
    ("label_printer", "cups:Zebra_1"), ("label_printer", ""), ("label_font", ""),
    ("label_url_template", "https://r.example/u/{unit}"), ("label_url_template", ""),
))
def test_a_label_setting_the_labels_can_use_is_stored(site, capsys, name, good):
    from models import settings
    assert main(["--user", "boss", "setting", "set", name, good]) == 0
    assert settings.get_text(name) == good


def test_a_terminal_maps_its_own_keys(capsys):
    from tui.cli import opening as cli
    assert cli._keymap(["receiving_close = f9", "go_settings=ctrl+s,f11"]) == \
        {"receiving_close": "f9", "go_settings": "ctrl+s,f11"}
    for bad, message in ((["receiving_close"], "write BINDING_ID=KEY"),
                         (["no_such=f9"], "no key binding no_such; the desk's are: cases_assess")):
        assert main(["--db", "sqlite:///:memory:", *[a for b in bad for a in ("--key", b)]]) == 1
        assert message in capsys.readouterr().err
