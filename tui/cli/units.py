"""Returned units by their label's code: `inspect` (pass or fail, where the goods go) and
`unit reverse` (a wrong receipt taken back; the receipt stays on record)."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, code_word, needs


def inspect_arguments(p) -> None:
    p.add_argument("unit", metavar="UNIT", help=_("the code on its label, e.g. U000123"))
    result = p.add_mutually_exclusive_group()
    result.add_argument("--pass", dest="passed", action="store_true",
                        help=_("it passed: restocked (or --disposition return_customer)"))
    result.add_argument("--fail", dest="failed", action="store_true",
                        help=_("it failed: give --defect, --cause and --disposition"))
    p.add_argument("--defect", metavar="CLASS|TEXT", default="",
                   help=_("appearance, dimension, function, material, packaging, wrong_item, "
                          "missing_parts or other; other words are recorded as class other, "
                          "with the words in the note"))
    p.add_argument("--cause", default="", help=_("what is wrong, and why"))
    p.add_argument("--disposition",
                   help=_("a pass: restock (default) or return_customer; a fail: rework, "
                          "repair, scrap, return_supplier or return_customer"))
    p.add_argument("--note", default="")


def run_inspect(args) -> int:
    from models.inspection import FAIL_DISPOSITIONS, Portion, inspect
    from models.numbers import number
    from models.units import get_unit
    if not (args.passed or args.failed):
        raise Failure(_("say the result: inspect UNIT --pass, or --fail --defect D --cause C "
                        "--disposition X"))
    if args.failed:
        if not args.disposition:
            raise Failure(_("a failed unit needs --disposition: {dispositions}").format(
                dispositions=", ".join(FAIL_DISPOSITIONS)))
        needs(args, "inspect --fail", "--defect", "--cause")
    elif args.defect or args.cause:
        raise Failure(_("a unit that passed has no --defect or --cause: use --fail"))
    defect, note = _defect(args.defect, args.note)
    actor = acting_user(args)
    unit = get_unit(args.unit)
    # The whole unit or lot goes one way, as the desk's pass and fail keys record it.
    disposition = args.disposition or "restock"
    inspection = inspect(actor, unit.code, [Portion(args.passed, disposition, unit.qty)],
                         defect, args.cause, note)
    print(_("{unit} inspected: {result}, {qty} {measure} -> {disposition}").format(
        unit=unit.code, result=code_word("inspection_result", inspection.result),
        qty=number(unit.qty), measure=unit.line.unit,
        disposition=code_word("disposition", disposition)))
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
    p.add_argument("unit", metavar="UNIT", help=_("the code on its label, e.g. U000123"))
    p.add_argument("--reason", default="", help=_("why the receipt is taken back"))


def run_reverse(args) -> int:
    from models.numbers import number
    from models.receiving import reverse_unit
    unit = reverse_unit(acting_user(args), args.unit, args.reason)
    print(_("{unit} reversed: {qty} {measure} off line {line} of slip {slip}").format(
        unit=unit.code, qty=number(unit.qty), measure=unit.line.unit, line=unit.line.line_no,
        slip=unit.line.slip.slip_no))
    return 0


COMMANDS = (
    Command("inspect", N_("record a unit's inspection: --pass, or --fail with defect, cause "
                          "and disposition"), run_inspect, inspect_arguments),
    Command("unit", N_("returned units: reverse a wrong receipt"), actions=(
        Command("reverse", N_("take a wrongly received unit back off its slip"), run_reverse,
                reverse_arguments),
    )),
)
