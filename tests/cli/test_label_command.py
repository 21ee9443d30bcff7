"""Labels for the desk's own units: rendered by the `label` command, decoded by a real
decoder back to the unit and its case, and every print recorded."""
import os
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
from tui.work.printing import print_queued, stop_printing

from ..helpers import ready_slip
from ..labels.test_labels_render import read_codes


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
    assert (job.unit_id, job.status, job.requested_by.name, job.reprint) == \
        (units[0].id, "printed", "clerk", True)


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
    assert print_queued().status == f"{len(units)} labels printed"
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
    assert print_queued().status == "1 label printed"
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


# --- the size asked for, everywhere -------------------------------------------------------

def png_sizes(folder) -> list[tuple[int, int]]:
    return [Image.open(p).size for p in sorted(folder.iterdir())]


def test_size_is_honoured_for_a_folder_of_pngs(received, tmp_path):
    _, units = received
    out = tmp_path / "labels"
    assert main(["--user", "clerk", "label", "RS-9", "--format", "png", "--size", "4x6in",
                 "--out", str(out)]) == 0
    assert png_sizes(out) == [(812, 1218)] * len(units)
    for unit in units:
        assert_decodes_to(Image.open(out / f"{unit.code}.png"), unit)


def test_size_and_dpi_are_honoured_for_a_dir_printer(received, tmp_path):
    _, units = received
    share = tmp_path / "share"
    share.mkdir()
    assert main(["--user", "clerk", "label", units[0].code, "--size", "4x6in", "--dpi", "300",
                 "--printer", f"dir:{share}"]) == 0
    assert png_sizes(share) == [(1200, 1800)]        # png: what a folder takes by default
    assert_decodes_to(Image.open(share / f"{units[0].code}.png"), units[0])


def test_size_is_honoured_in_zpl_for_a_dir_printer(received, tmp_path):
    _, units = received
    assert main(["--user", "clerk", "label", units[0].code, "--size", "4x6in", "--format", "zpl",
                 "--printer", f"dir:{tmp_path}"]) == 0
    zpl = (tmp_path / f"{units[0].code}.zpl").read_text()
    assert "^PW812" in zpl and "^LL1218" in zpl


def test_the_queue_prints_at_the_sites_size(received, desk, tmp_path):
    _, units = received
    share = tmp_path / "share"
    share.mkdir()
    set_value(desk.admin, "label_size", "2x1in")
    set_value(desk.admin, "label_printer", f"dir:{share}")
    assert print_queued().status == f"{len(units)} labels printed"
    assert png_sizes(share) == [(406, 203)] * len(units)


# --- the format follows the printer -------------------------------------------------------

class RawPort:
    """A raw-port printer on 127.0.0.1 that takes one job."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.spec = f"tcp:127.0.0.1:{self.server.getsockname()[1]}"
        self.got = []
        self.thread = threading.Thread(target=self._accept_once)
        self.thread.start()

    def _accept_once(self):
        try:
            connection, _ = self.server.accept()
        except TimeoutError:
            return
        with connection:
            self.got.append(connection.makefile("rb").read())

    def job(self) -> bytes:
        self.thread.join(timeout=15)
        self.server.close()
        return self.got[0] if self.got else b""


def test_a_raw_port_gets_zpl_when_no_format_is_given(received):
    _, units = received
    port = RawPort()
    assert main(["--user", "clerk", "label", units[0].code, "--printer", port.spec]) == 0
    job = port.job()
    assert job.startswith(b"^XA") and f"^FD{units[0].code}^FS".encode() in job


def test_pdf_to_a_raw_port_is_refused_before_anything_is_sent_or_recorded(received, capsys):
    _, units = received
    with socket.socket() as closed:          # a port nobody listens on: a send would fail
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    jobs = PrintJob.select().count()
    assert main(["--user", "clerk", "label", "RS-9", "--format", "pdf",
                 "--printer", f"tcp:127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert err == (f"returns-desk: printer tcp:127.0.0.1:{port} can't take pdf labels, "
                   "only zpl\n")
    assert PrintJob.select().count() == jobs


def test_a_printer_not_understood_is_refused_and_not_recorded(received, capsys):
    jobs = PrintJob.select().count()
    assert main(["--user", "clerk", "label", "RS-9", "--printer", "zebra"]) == 1
    assert "printer 'zebra' not understood" in capsys.readouterr().err
    assert PrintJob.select().count() == jobs


def test_a_dir_printer_whose_folder_is_missing_is_refused_and_not_recorded(received, capsys, tmp_path):
    jobs = PrintJob.select().count()
    missing = tmp_path / "not-mounted"
    assert main(["--user", "clerk", "label", "RS-9", "--printer", f"dir:{missing}"]) == 1
    assert capsys.readouterr().err == (f"returns-desk: label folder {str(missing)!r} does not "
                                       "exist: create it or fix the path in the settings\n")
    assert PrintJob.select().count() == jobs


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """An `lp` on the PATH that keeps what it is given: CUPS as the desk sees it."""
    bin_dir, jobs = tmp_path / "bin", tmp_path / "cups-jobs"
    bin_dir.mkdir()
    jobs.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\ncat > "{jobs}/job-$$"\necho "$@" > "{jobs}/args-$$"\n')
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    stop_printing()          # the queue's label process starts again, with this PATH
    yield jobs
    stop_printing()


def cups_jobs(jobs) -> list[bytes]:
    return [p.read_bytes() for p in sorted(jobs.glob("job-*"))]


def test_cups_gets_pdf_when_no_format_is_given(received, fake_lp):
    _, units = received
    assert main(["--user", "clerk", "label", units[0].code, "--printer", "cups:Zebra"]) == 0
    (job,) = cups_jobs(fake_lp)
    assert job.startswith(b"%PDF")


def test_the_queue_sends_each_printer_what_it_takes(received, desk, tmp_path, fake_lp):
    """The desk's queue follows the site's label_printer: pdf to CUPS, png into a folder (and
    zpl to a raw port: test_reprint_over_tcp_is_recorded)."""
    _, units = received
    set_value(desk.admin, "label_printer", "cups:Zebra")
    assert print_queued().status == f"{len(units)} labels printed"
    assert [job[:4] for job in cups_jobs(fake_lp)] == [b"%PDF"] * len(units)
    folder = tmp_path / "share"
    folder.mkdir()
    set_value(desk.admin, "label_printer", f"dir:{folder}")
    queue_reprint(desk.clerk, units[0].code)
    assert print_queued().status == "1 label printed"
    assert [p.name for p in folder.iterdir()] == [f"{units[0].code}.png"]
