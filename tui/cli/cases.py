"""`case`: a complaint from intake to close: open (with its photos), the late decision, the
assessment, the defective quantity found later, closing, reopening, reminders; and reading a
case back (`case show`, `case attachment`). Each action calls one operation of models/, which
checks the role and the rules and records the step in the audit trail."""
from __future__ import annotations

from pathlib import Path

from tui.cli.common import Command, Failure, acting_user, iso_date, needs, read_file

UNKNOWN = "unknown"     # --defect-qty while the customer is still processing the goods


def open_arguments(p) -> None:
    p.add_argument("--customer", metavar="CODE")
    p.add_argument("--order", metavar="ORDER_NO", help="the customer's order number")
    p.add_argument("--part", metavar="PART_NO")
    p.add_argument("--shipped", metavar="QTY", help="the quantity shipped")
    p.add_argument("--delivered-on", metavar="YYYY-MM-DD", help="the day the goods were delivered")
    p.add_argument("--received-on", metavar="YYYY-MM-DD",
                   help="the day the customer received the goods (the window counts from it)")
    p.add_argument("--defect-qty", metavar="QTY|unknown",
                   help="the defective quantity, or unknown while the customer is still "
                        "processing (fill it in later with `case defect-qty`)")
    p.add_argument("--category", help="appearance, model_quantity or performance")
    p.add_argument("--severity", help="minor or severe")
    p.add_argument("--defect", metavar="TEXT", default="", help="the defect: its nature, in words")
    p.add_argument("--defect-position", metavar="TEXT", default="", help="where on the part")
    p.add_argument("--defect-when", metavar="TEXT", default="",
                   help="when it happened (on arrival, in assembly, after a month ...)")
    p.add_argument("--request", metavar="TEXT", default="", help="what the customer asks for")
    p.add_argument("--complaint-received-on", metavar="YYYY-MM-DD",
                   help="the day the complaint came in, when before today (then the case may "
                        "need a supervisor's decision)")
    p.add_argument("--attach", metavar="FILE", action="append", default=[],
                   help="a photo or document of the defect (as often as needed)")


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
    print(case.case_no)
    if case.late:
        print(f"late: its acceptance window ended {case.window_ends_on}; a supervisor decides "
              f"it (case decide {case.case_no} accept|accept_paid|reject --reason R)")
    else:
        print(f"accepted; to close by {case.due_on}")
    print(f"quality's reply due by {case.reply_due_on}"
          + (f"; {len(files)} attachment(s)" if files else ""))
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
        print(f"case {case.case_no} rejected: nothing is received or booked on it")
    else:
        paid = " against payment" if case.against_payment else ""
        print(f"case {case.case_no} accepted{paid}; to close by {case.due_on}")
    return 0


def assess_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--responsibility", metavar="ours|not_ours")
    p.add_argument("--cause", help="ours: quality, process, design; not_ours: customer_misuse, "
                                   "customer_order, wrong_item, transport, not_our_product, "
                                   "force_majeure, wear, unauthorised_repair, wrong_voltage, "
                                   "out_of_warranty")
    p.add_argument("--outcome", help="return, rework, repair, onsite_repair, exchange, "
                                     "replenish, allowance, compensation or other")
    p.add_argument("--amount", help="the agreed amount of an allowance or compensation")
    p.add_argument("--note", default="")


def run_assess(args) -> int:
    from models.cases import assess
    needs(args, "case assess", "--responsibility", "--cause", "--outcome")
    case = assess(acting_user(args), args.case_no, args.responsibility, args.cause, args.outcome,
                  args.amount, args.note)
    amount = f" {case.outcome_amount}" if case.outcome_amount is not None else ""
    print(f"case {case.case_no} assessed: {case.responsibility}, cause {case.cause}, "
          f"outcome {case.outcome}{amount}")
    return 0


def defect_qty_arguments(p) -> None:
    case_argument(p)
    p.add_argument("qty", metavar="QTY")


def run_defect_qty(args) -> int:
    from models.cases import set_defect_qty
    case = set_defect_qty(acting_user(args), args.case_no, args.qty)
    print(f"case {case.case_no}: defective quantity {case.defect_qty}")
    return 0


def attach_arguments(p) -> None:
    case_argument(p)
    p.add_argument("file", metavar="FILE")


def run_attach(args) -> int:
    from models.attachments import NewAttachment, attach
    data = read_file(args.file)
    info = attach(acting_user(args), args.case_no, NewAttachment(Path(args.file).name, data))
    print(f"attachment {info.id} added to case {info.case_no}: {info.file_name}")
    return 0


def close_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--reason", help="why, when a supervisor closes it with work unfinished")


def run_close(args) -> int:
    from models.cases import get_case
    from models.closing import close_case
    from models.tables import CaseClosing
    case = close_case(acting_user(args), args.case_no, args.reason)
    closing = get_case(case.case_no).closings.order_by(CaseClosing.id.desc()).first()
    when = (f"{closing.days_late} day(s) after its deadline {closing.due_on}" if closing.days_late
            else f"on time (due {closing.due_on})" if closing.due_on else "")
    print(f"case {case.case_no} closed on {closing.closed_on}" + (f", {when}" if when else ""))
    return 0


def reopen_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--reason", default="")


def run_reopen(args) -> int:
    from models.closing import reopen_case
    case = reopen_case(acting_user(args), args.case_no, args.reason)
    print(f"case {case.case_no} reopened; still due by {case.due_on}")
    return 0


def remind_arguments(p) -> None:
    case_argument(p)
    p.add_argument("--to", metavar="DEPT", help="quality, manufacturing, rd or sales")
    p.add_argument("--note", default="")


