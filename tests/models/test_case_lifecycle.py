"""A complaint from intake to quality's reply (issue 15), on SQLite and PostgreSQL: intake with
every fact, attachments kept in the database, the defective quantity filled in later, the
window judged on the day a case is entered, the assessment and the reply deadline. Each step
is on the case's timeline and in the audit trail; each refusal writes nothing."""
import datetime as dt
import hashlib
from decimal import Decimal as D

import pytest

from models import clock
from models.attachments import MAX_BYTES, NewAttachment, attach, list_attachments, read_attachment
from models.cases import (CAUSES, CaseFacts, assess, decide_late, get_case, is_customer_caused,
                          open_case, replies_due, set_defect_qty)
from models.errors import PermissionDenied, Refused
from models.imports import import_cases
from models.timeline import timeline
from models.tables import TABLES, AuditLog, CaseAssessment

from ..helpers import case, customer

ROLES = ("clerk", "inspector", "finance", "sales", "supervisor", "admin")
WED = dt.date(2026, 11, 18)


def contents():
    """Every row of every table: a refusal must leave this as it was."""
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).tuples())
            for model in TABLES}


def refused(action, match: str, error=Refused):
    before = contents()
    with pytest.raises(error, match=match):
        action()
    assert contents() == before, "a refusal wrote something"


def at(day: dt.date, hour: int = 10):
    return clock.frozen(dt.datetime.combine(day, dt.time(hour)))


def facts(**changes) -> CaseFacts:
    values = dict(customer_code="C1", order_no="SO-7", part_no="BRK-200",
                  customer_received_on=dt.date(2026, 11, 16), category="appearance",
                  severity="minor", shipped_qty="500", delivered_on=dt.date(2026, 11, 14),
                  defect_qty="40", defect="dents, paint cracked", request="credit note",
                  defect_position="flange, left side", defect_when="found at unpacking")
    values.update(changes)
    return CaseFacts(**values)


def audit_actions(case_no: str) -> list[tuple[str, str]]:
    return [(e.action, e.user.name) for e in AuditLog.select().where(
        AuditLog.entity == "case", AuditLog.entity_key == case_no).order_by(AuditLog.id)]


def said(case) -> list[str]:
    return [event.what for event in timeline(get_case(case.case_no))]


