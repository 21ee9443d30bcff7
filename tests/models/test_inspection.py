"""Inspection: restock only after a pass, splits add up, the result becomes the return reason."""
from decimal import Decimal as D

import pytest

from models.errors import PermissionDenied, Refused
from models.inspection import (FAIL_DISPOSITIONS, PASS_DISPOSITIONS, Portion, inspect,
                               inspection_queue, waiting_on_line)
from models.receiving import receive_count, receive_scan, reverse_unit
from models.slips import get_line
from models.tables import Inspection, Unit

from ..helpers import ready_slip


def test_pass_goes_back_to_stock(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    inspect(desk.inspector, unit.code, [Portion(True, "restock", "1")])
    assert Unit.get_by_id(unit.id).state == "inspected"
    assert get_line(s, 1).return_reason == "1 pass -> restock"


def test_failed_goods_never_restock(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    with pytest.raises(Refused, match="cannot go back into stock"):
        inspect(desk.inspector, unit.code, [Portion(False, "restock", "1")], "appearance", "dent")
    assert Inspection.select().count() == 0 and Unit.get_by_id(unit.id).state == "awaiting"


def test_fail_needs_defect_class_and_cause(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    with pytest.raises(Refused, match="defect class"):
        inspect(desk.inspector, unit.code, [Portion(False, "scrap", "1")])
    with pytest.raises(Refused, match="cause"):
        inspect(desk.inspector, unit.code, [Portion(False, "scrap", "1")], "appearance")
    inspect(desk.inspector, unit.code, [Portion(False, "scrap", "1")], "appearance", "dent")
    assert get_line(s, 1).return_reason == "1 fail -> scrap (appearance: dent)"


def test_a_lot_is_split_and_must_add_up(desk):
    s = ready_slip(desk, ("WIRE", "kg", "20", "3"))
    lot = receive_count(desk.clerk, s.slip_no, "WIRE", "12.5").unit
    with pytest.raises(Refused, match="adds up to 12.4 but"):
        inspect(desk.inspector, lot.code, [Portion(True, "restock", "10"),
                                           Portion(False, "scrap", "2.4")], "material", "rust")
    done = inspect(desk.inspector, lot.code, [Portion(True, "restock", "10"),
                                              Portion(False, "scrap", "2.5")], "material", "rust")
    assert done.result == "split"
    assert sorted((p.disposition, p.qty) for p in done.portions) == [("restock", D(10)),
                                                                     ("scrap", D("2.5"))]


def test_once_only_and_not_reversed_units(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    first = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    second = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    inspect(desk.inspector, first.code, [Portion(True, "restock", "1")])
    with pytest.raises(Refused, match="already inspected"):
        inspect(desk.inspector, first.code, [Portion(True, "restock", "1")])
    with pytest.raises(PermissionDenied, match="only supervisor, admin may reverse inspected"):
        reverse_unit(desk.clerk, first.code, "oops")
    reverse_unit(desk.clerk, second.code, "scanned twice")
    with pytest.raises(Refused, match="reversed"):
        inspect(desk.inspector, second.code, [Portion(True, "restock", "1")])


def test_queue_is_oldest_first_and_paged(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    codes = [receive_scan(desk.clerk, s.slip_no, "P-1").unit.code for _ in range(5)]
    inspect(desk.inspector, codes[1], [Portion(True, "restock", "1")])
    page = inspection_queue(limit=2)
    assert [u.code for u in page] == [codes[0], codes[2]]
    assert [u.code for u in inspection_queue(limit=2, after_id=page[-1].id)] == codes[3:]


def test_one_decision_for_a_quantity_of_a_line(desk):
    from models.inspection import inspect_line
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    codes = [receive_scan(desk.clerk, s.slip_no, "P-1").unit.code for _ in range(5)]
    done = inspect_line(desk.inspector, s.slip_no, 1, [Portion(True, "restock", "3"),
                                                       Portion(False, "scrap", "1")],
                        "appearance", "dent")
    assert [i.unit.code for i in done] == codes[:4]
    assert [i.result for i in done] == ["pass", "pass", "pass", "fail"]
    assert Unit.get(Unit.id == int(codes[4][1:])).state == "awaiting"
    assert get_line(s, 1).return_reason == "3 pass -> restock; 1 fail -> scrap (appearance: dent)"


def test_line_decision_over_lots_must_cover_whole_lots(desk):
    from models.inspection import inspect_line
    s = ready_slip(desk, ("WIRE", "kg", "30", "1"))
    receive_count(desk.clerk, s.slip_no, "WIRE", "10")
    receive_count(desk.clerk, s.slip_no, "WIRE", "5.5")
    with pytest.raises(Refused, match="does not match whole waiting units"):
        inspect_line(desk.inspector, s.slip_no, 1, [Portion(True, "restock", "12")])
    assert Inspection.select().count() == 0
    done = inspect_line(desk.inspector, s.slip_no, 1, [Portion(True, "restock", "12"),
                                                       Portion(False, "scrap", "3.5")],
                        "material", "rust")
    assert [(i.result, sorted((p.disposition, p.qty) for p in i.portions)) for i in done] == [
        ("pass", [("restock", D(10))]),
        ("split", [("restock", D(2)), ("scrap", D("3.5"))])]


def test_the_choices_a_pass_and_a_fail_have():
    """What the inspection screen offers is what inspect accepts: a pass goes back into stock
    or to the customer; a failure goes anywhere but stock."""
    assert PASS_DISPOSITIONS == ("restock", "return_customer")
    assert FAIL_DISPOSITIONS == ("rework", "repair", "scrap", "return_supplier", "return_customer")


@pytest.mark.parametrize("passed, disposition", [
    *((True, d) for d in PASS_DISPOSITIONS), *((False, d) for d in FAIL_DISPOSITIONS)])
def test_every_offered_disposition_is_recorded(desk, passed, disposition):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    inspect(desk.inspector, unit.code, [Portion(passed, disposition, "1")], "appearance", "dent")
    assert [(p.passed, p.disposition) for p in Inspection.get().portions] == [(passed, disposition)]


def test_what_waits_on_a_line_is_its_units_not_yet_inspected(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"), ("WIRE", "kg", "5", "1"))
    first = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    receive_scan(desk.clerk, s.slip_no, "P-1")
    receive_count(desk.clerk, s.slip_no, "WIRE", "1.25")
    assert (waiting_on_line(get_line(s, 1)), waiting_on_line(get_line(s, 2))) == (D(2), D("1.25"))
    inspect(desk.inspector, first.code, [Portion(True, "restock", "1")])
    assert waiting_on_line(get_line(s, 1)) == D(1)
