"""The reconciliation export for finance, streamed row by row in CSV or JSON."""
from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import TextIO

from .access import require
from .reconciliation import ReconciliationRow, reconciliation_rows

COLUMNS = ["slip_no", "line_no", "case_no", "customer_code", "part_no", "unit", "approved_qty",
           "received_qty", "tolerance_pct", "allowed_qty", "status", "book_qty", "unit_price",
           "amount", "booked"]


def number(value: Decimal | None) -> str:
    """Plain exact digits: 10 not 1E+1, 12.5 not 12.500; empty for none."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


def money(value: Decimal | None) -> str:
    """At least two decimals (41.60), more where the exact product has them (41.625)."""
    if value is None:
        return ""
    value = value.normalize()
    return format(value.quantize(Decimal("0.01")) if value.as_tuple().exponent > -2 else value, "f")


def export_fields(row: ReconciliationRow) -> dict[str, str]:
    f = row.figures
    return {"slip_no": row.slip_no, "line_no": str(row.line_no), "case_no": row.case_no,
            "customer_code": row.customer_code, "part_no": row.part_no, "unit": row.unit,
            "approved_qty": number(f.approved), "received_qty": number(f.received),
            "tolerance_pct": number(f.tolerance_pct), "allowed_qty": number(f.allowed),
            "status": f.status, "book_qty": number(f.book_qty),
            "unit_price": number(row.unit_price), "amount": money(row.amount),
            "booked": "yes" if row.booked else "no"}


_NUMERIC = {"line_no", "approved_qty", "received_qty", "tolerance_pct", "allowed_qty",
            "book_qty", "unit_price", "amount"}


def _json_object(fields: dict[str, str]) -> str:
    # Numbers are written from their exact decimal text, never through float.
    parts = []
    for name in COLUMNS:
        value = fields[name]
        if name in _NUMERIC:
            text = value or "null"
        elif name == "booked":
            text = "true" if value == "yes" else "false"
        else:
            text = json.dumps(value, ensure_ascii=False)
        parts.append(f'"{name}": {text}')
    return "{" + ", ".join(parts) + "}"


def export_reconciliation(user, out: TextIO, fmt: str = "csv", month: str | None = None,
                          progress=None) -> int:
    """Write every line's reconciliation; returns the number of rows. Constant memory."""
    require(user, "export")
    if fmt not in ("csv", "json"):
        raise ValueError(f"format must be csv or json, not {fmt!r}")
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
    else:
        out.write("[")
    for row in reconciliation_rows(month=month):
        fields = export_fields(row)
        if fmt == "csv":
            writer.writerow(fields)
        else:
            out.write(("," if count else "") + "\n" + _json_object(fields))
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    if fmt == "json":
        out.write("\n]\n")
    return count
