"""The QR payload codec: round trips, damage detection, URL form, scanner quirks."""

import pytest
import qrcode
from hypothesis import given
from hypothesis import strategies as st

from labels.model import LabelRef
from labels.payload import (
    ALPHABET,
    DamagedLabel,
    NewerLabel,
    NotALabel,
    PayloadError,
    check_char,
    decode,
    encode,
    looks_like_label,
)

from ..helpers import make_label

URL = "https://returns.example.com/u/{unit}"


REF = LabelRef("2611-003", "RS2611-0007", 3, "U000123")

# A spread of realistic payloads for the exhaustive damage checks.
SAMPLES = [
    encode(LabelRef("2611-003", "RS2611-0007", 3, "U000123")),
    encode(LabelRef("2612-099", "RS2612-0100", 99, "U999999")),
    encode(LabelRef("2701-1000", "R/S.2701-1", 12, "U0000001")),
    encode(LabelRef("2605-001", "A", 1, "U000000")),
]


def test_format_is_short_readable_and_round_trips():
    text = encode(make_label())
    assert text.startswith("R1*2611-003*RS2611-0007*3*U000123*")
    assert len(text) == len("R1*2611-003*RS2611-0007*3*U000123*") + 1
    assert decode(text) == REF
    assert make_label().ref == REF
    assert encode(REF) == text


fields = st.from_regex(r"[0-9A-Z][0-9A-Z./-]{0,15}", fullmatch=True)


@given(
    case_no=fields,
    slip_no=fields,
    line_no=st.integers(1, 99999),
    unit_code=st.from_regex(r"U[0-9]{6,9}", fullmatch=True),
)
def test_any_valid_fields_round_trip(case_no, slip_no, line_no, unit_code):
    ref = LabelRef(case_no, slip_no, line_no, unit_code)
    text = encode(ref)
    assert set(text) <= set(ALPHABET)
    assert decode(text) == ref
    assert decode(text.lower() + "\r\n") == ref


@pytest.mark.parametrize("text", SAMPLES)
def test_every_single_substitution_is_caught(text):
    for position in range(len(text)):
        for char in ALPHABET + " :abc#":
            if char == text[position]:
                continue
            damaged = text[:position] + char + text[position + 1 :]
            if damaged.upper() == text:
                continue  # lower case is read as upper case on purpose
            with pytest.raises(PayloadError):
                decode(damaged)


@pytest.mark.parametrize("text", SAMPLES)
def test_every_adjacent_transposition_is_caught(text):
    for position in range(len(text) - 1):
        a, b = text[position], text[position + 1]
        if a == b:
            continue
        swapped = text[:position] + b + a + text[position + 2 :]
        with pytest.raises(PayloadError):
            decode(swapped)


def test_damage_after_the_header_is_reported_as_damage():
    text = SAMPLES[0]
    damaged = text[:5] + ("7" if text[5] != "7" else "8") + text[6:]
    with pytest.raises(DamagedLabel, match="damaged label: check character does not match"):
        decode(damaged)
    with pytest.raises(DamagedLabel, match="rescan or reprint"):
        decode(text[:-1] + "\x00")


def test_check_character_is_never_a_space():
    assert " " not in ALPHABET and ":" not in ALPHABET
    assert len(ALPHABET) == 43 == len(set(ALPHABET))
    assert check_char("R1*") in ALPHABET


def test_scanner_quirks_are_tolerated():
    text = encode(REF)
    for scanned in (
        text + "\r\n",
        text + "\n",
        "  " + text + "\t",
        text.lower(),
        text.lower() + "\r",
    ):
        assert decode(scanned) == REF
        assert looks_like_label(scanned)


def test_the_code128_unit_code_is_not_a_payload():
    # The Code128 is the bare unit code: the desk reads it (models/codes.py,
    # tests/test_codes.py), with its one rule for unit codes.
    with pytest.raises(NotALabel):
        decode("U000123")
    assert not looks_like_label("u000123\r\n")


@pytest.mark.parametrize(
    "text", ["", "hello", "RS2611-0007", "2611-003", "U12345", "4006381333931"]
)
def test_other_barcodes_are_not_labels(text):
    with pytest.raises(NotALabel, match="not a Returns Desk label"):
        decode(text)
    assert not looks_like_label(text)


def test_newer_format_is_named():
    newer = "R2*2611-003*RS2611-0007*3*U000123*"
    newer += check_char(newer)
    with pytest.raises(NewerLabel, match="newer version of the desk"):
        decode(newer)
    assert looks_like_label(newer)


def test_damaged_text_still_looks_like_a_label():
    assert looks_like_label(SAMPLES[0][:-1] + "#")
    assert looks_like_label(SAMPLES[0][:-3])


def test_fields_out_of_order_are_rejected_even_with_a_valid_check():
    body = "R1*2611-003*RS2611-0007*X*U000123*"
    with pytest.raises(DamagedLabel, match="fields"):
        decode(body + check_char(body))
    body = "R1*2611-003*U000123*"
    with pytest.raises(DamagedLabel):
        decode(body + check_char(body))


def test_url_form():
    url = encode(make_label(), url_template=URL)
    assert url == "https://returns.example.com/u/U000123"
    unit_only = LabelRef(None, None, None, "U000123")
    assert decode(url, url_template=URL) == unit_only
    assert decode(url.upper() + "\r\n", url_template=URL) == unit_only
    assert decode(url.lower(), url_template=URL) == unit_only
    # With a template set, the compact form still reads in full.
    assert decode(encode(REF), url_template=URL) == REF
    assert looks_like_label(url, URL)
    with pytest.raises(NotALabel):
        decode(url)  # no template configured on this desk
    # The unit code is carried as text; the desk judges it (tests/test_codes.py).
    assert decode("https://returns.example.com/u/x1", url_template=URL).unit_code == "X1"
    with pytest.raises(NotALabel):
        decode("https://returns.example.com/u/X 1", url_template=URL)
    with pytest.raises(NotALabel):
        decode("https://elsewhere.example.com/u/U000123", url_template=URL)


def test_url_template_needs_the_unit_placeholder():
    with pytest.raises(PayloadError, match=r"\{unit\}"):
        encode(REF, url_template="https://returns.example.com/u/")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit_code": "U000 123"}, "unit code"),
        ({"unit_code": "U*000123"}, "unit code"),
        ({"unit_code": ""}, "unit code"),
        ({"slip_no": "rs2611-7"}, "slip number"),
        ({"slip_no": "RS 2611"}, "slip number"),
        ({"slip_no": "RS*2611"}, "slip number"),
        ({"case_no": ""}, "case number"),
        ({"line_no": 0}, "slip line"),
        ({"line_no": "3"}, "slip line"),
    ],
)

def test_encode_rejects_what_a_label_cannot_carry(changes, message):
    with pytest.raises(PayloadError, match=message):
        encode(make_label(**changes))


@pytest.mark.parametrize("line_no", [1, 9, 10, 99])
@pytest.mark.parametrize("slip_no", ["RS2611-7", "RS2611-0007", "RS2611/12.5"])
@pytest.mark.parametrize("unit_code", ["U000123", "U999999"])
def test_typical_payload_fits_qr_version_2_at_m(line_no, slip_no, unit_code):
    text = encode(LabelRef("2611-003", slip_no, line_no, unit_code))
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    assert qr.version <= 2, text
