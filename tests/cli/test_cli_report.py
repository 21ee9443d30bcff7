"""`returns-desk report monthly`: the month's counts with their shares, in text and JSON."""
from __future__ import annotations

import json

from tui.cli import main

from ..tui.test_desk_home import november


def test_the_monthly_report_gives_counts_and_shares(desk, capsys, monkeypatch):
    november(desk)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    url = ["--db", desk.url, "--user", "finance"]
    assert main([*url, "report", "monthly", "--month", "2026-11", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["closed"], report["closed_on_time"], report["closed_late"]) == (3, 2, 1)
    assert (report["share_on_time"], report["share_late"]) == ("66.7", "33.3")
    assert report["closed_by_responsibility"] == {"ours": 2, "not_ours": 1}
    assert report["share_by_responsibility"] == {"ours": "66.7", "not_ours": "33.3"}
    assert report["share_by_category"] == {"appearance": "66.7", "model_quantity": "33.3"}
    assert report["share_by_customer"] == {"C1": "66.7", "KRAU": "33.3"}
    assert report["quality_cost"] == [{"customer": "KRAU", "unit": "pcs", "qty": "2",
                                       "amount": "192.00", "currency": "CNY"}]
    assert report["quality_cost_totals"] == {"CNY": "192.00"}
    assert report["booked"] == [] and report["booked_totals"] == {}

    assert main([*url, "report", "monthly", "--month", "2026-11"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["closed", "cases:", "3", "on", "time:", "2", "(66.7", "%)", "late:", "1",
            "(33.3", "%)"] in lines
    assert ["ours", "2", "66.7", "%"] in lines and ["not_ours", "1", "33.3", "%"] in lines
    assert ["KRAU", "1", "33.3", "%"] in lines
