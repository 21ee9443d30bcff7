"""A scanned text that is not one of this desk's labels or numbers (a label printed in the URL
form on a desk with no URL template, a stranger's long barcode) says so: not a label of this
desk, nothing found for it; never a column's length limit."""
import pickle

import pytest

import labels
from models import settings
from models.codes import identify, scanned_unit_code
from models.errors import DeskError
from models.i18n import set_language
from models.printing import label_facts
from models.receiving import receive_scan
from models.reports import find_cases
from tui.work.labelling import english, read_label

from ..helpers import ready_slip
from .test_desk import desk_test, scan, sign_in, text

URL = "https://returns.example.com/u/{unit}"
STRANGERS = [
    "x" * 80,
    "名" * 250,
    "https://returns.example.com/u/U000001?utm_source=label&utm_medium=zebra&utm_campaign=q4",
]


@pytest.fixture
def unit(desk):
    ready_slip(desk, ("P-1", "pcs", "10", "1"), slip_no="RS-9")
    return receive_scan(desk.clerk, "RS-9", "P-1").unit


def url_label(unit) -> str:
    return labels.encode(labels.LabelData(**label_facts(unit)), URL)


def test_a_url_label_on_a_desk_with_no_template_is_no_label_of_this_desk(desk, unit):
    scanned = url_label(unit)
    assert settings.get("label_url_template") == ""
    assert scanned_unit_code(scanned, read_label) is None
    assert identify(scanned, read_label) is None
    assert find_cases(scanned) == []
    settings.set_value(desk.admin, "label_url_template", URL)     # the desk that printed it
    assert identify(scanned, read_label).key == unit.code


@pytest.mark.parametrize("scanned", STRANGERS, ids=["latin", "chinese", "url"])
def test_a_long_text_that_is_not_ours_finds_nothing(desk, unit, scanned):
    assert identify(scanned, read_label) is None
    assert find_cases(scanned) == []


def test_the_desk_says_a_url_label_is_no_label_of_this_desk(desk, unit):
    scanned = url_label(unit)

    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "inspector")
        await scan(pilot, scanned)
        said = [notice.message for notice in app._notifications]
        assert said == [f"{scanned!r} is not a return slip, complaint case or unit label of "
                        "this desk"]
    body(desk)


def test_case_search_with_a_long_text_finds_nothing_and_says_so(desk, unit):
    @desk_test
    async def body(desk, pilot):
        app = pilot.app
        await sign_in(pilot, "sales")
        await pilot.press("f6")
        for scanned in ("x" * 61, url_label(unit)):     # longer than any code, order no
            await scan(pilot, scanned)
            assert text(app, "#found").startswith("no case for "), scanned
            assert [notice.message for notice in app._notifications] == []
    body(desk)


def test_a_damaged_label_is_refused_in_the_desks_language(desk, unit):
    # labels/ raises in English with its text marked; the desk says it in its language, and a
    # print job's stored error stays English (tui.work.labelling.english).
    good = labels.encode(labels.LabelData(**label_facts(unit)))
    damaged = good[:5] + ("7" if good[5] != "7" else "8") + good[6:]
    try:
        set_language("zh-Hant")
        with pytest.raises(DeskError, match="標籤已損壞：檢查碼不符"):
            read_label(damaged)
    finally:
        set_language("en")
    with pytest.raises(labels.PayloadError) as refused:
        labels.decode(damaged)
    again = pickle.loads(pickle.dumps(refused.value))     # as from the label process
    assert type(again) is labels.DamagedLabel and english(again) == str(refused.value)
    assert english(again).startswith("damaged label: check character")
