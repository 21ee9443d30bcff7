"""CSV imports and scanner uploads: every row checked, and nothing kept if any row is bad.

Rows go through the same operations as the desk's screens; each row runs in its own
savepoint so every bad row is reported, and the whole file is rolled back if any was bad.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .access import require
from .cases import CaseFacts, open_case
from .codes import clean
from .customers import save_customer
from .db import transaction
from .errors import DeskError
from .fields import parse_date
from .i18n import _, ngettext
from .receiving import Receipt, receive_count, receive_scan
from .slips import LineSpec, approver_named, check_line, issue_slip
from .text import named, quoted

COLUMNS = {
    "customers": ["code", "name", "market", "over_receipt_tolerance_pct"],
    "cases": ["case_no", "customer_code", "order_no", "part_no", "shipped_qty", "delivered_on",
              "customer_received_on", "defect_qty", "category", "severity", "request", "opened_on"],
    "slips": ["slip_no", "case_no", "line_no", "part_no", "description", "unit", "approved_qty",
              "unit_price", "tolerance_pct", "reason", "handling"],
}
# Columns a file may add: a slip approved on paper names its approver (an active supervisor;
# without one the slip waits for approval), a customer-caused return the regional manager who
# approved it first (000 §6.6), and the slip's basis. A slip's rows agree on them.
OPTIONAL = {"slips": ["approved_by", "regional_manager", "basis"],
            "customers": ["currency"]}       # ISO 4217; empty: the site's `currency`
MAX_ROWS = 200_000
MAX_CELL = 2_000


class BatchRefused(DeskError):
    """Some rows were bad; none of the file was kept."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(ngettext("{n} problem(s); nothing was imported",
                                  "{n} problem(s); nothing was imported", len(problems))
                         .format(n=len(problems)))

    def lines(self) -> list[str]:
        return [_("line {number}: {problem}").format(number=number, problem=why) if number
                else why for number, why in self.problems]


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8-sig", errors="replace")
        number, column = _where(before)
        raise BatchRefused([(number, column + _(
            "the file is not UTF-8 text here (byte {byte}): save it as 'CSV UTF-8'").format(
            byte=exc.start))]) from None


def _where(before: str) -> tuple[int, str]:
    """(line number, "column NAME: ") of the character that follows `before`, the file's text
    up to it: the column as the file's header names it, "" if the header cannot say."""
    number = before.count("\n") + 1
    header = next(csv.reader(io.StringIO(before.split("\n", 1)[0])), []) if number > 1 else []
    try:
        cells = next(csv.reader(io.StringIO(before.rsplit("\n", 1)[-1] + "\x01")), [""])
    except csv.Error:
        return number, ""
    index = len(cells) - 1
    name = header[index].strip() if index < len(header) else ""
    return number, (_("column {name}: ").format(name=quoted(name)) if name else "")


def read_rows(data: bytes | str, columns: list[str],
              optional: list[str] = ()) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header must name exactly `columns`, and may
    add any of `optional` (a row has only the columns its file has)."""
    text = _text(data)
    if "\x00" in text:
        number, column = _where(text[:text.index("\x00")])
        raise BatchRefused([(number, column + _(
            "a NUL byte (\\x00): it is not a CSV text file"))])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise BatchRefused([(1, _("the file is empty: it needs a header row"))])
        if len(header) == 1 and columns[0] in header[0]:
            separator = next((s for s in (";", "\t", "|") if s in header[0]), "?")
            raise BatchRefused([(1, _("the columns are separated by {separator!r}, not commas")
                                     .format(separator=separator))])
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns and c not in optional]
        if missing or extra or len(header) != len(set(header)):
            why = _("the header must be: {columns}").format(columns=",".join(columns))
            if optional:
                why += _(" (may add {columns})").format(columns=", ".join(optional))
            if missing:
                why += _(" (missing {columns})").format(columns=", ".join(missing))
            if extra:
                why += _(" (unknown {columns})").format(columns=", ".join(extra))
            raise BatchRefused([(1, why)])
        rows, problems = [], []
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.append((number, _("has {n} fields, the header has {header}").format(
                    n=len(cells), header=len(header))))
            elif any(len(cell) > MAX_CELL for cell in cells):
                name = next(name for name, cell in zip(header, cells) if len(cell) > MAX_CELL)
                problems.append((number, _("{what} is longer than {n} characters").format(
                    what=name, n=MAX_CELL)))
            else:
                rows.append((number, {name: cell.strip() for name, cell in zip(header, cells)}))
            if len(rows) > MAX_ROWS:
                raise BatchRefused([(number, _("more than {n} rows: split the file").format(
                    n=MAX_ROWS))])
    except csv.Error as exc:
        raise BatchRefused([(reader.line_num, _("not valid CSV: {problem}").format(
            problem=exc))]) from None
    if problems:
        raise BatchRefused(problems)
    if not rows:
        raise BatchRefused([(0, _("the file has a header but no rows"))])
    return rows


def _date(row: dict, name: str, required: bool = False) -> dt.date | None:
    value = row[name]
    if not value:
        if required:
            raise ValueError(_("{what} is required").format(what=name))
        return None
    return parse_date(value, name)


def _all_or_nothing(steps: Iterable[tuple[int, Callable[[], object]]],
                    problems: list[tuple[int, str]] | None = None) -> list:
    """Run every step (so every bad row is reported), then keep all of them or none.
    `problems` already found in the rows are reported with the steps' own."""
    problems, results = list(problems or []), []
    with transaction():
        for number, step in steps:
            try:
                results.append(step())
            except (DeskError, ValueError) as exc:
                problems.append((number, str(exc)))
        if problems:
            raise BatchRefused(sorted(problems))  # leaving the block rolls every row back
    return results


