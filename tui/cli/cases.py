"""`case`: a complaint from intake to close: open (with its photos), the late decision, the
assessment, the defective quantity found later, closing, reopening, reminders; and reading a
case back (`case show`, `case attachment`). Each action calls one operation of models/, which
checks the role and the rules and records the step in the audit trail."""
from __future__ import annotations

from pathlib import Path

from models.i18n import N_, _
from tui.cli.common import (Command, Failure, acting_user, code_word, iso_date, needs, pad,
                            read_file)

UNKNOWN = "unknown"     # --defect-qty while the customer is still processing the goods


def open_arguments(p) -> None:
    p.add_argument("--customer", metavar="CODE", help=_("the customer's code"))
    p.add_argument("--order", metavar="ORDER_NO", help=_("the customer's order number"))
    p.add_argument("--part", metavar="PART_NO", help=_("the part number"))
    p.add_argument("--shipped", metavar="QTY", help=_("the quantity shipped"))
    p.add_argument("--delivered-on", metavar="YYYY-MM-DD", help=_("the day the goods were delivered"))
    p.add_argument("--received-on", metavar="YYYY-MM-DD",
                   help=_("the day the customer received the goods (the window counts from it)"))
    p.add_argument("--defect-qty", metavar="QTY|unknown",
                   help=_("the defective quantity, or unknown while the customer is still "
                          "processing (fill it in later with `case defect-qty`)"))
    p.add_argument("--category", help=_("appearance, model_quantity or performance"))
    p.add_argument("--severity", help=_("minor or severe"))
    p.add_argument("--defect", metavar="TEXT", default="", help=_("the defect: its nature, in words"))
    p.add_argument("--defect-position", metavar="TEXT", default="", help=_("where on the part"))
    p.add_argument("--defect-when", metavar="TEXT", default="",
                   help=_("when it happened (on arrival, in assembly, after a month ...)"))
    p.add_argument("--request", metavar="TEXT", default="", help=_("what the customer asks for"))
    p.add_argument("--complaint-received-on", metavar="YYYY-MM-DD",
                   help=_("the day the complaint came in, when before today (then the case may "
                          "need a supervisor's decision)"))
    p.add_argument("--attach", metavar="FILE", action="append", default=[],
                   help=_("a photo or document of the defect (as often as needed)"))


def run_open(args) -> int:
    from models.attachments import NewAttachment
    from models.cases import CaseFacts, open_case
    needs(args, "case open", "--customer", "--order", "--part", "--received-on", "--category",
          "--severity")
    defect_qty = args.defect_qty
    if defect_qty is not None and defect_qty.strip().lower() == UNKNOWN:
        defect_qty = None
    facts = CaseFacts(
        customer_code=args.customer, order_no=args.order, part_no=args.part,
        customer_received_on=iso_date(args.received_on, "--received-on"),
        category=args.category, severity=args.severity, shipped_qty=args.shipped,
        delivered_on=iso_date(args.delivered_on, "--delivered-on"), defect_qty=defect_qty,
        defect=args.defect, request=args.request, defect_position=args.defect_position,
        defect_when=args.defect_when,
        complaint_received_on=iso_date(args.complaint_received_on, "--complaint-received-on"))
    # Every file is read before anything is recorded: one that cannot be read stops it all.
    files = [NewAttachment(Path(name).name, read_file(name)) for name in args.attach]
    case = open_case(acting_user(args), facts, files)
    print(case.case_no)          # the number alone on its line: scripts read it
    if case.late:
        print(_("late: its acceptance window ended {date}; a supervisor decides it (case "
                "decide {case} accept|accept_paid|reject --reason R)").format(
                    date=case.window_ends_on, case=case.case_no))
    else:
        print(_("accepted; to close by {date}").format(date=case.due_on))
    if files:
        print(_("quality's reply due by {date}; {n} attachment(s)").format(
            date=case.reply_due_on, n=len(files)))
    else:
        print(_("quality's reply due by {date}").format(date=case.reply_due_on))
    return 0


def case_argument(p) -> None:
    p.add_argument("case_no", metavar="CASE")


def decide_arguments(p) -> None:
    case_argument(p)
    p.add_argument("decision", metavar="accept|accept_paid|reject")
    p.add_argument("--reason", default="")


