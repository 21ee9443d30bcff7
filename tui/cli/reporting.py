"""Figures going out: the reconciliation export for finance (`export`) and the monthly report
(`report`)."""
from __future__ import annotations

import json
import sys

from models.i18n import N_, _
from tui.cli.common import Command, acting_user, code_word, pad


def export_arguments(p) -> None:
    p.add_argument("what", choices=["reconciliation"])
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--month", metavar="YYYY-MM", help=_("only slips issued in this month"))
    p.add_argument("--out", metavar="FILE", help=_("write to a file instead of the screen"))


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
    print(_("{n} line(s) written to {file}").format(
        n=count, file=args.out))
    return 0


# The headings of the report's counts, by what they count.
_BY_TITLES = {"category": N_("closed cases by category:"),
              "responsibility": N_("closed cases by responsibility:"),
              "customer": N_("closed cases by customer:")}


def report_arguments(p) -> None:
    p.add_argument("what", choices=["monthly", "done"],
                   help=_("monthly: the report; done: mark it done (supervisor, before the "
                          "10th)"))
    p.add_argument("--month", metavar="YYYY-MM", help=_("default: last month"))
    p.add_argument("--format", choices=["text", "json"], default="text")


def run_report(args) -> int:
    from models.access import require
    from models.numbers import money, number
    from models.reports import mark_report_done, monthly_report, previous_month, share
    if args.what == "done":
        done = mark_report_done(acting_user(args), args.month)
        print(_("the report for {month} is done").format(month=done.month))
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
            **{f"closed_by_{what}": counts for what, counts, _shares in by},
            # Each count's share of the month's closed cases, in % to 0.1 ("66.7").
            **{f"share_by_{what}": {key: str(value) for key, value in shares.items()}
               for what, _counts, shares in by},
            # Amounts in their customer's currency, added per currency
            **{name: [{"customer": c, "unit": u, "qty": number(q), "amount": money(a, cur),
                       "currency": cur} for c, u, q, a, cur in rows]
               for name, rows in (("booked", report.booked),
                                  ("quality_cost", report.quality_cost))},
            **{name: {cur: money(total, cur) for cur, total in added.items()}
               for name, added in (("booked_totals", report.booked_totals),
                                   ("quality_cost_totals", report.quality_cost_totals))},
        }, ensure_ascii=False, indent=2))
        return 0
    print(_("Monthly report {month}").format(month=report.month))
    print("\n" + _("closed cases: {closed}   on time: {on_time} ({on_time_share} %)   late: "
                   "{late} ({late_share} %)").format(
        closed=report.closed, on_time=report.closed_on_time,
        on_time_share=share(report.closed_on_time, report.closed), late=report.closed_late,
        late_share=share(report.closed_late, report.closed)))
    for what, counts, shares in by:
        title = _(_BY_TITLES[what])
        print("\n" + (title if counts else _("{title} none").format(title=title)))
        for key, count in sorted(counts.items()):
            name = shown(key) if what == "customer" else code_word(what, key)
            print(f"  {pad(name, 20)} {count:>5} {shares[key]:>6} %")
    for title, rows, added in ((_("booked:"), report.booked, report.booked_totals),
                               (_("quality cost (failed customer-caused returns):"),
                                report.quality_cost, report.quality_cost_totals)):
        print("\n" + (title if rows else _("{title} none").format(title=title)))
        for customer, unit, qty, amount, currency in rows:
            print(f"  {pad(shown(customer), 10)} {number(qty):>12} {pad(shown(unit), 5)} "
                  f"{money(amount, currency):>14} {currency}")
        total_word = _("total")
        for currency, total in added.items():      # one per currency, never added together
            print(f"  {pad(total_word, 29)} {money(total, currency):>14} {currency}")
    return 0


COMMANDS = (
    Command("export", N_("export the reconciliation (finance)"), run_export, export_arguments),
    Command("report", N_("the monthly report with shares (default: last month), or mark it "
                         "done"),
            run_report, report_arguments),
)
