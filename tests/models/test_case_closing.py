"""A complaint from its slips to closed and after (issue 15), on SQLite and PostgreSQL: closing
by quality or, with work unfinished, by a supervisor with a reason; reopening; reminders on
overdue cases; how late each step was; the monthly statistics and their reminder. Each step
is on the timeline and in the audit trail; each refusal writes nothing."""
import datetime as dt
from decimal import Decimal as D

import pytest

from models import connect, migrate_all
from models.cases import assess, get_case
from models.customers import save_customer
from models.closing import Step, case_steps, close_case, reopen_case
from models.db import db
from models.errors import PermissionDenied
from models.inspection import Portion, inspect
from models.receiving import close_receiving, receive_scan
from models.reconciliation import book_slip, reopen_slip
from models.reminders import issue_reminder, reminder_sheet, reminders_for, reminders_of
from models.reports import mark_report_done, monthly_report, monthly_report_due
from models.timeline import timeline
from models.schema import _runner
from models.tables import CaseClosing, CaseReopening, ComplaintCase
from models.users import create_first_admin

from ..helpers import case, customer, slip
from .test_case_lifecycle import at, audit_actions, refused, said

MON = dt.date(2026, 11, 16)          # the case is opened; due to close on the 29th (13 days)


def returned(desk, pieces=2, inspected=2, booked=True, code="C1"):
    """An assessed case with one slip of `pieces` received, `inspected` of them inspected."""
    c = case(desk, code=code, opened=MON, received=MON)
    with at(MON, 11):
        s = slip(desk, c.case_no, ("P-1", "pcs", str(pieces), "10"))
    with at(dt.date(2026, 11, 17)):
        units = [receive_scan(desk.clerk, s.slip_no, "P-1").unit for _ in range(pieces)]
        close_receiving(desk.clerk, s.slip_no)
        assess(desk.inspector, c.case_no, "not_ours", "transport", "return")
    with at(dt.date(2026, 11, 18)):
        for unit in units[:inspected]:
            inspect(desk.inspector, unit.code, [Portion(True, "restock", "1")])
        if booked:
            book_slip(desk.finance, s.slip_no)
    return c, s, units


class TestClosing:
    def test_quality_closes_once_booked_and_inspected(self, desk):
        customer(desk)
        c, s, _ = returned(desk)
        with at(dt.date(2026, 11, 20), 15):
            closed = close_case(desk.inspector, c.case_no)
        assert (closed.status, closed.closed_on, closed.closed_by.name) == (
            "closed", dt.date(2026, 11, 20), "inspector")
        closing = CaseClosing.get(CaseClosing.case == c)
        assert (closing.due_on, closing.days_late, closing.reason, closing.unfinished) == (
            dt.date(2026, 11, 29), 0, None, "")
        assert audit_actions(c.case_no)[-1] == ("case.close", "inspector")
        assert said(c)[-1] == "case closed: return, by the deadline 2026-11-29"

    def test_unfinished_work_only_a_supervisor_closes_with_a_reason(self, desk):
        customer(desk)
        c, s, units = returned(desk, pieces=3, inspected=1, booked=False)
        work = f"slip {s.slip_no} is not booked \\(received\\); 2 unit\\(s\\) of {s.slip_no} " \
               "not inspected"
        refused(lambda: close_case(desk.inspector, c.case_no, "please"),
                f"cannot be closed yet: {work} \\(a supervisor may close it anyway")
        refused(lambda: close_case(desk.supervisor, c.case_no, " "),
                f"{work}: give the reason to close it anyway")
        with at(dt.date(2026, 12, 2)):
            close_case(desk.supervisor, c.case_no, "customer took the goods back")
        closing = CaseClosing.get(CaseClosing.case == c)
        assert (closing.days_late, closing.reason) == (3, "customer took the goods back")
        assert closing.unfinished.startswith(f"slip {s.slip_no} is not booked")
        assert said(c)[-1].startswith("case closed: return, 3 day(s) after the deadline "
                                      f"2026-11-29; closed with slip {s.slip_no} is not booked")

    def test_a_reversed_unit_is_not_waited_for(self, desk):
        from models.receiving import reverse_unit
        customer(desk)
        c = case(desk, opened=MON, received=MON)
        s = slip(desk, c.case_no, ("P-1", "pcs", "2", "10"))
        unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
        reverse_unit(desk.clerk, unit.code, "wrong slip")
        close_receiving(desk.clerk, s.slip_no)
        book_slip(desk.finance, s.slip_no)
        assess(desk.inspector, c.case_no, "ours", "quality", "return")
        assert close_case(desk.inspector, c.case_no).status == "closed"

    def test_needs_the_assessment_and_an_open_case(self, desk):
        customer(desk)
        c = case(desk)
        refused(lambda: close_case(desk.supervisor, c.case_no, "x"),
                "record the responsibility, cause and outcome")
        late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
        refused(lambda: close_case(desk.supervisor, late.case_no), "is to decide, not open")

    @pytest.mark.parametrize("role", ("clerk", "finance", "sales"))
    def test_who_may_not_close(self, desk, role):
        customer(desk)
        c, _, _ = returned(desk)
        refused(lambda: close_case(getattr(desk, role), c.case_no),
                "only inspector, supervisor, admin may close cases", PermissionDenied)