def run_decide(args) -> int:
    from models.cases import decide_late
    case = decide_late(acting_user(args), args.case_no, args.decision, args.reason)
    if case.status == "rejected":
        print(_("case {case} rejected: nothing is received or booked on it").format(
            case=case.case_no))
    elif case.against_payment:
        print(_("case {case} accepted against payment; to close by {date}").format(
            case=case.case_no, date=case.due_on))
    else:
        print(_("case {case} accepted; to close by {date}").format(
            case=case.case_no, date=case.due_on))
    return 0


def assess_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--responsibility", metavar="ours|not_ours")
    p.add_argument("--cause", help=_("ours: quality, process, design; not_ours: "
                                     "customer_misuse, customer_order, wrong_item, transport, "
                                     "not_our_product, force_majeure, wear, "
                                     "unauthorised_repair, wrong_voltage, out_of_warranty"))
    p.add_argument("--outcome", help=_("return, rework, repair, onsite_repair, exchange, "
                                       "replenish, allowance, compensation or other"))
    p.add_argument("--amount", help=_("the agreed amount of an allowance or compensation"))
    p.add_argument("--note", default="")


def run_assess(args) -> int:
    from models.cases import assess
    needs(args, "case assess", "--responsibility", "--cause", "--outcome")
    case = assess(acting_user(args), args.case_no, args.responsibility, args.cause, args.outcome,
                  args.amount, args.note)
    print(_("case {case} assessed: {assessment}").format(case=case.case_no,
                                                         assessment=_assessment(case)))
    return 0


def defect_qty_arguments(p) -> None:
    case_argument(p)
    p.add_argument("qty", metavar="QTY")


def run_defect_qty(args) -> int:
    from models.cases import set_defect_qty
    case = set_defect_qty(acting_user(args), args.case_no, args.qty)
    print(_("case {case}: defective quantity {qty}").format(case=case.case_no,
                                                            qty=case.defect_qty))
    return 0


def attach_arguments(p) -> None:
    case_argument(p)
    p.add_argument("file", metavar="FILE")


def run_attach(args) -> int:
    from models.attachments import NewAttachment, attach
    data = read_file(args.file)
    info = attach(acting_user(args), args.case_no, NewAttachment(Path(args.file).name, data))
    print(_("attachment {id} added to case {case}: {file}").format(
        id=info.id, case=info.case_no, file=info.file_name))
    return 0


def close_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--reason", help=_("why, when a supervisor closes it with work unfinished"))


def run_close(args) -> int:
    from models.cases import get_case
    from models.closing import close_case
    from models.tables import CaseClosing
    case = close_case(acting_user(args), args.case_no, args.reason)
    closing = get_case(case.case_no).closings.order_by(CaseClosing.id.desc()).first()
    if closing.days_late:
        print(_("case {case} closed on {date}, {n} day(s) after its deadline {due}").format(
            case=case.case_no, date=closing.closed_on, n=closing.days_late, due=closing.due_on))
    elif closing.due_on:
        print(_("case {case} closed on {date}, on time (due {due})").format(
            case=case.case_no, date=closing.closed_on, due=closing.due_on))
    else:
        print(_("case {case} closed on {date}").format(case=case.case_no,
                                                       date=closing.closed_on))
    return 0


def reopen_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--reason", default="")


def run_reopen(args) -> int:
    from models.closing import reopen_case
    case = reopen_case(acting_user(args), args.case_no, args.reason)
    print(_("case {case} reopened; still due by {date}").format(case=case.case_no,
                                                                date=case.due_on))
    return 0


def remind_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--to", metavar="DEPT", help=_("quality, manufacturing, rd or sales"))
    p.add_argument("--note", default="")


def run_remind(args) -> int:
    from models.reminders import issue_reminder
    needs(args, "case remind", "--to")
    reminder = issue_reminder(acting_user(args), args.case_no, args.to, args.note)
    print(_("reminder to {department} on case {case}: {n} day(s) past its deadline {due}").format(
        department=code_word("department", reminder.department), case=reminder.case.case_no,
        n=reminder.days_overdue, due=reminder.due_on))
    return 0


