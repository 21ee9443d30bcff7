"""Figures going out: the reconciliation export for finance (`export`) and the monthly report
(`report`)."""
from __future__ import annotations

import json
import sys

from tui.cli.common import Command, acting_user


def export_arguments(p) -> None:
    p.add_argument("what", choices=["reconciliation"])
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--month", metavar="YYYY-MM", help="only slips issued in this month")
    p.add_argument("--out", metavar="FILE", help="write to a file instead of the screen")


def run_export(args) -> int:
    from models.access import require
    from models.exports import export_reconciliation
    from models.files import writing
    # Who may export is checked before the file is touched; the file itself appears (or
    # replaces the one there) only once the export is complete.
    actor = require(acting_user(args), "export")
    if not args.out:
        export_reconciliation(actor, sys.stdout, args.format, args.month)
        return 0
    with writing(args.out, "w", newline="") as out:
        count = export_reconciliation(actor, out, args.format, args.month)
    print(f"{count} line(s) written to {args.out}")
    return 0


def report_arguments(p) -> None:
    p.add_argument("what", choices=["monthly"])
    p.add_argument("--month", metavar="YYYY-MM")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run_report(args) -> int:
    from models.numbers import money, number
    from models.reports import monthly_report, previous_month
    from models.text import shown
    report = monthly_report(args.month or previous_month())
    if args.format == "json":
        print(json.dumps({
            "month": report.month,
            "closed_by_category": report.closed_by_category,
            "closed_by_responsibility": report.closed_by_responsibility,
            "closed_by_customer": report.closed_by_customer,
            "booked": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                       for c, u, q, a in report.booked],
            "quality_cost": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                             for c, u, q, a in report.quality_cost],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"Monthly report {report.month}")
    for title, counts in (("closed cases by category", report.closed_by_category),
                          ("closed cases by responsibility", report.closed_by_responsibility),
                          ("closed cases by customer", report.closed_by_customer)):
        print(f"\n{title}:" + ("" if counts else " none"))
        for key, count in sorted(counts.items()):
            print(f"  {shown(key):<20} {count}")
    for title, rows, total in (("booked", report.booked, report.booked_amount),
                               ("quality cost (failed customer-caused returns)",
                                report.quality_cost, report.quality_cost_amount)):
        print(f"\n{title}:" + ("" if rows else " none"))
        for customer, unit, qty, amount in rows:
            print(f"  {shown(customer):<10} {number(qty):>12} {shown(unit):<5} {money(amount):>14}")
        if rows:
            print(f"  {'total':<29} {money(total):>14}")
    return 0


COMMANDS = (
    Command("export", "export the reconciliation (finance)", run_export, export_arguments),
    Command("report", "the monthly report (default: last month)", run_report, report_arguments),
)
