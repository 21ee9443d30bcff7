"""An undone piece gets no label (issue 16): its queued job is cancelled, even when the
printer worker had already taken it, and the receiving log marks its line undone."""
from __future__ import annotations

from textual.widgets import Log

from models.codes import unit_id
from models.receiving import receive_scan, reverse_unit
from models.settings import set_value
from models.tables import AuditLog, PrintJob, Unit
from tui.work import printing

from ..helpers import ready_slip
from .test_desk import desk_test, scan, settle, sign_in, text


@desk_test
async def test_an_undone_piece_is_marked_undone_and_its_label_never_prints(desk, pilot, tmp_path):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    app = pilot.app
    await sign_in(pilot, "clerk")
    await pilot.press("f3")
    await scan(pilot, s.slip_no, "P-1", "P-1")
    first, second = (unit.code for unit in Unit.select().order_by(Unit.id))
    await pilot.press("ctrl+z")
    await settle(pilot)
    assert "its label is cancelled" in text(app, "#ack")
    log = [str(line) for line in app.screen.query_one("#log", Log).lines]
    assert [line for line in log if line.startswith(second)][0].endswith("↶ undone")
    assert not [line for line in log if line.startswith(first)][0].endswith("undone")

    folder = tmp_path / "labels"
    folder.mkdir()
    set_value(desk.admin, "label_printer", f"dir:{folder}")
    app.kick_printer()
    await settle(pilot)
    assert [path.stem for path in folder.iterdir()] == [first]
    assert PrintJob.get(PrintJob.unit == unit_id(second)).status == "cancelled"


def test_a_label_taken_by_the_printer_is_not_sent_once_its_unit_is_reversed(desk, tmp_path,
                                                                          monkeypatch):
    s = ready_slip(desk, ("P-1", "pcs", "5", "1"))
    units = [receive_scan(desk.clerk, s.slip_no, "P-1").unit for _ in range(3)]
    folder = tmp_path / "labels"
    folder.mkdir()
    set_value(desk.admin, "label_printer", f"dir:{folder}")
    real_send = printing.send

    def send_while_another_terminal_reverses(items, printer, **opts):
        if not any(folder.iterdir()):      # the first label is out: meanwhile, the last is undone
            reverse_unit(desk.clerk, units[-1].code, "scanned twice")
        return real_send(items, printer, **opts)
    monkeypatch.setattr(printing, "send", send_while_another_terminal_reverses)
    try:
        printing.print_queued()
    finally:
        printing.stop_printing()
    assert sorted(path.stem for path in folder.iterdir()) == [u.code for u in units[:2]]
    statuses = {job.unit_id: job.status for job in PrintJob.select()}
    assert statuses == {units[0].id: "printed", units[1].id: "printed", units[2].id: "cancelled"}
    reversal = AuditLog.get(AuditLog.action == "receive.reverse")
    assert reversal.user_id == desk.clerk.id and reversal.at is not None
