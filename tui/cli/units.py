"""Returned units by their label's code: `inspect` (pass or fail, where the goods go) and
`unit reverse` (a wrong receipt taken back; the receipt stays on record)."""
from __future__ import annotations

from tui.cli.common import Command, Failure, acting_user, needs


def inspect_arguments(p) -> None:
    p.add_argument("unit", metavar="UNIT", help="the code on its label, e.g. U000123")
    result = p.add_mutually_exclusive_group()
    result.add_argument("--pass", dest="passed", action="store_true",
                        help="it passed: restocked (or --disposition return_customer)")
    result.add_argument("--fail", dest="failed", action="store_true",
                        help="it failed: give --defect, --cause and --disposition")
    p.add_argument("--defect", metavar="CLASS|TEXT", default="",
                   help="appearance, dimension, function, material, packaging, wrong_item, "
                        "missing_parts or other; other words are recorded as class other, "
                        "with the words in the note")
    p.add_argument("--cause", default="", help="what is wrong, and why")
    p.add_argument("--disposition",
                   help="a pass: restock (default) or return_customer; a fail: rework, repair, "
                        "scrap, return_supplier or return_customer")
    p.add_argument("--note", default="")


def run_inspect(args) -> int:
    from models.inspection import FAIL_DISPOSITIONS, Portion, inspect
    from models.numbers import number
    from models.units import get_unit
    if not (args.passed or args.failed):
        raise Failure("say the result: inspect UNIT --pass, or --fail --defect D --cause C "
                      "--disposition X")
    if args.failed:
        if not args.disposition:
            raise Failure(f"a failed unit needs --disposition: {', '.join(FAIL_DISPOSITIONS)}")
        needs(args, "inspect --fail", "--defect", "--cause")
    elif args.defect or args.cause:
        raise Failure("a unit that passed has no --defect or --cause: use --fail")
    defect, note = _defect(args.defect, args.note)
    actor = acting_user(args)
    unit = get_unit(args.unit)
    # The whole unit or lot goes one way, as the desk's pass and fail keys record it.
    disposition = args.disposition or "restock"
    inspection = inspect(actor, unit.code, [Portion(args.passed, disposition, unit.qty)],
                         defect, args.cause, note)
    print(f"{unit.code} inspected: {inspection.result}, {number(unit.qty)} {unit.line.unit} "
          f"-> {disposition}")
    return 0


def _defect(text: str, note: str) -> tuple[str, str]:
    """The defect class, and the note: a defect described in words rather than by its class
    is recorded as class `other`, its words kept at the head of the note."""
    from models.inspection import DEFECT_CLASSES
    words = text.strip()
    if not words or words.lower() in DEFECT_CLASSES:
        return words.lower(), note
    return "other", f"defect: {words}" + (f"; {note.strip()}" if note.strip() else "")


def reverse_arguments(p) -> None:
    p.add_argument("unit", metavar="UNIT", help="the code on its label, e.g. U000123")
    p.add_argument("--reason", default="", help="why the receipt is taken back")


def run_reverse(args) -> int:
    from models.numbers import number
    from models.receiving import reverse_unit
    unit = reverse_unit(acting_user(args), args.unit, args.reason)
    print(f"{unit.code} reversed: {number(unit.qty)} {unit.line.unit} off line "
          f"{unit.line.line_no} of slip {unit.line.slip.slip_no}")
    return 0


COMMANDS = (
    Command("inspect", "record a unit's inspection: --pass, or --fail with defect, cause and "
                       "disposition", run_inspect, inspect_arguments),
    Command("unit", "returned units: reverse a wrong receipt", actions=(
        Command("reverse", "take a wrongly received unit back off its slip", run_reverse,
                reverse_arguments),
    )),
)
