"""What the home screen lists for a role, read in a worker thread: slips and units waiting,
overdue cases, late complaints, replies due, reminders, slips to approve, and whether last
month's report is due. No Textual here: the screen (tui.desk.overview) only draws it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import clock, lists
from models.access import allowed, sees
from models.i18n import N_, _, ngettext
from models.cases import count_replies_due, replies_due, reply_due_on
from models.codes import Target
from models.inspection import inspection_queue
from models.numbers import qty
from models.reconciliation_rows import lines_waiting_for_decision, lines_waiting_in_all
from models.reminders import reminders_for
from models.reports import monthly_report_due, previous_month
from models.words import word

SHOWN = 8   # rows of each kind on the home screen; the full lists are on their screens

# What needs someone first: a decision, a reminder, a reply or a deadline already missed.
URGENCY = ("late complaint", "over tolerance", "reminder", "reply overdue", "overdue case", "slip to approve",
           "reply due")
# A row's kind is what the code compares; the screen shows it in words (kind_word).
KINDS = {kind: kind for kind in (
    N_("slip to receive"), N_("unit to inspect"), N_("all to inspect"), N_("slip to book"),
    N_("overdue case"), N_("late complaint"), N_("reply overdue"), N_("reply due"),
    N_("reminder"), N_("slip to approve"), N_("over tolerance"))}


def kind_word(kind: str) -> str:
    """A row's kind in the current language (tui.desk.overview's first column)."""
    return _(KINDS[kind]) if kind in KINDS else kind


@dataclass(frozen=True)
class Waiting:
    kind: str
    key: str
    what: str
    when: str
    target: Target | None      # what Enter opens; None: the screen `place` (its whole list)
    late: bool = False
    place: str = ""
    # `what` where the screen has no room for `when` (80 columns: ~44 cells), when the facts
    # that matter are not all at the start of `what` and `when`
    brief: str = ""


@dataclass(frozen=True)
class Summary:
    counts: list[tuple[str, int]]
    rows: list[Waiting]
    report_due: str = ""                 # "2026-11" while last month's report is due


def _case_target(case_no: str) -> Target:
    return Target("case", case_no, case_no)


def _work_rows(role: str) -> tuple[list, list[Waiting]]:
    """Slips to receive, units to inspect, slips to book: the role's own work."""
    counts, rows = [], []
    if sees(role, "receive"):
        counts.append((N_("slips to receive"), lists.count_slips("receiving")))
        for slip in lists.slips("receiving", SHOWN):
            rows.append(Waiting("slip to receive", slip.slip_no,
                                _("{customer} · case {case}").format(customer=slip.customer,
                                                                     case=slip.case_no),
                                str(slip.issued_on), Target("slip", slip.slip_no, slip.case_no,
                                                            slip.slip_no, "receiving")))
    if sees(role, "inspect"):
        waiting = lists.count_awaiting_units()
        counts.append((N_("units to inspect"), waiting))
        units = inspection_queue(limit=SHOWN // 2)
        parts = lists.unit_rows(units)
        for unit in units:
            part, measure, slip_no, case_no = parts[unit.line_id]
            rows.append(Waiting("unit to inspect", unit.code, f"{part} · {qty(unit.qty)} {measure}",
                                f"{unit.received_at:%Y-%m-%d}",
                                Target("unit", unit.code, case_no, slip_no, "")))
        if waiting > len(units):   # the rest are on Inspection's own list, paged
            rows.append(Waiting("all to inspect",
                                ngettext("{n} unit", "{n} units", waiting).format(n=waiting),
                                _("Enter: Inspection lists them all"),
                                "", None, place="inspection"))
    if sees(role, "book"):
        counts.append((N_("slips to book"), lists.count_slips("received")))
        for slip in lists.slips("received", SHOWN):
            rows.append(Waiting("slip to book", slip.slip_no,
                                _("{customer} · case {case}").format(customer=slip.customer,
                                                                     case=slip.case_no),
                                str(slip.issued_on), Target("slip", slip.slip_no, slip.case_no,
                                                            slip.slip_no, "received")))
    return counts, rows


def _case_rows(role: str, today: dt.date) -> tuple[list, list[Waiting]]:
    """Overdue cases, late complaints, replies due, reminders and slips to approve."""
    counts, rows = [], []
    counts.append((N_("overdue cases"), lists.count_overdue(today)))
    for case in lists.overdue_cases(today, limit=SHOWN):
        rows.append(Waiting("overdue case", case.case_no, f"{case.customer.code} · {case.order_no}",
                            _("due {date} ({n} d late)").format(date=case.due_on,
                                                                 n=(today - case.due_on).days),
                            _case_target(case.case_no), late=True))
    if sees(role, "case.decide"):
        counts.append((N_("late complaints to decide"), lists.count_late_awaiting()))
        for case in lists.late_awaiting(SHOWN):
            rows.append(Waiting("late complaint", case.case_no,
                                _("{customer} · {category} · window ended {date}").format(
                                    customer=case.customer.code,
                                    category=word("category", case.category),
                                    date=case.window_ends_on),
                                _("opened {date}").format(date=case.opened_on),
                                _case_target(case.case_no), late=True))
    if sees(role, "case.assess"):
        # Every case that owes a reply is counted; one listed already (an overdue case, a late
        # complaint) is not listed again as a reply due.
        counts.append((N_("replies due"), count_replies_due(today)))
        listed = {row.key for row in rows}
        for case in replies_due(today, limit=SHOWN):
            if case.case_no in listed:
                continue
            due = reply_due_on(case)
            past = due < today
            rows.append(Waiting("reply overdue" if past else "reply due", case.case_no,
                                "{} · {} · {}".format(case.customer.code,
                                                      word("severity", case.severity),
                                                      case.part_no),
                                _("reply was due {date}").format(date=due) if past else
                                _("reply due today") if due == today else
                                _("reply due {date}").format(date=due),
                                _case_target(case.case_no), late=past))
    for reminder in reminders_for(role, limit=SHOWN):
        note = f" · {reminder.note}" if reminder.note else ""
        rows.append(Waiting("reminder", reminder.case.case_no,
                            _("to {department}").format(
                                department=word("department", reminder.department)) + note,
                            _("sent {date} ({n} d late)").format(
                                date=f"{reminder.at:%Y-%m-%d}", n=reminder.days_overdue),
                            _case_target(reminder.case.case_no), late=True))
    if allowed(role, "slip.approve"):
        counts.append((N_("slips to approve"), lists.count_slips("awaiting_approval")))
        for slip in lists.slips("awaiting_approval", SHOWN):
            rows.append(Waiting("slip to approve", slip.slip_no,
                                _("{customer} · case {case}").format(customer=slip.customer,
                                                                     case=slip.case_no),
                                _("issued {date}").format(date=slip.issued_on),
                                Target("slip", slip.slip_no, slip.case_no, slip.slip_no,
                                       "awaiting_approval")))
    return counts, rows


def _over_rows(role: str) -> tuple[list, list[Waiting]]:
    """Lines received beyond their tolerance that wait for a supervisor's decision before
    the slip is booked: for supervisors (who decide) and finance (who books)."""
    if not allowed(role, "book"):
        return [], []
    waiting, per_slip = lines_waiting_in_all(first=SHOWN)
    first_slips, listed = [], 0      # the slips of the first lines, to read only their lines
    for slip_no, count in per_slip.items():
        if listed >= SHOWN:
            break
        first_slips.append(slip_no)
        listed += count
    rows = [Waiting("over tolerance", line.slip_no,
                    # the figures first: a narrow column cuts the part, never a number
                    _("{received} of {approved} {unit}, allowed {allowed} · line {line} "
                      "{part}").format(received=qty(line.figures.received),
                                       approved=qty(line.figures.approved), unit=line.unit,
                                       allowed=qty(line.figures.allowed), line=line.line_no,
                                       part=line.part_no),
                    _("{customer} · case {case}").format(customer=line.customer_code,
                                                         case=line.case_no),
                    Target("slip", line.slip_no, line.case_no, line.slip_no, "received"), late=True,
                    # TRANSLATORS: home's row of a line over tolerance at 80 columns: at most 44
                    # cells with a part of 6; {over} is how much more was received than approved
                    brief=_("case {case} · +{over} {unit} · line {line} {part}").format(
                        case=line.case_no, over=qty(line.figures.received - line.figures.approved),
                        unit=line.unit, line=line.line_no, part=line.part_no))
            for line in lines_waiting_for_decision(first_slips)[:SHOWN]]
    return [(N_("over-tolerance lines to decide"), waiting)], rows


def summary(role: str, today: dt.date | None = None) -> Summary:
    """Worker thread: the counts and first rows of each kind this role works on."""
    today = today or clock.today()
    # the longest read first (~12 ms at 1,000,000 lines), while the screens are still built
    over_counts, over_rows = _over_rows(role)
    counts, rows = _work_rows(role)
    more_counts, more_rows = _case_rows(role, today)
    more_counts += over_counts
    rows += more_rows + over_rows
    urgent = {kind: n for n, kind in enumerate(URGENCY)}
    rows.sort(key=lambda row: urgent.get(row.kind, len(URGENCY)))
    due = (previous_month(today) if allowed(role, "report.done") and monthly_report_due(today)
           else "")
    return Summary(counts + more_counts, rows, due)
