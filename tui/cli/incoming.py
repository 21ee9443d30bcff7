"""Data coming in from files: CSV imports of customers, cases and slips (`import`, all or
nothing), and a batch scanner's upload received against a slip (`receive`)."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, read_file


def _imported(kind: str, n: int) -> str:
    """What `import` says it did: a whole sentence for each kind (word order differs)."""
    if kind == "customers":
        return _("imported {n} customers").format(n=n)
    if kind == "cases":
        return _("imported {n} cases").format(n=n)
    return _("imported {n} slips").format(n=n)


def import_arguments(p) -> None:
    p.add_argument("kind", choices=["customers", "cases", "slips"])
    p.add_argument("file")


def run_import(args) -> int:
    from models import imports
    actor = acting_user(args)
    run = {"customers": imports.import_customers, "cases": imports.import_cases,
           "slips": imports.import_slips}[args.kind]
    done = run(actor, read_file(args.file))
    print(_imported(args.kind, len(done)))
    return 0


def receive_arguments(p) -> None:
    p.add_argument("slip_no")
    p.add_argument("--scans", metavar="FILE",
                   help=_("one code per line, or code,quantity for counted goods"))
    p.add_argument("--close", action="store_true",
                   help=_("then close the slip for receiving: the clerk signs for what "
                          "arrived (finance books it after that)"))


def run_receive(args) -> int:
    from models.imports import receive_upload
    from models.receiving import close_receiving
    if not (args.scans or args.close):
        raise Failure(_("say what to do: receive SLIP --scans FILE, and/or --close"))
    actor = acting_user(args)
    if args.scans:
        _report(args.slip_no, receive_upload(actor, args.slip_no, read_file(args.scans)))
    if args.close:
        slip = close_receiving(actor, args.slip_no)
        print(_("slip {slip} closed for receiving").format(slip=slip.slip_no))
    return 0


def _report(slip_no: str, receipts) -> None:
    from models.text import shown
    new = [r for r in receipts if not r.replayed]
    slip, replayed = shown(slip_no.strip().upper()), len(receipts) - len(new)
    if replayed:
        print(_("received {n} scan(s) on {slip}; {replayed} were already recorded").format(
            n=len(new), slip=slip, replayed=replayed))
    else:
        print(_("received {n} scan(s) on {slip}").format(n=len(new), slip=slip))
    over = sorted({r.line.line_no for r in receipts if r.over})
    if over:
        print(_("over tolerance: line(s) {lines} (finance needs a supervisor's decision)").format(
            lines=", ".join(map(str, over))))


COMMANDS = (
    Command("import", N_("import customers, cases or slips from CSV (all or nothing)"), run_import,
            import_arguments),
    Command("receive", N_("receive a batch scanner's upload against a slip"), run_receive,
            receive_arguments),
)
