"""Finding cases as the cases screen and sales do, on SQLite and PostgreSQL: by a case, slip or
unit label number; else by an order number or a customer's code; else by part of a name."""
import datetime as dt

from models import clock
from models.cases import CaseFacts, assess, open_case
from models.closing import close_case
from models.customers import save_customer
from models.receiving import receive_scan
from models.reports import find_cases

from ..helpers import slip


def open_for(desk, code, order_no, day):
    with clock.frozen(dt.datetime.combine(day, dt.time(9))):
        return open_case(desk.supervisor, CaseFacts(code, order_no, "P-1", day, "appearance",
                                                    "minor"))


def numbers(cases):
    return [case.case_no for case in cases]


def test_a_number_finds_its_one_case(desk):
    save_customer(desk.supervisor, "SHJD", "SHJD Shanghai Jingda Machinery", "domestic")
    first = open_for(desk, "SHJD", "SO-1", dt.date(2026, 11, 2))
    second = open_for(desk, "SHJD", "SO-2", dt.date(2026, 11, 3))
    issued = slip(desk, second.case_no, ("P-1", "pcs", "5", "1"))
    unit = receive_scan(desk.clerk, issued.slip_no, "P-1").unit

    assert numbers(find_cases(first.case_no)) == [first.case_no]
    assert numbers(find_cases(f" {issued.slip_no.lower()} ")) == [second.case_no]
    assert numbers(find_cases(unit.code)) == [second.case_no]


def test_order_number_and_customer_code_before_names(desk):
    save_customer(desk.supervisor, "SHJD", "SHJD Shanghai Jingda Machinery", "domestic")
    save_customer(desk.supervisor, "JD", "Jiading Tools", "domestic")
    save_customer(desk.supervisor, "HZ", "杭州精工有限公司", "domestic")
    shjd_old = open_for(desk, "SHJD", "SO-7", dt.date(2026, 11, 2))
    shjd_new = open_for(desk, "SHJD", "SO-8", dt.date(2026, 11, 4))
    jd = open_for(desk, "JD", "SO-7", dt.date(2026, 11, 3))
    hz = open_for(desk, "HZ", "SO-9", dt.date(2026, 11, 5))

    # One order number can be on cases of two customers: all of them, nearest deadline first.
    assert numbers(find_cases("SO-7")) == [shjd_old.case_no, jd.case_no]
    # "JD" is a customer's code, and also inside SHJD's name: the code is what was meant.
    assert numbers(find_cases("JD")) == [jd.case_no]
    assert numbers(find_cases("SHJD")) == [shjd_old.case_no, shjd_new.case_no]
    # Part of a name, in any case; Chinese names too.
    assert numbers(find_cases("shanghai")) == [shjd_old.case_no, shjd_new.case_no]
    # Longer than any case number may be: still a name (it was refused as a case number).
    assert numbers(find_cases("Shanghai Jingda Machinery")) == [shjd_old.case_no, shjd_new.case_no]
    assert numbers(find_cases("精工")) == [hz.case_no]
    assert find_cases("nobody") == []
    assert find_cases("   ") == []


def test_the_list_stops_at_the_limit(desk):
    save_customer(desk.supervisor, "SHJD", "SHJD Shanghai Jingda Machinery", "domestic")
    opened = [open_for(desk, "SHJD", "SO-1", dt.date(2026, 11, day)) for day in range(2, 7)]
    nearest_deadline = [case.case_no for case in opened]
    assert numbers(find_cases("SO-1", limit=3)) == nearest_deadline[:3]
    assert numbers(find_cases("Jingda", limit=3)) == nearest_deadline[:3]


def test_found_cases_come_most_overdue_first_then_the_closed_newest_first(desk):
    """Issue 16.17: KRAU's 15-days-late case was listed before its 30-days-late one."""
    save_customer(desk.supervisor, "KRAU", "Krauss Maschinenbau GmbH", "foreign")
    long_late = open_for(desk, "KRAU", "EXP-1", dt.date(2026, 10, 1))
    closed_old = open_for(desk, "KRAU", "EXP-2", dt.date(2026, 10, 5))
    less_late = open_for(desk, "KRAU", "EXP-3", dt.date(2026, 10, 16))
    closed_new = open_for(desk, "KRAU", "EXP-4", dt.date(2026, 10, 20))
    not_due = open_for(desk, "KRAU", "EXP-5", dt.date(2026, 11, 30))
    with clock.frozen(dt.datetime(2026, 11, 1, 9)):
        for case in (closed_old, closed_new):
            assess(desk.inspector, case.case_no, "not_ours", "transport", "return")
            close_case(desk.supervisor, case.case_no, reason="test: work unfinished")
    expected = [long_late.case_no, less_late.case_no, not_due.case_no,
                closed_new.case_no, closed_old.case_no]
    with clock.frozen(dt.datetime(2026, 12, 5, 9)):
        assert numbers(find_cases("KRAU")) == expected
        assert numbers(find_cases("Krauss")) == expected