def run_show(args) -> int:
    from models.cases import get_case
    if args.user:                       # optional for reading; a wrong PIN is still refused
        acting_user(args)
    for line in case_sheet(get_case(args.case_no)):
        print(line)
    return 0


def case_sheet(case) -> list[str]:
    """The case as text: its facts, status and deadlines, attachments, reminders, how late
    each step was, and its timeline."""
    from models import clock
    from models.attachments import list_attachments, size_text
    from models.cases import days_left, reply_due_on
    from models.closing import case_steps
    from models.numbers import number
    from models.reminders import reminders_of
    from models.timeline import timeline
    customer = case.customer
    at = _("at {position}").format(position=case.defect_position) if case.defect_position else ""
    defect = "; ".join(part for part in (case.defect, at, case.defect_when) if part)
    status = code_word("status", case.status)
    lines = [
        _("case {case}  {status}  (accepted against payment)").format(case=case.case_no,
                                                                     status=status)
        if case.against_payment else
        _("case {case}  {status}").format(case=case.case_no, status=status),
        _("customer:   {code} {name} ({market})").format(
            code=customer.code, name=customer.name, market=code_word("market", customer.market)),
        _("order:      {order}   part: {part}").format(order=case.order_no, part=case.part_no),
        _("shipped:    {qty}   delivered on: {delivered}   received by the customer on: "
          "{received}").format(qty=number(case.shipped_qty) or "-",
                               delivered=case.delivered_on or "-",
                               received=case.customer_received_on),
        _("defective:  {qty}").format(
            qty=number(case.defect_qty) if case.defect_qty is not None
            else _("not yet determined (the customer is still processing)")),
        _("category:   {category}   severity: {severity}").format(
            category=code_word("category", case.category),
            severity=code_word("severity", case.severity)),
        _("defect:     {defect}").format(defect=defect or "-"),
        _("request:    {request}").format(request=case.request or "-"),
        _opened(case),
    ]
    if case.decided_at:
        lines.append(_("decided:    by {name}: {reason}").format(name=case.decided_by.name,
                                                              reason=case.decision_reason))
    reply = (_("replied {date}").format(date=f"{case.replied_at:%Y-%m-%d}") if case.replied_at
             else _("not replied yet"))
    lines.append(_("reply due:  {date} ({reply})").format(date=reply_due_on(case), reply=reply))
    if case.due_on:
        lines.append(_close_by(case.due_on, days_left(case)))
    if case.responsibility:
        lines.append(_("assessed:   {assessment}").format(assessment=_assessment(case)))
    if case.closed_on:
        lines.append(_("closed on:  {date} by {name}").format(date=case.closed_on,
                                                              name=case.closed_by.name))
    files = list_attachments(case)
    lines.append(_("attachments:") if files else _("attachments: none"))
    lines += ["  " + _("{id}  {file}  {type}  {size}  added by {name} {at}").format(
        id=f"{a.id:>4}", file=a.file_name, type=a.content_type, size=size_text(a.size), name=a.added_by,
        at=f"{a.added_at:%Y-%m-%d %H:%M}") for a in files]
    reminders = reminders_of(case)
    lines.append(_("reminders:") if reminders else _("reminders: none"))
    lines += ["  " + _reminder(r) for r in reminders]
    lines.append(_("steps:"))
    today = clock.today()
    for step in case_steps(case, today):
        lines.append("  " + _("{step} due {due}  done {done}  {lateness}").format(
            step=pad(_step_name(step.name), 28), due=pad(str(step.due_on or "-"), 10),
            done=pad(str(step.done_on or "-"), 10), lateness=_lateness(step)))
    lines.append(_("timeline:"))
    lines += [f"  {event.when:<16}  {event.what}" + (f" ({event.who})" if event.who
                                                              else "")
              for event in timeline(case)]
    return lines


def _assessment(case) -> str:
    """Responsibility, cause and outcome (and the amount of an allowance), in a line."""
    values = dict(responsibility=code_word("responsibility", case.responsibility),
                  cause=code_word("cause", case.cause), outcome=code_word("outcome", case.outcome))
    if case.outcome_amount is None:
        return _("{responsibility}, cause {cause}, outcome {outcome}").format(**values)
    return _("{responsibility}, cause {cause}, outcome {outcome} {amount}").format(
        amount=case.outcome_amount, **values)


