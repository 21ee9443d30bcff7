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
    p.add_argument("what", choices=["monthly", "done"],
                   help="monthly: the report; done: mark it done (supervisor, before the 10th)")
    p.add_argument("--month", metavar="YYYY-MM", help="default: last month")
    p.add_argument("--format", choices=["text", "json"], default="text")


def run_report(args) -> int:
    from models.access import require
    from models.numbers import money, number
    from models.reports import mark_report_done, monthly_report, previous_month, share
    if args.what == "done":
        done = mark_report_done(acting_user(args), args.month)
        print(f"the report for {done.month} is done")
        return 0
    require(acting_user(args), "statistics")   # booked amounts: finance and those who steer
    from models.text import shown
    report = monthly_report(args.month or previous_month())
    by = (("category", report.closed_by_category, report.share_by_category),
          ("responsibility", report.closed_by_responsibility, report.share_by_responsibility),
          ("customer", report.closed_by_customer, report.share_by_customer))
    if args.format == "json":
        print(json.dumps({
            "month": report.month,
            "closed": report.closed,
            "closed_on_time": report.closed_on_time,
            "closed_late": report.closed_late,
            "share_on_time": str(share(report.closed_on_time, report.closed)),
            "share_late": str(share(report.closed_late, report.closed)),
            **{f"closed_by_{what}": counts for what, counts, _ in by},
            # Each count's share of the month's closed cases, in % to 0.1 ("66.7").
            **{f"share_by_{what}": {key: str(value) for key, value in shares.items()}
               for what, _, shares in by},
            "booked": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                       for c, u, q, a in report.booked],
            "quality_cost": [{"customer": c, "unit": u, "qty": number(q), "amount": money(a)}
                             for c, u, q, a in report.quality_cost],
            "quality_cost_amount": money(report.quality_cost_amount),
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"Monthly report {report.month}")
    print(f"\nclosed cases: {report.closed}   on time: {report.closed_on_time} "
          f"({share(report.closed_on_time, report.closed)} %)   late: {report.closed_late} "
          f"({share(report.closed_late, report.closed)} %)")
    for what, counts, shares in by:
        print(f"\nclosed cases by {what}:" + ("" if counts else " none"))
        for key, count in sorted(counts.items()):
            print(f"  {shown(key):<20} {count:>5} {shares[key]:>6} %")
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
    Command("report", "the monthly report with shares (default: last month), or mark it done",
            run_report, report_arguments),
)
