"""Data coming in from files: CSV imports of customers, cases and slips (`import`, all or
nothing), and a batch scanner's upload received against a slip (`receive`)."""
from __future__ import annotations

from tui.cli.common import Command, acting_user, read_file


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
    p.add_argument("--scans", required=True, metavar="FILE",
                   help="one code per line, or code,quantity for counted goods")


def run_receive(args) -> int:
    from models.imports import receive_upload
    from models.text import shown
    receipts = receive_upload(acting_user(args), args.slip_no, read_file(args.scans))
    new = [r for r in receipts if not r.replayed]
    print(f"received {len(new)} scan(s) on {shown(args.slip_no.upper())}"
          + (f"; {len(receipts) - len(new)} were already recorded" if len(new) < len(receipts) else ""))
    over = sorted({r.line.line_no for r in receipts if r.over})
    if over:
        print(f"over tolerance: line(s) {', '.join(map(str, over))} (finance needs a supervisor's decision)")
    return 0


COMMANDS = (
    Command("import", "import customers, cases or slips from CSV (all or nothing)", run_import,
            import_arguments),
    Command("receive", "receive a batch scanner's upload against a slip", run_receive,
            receive_arguments),
)
