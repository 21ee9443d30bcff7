"""`slip`: a case's return slip from issue to booked: issue (its lines from a CSV file), the
regional manager's approval, a supervisor's approval, a decision on a line over its tolerance,
booking, reopening; and `slip show`. Each action calls one operation of models/."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, code_word, needs, read_file

# A slip's lines, one row each: the same columns as `import slips` without slip_no and case_no.
LINE_COLUMNS = ["line_no", "part_no", "description", "unit", "approved_qty", "unit_price",
                "tolerance_pct", "reason", "handling"]
# Which column a refusal of models.slips.check_line is about, by the words it names it with
# (the first that matches: "unit price" before "unit").
_COLUMN_WORDS = (("line number", "line_no"), ("line_no", "line_no"), ("part number", "part_no"),
                 ("approved quantity", "approved_qty"), ("unit price", "unit_price"),
                 ("tolerance", "tolerance_pct"), ("unit", "unit"), ("reason", "reason"),
                 ("handling", "handling"))


def read_lines(path: str) -> list:
    """The slip's lines from the CSV file at `path`: every row checked; any bad row refuses
    the whole file, in one line naming each bad row and its column."""
    from models.errors import DeskError
    from models.imports import BatchRefused, read_rows
    from models.slips import LineSpec, check_line
    data = read_file(path)
    try:
        rows = read_rows(data, LINE_COLUMNS)
    except BatchRefused as exc:
        raise Failure(_("{file}: {problems}; no slip was issued").format(
            file=path, problems="; ".join(exc.lines()))) from None
    specs, problems = [], []
    for number, row in rows:
        try:
            try:
                line_no = int(row["line_no"])
            except ValueError:
                raise ValueError(_("line_no {value!r} is not a whole number").format(
                    value=row["line_no"])) from None
            spec = LineSpec(line_no, row["part_no"], row["description"], row["unit"],
                            row["approved_qty"], row["unit_price"], row["tolerance_pct"] or None,
                            row["reason"], row["handling"])
            check_line(spec)
        except (DeskError, ValueError) as exc:
            problems.append(_("line {number} ({column}): {problem}").format(
                number=number, column=_column(str(exc)), problem=exc))
        else:
            specs.append(spec)
    if problems:
        raise Failure(_("{file}: {problems}; no slip was issued").format(
            file=path, problems="; ".join(problems)))
    return specs


def _column(message: str) -> str:
    what = message.rpartition("slip line ")[2].partition(": ")[2] or message
    return next((column for words, column in _COLUMN_WORDS if words in what), "row")


def slip_argument(p) -> None:
    p.add_argument("slip_no", metavar="SLIP")


def issue_arguments(p) -> None:
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--lines", metavar="FILE.csv", help=",".join(LINE_COLUMNS))
    p.add_argument("--basis", default="", help=_("on what basis the goods may come back"))
    p.add_argument("--regional-manager", metavar="NAME",
                   help=_("the regional manager who approved a customer-caused return"))


def run_issue(args) -> int:
    from models.slips import issue_slip
    needs(args, "slip issue", "--case", "--lines")
    lines = read_lines(args.lines)
    slip = issue_slip(acting_user(args), args.case, lines, args.basis,
                      regional_manager=args.regional_manager)
    print(slip.slip_no)          # the number alone on its line: scripts read it
    print(_("{n} line(s) for case {case}; waits for a supervisor's approval (slip approve "
            "{slip})").format(
                       n=len(lines), case=slip.case.case_no, slip=slip.slip_no))
    return 0


def run_approve(args) -> int:
    from models.slips import approve_slip
    slip = approve_slip(acting_user(args), args.slip_no)
    print(_("slip {slip} approved by {name}: its goods may be received").format(
        slip=slip.slip_no, name=slip.approved_by.name))
    return 0


def regional_arguments(p) -> None:
    slip_argument(p)
    p.add_argument("--manager", metavar="NAME", help=_("the regional manager who approved"))


def run_regional(args) -> int:
    from models.slips import record_regional_approval
    needs(args, "slip regional", "--manager")
    slip = record_regional_approval(acting_user(args), args.slip_no, args.manager)
    print(_("slip {slip}: regional manager {name}'s approval recorded").format(
        slip=slip.slip_no, name=slip.regional_manager))
    return 0


def decide_arguments(p) -> None:
    slip_argument(p)
    p.add_argument("choice", metavar="accept_actual|cap_allowed|approved_only")
    p.add_argument("--line", metavar="N", help=_("the line over its tolerance"))
    p.add_argument("--reason", default="")


def run_decide(args) -> int:
    from models.numbers import number
    from models.reconciliation import decide_line
    needs(args, "slip decide", "--line")
    try:
        line_no = int(args.line)
    except ValueError:
        raise Failure(_("--line {value!r}: give the line's number, e.g. --line 1").format(
            value=args.line)) from None
    decision = decide_line(acting_user(args), args.slip_no, line_no, args.choice, args.reason)
    print(_("slip {slip} line {line}: {choice}, {qty} {unit} to book").format(
        slip=args.slip_no.strip().upper(), line=line_no,
        choice=code_word("line_decision", decision.choice), qty=number(decision.book_qty),
        unit=decision.line.unit))
    return 0


def book_arguments(p) -> None:
    slip_argument(p)
    p.add_argument("--override-reason", metavar="R",
                   help=_("a supervisor (--user) books before every unit is inspected, and "
                          "says why"))


def run_book(args) -> int:
    from models.numbers import amount
    from models.reconciliation import book_slip, slip_currency
    actor = acting_user(args)
    override = args.override_reason
    booking = book_slip(actor, args.slip_no, override_by=actor if override else None,
                        override_reason=override or "")
    print(_("slip {slip} booked: {amount}").format(
        slip=booking.slip.slip_no, amount=amount(booking.amount, slip_currency(booking.slip))))
    if booking.override_by_id:
        print(_("booked before every unit was inspected, by {name}: {reason}").format(
            name=booking.override_by.name, reason=booking.override_reason))
    return 0


def reopen_arguments(p) -> None:
    slip_argument(p)
    p.add_argument("--reason", default="")


def run_reopen(args) -> int:
    from models.reconciliation import reopen_slip
    slip = reopen_slip(acting_user(args), args.slip_no, args.reason)
    print(_("slip {slip} reopened: {status}").format(
        slip=slip.slip_no, status=code_word("slip_status", slip.status)))
    return 0


def run_show(args) -> int:
    from models.numbers import amount, number
    from models.reconciliation_rows import reconciliation_rows
    from models.receiving import units_of
    from models.slips import get_slip, lines_of
    if args.user:                       # optional for reading; a wrong PIN is still refused
        acting_user(args)
    slip = get_slip(args.slip_no)
    approval = (_("approved by {name} {date}").format(name=slip.approved_by.name,
                                                     date=f"{slip.approved_at:%Y-%m-%d}")
                if slip.approved_at else _("waits for a supervisor's approval"))
    print(_("slip {slip}  {status}  case {case}  issued {date} by {name}; {approval}").format(
        slip=slip.slip_no, status=code_word("slip_status", slip.status), case=slip.case.case_no,
        date=slip.issued_on, name=slip.issued_by.name, approval=approval))
    if slip.regional_manager:
        print(_("regional manager: {name}").format(name=slip.regional_manager))
    if slip.basis:
        print(_("basis: {basis}").format(basis=slip.basis))
    reasons = {line.line_no: line for line in lines_of(slip)}
    for row in reconciliation_rows(slip_no=slip.slip_no):
        f, line = row.figures, reasons[row.line_no]
        print("  " + _("line {line}: {part} {description}  approved {approved} {unit}, received "
                       "{received}, allowed {allowed}: {status}; book {book} = {amount}  "
                       "({handling}: {reason})").format(
            line=row.line_no, part=row.part_no, description=line.description,
            approved=number(f.approved), unit=row.unit, received=number(f.received),
            allowed=number(f.allowed), status=code_word("line_status", f.status),
            book=number(f.book_qty) or "-",
            amount=amount(row.amount, row.currency) if row.amount is not None else "-",
            handling=code_word("handling", line.handling), reason=line.reason))
    for unit in units_of(slip):
        print("  " + _("unit {unit}  {part}  {qty} {measure}  {state}").format(
            unit=unit.code, part=unit.line.part_no, qty=number(unit.qty),
            measure=unit.line.unit, state=code_word("unit_state", unit.state)))
    return 0


COMMANDS = (
    Command("slip", N_("return slips: issue, approve, decide, book, reopen, show"), actions=(
        Command("issue", N_("issue a slip for a case, its lines from a CSV (prints its number)"),
                run_issue, issue_arguments),
        Command("approve", N_("a supervisor approves a slip another person issued"),
                run_approve, slip_argument),
        Command("regional", N_("record the regional manager's approval of a customer-caused "
                               "return"), run_regional, regional_arguments),
        Command("decide", N_("a supervisor decides a line received over its tolerance"),
                run_decide, decide_arguments),
        Command("book", N_("book a received slip (finance)"), run_book, book_arguments),
        Command("reopen", N_("a supervisor reopens a booked or received slip"), run_reopen,
                reopen_arguments),
        Command("show", N_("a slip's lines, figures and units"), run_show, slip_argument),
    )),
)
