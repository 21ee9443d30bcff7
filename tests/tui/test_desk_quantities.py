"""Quantities at a scanner's pace: a scale or quantity barcode typing into the count form, and
`PART,QTY` (the batch upload's form) scanned at the receiving desk."""
from __future__ import annotations

from decimal import Decimal as D

from models.tables import Unit

from ..helpers import ready_slip
from .test_desk import burst, desk_test, send_keys, settle, sign_in, scan, text


def lots() -> list[tuple[str, D, bool]]:
    return [(unit.line.part_no, unit.qty, unit.lot) for unit in Unit.select().order_by(Unit.id)]


@desk_test
async def test_a_scale_sends_the_weight_into_the_count_form_in_one_burst(desk, pilot):
    s = ready_slip(desk, ("K-1", "kg", "50", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "K-1")             # "how many kg?"
    await burst(pilot, "10\n")                      # the scale answers at a scanner's speed
    assert lots() == [("K-1", D(10), True)]
    await scan(pilot, "K-1")
    send_keys(app, ["2", ".", "5", "enter", "ctrl+j"])   # CR LF ends it: one answer, not two
    await settle(pilot)
    assert lots() == [("K-1", D(10), True), ("K-1", D("2.5"), True)]
    await scan(pilot, "K-1")
    await burst(pilot, "K-1\n")                     # a code scanned astray is still not an answer
    assert "a scan went into this form" in text(app, "#dialog-error")
    assert len(lots()) == 2


@desk_test
async def test_part_comma_quantity_scanned_at_the_desk_is_a_counted_lot(desk, pilot):
    s = ready_slip(desk, ("K-1", "kg", "50", "1"), ("P-1", "pcs", "20", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no)
    await burst(pilot, "K-1,12.5\n")
    await burst(pilot, "P-1,10\n")
    assert lots() == [("K-1", D("12.5"), True), ("P-1", D(10), True)]
    assert "P-1: 10 of 20" in text(app, "#ack")
    # the count form's checks: whole pieces, a number, a part of this slip; nothing recorded
    for bad, why in (("P-1,1.5", "counted in whole numbers"), ("K-1,x", "'x' is not a number"),
                     ("Q-9,3", "not a part on slip")):
        await burst(pilot, f"{bad}\n")
        assert why in text(app, "#ack"), bad
    assert len(lots()) == 2
    assert app.screen.__class__.__name__ == "ReceivingScreen"   # no count form opened for it
