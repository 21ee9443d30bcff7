"""The desk's own hostile corpus, written by a generator (issue 17): files a customer, a
spreadsheet or an attacker could hand the desk, each with what must become of it.

`write_corpus(folder)` writes every file and returns its Entry: the import it goes through, and
either the refusals it must give (line number and a word of the column for each) or how many
rows it must import. The kinds: formula starts (CSV injection), terminal escape sequences, bidi
overrides and isolates, lone surrogates, NUL, C0/C1 control characters, over-long cells, and
numbers and dates that Python would take but a person did not mean.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CUSTOMERS = "code,name,market,over_receipt_tolerance_pct"
CASES = ("case_no,customer_code,order_no,part_no,shipped_qty,delivered_on,customer_received_on,"
         "defect_qty,category,severity,request,opened_on")
SLIPS = ("slip_no,case_no,line_no,part_no,description,unit,approved_qty,unit_price,"
         "tolerance_pct,reason,handling")

ESCAPES = ["\x1b[2J\x1b]0;pwned\x07", "\x1b[31mred", "\x9b2J", "\x07bell", "\x08\x08x", "\x7f"]
BIDI = ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"]
FORMULAS = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+SUM(1)", "-2+3", "@A1"]
BAD_NUMBERS = ["1_0", "\uff13", "\u0663", "1E1", "+5", ".5", "5.", "1,5", "0x10", "Infinity"]
BAD_DATES = ["20261203", "2026-W49-4", "0001-11-20", "2100-01-01", "1999-12-31", "2026-1-2",
             "\uff12026-11-11", "2026-11-11T00:00"]


@dataclass(frozen=True)
class Entry:
    name: str               # the file's name: its kind (customers, cases, slips, scans) first
    data: bytes
    refusals: tuple = ()    # ((line number, a word the message names the column by), ...)
    imported: int = 0       # rows it must import when there are no refusals


def _csv(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8", "surrogatepass")


# The site every case and slip file is imported into (tests/test_hostile_corpus.py makes it).
SITE_CUSTOMER = "H1"
SITE_CASE = "2611-001"


def _case_row(**cells) -> str:
    row = {"case_no": "", "customer_code": SITE_CUSTOMER, "order_no": "PO-1", "part_no": "P-1",
           "shipped_qty": "10", "delivered_on": "", "customer_received_on": "2026-11-20",
           "defect_qty": "1", "category": "performance", "severity": "minor", "request": "credit",
           "opened_on": "2026-11-21"} | cells
    return ",".join(_quote(v) for v in row.values())


def _slip_row(slip_no="RS-H", line_no="1", **cells) -> str:
    row = {"slip_no": slip_no, "case_no": SITE_CASE, "line_no": line_no, "part_no": "P-1",
           "description": "a part", "unit": "pcs", "approved_qty": "5", "unit_price": "1",
           "tolerance_pct": "", "reason": "dents", "handling": "return"} | cells
    return ",".join(_quote(v) for v in row.values())


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value


def corpus() -> list[Entry]:
    entries = []
    # Text a terminal would obey, in every column a person fills in.
    # (A lone surrogate cannot be UTF-8: the file is refused at its first, naming that cell.)
    for i, bad in enumerate(ESCAPES + BIDI + ["\ud800", "\udfff"]):
        first = 1 if "\ud800" <= bad <= "\udfff" else None
        entries.append(Entry(f"customers_hostile_name_{i}.csv", _csv(
            CUSTOMERS, "OK1,Plain Ltd,domestic,", f"X{i},Acme{bad}Ltd,domestic,"),
            refusals=((3, "name"),)))
        entries.append(Entry(f"cases_hostile_order_{i}.csv", _csv(
            CASES, _case_row(order_no=f"PO{bad}1"), _case_row(request=f"fix{bad}it")),
            refusals=((2, "order"), (3, "request"))[:first]))
        entries.append(Entry(f"slips_hostile_text_{i}.csv", _csv(
            SLIPS, _slip_row(part_no=f"P{bad}1"), _slip_row(line_no="2", description=f"d{bad}"),
            _slip_row(line_no="3", reason=f"r{bad}")),
            refusals=((2, "part"), (3, "description"), (4, "reason"))[:first]))
    # A cell with a NUL, a lone surrogate in a file, an over-long cell.
    entries.append(Entry("customers_nul_cell.csv", _csv(CUSTOMERS, "A\x00,Nul Ltd,domestic,"),
                         refusals=((2, "code"),)))
    entries.append(Entry("customers_lone_surrogate_bytes.csv", _csv(
        CUSTOMERS, "OK1,Plain,domestic,", "S1,Bad\ud83d name,domestic,"),
        refusals=((3, "name"),)))
    entries.append(Entry("customers_overlong_cell.csv", _csv(
        CUSTOMERS, "L1," + "x" * 2500 + ",domestic,"), refusals=((2, "name"),)))
    entries.append(Entry("slips_description_1500.csv", _csv(
        SLIPS, _slip_row(description="d" * 1500)), refusals=((2, "description"),)))
    # Numbers and dates Python's parsers take but no person typed.
    entries.append(Entry("customers_malformed_tolerance.csv", _csv(
        CUSTOMERS, *[f"T{i},Tol {i},domestic,{_quote(bad)}" for i, bad in enumerate(BAD_NUMBERS)]),
        refusals=tuple((i + 2, "tolerance") for i in range(len(BAD_NUMBERS)))))
    entries.append(Entry("cases_malformed_dates.csv", _csv(
        CASES, *[_case_row(customer_received_on=bad) for bad in BAD_DATES]),
        refusals=tuple((i + 2, "customer_received_on") for i in range(len(BAD_DATES)))))
    entries.append(Entry("cases_malformed_quantities.csv", _csv(
        CASES, *[_case_row(shipped_qty=bad) for bad in BAD_NUMBERS]),
        refusals=tuple((i + 2, "shipped") for i in range(len(BAD_NUMBERS)))))
    entries.append(Entry("slips_malformed_numbers.csv", _csv(
        SLIPS, _slip_row(approved_qty="1_0"), _slip_row(line_no="2", unit_price="\uff13"),
        _slip_row(line_no="\u0663"), _slip_row(line_no="4", tolerance_pct="1E1")),
        refusals=((2, "approved"), (3, "price"), (4, "line_no"), (5, "tolerance"))))
    # A slip whose rows disagree, the values quoted back with an escape in them.
    entries.append(Entry("slips_escape_in_quoted_value.csv", _csv(
        SLIPS, _slip_row(slip_no="X\x1b]0;pwned\x07"),
        _slip_row(slip_no="X\x1b]0;pwned\x07", line_no="2", case_no="2611-9\x1b[2J")),
        refusals=((3, "case_no"),)))
    # Formula starts are text: imported as they are, defused in the CSV export.
    entries.append(Entry("customers_formulas_ok.csv", _csv(
        CUSTOMERS, *[f"F{i},{_quote(f)},domestic," for i, f in enumerate(FORMULAS)],
        f"{_quote(FORMULAS[0])},Formula Code Ltd,domestic,"), imported=len(FORMULAS) + 1))
    entries.append(Entry("slips_formulas_ok.csv", _csv(
        SLIPS, *[_slip_row(line_no=str(i + 1), part_no=f, description=f, reason=f)
                 for i, f in enumerate(FORMULAS)]), imported=1))
    # Scanner uploads.
    entries.append(Entry("scans_escape.txt", "P-1\nP-1\x1b[2J\n\u202eP-1\n".encode(),
                         refusals=((2, "code"), (3, "code"))))
    return entries


def write_corpus(folder: Path) -> list[Entry]:
    folder.mkdir(parents=True, exist_ok=True)
    entries = corpus()
    for entry in entries:
        (folder / entry.name).write_bytes(entry.data)
    return entries
