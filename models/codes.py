"""Every code the desk prints or is scanned, written and read here only; and what a scanned
text is.

- Unit code `U000123`: a returned unit's (or counted lot's) label, printed as Code128 and
  inside the QR. "U" and the unit's id, zero-padded to 6 digits and longer past 999999, so
  read back as U and 6 to 12 digits.
- Complaint case number `2611-003`: year, month, then the serial within that month (001 §8),
  3 digits and more past 999.
- Return slip number `RS2611-0004`: "RS", year, month, then the serial within that month,
  4 digits and more past 9999. A slip issued with a number of its own (an imported one) may
  be numbered otherwise: up to 20 of A-Z 0-9 - . /, the characters a label's QR carries
  compactly.

A scanner or a person may add spaces at the ends and type lower case: every code is read
with `clean`. The text inside a label's QR (its compact form and the site's URL form) is
`labels.payload`'s; labels never imports the domain, and the domain never imports labels, so
the desk's work hands `identify` a `read_label` that gets the unit code out of a QR text, and
this module judges that code like any other.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .db import execute
from .errors import DeskError, NotFound, Refused
from .i18n import _

_UNIT_CODE = re.compile(r"U([0-9]{6,12})")
_CASE_NO = re.compile(r"([0-9]{2})([0-9]{2})-([0-9]{3,})")
_SLIP_NO = re.compile(r"[A-Z0-9][A-Z0-9.\-/]{0,19}")


def clean(text: str) -> str:
    """A code as it was scanned or typed, as the desk writes it: no spaces at the ends, upper
    case (scanners add CR/LF; some send lower case)."""
    return text.strip().upper()


# --- unit codes -------------------------------------------------------------------------------

def unit_code(unit_id: int) -> str:
    return f"U{unit_id:06d}"


def unit_id(text: str) -> int | None:
    """The id of the unit `text` names, if it is a unit code (U000123, u000123); else None."""
    match = _UNIT_CODE.fullmatch(clean(text))
    return int(match[1]) if match else None


# --- complaint case numbers -------------------------------------------------------------------

def case_series(opened_on: dt.date) -> str:
    """The counter a month's case serials come from."""
    return f"case:{opened_on:%y%m}"


def case_no_for(opened_on: dt.date, serial: int) -> str:
    return f"{opened_on:%y%m}-{serial:03d}"


def is_case_no(text: str) -> bool:
    return _CASE_NO.fullmatch(clean(text)) is not None


def case_serial(case_no: str, opened_on: dt.date) -> int:
    """The serial of a case number given at intake, which must be of the month the case was
    opened in; refused with the reason otherwise."""
    match = _CASE_NO.fullmatch(case_no)
    if not match:
        raise Refused(_("case number {case!r} is not YYMM-NNN (e.g. 2611-003)").format(
            case=case_no))
    if match.group(1) + match.group(2) != f"{opened_on:%y%m}":
        raise Refused(_("case number {case} does not belong to the month it was opened "
                        "({month}): it would be {prefix}-NNN").format(
            case=case_no, month=f"{opened_on:%Y-%m}", prefix=f"{opened_on:%y%m}"))
    serial = int(match.group(3))
    if serial == 0:
        raise Refused(_("case number {case}: serials start at 001").format(case=case_no))
    return serial


# --- return slip numbers ----------------------------------------------------------------------

def slip_series(issued_on: dt.date) -> str:
    """The counter a month's slip serials come from."""
    return f"slip:{issued_on:%y%m}"


def slip_no_for(issued_on: dt.date, serial: int) -> str:
    return f"RS{issued_on:%y%m}-{serial:04d}"


def is_slip_no(text: str) -> bool:
    return _SLIP_NO.fullmatch(clean(text)) is not None


def checked_slip_no(slip_no: str) -> str:
    """A slip number given at issue (e.g. imported), as the desk writes it; refused if a label
    could not carry it."""
    text = clean(slip_no)
    if not _SLIP_NO.fullmatch(text):
        raise Refused(_("slip number {slip!r}: use up to 20 letters, digits, - . /").format(
            slip=text))
    return text


# --- what a scanned text is -------------------------------------------------------------------

# The unit code a label's QR text carries (its compact or URL form), as the label says it; None
# if the text is not a QR label. Raises DeskError with the reason for a damaged label.
LabelReader = Callable[[str], str | None]


@dataclass(frozen=True)
class Target:
    kind: str            # unit | slip | case
    key: str             # U000123 | RS2611-0004 | 2611-003
    case_no: str
    slip_no: str = ""
    slip_status: str = ""


def scanned_unit_code(text: str, read_label: LabelReader | None = None) -> str | None:
    """The unit code a scan names: a unit code as it is (the label's Code128, or typed), or the
    one inside a label's QR (read by `read_label`); None if the text is no unit label. A QR
    label that carries no unit code is refused with the reason."""
    found = unit_id(text)
    if found is not None:
        return unit_code(found)
    carried = read_label(text) if read_label is not None else None
    if carried is None:
        return None
    found = unit_id(carried)
    if found is None:
        raise DeskError(_("damaged label: it carries {carried!r}, not a unit code like U000123 "
                          "— reprint it").format(carried=carried))
    return unit_code(found)


# Lookups a person waits on, in SQL written once (see models.db). A slip number is tried
# before a case number, in one statement: one round trip.
_UNIT_TARGET = """
    SELECT s.slip_no, s.status, k.case_no FROM unit u
    JOIN slip_line l ON l.id = u.line_id
    JOIN slip s ON s.id = l.slip_id
    JOIN complaint_case k ON k.id = s.case_id
    WHERE u.id = ?"""
_SLIP_OR_CASE_TARGET = """
    SELECT 1, s.slip_no, s.status, k.case_no FROM slip s
    JOIN complaint_case k ON k.id = s.case_id WHERE s.slip_no = ?
    UNION ALL
    SELECT 2, '', '', k.case_no FROM complaint_case k WHERE k.case_no = ?
    ORDER BY 1 LIMIT 1"""


def identify(text: str, read_label: LabelReader | None = None) -> Target | None:
    """What a scanned or typed text is on this desk: a unit label (its QR only with
    `read_label`), a return slip or a complaint case; None if it is none of them. A unit
    label of a unit this desk does not have is refused."""
    code = scanned_unit_code(text, read_label)
    if code is not None:
        row = execute(_UNIT_TARGET, (unit_id(code),)).fetchone()
        if row is None:
            raise NotFound(_("no unit {unit} on this desk: was the label printed elsewhere?").format(
                unit=code))
        slip_no, status, case_no = row
        return Target("unit", code, case_no, slip_no, status)
    # Only a text that can be a number is looked up: every stored number follows its rule,
    # and anything else (too long, a NUL) would be refused by the database's columns.
    number = clean(text)
    slip = number if is_slip_no(number) else None
    case = number if is_case_no(number) else None
    if slip is None and case is None:
        return None
    row = execute(_SLIP_OR_CASE_TARGET, (slip, case)).fetchone()
    if row is None:
        return None
    kind, slip_no, status, case_no = row
    if kind == 1:
        return Target("slip", slip_no, case_no, slip_no, status)
    return Target("case", case_no, case_no)
