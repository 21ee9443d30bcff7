"""Finance shows amounts rounded to the currency's minor unit, with the currency."""
from __future__ import annotations

from models.customers import save_customer
from models.receiving import close_receiving, receive_count
from tui.desk.widgets import FigureList

from ..helpers import case, slip
from .test_desk import desk_test, settle, sign_in, text


@desk_test
async def test_finance_shows_rounded_amounts_in_the_customer_s_currency(desk, pilot):
    save_customer(desk.supervisor, "JP1", "Osaka", "foreign", None, "JPY")
    save_customer(desk.supervisor, "C1", "Shanghai", "domestic")
    yen = slip(desk, case(desk, "JP1").case_no, ("WIRE", "kg", "12.5", "3.3333"))
    yuan = slip(desk, case(desk, "C1").case_no, ("WIRE", "kg", "12.5", "3.3333"))
    for made in (yen, yuan):
        receive_count(desk.clerk, made.slip_no, "WIRE", "12.5")
        close_receiving(desk.clerk, made.slip_no)
    app = pilot.app
    await sign_in(pilot, "finance")
    await pilot.press("f5")
    await settle(pilot)
    assert app.screen.recon.slip_no == yen.slip_no
    lines = app.screen.query_one("#recon-lines", FigureList)
    assert lines.text(1).split()[-2:] == ["3.3333", "42"]          # 41.66625 yen: 42
    assert "amounts in JPY" in text(app, "#recon-title")
    assert "amount to book: 42 JPY" in text(app, "#recon-total")
    await pilot.press("down")
    await settle(pilot)
    assert lines.text(1).split()[-2:] == ["3.3333", "41.67"]       # the site's: CNY
    assert "amount to book: 41.67 CNY" in text(app, "#recon-total")
