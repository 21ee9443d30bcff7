"""The desk's codes (models/codes.py): written and read back the same, refused with a reason,
and what a scanned text is. The rules are plain Python; the lookup runs on SQLite and
PostgreSQL."""
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labels
from models import codes
from models.codes import Target, identify, scanned_unit_code
from models.errors import DeskError, NotFound, Refused
from models.receiving import receive_scan

from ..helpers import make_label, ready_slip, slip

URL = "https://returns.example.com/u/{unit}"
NOV = dt.date(2026, 11, 18)


def read_label(text):
    """What the desk's work hands the lookup (tui/work/labelling.py), with a URL form set."""
    try:
        return labels.decode(text, URL).unit_code
    except labels.NotALabel:
        return None
    except labels.PayloadError as exc:
        raise DeskError(str(exc)) from None


# --- writing and reading back ---------------------------------------------------------------

def test_the_codes_as_the_desk_prints_them():
    assert codes.unit_code(123) == "U000123"
    assert codes.case_no_for(dt.date(2026, 11, 2), 3) == "2611-003"
    assert codes.slip_no_for(dt.date(2026, 11, 2), 4) == "RS2611-0004"
    assert codes.case_series(NOV) == "case:2611" and codes.slip_series(NOV) == "slip:2611"


def test_serials_grow_past_their_width_instead_of_overflowing():
    assert codes.unit_code(1_000_000) == "U1000000"
    assert codes.unit_id("U1000000") == 1_000_000
    assert codes.case_no_for(NOV, 1000) == "2611-1000"
    assert codes.case_serial("2611-1000", NOV) == 1000
    assert codes.slip_no_for(NOV, 10_000) == "RS2611-10000"
    assert codes.checked_slip_no("RS2611-10000") == "RS2611-10000"


@given(st.integers(0, 10**12 - 1))
def test_every_unit_code_reads_back_to_its_unit(unit):
    code = codes.unit_code(unit)
    assert codes.unit_id(code) == unit
    assert codes.unit_id(f"  {code.lower()}\r\n") == unit


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 99_999))
def test_every_case_number_reads_back_to_its_serial(opened_on, serial):
    case_no = codes.case_no_for(opened_on, serial)
    assert codes.is_case_no(case_no)
    assert codes.case_serial(case_no, opened_on) == serial


@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), st.integers(1, 99_999))
def test_every_slip_number_is_one_a_slip_may_have(issued_on, serial):
    slip_no = codes.slip_no_for(issued_on, serial)
    assert codes.checked_slip_no(slip_no.lower()) == slip_no
    assert codes.is_slip_no(slip_no)


# --- refusals -------------------------------------------------------------------------------

# The desk writes U and at least 6 digits: that is the one rule (labels/payload.py once took
# 6 or more, the lookups 1 to 12; U12345 is no unit code anywhere now).
@pytest.mark.parametrize("text", ["U12345", "U1", "U", "X000123", "U0000001234567", "000123",
                                  "U000 123", "U-000123", "U٠٠٠١٢٣", "Ｕ０００１２３", "",
                                  "RS2611-0004", "2611-003"])
def test_what_is_not_a_unit_code(text):
    assert codes.unit_id(text) is None
    assert scanned_unit_code(text) is None


@pytest.mark.parametrize("number, message", [
    ("2610-005", "does not belong to the month"),
    ("26110-01", "is not YYMM-NNN"),
    ("2611-03", "is not YYMM-NNN"),
    ("2611-٠٠٣", "is not YYMM-NNN"),
    ("2611-000", "serials start at 001"),
])
def test_bad_case_numbers_are_refused_with_the_reason(number, message):
    with pytest.raises(Refused, match=message):
        codes.case_serial(number, NOV)
    assert codes.case_serial("2611-0003", NOV) == 3     # more digits than needed: still 3


@pytest.mark.parametrize("number", ["", "  ", "RS 2611", "RS*2611", "-RS", "R" * 21, "RS№1"])
def test_slip_numbers_a_label_cannot_carry_are_refused(number):
    with pytest.raises(Refused, match="slip number"):
        codes.checked_slip_no(number)
    assert not codes.is_slip_no(number)


# --- what a scanned text is, without the database --------------------------------------------

def test_a_unit_code_is_read_from_the_code128_and_from_either_qr_form():
    qr = labels.encode(make_label())
    url = labels.encode(make_label(), URL)
    for scanned in ("U000123", "u000123\r\n", qr, qr.lower() + "\n", url, url.upper()):
        assert scanned_unit_code(scanned, read_label) == "U000123"
    # Without the label reader only the bare code is read.
    assert scanned_unit_code("U000123") == "U000123"
    assert scanned_unit_code(qr) is None


def test_other_barcodes_are_no_unit_label():
    for text in ("RS2611-0007", "2611-003", "4006381333931", "hello", "U12345", ""):
        assert scanned_unit_code(text, read_label) is None


def test_a_damaged_or_newer_label_is_refused_with_its_reason():
    qr = labels.encode(make_label())
    with pytest.raises(DeskError, match="damaged label: check character"):
        scanned_unit_code(qr[:5] + ("7" if qr[5] != "7" else "8") + qr[6:], read_label)
    newer = "R2*2611-003*RS2611-0007*3*U000123*"
    with pytest.raises(DeskError, match="newer version of the desk"):
        scanned_unit_code(newer + labels.payload.check_char(newer), read_label)


@pytest.mark.parametrize("unit", ["U12345", "X000123", "RS2611-0007"])
def test_a_label_that_carries_no_unit_code_is_refused(unit):
    """A well-formed QR from a foreign desk or a broken printer: the desk's rule refuses it."""
    for scanned in (labels.encode(make_label(unit_code=unit)),
                    labels.encode(make_label(unit_code=unit), URL)):
        with pytest.raises(DeskError, match=f"damaged label: it carries '{unit}', not a unit code"):
            scanned_unit_code(scanned, read_label)


# --- what a scanned text is on this desk ----------------------------------------------------

def test_identify_finds_a_unit_a_slip_and_a_case(desk):
    issued = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    case_no = issued.case.case_no
    unit = receive_scan(desk.clerk, issued.slip_no, "P-1").unit
    label = labels.encode(make_label(unit_code=unit.code, case_no=case_no, slip_no=issued.slip_no))

    found = Target("unit", unit.code, case_no, issued.slip_no, "receiving")
    for scanned in (unit.code, unit.code.lower(), label):
        assert identify(scanned, read_label) == found
    assert identify(f" {issued.slip_no.lower()}\r\n") == Target("slip", issued.slip_no, case_no,
                                                               issued.slip_no, "receiving")
    assert identify(case_no) == Target("case", case_no, case_no)
    # A slip may be numbered like a case (an imported number): the slip is what is found.
    slip(desk, case_no, ("P-2", "pcs", "1", "1"), slip_no="2611-777")
    assert identify("2611-777") == Target("slip", "2611-777", case_no, "2611-777", "receiving")


def test_identify_says_none_or_why_not(desk):
    ready_slip(desk, ("P-1", "pcs", "5", "1"), slip_no="RS-9")
    with pytest.raises(NotFound, match="no unit U000999 on this desk"):
        identify("U000999")
    # Nothing this desk numbers: no answer, and no refusal from the database's columns.
    for text in ("RS-8", "2611-999", "P-1", "x" * 500, "RS-9\x00", "2611-" + "1" * 40, "",
                 "U12345"):
        assert identify(text, read_label) is None