PHOTO = NewAttachment("flange-dent.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)


class TestIntake:
    def test_sales_open_a_case_with_every_fact_and_a_photo(self, desk):
        customer(desk)
        with at(WED):
            c = open_case(desk.sales, facts(), [PHOTO])
        c = get_case(c.case_no)
        assert c.case_no == "2611-001" and c.opened_on == WED and c.opened_by.name == "sales"
        assert (c.order_no, c.part_no, c.shipped_qty, c.defect_qty) == ("SO-7", "BRK-200",
                                                                       D(500), D(40))
        assert (c.delivered_on, c.customer_received_on) == (dt.date(2026, 11, 14),
                                                            dt.date(2026, 11, 16))
        assert (c.defect, c.defect_position, c.defect_when, c.request) == (
            "dents, paint cracked", "flange, left side", "found at unpacking", "credit note")
        assert (c.status, c.late, c.accepted_on, c.due_on) == ("open", False, WED,
                                                               dt.date(2026, 12, 1))
        assert c.reply_due_on == dt.date(2026, 11, 19) and c.complaint_received_on is None
        assert audit_actions(c.case_no) == [("case.open", "sales"), ("case.attach", "sales")]
        assert said(c)[0] == "case opened: appearance, minor"
        assert any(what.startswith("attached flange-dent.jpg (image/jpeg, 1.0 KB)")
                   for what in said(c))

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_open_a_case(self, desk, role):
        customer(desk)
        user = getattr(desk, role)
        with at(WED):
            if role in ("clerk", "finance"):
                refused(lambda: open_case(user, facts()), f"{role} is {role}: only inspector, "
                        "sales, supervisor, admin may open complaint cases", PermissionDenied)
            else:
                assert open_case(user, facts()).opened_by.name == role

    def test_the_window_is_judged_on_the_day_the_case_is_entered(self, desk):
        customer(desk)
        friday = dt.date(2026, 11, 20)          # the window ends Wed 25th
        with at(dt.date(2026, 11, 30)):
            c = open_case(desk.sales, facts(customer_received_on=friday,
                                            delivered_on=None,
                                            complaint_received_on=dt.date(2026, 11, 24)))
        assert (c.status, c.late, c.due_on) == ("awaiting_decision", True, None)
        assert c.complaint_received_on == dt.date(2026, 11, 24) and c.opened_on.day == 30
        assert said(c)[:2] == [
            "case opened: appearance, minor (the complaint came in on 2026-11-24)",
            "flagged late: the acceptance window ended 2026-11-25; needs a supervisor"]
        with at(dt.date(2026, 12, 1)):
            decide_late(desk.supervisor, c.case_no, "accept", "phoned in on the 24th")
        assert get_case(c.case_no).due_on == dt.date(2026, 12, 14)

    def test_an_earlier_complaint_date_inside_the_window_entered_inside_it(self, desk):
        customer(desk)
        with at(WED):
            c = open_case(desk.sales, facts(complaint_received_on=dt.date(2026, 11, 17)))
        assert (c.status, c.complaint_received_on) == ("open", dt.date(2026, 11, 17))

    @pytest.mark.parametrize("changes, message", [
        ({"complaint_received_on": dt.date(2026, 11, 19)},
         r"cannot have come in in the future \(2026-11-19\)"),
        ({"complaint_received_on": dt.date(2026, 11, 15)},
         r"received the goods \(2026-11-16\) after the complaint came in \(2026-11-15\)"),
        ({"defect_qty": "501"}, "defective quantity 501 is more than the 500 shipped"),
        ({"category": "smell"}, "category must be one of"),
        ({"defect_position": "x" * 201}, "defect position is longer than 200 characters"),
        ({"customer_code": "NOPE"}, "no customer with code 'NOPE'"),
    ])
    def test_bad_facts_write_nothing(self, desk, changes, message):
        customer(desk)
        with at(WED):
            refused(lambda: open_case(desk.sales, facts(**changes), [PHOTO]), message,
                    Exception)
            assert open_case(desk.sales, facts()).case_no == "2611-001"   # no number used up

    def test_severe_reply_due_in_two_working_days(self, desk):
        customer(desk)
        with at(dt.date(2026, 11, 20)):                            # a Friday
            c = open_case(desk.sales, facts(severity="severe", complaint_received_on=None,
                                            customer_received_on=dt.date(2026, 11, 19)))
        assert c.reply_due_on == dt.date(2026, 11, 24)

    def test_an_import_is_judged_on_the_import_day(self, desk):
        customer(desk)
        data = ("case_no,customer_code,order_no,part_no,shipped_qty,delivered_on,"
                "customer_received_on,defect_qty,category,severity,request,opened_on\n"
                ",C1,SO-1,P-1,10,,2026-11-02,1,appearance,minor,,2026-11-03\n")
        with at(dt.date(2026, 11, 22)):
            [c] = import_cases(desk.supervisor, data)
        assert (c.opened_on, c.complaint_received_on) == (dt.date(2026, 11, 22),
                                                          dt.date(2026, 11, 3))
        assert (c.late, c.status) == (True, "awaiting_decision")


class TestDefectQuantityLater:
    def test_filled_in_once_the_customer_knows(self, desk):
        customer(desk)
        with at(WED):
            c = open_case(desk.sales, facts(defect_qty=None))
        assert get_case(c.case_no).defect_qty is None
        refused(lambda: set_defect_qty(desk.clerk, c.case_no, "12"), "only inspector, sales",
                PermissionDenied)
        refused(lambda: set_defect_qty(desk.inspector, c.case_no, "600"),
                "600 is more than the 500 shipped")
        refused(lambda: set_defect_qty(desk.inspector, c.case_no, "-1"), "cannot be negative")
        with at(dt.date(2026, 11, 19)):
            set_defect_qty(desk.inspector, c.case_no, "12")
        assert get_case(c.case_no).defect_qty == D(12)
        refused(lambda: set_defect_qty(desk.sales, c.case_no, "13"),
                "already has its defective quantity")
        assert audit_actions(c.case_no)[-1] == ("case.defect_qty", "inspector")
        assert "defective quantity: 12" in said(c)


class TestAttachments:
    def test_kept_in_the_database_and_read_back_exactly(self, desk):
        customer(desk)
        c = case(desk)
        document = NewAttachment("Prüfbericht 3.pdf", b"%PDF-1.4\x00\x01" * 100)
        with at(dt.date(2026, 11, 19)):
            first = attach(desk.inspector, c.case_no, PHOTO)
            second = attach(desk.sales, c.case_no, document)
            third = attach(desk.sales, c.case_no, NewAttachment("scan", b"x", "Image/PNG"))
        listed = list_attachments(c)
        assert [(a.file_name, a.content_type, a.size, a.added_by) for a in listed] == [
            ("flange-dent.jpg", "image/jpeg", 1028, "inspector"),
            ("Prüfbericht 3.pdf", "application/pdf", 1000, "sales"),
            ("scan", "image/png", 1, "sales")]
        info, data = read_attachment(c, second.id)
        assert data == document.data and info.sha256 == hashlib.sha256(data).hexdigest()
        assert read_attachment(c, first.id)[1] == PHOTO.data
        assert third.added_at == dt.datetime(2026, 11, 19, 10)
        assert [a for a, _ in audit_actions(c.case_no)].count("case.attach") == 3

    @pytest.mark.parametrize("file, message", [
        (NewAttachment("empty.jpg", b""), r"empty.jpg is empty \(0 bytes\)"),
        (NewAttachment("big.tif", bytes(MAX_BYTES + 1)),
         "big.tif is 20.0 MB: an attachment may be at most 20 MB"),
        (NewAttachment("../etc/passwd", b"x"), "without a folder"),
        (NewAttachment("C:\\photos\\a.jpg", b"x"), "without a folder"),
        (NewAttachment("a\nb.jpg", b"x"), "control characters"),
        (NewAttachment("a\u202eb.jpg", b"x"), "control characters"),
        (NewAttachment("  ", b"x"), "needs a file name"),
        (NewAttachment("a.jpg", b"x", "jpeg please"), "is not a content type"),
    ])
    def test_refused_files_write_nothing(self, desk, file, message):
        customer(desk)
        c = case(desk)
        refused(lambda: attach(desk.sales, c.case_no, file), message)

    @pytest.mark.parametrize("role", ("clerk", "finance"))
    def test_who_may_not_attach(self, desk, role):
        customer(desk)
        c = case(desk)
        refused(lambda: attach(getattr(desk, role), c.case_no, PHOTO),
                "may attach photos or documents", PermissionDenied)

    def test_another_case_attachment_is_not_read(self, desk):
        customer(desk)
        one, other = case(desk), case(desk)
        photo = attach(desk.sales, one.case_no, PHOTO)
        with pytest.raises(Exception, match=f"case {other.case_no} has no attachment"):
            read_attachment(other, photo.id)


class TestAssessment:
    def test_the_first_assessment_is_the_reply_and_each_is_kept(self, desk):
        customer(desk)
        c = case(desk, opened=WED, received=dt.date(2026, 11, 17))
        with at(dt.date(2026, 11, 19), 9):
            assess(desk.inspector, c.case_no, "not_ours", "transport", "return")
        with at(dt.date(2026, 11, 20)):
            changed = assess(desk.supervisor, c.case_no, "ours", "process", "allowance",
                             "150.50", "dents from our packing line")
        assert (changed.responsibility, changed.cause, changed.outcome,
                changed.outcome_amount) == ("ours", "process", "allowance", D("150.50"))
        assert get_case(c.case_no).replied_at == dt.datetime(2026, 11, 19, 9)
        assert CaseAssessment.select().where(CaseAssessment.case == c).count() == 2
        assert audit_actions(c.case_no)[-2:] == [("case.assess", "inspector"),
                                                 ("case.assess", "supervisor")]
        assert "reply: not ours, cause transport, outcome return" in said(c)
        assert "assessment changed: ours, cause process, outcome allowance (money) 150.5" in said(c)

    def test_every_cause_of_the_list_fits_its_responsibility_only(self, desk):
        customer(desk)
        c = case(desk)
        assert CAUSES["not_ours"] == (
            "customer_misuse", "customer_order", "wrong_item", "transport", "not_our_product",
            "force_majeure", "wear", "unauthorised_repair", "wrong_voltage", "out_of_warranty")
        for responsibility, causes in CAUSES.items():
            other = "ours" if responsibility == "not_ours" else "not_ours"
            for cause in causes:
                assess(desk.inspector, c.case_no, responsibility, cause, "other")
                refused(lambda other=other, cause=cause: assess(desk.inspector, c.case_no, other,
                                                                cause, "other"),
                        f"cause '{cause}' does not fit responsibility {other}")

    @pytest.mark.parametrize("outcome, amount, message", [
        ("allowance", None, r"allowance \(money\) needs its amount"),
        ("compensation", "0", "must be more than 0"),
        ("compensation", "10.005", "more than 2 decimal places"),
        ("compensation", "ten", "is not a number"),
        ("return", "10", "an amount goes with an allowance or compensation, not with return"),
        ("refund", None, "outcome must be one of return, rework, repair, onsite_repair, "
                         "exchange, replenish, allowance, compensation, other"),
    ])
    def test_money_only_where_the_outcome_is_money(self, desk, outcome, amount, message):
        customer(desk)
        c = case(desk)
        refused(lambda: assess(desk.inspector, c.case_no, "ours", "quality", outcome, amount),
                message)

    @pytest.mark.parametrize("role", ("clerk", "finance", "sales"))
    def test_who_may_not_assess(self, desk, role):
        customer(desk)
        c = case(desk)
        refused(lambda: assess(getattr(desk, role), c.case_no, "ours", "quality", "return"),
                "only inspector, supervisor, admin", PermissionDenied)

    def test_a_rejected_complaint_is_not_assessed(self, desk):
        customer(desk)
        late = case(desk, opened=dt.date(2026, 11, 26), received=dt.date(2026, 11, 20))
        decide_late(desk.supervisor, late.case_no, "reject", "too late")
        refused(lambda: assess(desk.inspector, late.case_no, "ours", "quality", "return"),
                "is rejected")

    def test_customer_caused(self, desk):
        customer(desk)
        c = case(desk)
        for cause, caused in (("customer_order", True), ("wrong_item", True),
                              ("customer_misuse", False), ("transport", False)):
            assert is_customer_caused(assess(desk.inspector, c.case_no, "not_ours", cause,
                                             "return")) is caused


class TestRepliesDue:
    def test_due_by_the_next_working_day_or_past(self, desk):
        customer(desk)
        monday, thursday = dt.date(2026, 11, 16), dt.date(2026, 11, 19)
        minor = case(desk, opened=monday, received=monday)                  # due Tue 17th
        severe = open_severe(desk, monday)                                  # due Wed 18th
        friday_due = case(desk, opened=thursday, received=thursday)         # due Fri 20th
        monday_due = open_severe(desk, thursday)                            # due Mon 23rd

        def due(day):
            return [c.case_no for c in replies_due(day)]
        assert due(monday) == [minor.case_no]
        assert due(dt.date(2026, 11, 17)) == [minor.case_no, severe.case_no]
        assert due(dt.date(2026, 11, 20)) == [minor.case_no, severe.case_no,
                                              friday_due.case_no, monday_due.case_no]
        with at(dt.date(2026, 11, 20)):
            assess(desk.inspector, minor.case_no, "ours", "quality", "rework")
        assert minor.case_no not in due(dt.date(2026, 11, 20))


def open_severe(desk, day):
    with at(day, 9):
        return open_case(desk.supervisor, facts(severity="severe", customer_received_on=day,
                                                delivered_on=None))
