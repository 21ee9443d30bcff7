"""The words of the desk's frame, home, receiving and inspection are drawn in the language of
the moment: column titles (in their own context where a word means two things), home's kinds
of rows, a late complaint's choices, inspection's verdicts; and the receiving lines' status
column is as wide as its longest word in that language."""
from __future__ import annotations

import pytest

from models.i18n import set_language
from tui.desk.dialogs import late_choices
from tui.desk.inspection import QUEUE_COLUMNS
from tui.desk.inspection_forms import verdict
from tui.desk.receiving_forms import line_columns
from tui.work.home import kind_word


@pytest.fixture
def zh_hant():
    set_language("zh-Hant")
    yield
    set_language("en")


def test_column_titles_are_translated_in_their_context(zh_hant):
    queue = QUEUE_COLUMNS.header().split()
    assert queue[0] == "單件" and queue[-1] == "收貨日"        # a received piece; its day
    lines = line_columns().header().split()
    assert "單位" in lines and "實退量" in lines                # unit of measure; quantity


def test_the_status_column_fits_the_longest_status_word(zh_hant):
    assert line_columns().columns[-1][1] == 12                  # 超出允收比率
    set_language("en")
    assert line_columns().columns[-1][1] == 16                  # nothing received


def test_home_kinds_choices_and_verdicts_in_words(zh_hant):
    assert kind_word("late complaint") == "逾期投訴"
    assert kind_word("something new") == "something new"      # shown, never hidden
    assert dict(late_choices())["accept_paid"] == "有償受理"
    assert verdict(True, "restock") == "合格 → 合格入庫"
    assert verdict(False, "scrap") == "不合格 → 報廢"
