"""The command line's own words in Chinese (issue 18): --help and argparse's words, a
command's messages and codes, while what scripts read stays as it is (the case number alone
on its line, English output unchanged). SQLite only: the words do not depend on the database."""
import datetime as dt

import pytest
from rich.cells import cell_len

from models import clock
from models.i18n import LANGUAGE_ENV, set_language
from tui.cli import main
from tui.cli.common import wrap_cells

from ..cli_helpers import ok, run

CUSTOMERS = "code,name,market,over_receipt_tolerance_pct\nACME,Acme 有限公司,domestic,\n"
OPEN = ["--user", "sales", "case", "open", "--customer", "ACME", "--order", "SO-1", "--part",
        "BOLT", "--received-on", "2026-11-11", "--category", "appearance", "--severity", "minor"]


@pytest.fixture
def site(desk, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    customers = tmp_path / "c.csv"
    customers.write_text(CUSTOMERS)
    with clock.frozen(dt.datetime(2026, 11, 12, 10)):
        ok(capsys, "--lang", "en", "--user", "supervisor", "import", "customers", str(customers))
        yield desk
    set_language("en")


def test_help_speaks_the_terminals_language_with_argparses_own_words(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(["--lang", "zh-Hant", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法: returns-desk")
    assert "顯示此說明並結束" in out and "選項:" in out
    assert "客戶投訴案件：登錄、核決" in out                 # the `case` command's help
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    with pytest.raises(SystemExit):
        main(["--lang", "zh-Hans", "case", "bogus"])
    assert "无效的选择：'bogus'" in capsys.readouterr().err
    set_language("en")


def test_a_case_opened_in_chinese_prints_its_number_alone_and_its_words_translated(site, capsys):
    with clock.frozen(dt.datetime(2026, 11, 12, 10)):
        out = ok(capsys, "--lang", "zh-Hans", *OPEN).splitlines()
        assert out[0].isascii() and out[0].count("-") == 1       # 2611-001, alone
        assert out[1].startswith("已受理；结案期限 ")
        shown = ok(capsys, "--lang", "zh-Hant", "case", "show", out[0])
    assert "類別：產品外觀   嚴重程度：輕微" in shown              # codes as their words


def test_english_output_keeps_the_codes_as_the_flags_spell_them(site, capsys):
    with clock.frozen(dt.datetime(2026, 11, 12, 10)):
        case_no = ok(capsys, "--lang", "en", *OPEN).splitlines()[0]
        shown = ok(capsys, "--lang", "en", "case", "show", case_no)
    assert f"case {case_no}  open" in shown
    assert "category:   appearance   severity: minor" in shown


def test_a_refusal_and_the_pin_prompt_are_translated(site, capsys, monkeypatch):
    ran = run(capsys, "--lang", "zh-Hant", "case", "open", "--customer", "ACME")
    assert ran.code == 1
    assert ran.err == "returns-desk: case open 需要 --order, --part, --received-on, " \
                      "--category, --severity\n"
    monkeypatch.delenv("RETURNS_DESK_PIN")
    ran = run(capsys, "--lang", "zh-Hans", "--user", "sales", "case", "show", "2611-001")
    assert "没有密码：请设置 RETURNS_DESK_PIN" in ran.err


def test_chinese_help_wraps_by_cells_between_characters_never_before_a_comma():
    lines = wrap_cells("主管在所有單件檢驗完成前入帳,並說明原因 --user NAME", 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "主管在所有單件檢驗完成前入帳,並說明原因--userNAME"
    assert not any(line.startswith(",") for line in lines)