def import_customers(user, data: bytes | str) -> list:
    require(user, "import")
    rows = read_rows(data, COLUMNS["customers"], OPTIONAL["customers"])
    return _all_or_nothing(
        (number, lambda r=row: save_customer(user, r["code"], r["name"], r["market"],
                                             r["over_receipt_tolerance_pct"] or None,
                                             r.get("currency") or None))
        for number, row in _unique(rows, "code"))


def import_cases(user, data: bytes | str) -> list:
    require(user, "import")
    rows = read_rows(data, COLUMNS["cases"])

    def step(row: dict):
        facts = CaseFacts(
            case_no=row["case_no"] or None, customer_code=row["customer_code"],
            order_no=row["order_no"], part_no=row["part_no"], shipped_qty=row["shipped_qty"] or None,
            delivered_on=_date(row, "delivered_on"),
            customer_received_on=_date(row, "customer_received_on", required=True),
            defect_qty=row["defect_qty"] or None, category=row["category"],
            severity=row["severity"], request=row["request"],
            # The file's opened_on is the day the complaint came in; the case is opened, and
            # its acceptance window judged, on the day of the import.
            complaint_received_on=_date(row, "opened_on"))
        return open_case(user, facts)
    return _all_or_nothing((number, lambda r=row: step(r)) for number, row in rows)


def import_slips(user, data: bytes | str) -> list:
    """One row per slip line, each with its own reason and handling; a slip's rows agree on
    its case and on the optional slip-wide columns (OPTIONAL). Nothing is kept if any is bad."""
    require(user, "import")
    rows = read_rows(data, COLUMNS["slips"], OPTIONAL["slips"])
    problems: list[tuple[int, str]] = []
    bad_slips: set[str] = set()
    slips: dict[str, list[tuple[int, dict, LineSpec]]] = {}
    for number, row in rows:
        group = slips.setdefault(clean(row["slip_no"]), [])
        try:
            if group:
                first_number, first = group[0][0], group[0][1]
                for name in ["case_no", *OPTIONAL["slips"]]:
                    if row.get(name, "") != first.get(name, ""):
                        raise ValueError(_(
                            "slip {slip} has another {column} here ({value}) than on line "
                            "{line} ({first})").format(
                            slip=named(row["slip_no"]), column=name,
                            value=quoted(row.get(name, "")), line=first_number,
                            first=quoted(first.get(name, ""))))
            spec = LineSpec(_whole(row, "line_no"), row["part_no"], row["description"], row["unit"],
                            row["approved_qty"], row["unit_price"], row["tolerance_pct"] or None,
                            row["reason"], row["handling"])
            check_line(spec)
            if not group and row.get("approved_by"):
                _approver(user, row["approved_by"])
        except (DeskError, ValueError) as exc:
            problems.append((number, str(exc)))
            bad_slips.add(clean(row["slip_no"]))
        else:
            group.append((number, row, spec))

    def issue(slip_no: str, group):
        head = group[0][1]
        approver = _approver(user, head["approved_by"]) if head.get("approved_by") else None
        return issue_slip(user, head["case_no"], [spec for _number, _row, spec in group],
                          head.get("basis", ""), slip_no=slip_no or None, approved_by=approver,
                          regional_manager=head.get("regional_manager") or None)
    return _all_or_nothing(((group[0][0], lambda s=slip_no, g=group: issue(s, g))
                            for slip_no, group in slips.items() if slip_no not in bad_slips),
                           problems)


def _approver(user, name: str):
    """The supervisor named in approved_by, who is not the one importing (a second person)."""
    approver = approver_named(name)
    if approver.id == user.id:
        raise ValueError(_("approved_by {name}: the one who imports a slip does not approve it; "
                           "name another supervisor").format(name=approver.name))
    return approver


def _whole(row: dict, name: str) -> int:
    text = row[name]
    if not (text.isascii() and text.isdigit()):     # int() also takes "1_0" and "٣"
        raise ValueError(_("{what} {value} is not a whole number").format(
            what=name, value=quoted(text)))
    return int(text)


def _unique(rows, key: str):
    seen: dict[str, int] = {}
    for number, row in rows:
        if row[key] in seen:
            raise BatchRefused([(number, _("{column} {value} repeats line {line}").format(
                column=key, value=named(row[key]), line=seen[row[key]]))])
        seen[row[key]] = number
        yield number, row


@dataclass(frozen=True)
class ScanLine:
    number: int
    code: str
    qty: str | None


def parse_scans(data: bytes | str) -> list[ScanLine]:
    """A batch scanner's upload: one code per line, optionally `code,quantity`."""
    text = _text(data)
    scans, problems = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, _comma, qty = (part.strip() for part in line.partition(","))
        if not code or not code.isprintable() or len(code) > 200:
            problems.append((number, _("{text} is not a code").format(text=quoted(line, 40))))
        else:
            scans.append(ScanLine(number, code, qty or None))
    if problems:
        raise BatchRefused(problems)
    if not scans:
        raise BatchRefused([(0, _("the upload has no scans"))])
    return scans


def receive_upload(user, slip_no: str, data: bytes | str) -> list[Receipt]:
    """Receive a whole upload, or nothing. Uploading the same file twice adds nothing:
    every scan's id is the file's fingerprint and line number."""
    require(user, "receive")
    fingerprint = hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()[:20]
    scans = parse_scans(data)

    def step(scan: ScanLine) -> Receipt:
        scan_id = f"upload:{fingerprint}:{scan.number}"
        if scan.qty is None:
            return receive_scan(user, slip_no, scan.code, scan_id=scan_id)
        return receive_count(user, slip_no, scan.code, scan.qty, scan_id=scan_id)
    return _all_or_nothing((scan.number, lambda s=scan: step(s)) for scan in scans)