class TestReopening:
    def test_a_supervisor_reopens_and_history_stays(self, desk):
        customer(desk)
        c, _, _ = returned(desk)
        with at(dt.date(2026, 11, 20)):
            close_case(desk.inspector, c.case_no)
        refused(lambda: reopen_case(desk.inspector, c.case_no, "x"),
                "only supervisor, admin may reopen closed cases", PermissionDenied)
        refused(lambda: reopen_case(desk.supervisor, c.case_no, "  "), "give the reason")
        with at(dt.date(2026, 11, 23)):
            reopened = reopen_case(desk.supervisor, c.case_no, "customer refuses the credit")
        assert (reopened.status, reopened.closed_on, reopened.due_on) == (
            "open", None, dt.date(2026, 11, 29))
        refused(lambda: reopen_case(desk.supervisor, c.case_no, "again"), "only a closed case")
        with at(dt.date(2026, 12, 1)):
            close_case(desk.inspector, c.case_no)
        closings = list(CaseClosing.select().where(CaseClosing.case == c).order_by(CaseClosing.id))
        assert [(x.closed_on.day, x.days_late) for x in closings] == [(20, 0), (1, 2)]
        assert CaseReopening.get().closing_id == closings[0].id
        assert [a for a, _ in audit_actions(c.case_no)][-3:] == ["case.close", "case.reopen",
                                                                 "case.close"]
        assert said(c)[-3:] == ["case closed: return, by the deadline 2026-11-29",
                                "case reopened: customer refuses the credit",
                                "case closed: return, 2 day(s) after the deadline 2026-11-29"]


class TestReminders:
    def test_an_overdue_case_is_chased_at_its_department(self, desk):
        customer(desk)
        c = case(desk, opened=MON, received=MON)
        with at(dt.date(2026, 11, 29)):
            refused(lambda: issue_reminder(desk.supervisor, c.case_no, "quality"),
                    "is not overdue: it is due by 2026-11-29")
        with at(dt.date(2026, 12, 2), 8):
            refused(lambda: issue_reminder(desk.supervisor, c.case_no, "finance"),
                    "a reminder goes to quality, manufacturing, rd, sales, not 'finance'")
            refused(lambda: issue_reminder(desk.inspector, c.case_no, "quality"),
                    "only supervisor, admin may send reminders", PermissionDenied)
            first = issue_reminder(desk.supervisor, c.case_no, "quality", "reply today")
            issue_reminder(desk.admin, c.case_no, "manufacturing")
        assert (first.days_overdue, first.due_on) == (3, dt.date(2026, 11, 29))
        assert [(r.department, r.by.name) for r in reminders_of(c)] == [
            ("quality", "supervisor"), ("manufacturing", "admin")]
        assert [r.case.case_no for r in reminders_for("inspector")] == [c.case_no]
        assert [r.department for r in reminders_for("supervisor")] == ["manufacturing"]
        assert reminders_for("sales") == [] and reminders_for("clerk") == []
        assert [a for a, _ in audit_actions(c.case_no)][-2:] == ["case.remind", "case.remind"]
        assert "reminder to quality: 3 day(s) overdue" in said(c)

        with at(dt.date(2026, 12, 2), 9):
            sheet = reminder_sheet(first.id)
        assert (sheet.reminder_no, sheet.department, sheet.issued_by, sheet.note) == (
            f"{c.case_no}/1", "quality", "supervisor", "reply today")
        assert (sheet.customer_code, sheet.due_on, sheet.days_overdue) == ("C1", c.due_on, 3)
        assert sheet.waiting_on == ["quality's assessment (responsibility, cause, outcome)"]
        assert reminder_sheet(first.id + 1).reminder_no == f"{c.case_no}/2"

        assess(desk.inspector, c.case_no, "ours", "quality", "other")
        close_case(desk.inspector, c.case_no)
        assert reminders_for("inspector") == []            # a closed case is not chased
        refused(lambda: issue_reminder(desk.supervisor, c.case_no, "sales"), "is closed")


