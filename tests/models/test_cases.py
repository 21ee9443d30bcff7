"""Complaint cases on SQLite and PostgreSQL: numbering, windows, deadlines, decisions."""
import datetime as dt

import pytest

from models import clock
from models.cases import CaseFacts, assess, days_left, decide_late, open_case
from models.closing import close_case
from models.lists import count_overdue, overdue_cases
from models.errors import Refused
from models.settings import set_value
from models.tables import AuditLog, ComplaintCase

from ..helpers import case, customer


def open_on(desk, day, **facts):
    return case(desk, opened=day, received=facts.pop("received", day), **facts)


def test_numbers_restart_each_month(desk):
    customer(desk)
    numbers = [open_on(desk, dt.date(2026, 10, 30)).case_no,
               open_on(desk, dt.date(2026, 10, 31)).case_no,
               open_on(desk, dt.date(2026, 11, 2)).case_no,
               open_on(desk, dt.date(2026, 11, 3)).case_no]
    assert numbers == ["2610-001", "2610-002", "2611-001", "2611-002"]


def test_year_rollover(desk):
    customer(desk)
    with clock.frozen(dt.datetime(2027, 1, 4, 9)):
        assert open_on(desk, dt.date(2026, 12, 31)).case_no == "2612-001"
        assert open_on(desk, dt.date(2027, 1, 2)).case_no == "2701-001"


def test_serial_does_not_overflow_at_999(desk):
    customer(desk)
    open_on(desk, dt.date(2026, 11, 2), case_no="2611-999")
    assert open_on(desk, dt.date(2026, 11, 2)).case_no == "2611-1000"


def test_explicit_number_is_claimed(desk):
    customer(desk)
    open_on(desk, dt.date(2026, 11, 2), case_no="2611-007")
    assert open_on(desk, dt.date(2026, 11, 3)).case_no == "2611-008"
    with pytest.raises(Refused, match="already exists"):
        open_on(desk, dt.date(2026, 11, 3), case_no="2611-007")


@pytest.mark.parametrize("number, message", [
    ("2610-005", "does not belong to the month"),
    ("26110-01", "is not YYMM-NNN"),
    ("2611-000", "serials start at 001"),
])
def test_bad_explicit_numbers(desk, number, message):
    customer(desk)
    with pytest.raises(Refused, match=message):
        open_on(desk, dt.date(2026, 11, 2), case_no=number)
    assert ComplaintCase.select().count() == 0


def test_case_from_the_future_is_refused(desk):
    customer(desk)
    with clock.frozen(dt.datetime(2026, 11, 20, 9)):
        with pytest.raises(Refused, match="in the future"):
            open_case(desk.supervisor, CaseFacts("C1", "PO", "P", dt.date(2026, 11, 20),
                                                 "appearance", "minor",
                                                 complaint_received_on=dt.date(2026, 11, 21)))


class TestAcceptanceWindow:
    friday = dt.date(2026, 11, 20)

    def test_third_working_day_after_a_weekend_is_in(self, desk):
        customer(desk)
        c = open_on(desk, dt.date(2026, 11, 25), received=self.friday)  # Wed = 3rd working day
        assert (c.late, c.status, c.window_ends_on) == (False, "open", dt.date(2026, 11, 25))

    def test_fourth_working_day_is_late(self, desk):
        customer(desk)
        c = open_on(desk, dt.date(2026, 11, 26), received=self.friday)
        assert (c.late, c.status, c.due_on) == (True, "awaiting_decision", None)

    def test_holiday_extends_the_window(self, desk):
        customer(desk)
        set_value(desk.admin, "holidays", "2026-11-24")
        c = open_on(desk, dt.date(2026, 11, 26), received=self.friday)
        assert (c.late, c.window_ends_on) == (False, dt.date(2026, 11, 26))

    def test_performance_has_a_year(self, desk):
        customer(desk)
        with clock.frozen(dt.datetime(2027, 12, 1, 9)):
            inside = open_on(desk, dt.date(2027, 11, 20), received=dt.date(2026, 11, 20),
                             category="performance")
            outside = open_on(desk, dt.date(2027, 11, 21), received=dt.date(2026, 11, 20),
                              category="performance")
        assert (inside.late, outside.late) == (False, True)


class TestDeadlines:
    def test_domestic_13_days(self, desk):
        customer(desk, market="domestic")
        assert open_on(desk, dt.date(2026, 11, 2)).due_on == dt.date(2026, 11, 15)

    def test_foreign_17_days(self, desk):
        customer(desk, market="foreign")
        assert open_on(desk, dt.date(2026, 11, 2)).due_on == dt.date(2026, 11, 19)

    def test_overdue_list(self, desk):
        customer(desk)
        c = open_on(desk, dt.date(2026, 11, 2))
        assert overdue_cases(dt.date(2026, 11, 15)) == []
        assert [x.case_no for x in overdue_cases(dt.date(2026, 11, 16))] == [c.case_no]
        assert (count_overdue(dt.date(2026, 11, 15)), count_overdue(dt.date(2026, 11, 16))) == (0, 1)
        assert days_left(c, dt.date(2026, 11, 16)) == -1


class TestLateDecision:
    def late_case(self, desk):
        customer(desk)
        return open_on(desk, dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))

    def test_accept_starts_the_deadline(self, desk):
        c = self.late_case(desk)
        with clock.frozen(dt.datetime(2026, 11, 27, 9)):
            decided = decide_late(desk.supervisor, c.case_no, "accept_paid", "good customer")
        assert (decided.status, decided.against_payment) == ("open", True)
        assert decided.due_on == dt.date(2026, 12, 10)
        assert decided.decided_by.name == "supervisor"
        entry = AuditLog.select().where(AuditLog.action == "case.accept_paid").get()
        assert entry.user.name == "supervisor" and '"awaiting_decision"' in entry.before

    def test_reject(self, desk):
        c = self.late_case(desk)
        assert decide_late(desk.supervisor, c.case_no, "reject", "too late").status == "rejected"

    def test_needs_a_reason_and_a_pending_case(self, desk):
        c = self.late_case(desk)
        with pytest.raises(Refused, match="reason"):
            decide_late(desk.supervisor, c.case_no, "accept", "  ")
        decide_late(desk.supervisor, c.case_no, "accept", "ok")
        with pytest.raises(Refused, match="not waiting for a decision"):
            decide_late(desk.supervisor, c.case_no, "reject", "changed my mind")


def test_assess_and_close(desk):
    customer(desk)
    c = open_on(desk, dt.date(2026, 11, 2))
    with pytest.raises(Refused, match="does not fit"):
        assess(desk.inspector, c.case_no, "ours", "transport", "return")
    with pytest.raises(Refused, match="responsibility, cause and outcome"):
        close_case(desk.supervisor, c.case_no)
    assess(desk.inspector, c.case_no, "not_ours", "transport", "return")
    closed = close_case(desk.supervisor, c.case_no)
    assert (closed.status, closed.closed_by.name) == ("closed", "supervisor")


def test_defect_quantity_may_be_unknown(desk):
    customer(desk)
    c = open_on(desk, dt.date(2026, 11, 2), shipped_qty="100")
    assert c.defect_qty is None
    with pytest.raises(Refused, match="more than the 100 shipped"):
        open_on(desk, dt.date(2026, 11, 2), shipped_qty="100", defect_qty="101")
