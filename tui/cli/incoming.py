"""Data coming in from files: CSV imports of customers, cases and slips (`import`, all or
nothing), and a batch scanner's upload received against a slip (`receive`)."""
from __future__ import annotations

from tui.cli.common import Command, Failure, acting_user, read_file


def import_arguments(p) -> None:
    p.add_argument("kind", choices=["customers", "cases", "slips"])
    p.add_argument("file")


def run_import(args) -> int:
    from models import imports
    actor = acting_user(args)
    run = {"customers": imports.import_customers, "cases": imports.import_cases,
           "slips": imports.import_slips}[args.kind]
    done = run(actor, read_file(args.file))
    print(f"imported {len(done)} {args.kind}")
    return 0


def receive_arguments(p) -> None:
    p.add_argument("slip_no")
    p.add_argument("--scans", metavar="FILE",
                   help="one code per line, or code,quantity for counted goods")
    p.add_argument("--close", action="store_true",
                   help="then close the slip for receiving: the clerk signs for what arrived "
                        "(finance books it after that)")


def run_receive(args) -> int:
    from models.imports import receive_upload
    from models.receiving import close_receiving
    if not (args.scans or args.close):
        raise Failure("say what to do: receive SLIP --scans FILE, and/or --close")
    actor = acting_user(args)
    if args.scans:
        _report(args.slip_no, receive_upload(actor, args.slip_no, read_file(args.scans)))
    if args.close:
        slip = close_receiving(actor, args.slip_no)
        print(f"slip {slip.slip_no} closed for receiving")
    return 0


def _report(slip_no: str, receipts) -> None:
    from models.text import shown
    new = [r for r in receipts if not r.replayed]
    print(f"received {len(new)} scan(s) on {shown(slip_no.strip().upper())}"
          + (f"; {len(receipts) - len(new)} were already recorded" if len(new) < len(receipts) else ""))
    over = sorted({r.line.line_no for r in receipts if r.over})
    if over:
        print(f"over tolerance: line(s) {', '.join(map(str, over))} (finance needs a supervisor's decision)")


COMMANDS = (
    Command("import", "import customers, cases or slips from CSV (all or nothing)", run_import,
            import_arguments),
    Command("receive", "receive a batch scanner's upload against a slip", run_receive,
            receive_arguments),
)