class TestSteps:
    def test_how_late_each_step_was(self, desk):
        customer(desk)
        c, s, _ = returned(desk)        # reply due Tue 17th, given on the 17th
        with at(dt.date(2026, 12, 1)):
            close_case(desk.inspector, c.case_no)
        steps = case_steps(get_case(c.case_no), dt.date(2026, 12, 5))
        due, window = dt.date(2026, 11, 29), dt.date(2026, 11, 19)
        assert steps == [
            Step("opened", window, MON, 0, working=True),
            Step("replied", dt.date(2026, 11, 17), dt.date(2026, 11, 17), 0, working=True),
            Step(f"slip {s.slip_no} issued", due, MON, 0),
            Step(f"slip {s.slip_no} received", due, dt.date(2026, 11, 17), 0),
            Step(f"slip {s.slip_no} booked", due, dt.date(2026, 11, 18), 0),
            Step("closed", due, dt.date(2026, 12, 1), 2)]

    def test_a_late_reply_counts_working_days_and_open_steps_run_on(self, desk):
        customer(desk)
        c = case(desk, opened=dt.date(2026, 11, 19), received=dt.date(2026, 11, 19))  # Thu
        with at(dt.date(2026, 11, 24)):                           # due Fri, given Tue: 2
            assess(desk.inspector, c.case_no, "ours", "quality", "rework")
        steps = {s.name: s for s in case_steps(get_case(c.case_no), dt.date(2026, 12, 4))}
        assert steps["replied"].days_late == 2 and steps["replied"].working
        assert steps["closed"] == Step("closed", dt.date(2026, 12, 2), None, 2)


class TestMonthlyStatistics:
    def test_counts_shares_and_the_deadline_kept(self, desk):
        for code in ("C1", "C2"):
            customer(desk, code)
        cases = [case(desk, code, opened=dt.date(2026, 10, 1), received=dt.date(2026, 10, 1))
                 for code in ("C1", "C1", "C2")]
        for c, (responsibility, cause), closed in zip(
                cases, [("ours", "quality"), ("ours", "design"), ("not_ours", "wrong_item")],
                [dt.date(2026, 10, 14), dt.date(2026, 10, 20), dt.date(2026, 11, 1)]):
            assess(desk.inspector, c.case_no, responsibility, cause, "other")
            with at(closed):
                close_case(desk.inspector, c.case_no)
        october = monthly_report("2026-10")
        assert (october.closed, october.closed_on_time, october.closed_late) == (2, 1, 1)
        assert october.closed_by_customer == {"C1": 2}
        assert october.share_by_customer == {"C1": D("100.0")}
        november = monthly_report("2026-11")
        assert november.closed_by_responsibility == {"not_ours": 1}

    def test_thirds_to_a_tenth_of_a_percent(self, desk):
        customer(desk)
        for responsibility, cause in (("ours", "quality"), ("ours", "process"),
                                      ("not_ours", "transport")):
            c = case(desk, opened=dt.date(2026, 10, 1), received=dt.date(2026, 10, 1))
            assess(desk.inspector, c.case_no, responsibility, cause, "other")
            with at(dt.date(2026, 10, 5)):
                close_case(desk.inspector, c.case_no)
        report = monthly_report("2026-10")
        assert report.share_by_responsibility == {"ours": D("66.7"), "not_ours": D("33.3")}
        assert report.share_by_category == {"appearance": D("100.0")}

    def test_quality_cost_of_a_failed_customer_caused_return(self, desk):
        customer(desk)
        c, s, units = returned(desk, pieces=2, inspected=0, booked=False)
        assess(desk.inspector, c.case_no, "not_ours", "wrong_item", "return")
        with at(dt.date(2026, 11, 19)):
            inspect(desk.inspector, units[0].code, [Portion(False, "scrap", "1")], "appearance",
                    "cracked at the customer")
            inspect(desk.inspector, units[1].code, [Portion(True, "restock", "1")])
        assert monthly_report("2026-11").quality_cost == [("C1", "pcs", D(1), D("10.00"), "CNY")]

    def test_booked_by_customer_and_unit_without_reopened_bookings(self, desk):
        for code in ("C1", "C2"):
            customer(desk, code)
        returned(desk, pieces=2, code="C1")                  # booked on 2026-11-18: 2 pcs, 20.00
        returned(desk, pieces=3, inspected=3, code="C2")
        _c, reopened, _units = returned(desk, pieces=4, inspected=4, code="C1")
        with at(dt.date(2026, 11, 19)):
            reopen_slip(desk.supervisor, reopened.slip_no, "booked on the wrong slip")
        _c, december, _units = returned(desk, pieces=5, inspected=5, code="C2",
                                          booked=False)
        with at(dt.date(2026, 12, 1)):
            book_slip(desk.finance, december.slip_no)
        report = monthly_report("2026-11")
        assert report.booked == [("C1", "pcs", D(2), D("20.00"), "CNY"),
                                 ("C2", "pcs", D(3), D("30.00"), "CNY")]
        assert report.booked_totals == {"CNY": D("50.00")}
        assert monthly_report("2026-12").booked == [("C2", "pcs", D(5), D("50.00"), "CNY")]

    def test_amounts_in_two_currencies_are_two_totals(self, desk):
        customer(desk, "C1")                                   # the site's currency, CNY
        save_customer(desk.supervisor, "EU1", "Kunde EU1", "foreign", currency="EUR")
        returned(desk, pieces=2, code="C1")                    # 2 x 10: 20.00 CNY
        returned(desk, pieces=3, inspected=3, code="EU1")      # 3 x 10: 30.00 EUR
        report = monthly_report("2026-11")
        assert report.booked == [("C1", "pcs", D(2), D("20.00"), "CNY"),
                                 ("EU1", "pcs", D(3), D("30.00"), "EUR")]
        assert report.booked_totals == {"CNY": D("20.00"), "EUR": D("30.00")}

    def test_due_from_the_first_to_the_ninth_until_marked_done(self, desk):
        assert monthly_report_due(dt.date(2026, 12, 1)) and monthly_report_due(dt.date(2026, 12, 9))
        assert not monthly_report_due(dt.date(2026, 12, 10))
        with at(dt.date(2026, 12, 2)):
            refused(lambda: mark_report_done(desk.inspector), "only supervisor, admin may mark "
                    "the monthly report done", PermissionDenied)
            refused(lambda: mark_report_done(desk.supervisor, "2026-12"), "is not over yet")
            refused(lambda: mark_report_done(desk.supervisor, "2026-13"), "is not YYYY-MM")
            done = mark_report_done(desk.supervisor)
            refused(lambda: mark_report_done(desk.admin, "2026-11"),
                    "already marked done by supervisor on 2026-12-02")
        assert done.month == "2026-11"
        assert not monthly_report_due(dt.date(2026, 12, 3))
        assert monthly_report_due(dt.date(2027, 1, 4))            # December's is next
        entry = audit_actions_of("report", "2026-11")
        assert entry == [("report.done", "supervisor")]


