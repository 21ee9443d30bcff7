"""The desk killed (kill -9) in the middle of a burst of scans, again and again: every scan it
acknowledged is in the database, none twice, and the clerk, signing in again, is back on the
slip they were receiving.

The desk runs in a process of its own (headless, driven by Pilot as in tests/test_desk.py); it
writes each acknowledgement it shows to a file, one line per write, so what the screen said
survives the kill."""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import re
import signal
import time
from pathlib import Path

import pytest

from models.tables import SlipLine, Unit
from tui.desk.app import make_app
from tui.desk.receiving import ReceivingScreen

from ..figures import record
from ..helpers import ready_slip
from .test_desk import SIZE, scan, send_keys, settle, sign_in

pytestmark = pytest.mark.slow

PARTS = ("A", "B", "C")
ROUNDS = 4
SCANS = 60          # codes in each burst; the kill comes after 5 to 50 acknowledgements
RECEIVED = re.compile(r"^ack ✔ (U\d+) · line \d+ (\S+):")


async def _clerk_at_the_desk(url: str, journal: str, slip_no: str, acks: str) -> None:
    with open(acks, "a", buffering=1, encoding="utf-8") as out:    # a line per write
        app = make_app(url, journal=Path(journal))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await sign_in(pilot, "clerk")
            screen = app.screen
            resumed = isinstance(screen, ReceivingScreen) and screen.slip is not None
            out.write(f"open {screen.slip.slip_no if resumed else '-'}\n")
            if not resumed:
                await pilot.press("f3")
                await scan(pilot, slip_no)
                screen = app.screen
            show = screen.ack

            def ack(text: str, kind: str) -> None:
                show(text, kind)
                out.write(f"ack {text}\n")
            screen.ack = ack
            # as a scanner sends them: no pause at all
            send_keys(app, [key for i in range(SCANS) for key in (PARTS[i % len(PARTS)], "enter")])
            await settle(pilot)
            out.write("done\n")


def _run(url: str, journal: str, slip_no: str, acks: str) -> None:
    asyncio.run(_clerk_at_the_desk(url, journal, slip_no, acks))


def _kill_after(process, acks: Path, count: int) -> None:
    """Wait for `count` acknowledged scans, then kill -9 the desk."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.is_alive():
        text = acks.read_text(encoding="utf-8") if acks.exists() else ""
        if text.count("\nack ✔") >= count:
            break
        time.sleep(0.002)
    os.kill(process.pid, signal.SIGKILL)
    process.join(timeout=30)


def test_killed_mid_burst_loses_no_acknowledged_scan(desk, tmp_path):
    s = ready_slip(desk, *[(part, "pcs", "10000", "1") for part in PARTS])
    context = multiprocessing.get_context("spawn")
    chance = random.Random(5)
    acknowledged: dict[str, str] = {}      # unit code -> part, as the screen said
    resumed, mid_burst = 0, 0
    for round_no in range(ROUNDS):
        acks = tmp_path / f"acks-{round_no}.txt"
        process = context.Process(target=_run, args=(desk.url, str(tmp_path / "scans.jsonl"),
                                                     s.slip_no, str(acks)))
        process.start()
        _kill_after(process, acks, chance.randrange(5, 50))
        assert process.exitcode == -signal.SIGKILL
        lines = acks.read_text(encoding="utf-8").splitlines()
        resumed += lines[0] == f"open {s.slip_no}"
        mid_burst += "done" not in lines
        for line in lines:
            if match := RECEIVED.match(line):
                acknowledged[match[1]] = match[2]

    found = {unit.code: unit.line.part_no for unit in Unit.select()}
    held = sum(found.get(code) == part for code, part in acknowledged.items())
    record("killed", desk.url, len(acknowledged), held,
           f"kill -9 mid-burst ({ROUNDS * SCANS} scans sent, {len(found)} in the database, "
           f"slip resumed {resumed} of {ROUNDS - 1} times)", ROUNDS)
    assert held == len(acknowledged) > 0
    assert mid_burst == ROUNDS                           # each kill came before the burst ended
    assert len(found) <= ROUNDS * SCANS                  # no scan recorded twice
    assert len({unit.scan_id for unit in Unit.select()}) == len(found)
    totals = {line.part_no: int(line.received_qty) for line in SlipLine.select()}
    assert totals == {part: list(found.values()).count(part) for part in PARTS}
    assert resumed == ROUNDS - 1                         # signed in again: the same slip, open
