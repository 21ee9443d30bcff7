"""The text inside a label's QR code, and reading it back from a scan.

Format, version 1:

    R1*2611-003*RS2611-0007*3*U000123*C
    |  |        |           | |       +- check character
    |  |        |           | +- unit code
    |  |        |           +- slip line number
    |  |        +- return slip number
    |  +- complaint case number
    +- "R" and the format version

Everything is in QR's alphanumeric set, so the symbol stays small (version 2
at error correction M for typical values). "*" separates the fields and can't
occur inside one.

The check character is a weighted sum modulo 43 over the whole text before
it, with weights 2, 4, 8, ... from the right (the check character itself
weighs 1). Every character has a distinct value below the prime 43 and no two
neighbouring weights are equal, so any single wrong character and any swap of
two neighbouring characters changes the sum: the damage is caught.

A site may print a URL instead (`url_template`, e.g.
"https://returns.example.com/u/{unit}") so phones open it; that form only
carries the unit code.

The codes are the desk's (models/codes.py): this module carries them as text
and checks only that a label can hold them, the way it checks the case and slip
numbers. So `decode` hands back the unit code a QR carries without judging it,
and the label's Code128, which is the bare unit code, is not a payload at all:
the desk reads both with its one rule for unit codes.
"""

from __future__ import annotations

import re

from labels.errors import N_, LabelError
from labels.model import LabelData, LabelRef

VERSION = 1
SEP = "*"
# Value of each character for the check sum. 43 symbols: QR's alphanumeric set
# without space (scanners strip it at the ends) and ":" (it reads like a URL).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-./*+$%"
MODULUS = 43
_VALUE = {c: i for i, c in enumerate(ALPHABET)}

_FIELD = re.compile(r"[0-9A-Z][0-9A-Z./-]{0,31}")
_LINE = re.compile(r"[1-9][0-9]{0,5}")
_HEADER = re.compile(r"R([0-9])\*")


class PayloadError(LabelError, ValueError):
    """A label payload that can't be made or read; the message is for the clerk."""


class NotALabel(PayloadError):
    """The scanned text is something else (a slip barcode, a product code...)."""


class DamagedLabel(PayloadError):
    """It is one of our labels but the text does not add up."""


class NewerLabel(PayloadError):
    """Printed by a newer version of the desk than this one."""


def check_char(body: str) -> str:
    """The check character for `body` (all characters in ALPHABET)."""
    total, weight = 0, 2
    for char in reversed(body):
        total += _VALUE[char] * weight
        weight = weight * 2 % MODULUS
    return ALPHABET[-total % MODULUS]


def encode(label: LabelData | LabelRef, url_template: str | None = None) -> str:
    """The QR text for a label: the compact form, or the site's URL if one is set."""
    unit = _carried("unit code", label.unit_code)
    if url_template:
        prefix, suffix = _split_template(url_template)
        return prefix + unit + suffix
    case_no = _carried("case number", label.case_no)
    slip_no = _carried("slip number", label.slip_no)
    if not (isinstance(label.line_no, int) and _LINE.fullmatch(str(label.line_no))):
        raise PayloadError(N_("slip line {line!r} is not a positive number"), line=label.line_no)
    body = SEP.join((f"R{VERSION}", case_no, slip_no, str(label.line_no), unit))
    body += SEP
    return body + check_char(body)


def decode(text: str, url_template: str | None = None) -> LabelRef:
    """Read a scanned label's QR: the compact text, or the site's URL form.

    Raises NotALabel, DamagedLabel or NewerLabel (all PayloadError) with a
    message the desk can show as it is.
    """
    # Scanners add CR/LF or spaces, and some send lower case (caps lock, or
    # keyboard emulation): none of our characters is a space or lower case.
    text = text.strip()
    upper = text.upper()
    if url_template:
        unit = _unit_from_url(text, url_template)
        if unit:
            return LabelRef(None, None, None, unit)
    header = _HEADER.match(upper)
    if not header:
        raise NotALabel(N_("not a Returns Desk label: {text}"), text=_shorten(text))
    if int(header[1]) > VERSION:
        raise NewerLabel(N_("label from a newer version of the desk (format R{version}): update "
                            "this terminal to read it"), version=header[1])
    if int(header[1]) < VERSION:
        raise NotALabel(N_("not a Returns Desk label: {text}"), text=_shorten(text))
    bad = sorted({c for c in upper if c not in _VALUE})
    if bad:
        raise DamagedLabel(N_("damaged label: unexpected character {chars!r} — rescan or reprint"),
                           chars="".join(bad))
    body, check = upper[:-1], upper[-1:]
    if check_char(body) != check:
        raise DamagedLabel(N_("damaged label: check character does not match — rescan or reprint"))
    fields = body.split(SEP)
    # fields: "R1", case, slip, line, unit, "" (the separator before the check).
    if (
        len(fields) != 6
        or fields[5]
        or not _FIELD.fullmatch(fields[1])
        or not _FIELD.fullmatch(fields[2])
        or not _LINE.fullmatch(fields[3])
        or not _FIELD.fullmatch(fields[4])
    ):
        raise DamagedLabel(N_("damaged label: its fields are not in order — reprint it"))
    return LabelRef(fields[1], fields[2], int(fields[3]), fields[4])


def looks_like_label(text: str, url_template: str | None = None) -> bool:
    """True if `text` is meant as one of our labels' QR (even a damaged one).

    Lets the scan field tell a label from other barcodes before decoding.
    """
    try:
        decode(text, url_template)
    except NotALabel:
        return False
    except PayloadError:
        return True
    return True


def check_url_template(url_template: str) -> None:
    """PayloadError unless `url_template` can carry a unit: {unit} in it exactly once."""
    _split_template(url_template)


def _split_template(url_template: str) -> tuple[str, str]:
    if url_template.count("{unit}") != 1:
        raise PayloadError(N_("label URL template {template!r} must contain {{unit}} exactly once"),
                           template=url_template)
    prefix, suffix = url_template.split("{unit}")
    return prefix, suffix


def _unit_from_url(text: str, url_template: str) -> str | None:
    prefix, suffix = _split_template(url_template)
    # Scheme and host are case-insensitive, and the unit code is upper case, so
    # a lower-casing scanner does no harm here either.
    lower = text.lower()
    fits = len(text) > len(prefix) + len(suffix)
    if fits and lower.startswith(prefix.lower()) and lower.endswith(suffix.lower()):
        unit = text[len(prefix) : len(text) - len(suffix)].upper()
        if _FIELD.fullmatch(unit):
            return unit
    return None


# What a label carries, each refused in words of its own (the desk translates whole sentences).
_CANNOT_CARRY = {
    "unit code": N_("unit code {value!r} can't go on a label: use 1 to 32 of A-Z 0-9 - . / "
                    "(upper case)"),
    "case number": N_("case number {value!r} can't go on a label: use 1 to 32 of A-Z 0-9 - . / "
                      "(upper case)"),
    "slip number": N_("slip number {value!r} can't go on a label: use 1 to 32 of A-Z 0-9 - . / "
                      "(upper case)"),
}


def _carried(name: str, value: str | None) -> str:
    """`value` as a label carries it, or PayloadError if a label can't."""
    if not (isinstance(value, str) and _FIELD.fullmatch(value)):
        raise PayloadError(_CANNOT_CARRY[name], value=value)
    return value


def _shorten(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")
