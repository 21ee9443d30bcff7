"""Receiving against a slip: scans, counted lots, refusals that record nothing, reversals."""
from decimal import Decimal as D

import pytest

from models.errors import NotFound, Refused
from models.receiving import (FiguresChanged, close_receiving, get_unit, receive_count, receive_scan,
                              reverse_unit, slip_in_progress, undo_last)
from models.cases import get_case
from models.i18n import set_language
from models.timeline import timeline
from models.tables import AuditLog, Reversal, SlipLine, Unit

from ..helpers import case, ready_slip, refused, slip


def received(slip_no_line):
    return SlipLine.get_by_id(slip_no_line.id).received_qty


def snapshot():
    return (Unit.select().count(), AuditLog.select().count(),
            [line.received_qty for line in SlipLine.select().order_by(SlipLine.id)])


def test_each_scan_is_one_unit_with_its_own_label(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "2.50"))
    first = receive_scan(desk.clerk, s.slip_no, "P-1")
    second = receive_scan(desk.clerk, s.slip_no, " P-1\n")
    assert first.unit.code != second.unit.code
    assert second.figures.received == D(2) and second.figures.status == "under"
    assert get_unit(second.unit.code.lower()).id == second.unit.id
    entry = AuditLog.select().where(AuditLog.entity_key == first.unit.code).get()
    assert (entry.action, entry.user.name) == ("receive.scan", "clerk")


def test_unknown_code_is_refused_and_records_nothing(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "2.50"))
    before = snapshot()
    with pytest.raises(Refused, match="unknown code 'NOPE'"):
        receive_scan(desk.clerk, s.slip_no, "NOPE")
    assert snapshot() == before


def test_code_of_another_slip_names_that_slip(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "2.50"))
    other = slip(desk, case(desk).case_no, ("P-9", "pcs", "5", "1"))
    before = snapshot()
    with pytest.raises(Refused, match=f"belongs to slip {other.slip_no}"):
        receive_scan(desk.clerk, s.slip_no, "P-9")
    assert snapshot() == before


def test_unknown_slip(desk):
    with pytest.raises(NotFound, match="no return slip XX"):
        receive_scan(desk.clerk, "XX", "P-1")


def test_over_receipt_is_recorded_and_flagged(desk):
    s = ready_slip(desk, ("P-1", "pcs", "2", "1"), tolerance="0")
    receipts = [receive_scan(desk.clerk, s.slip_no, "P-1") for _ in range(3)]
    assert [r.over for r in receipts] == [False, False, True]
    assert receipts[-1].figures.received == D(3)


def test_counted_lot_of_bulk_goods(desk):
    s = ready_slip(desk, ("WIRE", "kg", "12.5", "3.10"))
    lot = receive_count(desk.clerk, s.slip_no, "WIRE", "12.345")
    assert lot.unit.lot and lot.unit.qty == D("12.345")
    with pytest.raises(Refused, match="counted in kg: enter the quantity"):
        receive_scan(desk.clerk, s.slip_no, "WIRE")


@pytest.mark.parametrize("qty, message", [
    ("-1", "more than 0"), ("0", "more than 0"), ("1.2345", "more than 3 decimal places"),
    ("abc", "not a number"), ("5000", "more than 10 times"), ("1" + "0" * 30, "too large"),
    ("1e30", "not a number"),
])
def test_bad_counts_are_refused(desk, qty, message):
    s = ready_slip(desk, ("WIRE", "kg", "12.5", "3.10"))
    before = snapshot()
    with pytest.raises(Refused, match=message):
        receive_count(desk.clerk, s.slip_no, "WIRE", qty)
    assert snapshot() == before