def audit_actions_of(entity, key):
    from models.tables import AuditLog
    return [(e.action, e.user.name) for e in AuditLog.select().where(
        AuditLog.entity == entity, AuditLog.entity_key == key)]


def test_the_migration_gives_cases_in_hand_their_reply_deadline(db_url):
    """A site upgraded to 0006: cases still worked on get reply_due_on, assessed ones the time
    of their first assessment from the audit trail."""
    connect(db_url, check=False)
    _runner().up("0005_reversal_request")
    admin = create_first_admin("admin", "9999")
    db.execute_sql("INSERT INTO customer (code, name, market) VALUES ('C1', 'C', 'domestic')")
    common = dict(customer=1, order_no="SO", part_no="P", customer_received_on=MON,
                  category="appearance", opened_by=admin, window_ends_on=MON, late=False)
    fields = [getattr(ComplaintCase, name) for name in (*common, "case_no", "severity",
                                                        "opened_on", "status",
                                                        "responsibility")]
    rows = [("2611-001", "severe", dt.date(2026, 11, 20), "open", "ours"),
            ("2611-002", "minor", dt.date(2026, 11, 20), "awaiting_decision", None),
            ("2611-003", "minor", dt.date(2026, 11, 20), "closed", "ours")]
    ComplaintCase.insert_many([(*common.values(), *row) for row in rows], fields).execute()
    db.execute_sql("INSERT INTO audit_log (at, user_id, action, entity, entity_key) VALUES "
                   "('2026-11-23 09:30:00', 1, 'case.assess', 'case', '2611-001'), "
                   "('2026-11-24 09:30:00', 1, 'case.assess', 'case', '2611-001')")
    migrate_all()
    got = {c.case_no: (c.reply_due_on, c.replied_at) for c in ComplaintCase.select()}
    assert got == {"2611-001": (dt.date(2026, 11, 24), dt.datetime(2026, 11, 23, 9, 30)),
                   "2611-002": (dt.date(2026, 11, 23), None),
                   "2611-003": (None, None)}
    closed = ComplaintCase.get(ComplaintCase.case_no == "2611-003")
    assert [e.what for e in timeline(closed)][0] == "case opened: appearance, minor"
    db.close()
