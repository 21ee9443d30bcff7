"""Labels for the desk's own units: rendered by the `label` command, decoded by a real
decoder back to the unit and its case, and every print recorded."""
import socket
import threading

import pypdfium2
import pytest
from PIL import Image

import labels
from models import clock
from models.printing import pending_jobs, queue_reprint, units_for
from models.receiving import receive_count, receive_scan
from models.settings import set_value
from models.tables import PrintJob
from tui.cli import main
from tui.work.printing import print_queued

from .helpers import ready_slip
from .test_labels_render import read_codes


@pytest.fixture
def received(desk, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "1234")
    s = ready_slip(desk, ("P-1", "pcs", "10", "1"), ("WIRE", "kg", "5", "2"), slip_no="RS-9")
    units = [receive_scan(desk.clerk, "RS-9", "P-1").unit for _ in range(3)]
    units.append(receive_count(desk.clerk, "RS-9", "WIRE", "4.5").unit)
    return s, units


def assert_decodes_to(image, unit):
    found = read_codes(image)
    ref = labels.decode(found["QRCode"][0])
    assert (ref.unit_code, ref.slip_no, ref.case_no) == (unit.code, "RS-9", unit.line.slip.case.case_no)
    assert found["Code128"] == [unit.code]


def test_png_of_one_unit_decodes_to_it(received, tmp_path):
    _, units = received
    out = tmp_path / "one.png"
    assert main(["--user", "clerk", "label", units[0].code, "--format", "png", "--out", str(out)]) == 0
    assert_decodes_to(Image.open(out), units[0])
    job = PrintJob.select().where(PrintJob.printer == f"file:{out}").get()
    assert (job.unit_id, job.status, job.requested_by.name, job.reprint) == (units[0].id, "printed", "clerk", True)


def test_pdf_of_a_slip_has_a_decodable_page_per_unit(received, tmp_path):
    _, units = received
    out = tmp_path / "slip.pdf"
    assert main(["--user", "clerk", "label", "RS-9", "--format", "pdf", "--out", str(out)]) == 0
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == len(units)
    for page, unit in zip(pdf, units):
        assert_decodes_to(page.render(scale=300 / 72).to_pil(), unit)


def test_reversed_units_get_no_label(received, desk):
    from models.receiving import reverse_unit
    _, units = received
    reverse_unit(desk.clerk, units[1].code, "scanned twice")
    assert [u.code for u in units_for("RS-9")] == [units[0].code, units[2].code, units[3].code]


def test_failed_printing_is_recorded_and_nothing_lost(received, capsys):
    _, units = received
    with socket.socket() as closed:          # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert main(["--user", "clerk", "label", "RS-9", "--format", "zpl",
                 "--printer", f"tcp:127.0.0.1:{port}"]) == 1
    assert "printing failed, nothing lost" in capsys.readouterr().err
    failed = PrintJob.select().where(PrintJob.status == "failed")
    assert sorted(j.unit_id for j in failed) == sorted(u.id for u in units)


def test_each_received_unit_waits_in_the_queue_until_a_printer_is_set(received, desk, tmp_path):
    _, units = received
    assert print_queued().status.startswith("label queued: no printer set (4 waiting")
    assert len(pending_jobs()) == len(units)      # nothing lost
    folder = tmp_path / "printed"
    folder.mkdir()
    set_value(desk.admin, "label_printer", f"dir:{folder}")
    assert print_queued().status == f"{len(units)} label(s) printed"
    assert sorted(p.stem for p in folder.iterdir()) == sorted(u.code for u in units)
    assert pending_jobs() == []


def test_reprint_over_tcp_is_recorded(received, desk):
    _, units = received
    got = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)

    def accept_once():
        connection, _ = server.accept()
        with connection:
            got.append(connection.makefile("rb").read())
    listener = threading.Thread(target=accept_once)
    listener.start()
    job = queue_reprint(desk.inspector, units[0].code, printer=f"tcp:127.0.0.1:{server.getsockname()[1]}")
    PrintJob.update(status="printed").where(PrintJob.id != job.id).execute()
    assert print_queued().status == "1 label(s) printed"
    listener.join(timeout=10)
    server.close()
    assert got and got[0].startswith(b"^XA") and units[0].code.encode() in got[0]
    job = PrintJob.get_by_id(job.id)
    assert (job.status, job.reprint, job.requested_by.name, job.attempts) == ("printed", True, "inspector", 1)


def test_two_terminals_never_print_the_same_label(received):
    from models.printing import claim_jobs
    first, second = claim_jobs(2), claim_jobs(10)
    assert len(first) == 2 and len(second) == 2
    assert not {j.id for j in first} & {j.id for j in second}
    assert claim_jobs(10) == []


def test_a_claim_by_a_terminal_that_died_is_offered_again(received):
    import datetime as dt
    from models.printing import claim_jobs
    claimed = claim_jobs(10)
    assert claim_jobs(10) == []
    with clock.frozen(dt.datetime.now() + dt.timedelta(minutes=6)):
        assert [j.id for j in claim_jobs(10)] == [j.id for j in claimed]
