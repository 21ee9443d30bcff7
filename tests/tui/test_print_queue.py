"""The label queue drains at the printer's pace, not a timer's: every waiting label goes on
one wake-up of the printer worker, the first as soon as a printer is set, and each job says
which printer it went to. What printing warns of (a label without its Chinese text) goes to
the desk's log and to the admin, never over the screen. (Its speed: python -m bench.print_queue.)"""
from __future__ import annotations

import asyncio
import time

from models import settings
from models.customers import save_customer
from models.receiving import receive_scan
from models.tables import PrintJob
from tui.work.desk_log import log_path_for
from tui.work.printing import drain_queue, stop_printing

from ..helpers import case, slip
from .test_desk import desk_test, scan, settle, sign_in, text


def received(desk, count: int, name: str = "Customer C1") -> str:
    """A slip with `count` units received while no printer is set: `count` labels wait."""
    save_customer(desk.supervisor, "C1", name, "domestic", None)
    s = slip(desk, case(desk).case_no, ("P-1", "pcs", str(max(count, 1)), "1"))
    for _ in range(count):
        receive_scan(desk.clerk, s.slip_no, "P-1")
    return s.slip_no


def test_every_waiting_label_prints_on_one_wake_up_and_records_its_printer(desk, tmp_path):
    received(desk, 120)
    folder = tmp_path / "labels"
    folder.mkdir()
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    batches = []
    run = drain_queue(batches.append)            # what one kick of the desk's worker runs
    assert (run.status, run.printed, run.failed) == ("120 labels printed", 120, False)
    assert [batch.printed for batch in batches] == [50, 50, 20]    # progress, batch by batch
    assert len(list(folder.iterdir())) == 120
    assert {(job.status, job.printer) for job in PrintJob.select()} == {("printed", f"dir:{folder}")}


@desk_test
async def test_one_kick_drains_the_whole_queue_at_the_desk(desk, pilot, tmp_path):
    received(desk, 100)
    folder = tmp_path / "labels"
    folder.mkdir()
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    app = pilot.app
    app.printer.kick()
    await settle(pilot)
    assert PrintJob.select().where(PrintJob.status == "printed").count() == 100
    assert len(list(folder.iterdir())) == 100
    assert "100 labels printed" == app.printer_status


@desk_test
async def test_waiting_labels_go_as_soon_as_the_admin_sets_a_printer(desk, pilot, tmp_path):
    """No scan, no timer of a minute: set from the command line or another terminal, the
    printer is noticed within a second (the goal: python -m bench.print_queue)."""
    slip_no = received(desk, 1)
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, slip_no)
    assert "label queued: no printer set (1 waiting" in text(app, "#printer")
    folder = tmp_path / "labels"
    folder.mkdir()
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    set_at = time.monotonic()
    while not any(folder.iterdir()) and time.monotonic() - set_at < 10:
        await asyncio.sleep(0.05)
    assert time.monotonic() - set_at < 5          # not the minute it waited before
    await settle(pilot)
    job = PrintJob.get()
    assert (job.status, job.printer) == ("printed", f"dir:{folder}")
    assert "1 label printed" in text(app, "#printer")
    await scan(pilot, "P-1")                      # and the next scan's label goes at once
    assert [job.status for job in PrintJob.select()] == ["printed", "printed"]
    assert "1 label printed" in text(app, "#printer")


@desk_test
async def test_a_label_without_its_chinese_text_is_told_to_the_admin_not_over_the_screen(
        desk, pilot, tmp_path, capfd):
    stop_printing()                   # a label process of this test's, writing where it may
    capfd.readouterr()
    slip_no = received(desk, 1, name="上海精密機電有限公司")
    empty = tmp_path / "fonts"
    empty.mkdir()
    font = empty / "wqy-microhei.ttc"
    font.touch()                      # there when set (a missing one is refused), then removed
    settings.set_value(desk.admin, "label_font", str(font))
    font.unlink()
    folder = tmp_path / "labels"
    folder.mkdir()
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, slip_no, "P-1")
    await settle(pilot)
    assert PrintJob.select().where(PrintJob.status == "printed").count() == 2
    said = [notice.message for notice in app._notifications]
    assert any("the admin is told" in message for message in said)
    await pilot.press("f12")
    await sign_in(pilot, "admin", "9999")
    for_admin = [notice.message for notice in app._notifications if notice.title == "for the admin: labels"]
    assert len(for_admin) == 1
    assert "labels print without their Chinese text" in for_admin[0]
    assert "label_font" in for_admin[0] and "does not exist" in for_admin[0]
    log = log_path_for(app.journal.path).read_text()
    assert "labels print without their Chinese text" in log
    out, err = capfd.readouterr()
    assert "FontNotFound" not in out + err and "Chinese" not in out + err
    assert err == ""


@desk_test
async def test_a_printer_that_refused_is_tried_again_within_seconds_and_said_once(desk, pilot,
                                                                                  tmp_path):
    slip_no = received(desk, 0)
    folder = tmp_path / "not-mounted"
    settings.set_value(desk.admin, "label_printer", f"dir:{folder}")
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, slip_no, "P-1")
    assert "not printed: label folder" in text(app, "#printer")
    refused_at = time.monotonic()                  # tried again meanwhile, and not said again
    while PrintJob.get().attempts < 2 and time.monotonic() - refused_at < 10:
        await asyncio.sleep(0.05)
    await settle(pilot)
    assert PrintJob.get().attempts >= 2
    said = [notice.message for notice in app._notifications if "not printed" in notice.message]
    assert len(said) == 1
    folder.mkdir()                                 # the share is back
    back_at = time.monotonic()
    while not any(folder.iterdir()) and time.monotonic() - back_at < 10:
        await asyncio.sleep(0.05)
    assert time.monotonic() - back_at < 5
    await settle(pilot)
    assert (PrintJob.get().status, PrintJob.get().printer) == ("printed", f"dir:{folder}")