def _opened(case) -> str:
    late = _(" (late)") if case.late else ""
    if case.complaint_received_on:
        return _("opened on:  {date} by {name} (the complaint came in on {came_in}); acceptance "
                 "window ended {window}{late}").format(
                     date=case.opened_on, name=case.opened_by.name,
                     came_in=case.complaint_received_on, window=case.window_ends_on, late=late)
    return _("opened on:  {date} by {name}; acceptance window ended {window}{late}").format(
        date=case.opened_on, name=case.opened_by.name, window=case.window_ends_on, late=late)


def _close_by(due_on, left: int | None) -> str:
    if left is None:
        return _("close by:   {date}").format(date=due_on)
    if left >= 0:
        return _("close by:   {date} ({n} day(s) left)").format(date=due_on, n=left)
    return _("close by:   {date} ({n} day(s) overdue)").format(date=due_on, n=-left)


def _reminder(r) -> str:
    values = dict(date=f"{r.at:%Y-%m-%d}", department=code_word("department", r.department),
                  name=r.by.name, n=r.days_overdue)
    if r.note:
        return _("{date} to {department} by {name}: {n} day(s) overdue ({note})").format(
            note=r.note, **values)
    return _("{date} to {department} by {name}: {n} day(s) overdue").format(**values)


def _step_name(name: str) -> str:
    """A step as `case show` names it: its code in English, its word in Chinese."""
    from models.i18n import SOURCE, language
    if language() == SOURCE:
        return name
    from models.words import step_word
    return step_word(name)


def _lateness(step) -> str:
    if step.days_late is None:
        return ""
    late = step.days_late
    if step.done_on is None:
        if not late:
            return _("not done yet")
        if step.working:
            return _("not done, {n} working day(s) late").format(n=late)
        return _("not done, {n} day(s) late").format(n=late)
    if not late:
        return _("on time")
    if step.working:
        return _("{n} working day(s) late").format(n=late)
    return _("{n} day(s) late").format(n=late)


def attachment_arguments(p) -> None:
    case_argument(p)
    p.add_argument("attachment_id", metavar="ID", help=_("as `case show` lists it"))
    p.add_argument("--out", metavar="FILE", help=_("where to write it (default: its own "
                                                   "name, in this folder)"))


def run_attachment(args) -> int:
    from models.attachments import read_attachment
    from models.cases import get_case
    from models.files import writing
    if args.user:
        acting_user(args)
    try:
        attachment_id = int(args.attachment_id)
    except ValueError:
        raise Failure(_("attachment {id!r}: give its number, as `case show` lists it").format(
            id=args.attachment_id)) from None
    info, data = read_attachment(get_case(args.case_no), attachment_id)
    out = args.out or info.file_name
    with writing(out, "wb") as file:     # whole, or not at all
        file.write(data)
    print(_("{file} ({n} bytes) written to {out}").format(file=info.file_name, n=len(data), out=out))
    return 0


COMMANDS = (
    Command("case", N_("complaint cases: open, decide, assess, close, reopen, remind, show"),
            actions=(
                Command("open", N_("open a complaint case (prints its number)"), run_open,
                        open_arguments),
                Command("decide", N_("a supervisor decides a late complaint"), run_decide,
                        decide_arguments),
                Command("assess", N_("record responsibility, cause and outcome"), run_assess,
                        assess_arguments),
                Command("defect-qty", N_("fill in the defective quantity found later"),
                        run_defect_qty, defect_qty_arguments),
                Command("attach", N_("add a photo or document to a case"), run_attach,
                        attach_arguments),
                Command("close", N_("close a case (a supervisor may close it unfinished, with "
                                    "a reason)"), run_close, close_arguments),
                Command("reopen", N_("a supervisor reopens a closed case"), run_reopen,
                        reopen_arguments),
                Command("remind", N_("a supervisor chases an overdue case at a department"),
                        run_remind, remind_arguments),
                Command("show", N_("a case's facts, deadlines, attachments, reminders and "
                                   "steps"), run_show, case_argument),
                Command("attachment", N_("write an attachment of a case to a file"),
                        run_attachment, attachment_arguments),
            )),
)