def test_pieces_are_whole(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    with pytest.raises(Refused, match="whole numbers"):
        receive_count(desk.clerk, s.slip_no, "P-1", "1.5")
    assert receive_count(desk.clerk, s.slip_no, "P-1", "4").figures.received == D(4)


def test_replaying_a_scan_id_records_nothing_new(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    first = receive_scan(desk.clerk, s.slip_no, "P-1", scan_id="term1-0001")
    again = receive_scan(desk.clerk, s.slip_no, "P-1", scan_id="term1-0001")
    assert again.replayed and again.unit.id == first.unit.id
    assert again.figures.received == D(1) and Unit.select().count() == 1


def test_undo_last_scan_reverses_only_your_own(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    mine = receive_scan(desk.clerk, s.slip_no, "P-1")
    receive_scan(desk.supervisor, s.slip_no, "P-1")
    undone = undo_last(desk.clerk, s.slip_no)
    assert undone.id == mine.unit.id and undone.state == "reversed"
    assert received(mine.line) == D(1)
    assert Unit.select().count() == 2      # nothing is deleted
    with pytest.raises(Refused, match="nothing of yours to undo"):
        undo_last(desk.clerk, s.slip_no)


def test_undo_is_stored_in_english_and_shown_in_the_readers_language(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    undone = undo_last(desk.clerk, s.slip_no)
    assert Reversal.get(Reversal.unit == undone.id).reason == "undo last scan"   # data stays
    try:
        set_language("zh-Hant")
        shown = [event.what for event in timeline(get_case(s.case.case_no))]
    finally:
        set_language("en")
    assert f"{undone.code} 已撤銷：復原上一次掃描" in shown, shown


def test_reversal_needs_a_reason_and_happens_once(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    unit = receive_scan(desk.clerk, s.slip_no, "P-1").unit
    with pytest.raises(Refused, match="say why"):
        reverse_unit(desk.clerk, unit.code, "")
    reverse_unit(desk.clerk, unit.code, "scanned twice")
    with pytest.raises(Refused, match="already reversed"):
        reverse_unit(desk.clerk, unit.code, "again")


def test_closed_slip_takes_nothing_more(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    close_receiving(desk.clerk, s.slip_no)
    before = snapshot()
    with pytest.raises(Refused, match="closed for receiving"):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    with pytest.raises(Refused, match="closed for receiving"):
        undo_last(desk.clerk, s.slip_no)
    assert snapshot() == before


def test_receiving_closes_only_on_the_figures_signed_for(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    shown = {1: D(1)}
    receive_scan(desk.supervisor, s.slip_no, "P-1")        # another terminal, meanwhile
    refused(lambda: close_receiving(desk.clerk, s.slip_no, shown), "since its figures were shown",
            FiguresChanged)
    assert close_receiving(desk.clerk, s.slip_no, {1: D(2)}).status == "received"


def test_a_clerk_carries_on_with_the_slip_of_their_last_scan(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    other = slip(desk, case(desk).case_no, ("P-9", "pcs", "5", "1"))
    assert slip_in_progress(desk.clerk) is None
    receive_scan(desk.clerk, s.slip_no, "P-1")
    receive_scan(desk.supervisor, other.slip_no, "P-9")     # someone else's scan elsewhere
    assert slip_in_progress(desk.clerk) == s.slip_no
    close_receiving(desk.clerk, s.slip_no)
    assert slip_in_progress(desk.clerk) is None               # nothing left to carry on with


def test_an_undo_sent_twice_undoes_once(desk):
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"))
    first, second = (receive_scan(desk.clerk, s.slip_no, "P-1") for _ in range(2))
    undone = undo_last(desk.clerk, s.slip_no, request_id="undo-1")
    again = undo_last(desk.clerk, s.slip_no, request_id="undo-1")   # the answer was lost
    assert undone.code == again.code == second.unit.code
    assert Unit.get_by_id(first.unit.id).state == "awaiting"
    assert received(SlipLine.get()) == D(1)


def test_a_slip_with_its_lines_in_one_lookup_is_what_get_slip_and_lines_of_give(desk):
    from models.slips import get_slip, lines_of, slip_with_lines
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"), ("P-2", "kg", "2.5", "3"),
                   ("P-3", "m", "7", "1.25"))
    receive_scan(desk.clerk, s.slip_no, "P-1")
    slip, lines = slip_with_lines(f" {s.slip_no.lower()} ")
    assert slip.__data__ == get_slip(s.slip_no).__data__
    assert [line.__data__ for line in lines] == [line.__data__ for line in lines_of(slip)]
    assert [line.line_no for line in lines] == [1, 2, 3] and lines[0].received_qty == 1
    assert lines[2].slip is slip
    with pytest.raises(NotFound, match="no return slip RS0000"):
        slip_with_lines("RS0000")


def test_piece_scans_stop_at_the_cap_until_a_supervisor_decides(desk):
    """A line approved for 2 pieces took any number of scans (issue 17: 70,076 on 50). Past
    scan_cap_factor x approved a clerk's scan is refused, writing nothing; a supervisor goes on."""
    from models.settings import set_value
    s = ready_slip(desk, ("P-1", "pcs", "2", "1"))
    assert receive_scan(desk.clerk, s.slip_no, "P-1")      # the default factor is 10
    set_value(desk.admin, "scan_cap_factor", "2")
    for _ in range(3):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    with pytest.raises(Refused, match=r"already has 4 pcs, 2 times the approved 2: "
                                      r"a supervisor must decide"):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    assert SlipLine.get().received_qty == 4 and Unit.select().count() == 4
    assert receive_scan(desk.supervisor, s.slip_no, "P-1").line.received_qty == 5
    with pytest.raises(Refused, match="from 1 to 1000"):
        set_value(desk.admin, "scan_cap_factor", "0")