def run_remind(args) -> int:
    from models.reminders import issue_reminder
    needs(args, "case remind", "--to")
    reminder = issue_reminder(acting_user(args), args.case_no, args.to, args.note)
    print(f"reminder to {reminder.department} on case {reminder.case.case_no}: "
          f"{reminder.days_overdue} day(s) past its deadline {reminder.due_on}")
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
    from models.reports import timeline
    customer = case.customer
    defect = "; ".join(part for part in (case.defect, case.defect_position and
                                         f"at {case.defect_position}", case.defect_when) if part)
    lines = [
        f"case {case.case_no}  {case.status}" + ("  (accepted against payment)"
                                                 if case.against_payment else ""),
        f"customer:   {customer.code} {customer.name} ({customer.market})",
        f"order:      {case.order_no}   part: {case.part_no}",
        f"shipped:    {number(case.shipped_qty) or '-'}   delivered on: {case.delivered_on or '-'}"
        f"   received by the customer on: {case.customer_received_on}",
        "defective:  " + (number(case.defect_qty) if case.defect_qty is not None
                          else "not yet determined (the customer is still processing)"),
        f"category:   {case.category}   severity: {case.severity}",
        f"defect:     {defect or '-'}",
        f"request:    {case.request or '-'}",
        f"opened on:  {case.opened_on} by {case.opened_by.name}"
        + (f" (the complaint came in on {case.complaint_received_on})"
           if case.complaint_received_on else "")
        + f"; acceptance window ended {case.window_ends_on}" + (" (late)" if case.late else ""),
    ]
    if case.decided_at:
        lines.append(f"decided:    by {case.decided_by.name}: {case.decision_reason}")
    reply = (f"replied {case.replied_at:%Y-%m-%d}" if case.replied_at else "not replied yet")
    lines.append(f"reply due:  {reply_due_on(case)} ({reply})")
    if case.due_on:
        left = days_left(case)
        state = ("" if left is None else f" ({left} day(s) left)" if left >= 0
                 else f" ({-left} day(s) overdue)")
        lines.append(f"close by:   {case.due_on}{state}")
    if case.responsibility:
        amount = f" {case.outcome_amount}" if case.outcome_amount is not None else ""
        lines.append(f"assessed:   {case.responsibility}, cause {case.cause}, "
                     f"outcome {case.outcome}{amount}")
    if case.closed_on:
        lines.append(f"closed on:  {case.closed_on} by {case.closed_by.name}")
    files = list_attachments(case)
    lines.append("attachments:" + ("" if files else " none"))
    lines += [f"  {a.id:>4}  {a.file_name}  {a.content_type}  {size_text(a.size)}  "
              f"added by {a.added_by} {a.added_at:%Y-%m-%d %H:%M}" for a in files]
    reminders = reminders_of(case)
    lines.append("reminders:" + ("" if reminders else " none"))
    lines += [f"  {r.at:%Y-%m-%d} to {r.department} by {r.by.name}: {r.days_overdue} day(s) "
              f"overdue" + (f" ({r.note})" if r.note else "") for r in reminders]
    lines.append("steps:")
    today = clock.today()
    for step in case_steps(case, today):
        lines.append(f"  {step.name:<28} due {str(step.due_on or '-'):<10}  "
                     f"done {str(step.done_on or '-'):<10}  {_lateness(step)}")
    lines.append("timeline:")
    lines += [f"  {event.at:%Y-%m-%d %H:%M}  {event.what}" + (f" ({event.who})" if event.who
                                                              else "")
              for event in timeline(case)]
    return lines


def _lateness(step) -> str:
    if step.days_late is None:
        return ""
    days = "working day(s)" if step.working else "day(s)"
    if step.done_on is None:
        return f"not done, {step.days_late} {days} late" if step.days_late else "not done yet"
    return f"{step.days_late} {days} late" if step.days_late else "on time"


def attachment_arguments(p) -> None:
    case_argument(p)
    p.add_argument("attachment_id", metavar="ID", help="as `case show` lists it")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: its own name, "
                                                 "in this folder)")


def run_attachment(args) -> int:
    from models.attachments import read_attachment
    from models.cases import get_case
    from models.files import writing
    if args.user:
        acting_user(args)
    try:
        attachment_id = int(args.attachment_id)
    except ValueError:
        raise Failure(f"attachment {args.attachment_id!r}: give its number, as `case show` "
                      "lists it") from None
    info, data = read_attachment(get_case(args.case_no), attachment_id)
    out = args.out or info.file_name
    with writing(out, "wb") as file:     # whole, or not at all
        file.write(data)
    print(f"{info.file_name} ({len(data)} bytes) written to {out}")
    return 0


COMMANDS = (
    Command("case", "complaint cases: open, decide, assess, close, reopen, remind, show",
            actions=(
                Command("open", "open a complaint case (prints its number)", run_open,
                        open_arguments),
                Command("decide", "a supervisor decides a late complaint", run_decide,
                        decide_arguments),
                Command("assess", "record responsibility, cause and outcome", run_assess,
                        assess_arguments),
                Command("defect-qty", "fill in the defective quantity found later",
                        run_defect_qty, defect_qty_arguments),
                Command("attach", "add a photo or document to a case", run_attach,
                        attach_arguments),
                Command("close", "close a case (a supervisor may close it unfinished, with "
                                 "a reason)", run_close, close_arguments),
                Command("reopen", "a supervisor reopens a closed case", run_reopen,
                        reopen_arguments),
                Command("remind", "a supervisor chases an overdue case at a department",
                        run_remind, remind_arguments),
                Command("show", "a case's facts, deadlines, attachments, reminders and steps",
                        run_show, case_argument),
                Command("attachment", "write an attachment of a case to a file",
                        run_attachment, attachment_arguments),
            )),
)
