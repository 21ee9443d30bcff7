"""Printing: spec parsing, a real local TCP printer, a folder, and CUPS errors."""

import shutil
import socket
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image

from labels.model import SIZE_50X25MM
from labels.payload import decode, encode
from labels.printers import (
    CupsPrinter,
    DirPrinter,
    PrintError,
    TcpPrinter,
    format_for,
    parse_printer,
    print_labels,
)

from ..helpers import make_label


LABELS = [make_label(unit_code=f"U{300 + i:06d}", line_no=i + 1) for i in range(3)]


@pytest.mark.parametrize(
    ("spec", "printer"),
    [
        ("cups:Zebra_GK420", CupsPrinter("Zebra_GK420")),
        ("CUPS:office-a4", CupsPrinter("office-a4")),
        ("tcp:10.0.0.7:9100", TcpPrinter("10.0.0.7", 9100)),
        ("tcp:zebra-desk", TcpPrinter("zebra-desk", 9100)),
        ("tcp:zebra-desk:6101", TcpPrinter("zebra-desk", 6101)),
        ("tcp:[fe80::1]:9100", TcpPrinter("fe80::1", 9100)),
        ("dir:/srv/labels", DirPrinter(Path("/srv/labels"))),
        ("  dir:/srv/labels \n", DirPrinter(Path("/srv/labels"))),
    ],
)
def test_parse_printer(spec, printer):
    assert parse_printer(spec) == printer
    assert parse_printer(str(printer)) == printer


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "zebra",
        "lpr:queue",
        "cups:",
        "cups:-o raw",
        "cups:with space",
        "tcp:",
        "tcp:host:0",
        "tcp:host:99999",
        "tcp:host:port",
        "dir:",
    ],
)

def test_parse_printer_rejects_bad_specs(spec):
    with pytest.raises(PrintError, match="cups:QUEUE, tcp:HOST:9100 or dir:/folder"):
        parse_printer(spec)


class OnePrintServer:
    """A raw-port printer on 127.0.0.1 that takes one job and stops."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.port = self.server.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        with self.server:
            conn, _ = self.server.accept()
            with conn:
                conn.settimeout(10)
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                self.received = b"".join(chunks)

    def wait(self) -> bytes:
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the test printer got no complete job"
        return self.received


def test_tcp_printer_gets_one_zpl_job_for_the_batch():
    server = OnePrintServer()
    sent = print_labels(LABELS, f"tcp:127.0.0.1:{server.port}")
    zpl = server.wait().decode()
    assert sent == 3
    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    for label in LABELS:
        assert f"^FDMA,{encode(label)}^FS" in zpl
        assert f"^FD{label.unit_code}^FS" in zpl


def test_tcp_printer_refusing_says_what_to_check():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    # Nothing listens there any more.
    with pytest.raises(PrintError, match=rf"127.0.0.1:{port} refused the connection"):
        TcpPrinter("127.0.0.1", port, timeout=5).send(b"^XA^XZ", "zpl", "test")


def test_dir_printer_writes_one_png_per_label(tmp_path):
    progress = []
    assert print_labels(LABELS, f"dir:{tmp_path}", progress=progress.append) == 3
    assert progress == [1, 2, 3]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["U000300.png", "U000301.png", "U000302.png"]
    image = Image.open(tmp_path / "U000301.png")
    results = zxingcpp.read_barcodes(image.convert("L"))
    assert {r.text for r in results} == {encode(LABELS[1]), "U000301"}


def test_dir_printer_never_overwrites_an_earlier_file(tmp_path):
    printer = DirPrinter(tmp_path)
    first = printer.send(b"one", "zpl", "U000300")
    second = printer.send(b"two", "zpl", "U000300")
    assert (first.name, second.name) == ("U000300.zpl", "U000300-2.zpl")
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["U000300-2.zpl", "U000300.zpl"]


def test_dir_printer_pdf_and_sheet_are_one_file_each(tmp_path):
    progress = []
    print_labels(LABELS, DirPrinter(tmp_path), fmt="pdf", progress=progress.append)
    print_labels(LABELS, DirPrinter(tmp_path), fmt="sheet", size=SIZE_50X25MM)
    assert progress == [1, 2, 3]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["U000300-U000302-2.pdf", "U000300-U000302.pdf"]
    pages = pdfium.PdfDocument(tmp_path / "U000300-U000302.pdf")
    assert len(pages) == 3
    sheet = pdfium.PdfDocument(tmp_path / "U000300-U000302-2.pdf")
    assert len(sheet) == 1
    image = sheet[0].render(scale=300 / 72).to_pil()
    qr_texts = [
        r.text
        for r in zxingcpp.read_barcodes(image.convert("L"))
        if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert sorted(decode(t).unit_code for t in qr_texts) == ["U000300", "U000301", "U000302"]


def test_dir_printer_svg(tmp_path):
    print_labels(LABELS[:1], f"dir:{tmp_path}", fmt="svg")
    assert (tmp_path / "U000300.svg").read_text().startswith("<?xml")


def test_missing_folder_is_a_print_error(tmp_path):
    with pytest.raises(PrintError, match="does not exist"):
        print_labels(LABELS, f"dir:{tmp_path / 'not-mounted'}")


def test_unknown_format_is_a_print_error(tmp_path):
    with pytest.raises(PrintError, match="label format 'bmp' unknown"):
        print_labels(LABELS, f"dir:{tmp_path}", fmt="bmp")


def test_nothing_to_print(tmp_path):
    assert print_labels([], f"dir:{tmp_path}", fmt="pdf") == 0
    assert list(tmp_path.iterdir()) == []


def test_cups_failure_is_clear():
    printer = CupsPrinter("returns-desk-no-such-queue", timeout=10)
    with pytest.raises(PrintError) as failure:
        printer.send(b"^XA^XZ", "zpl", "test")
    message = str(failure.value)
    assert "returns-desk-no-such-queue" in message
    if shutil.which("lp") is None:
        assert "lp command is not installed" in message and "cups-client" in message


# --- the format follows the printer ----------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "fmt"), [("tcp:zebra:9100", "zpl"), ("cups:office", "pdf"), ("dir:/srv/labels", "png")]
)
def test_left_unsaid_the_format_is_the_printers_own(spec, fmt):
    assert format_for(spec) == fmt
    assert format_for(parse_printer(spec), None) == fmt


@pytest.mark.parametrize(
    ("spec", "fmt"),
    [("tcp:zebra:9100", "pdf"), ("tcp:zebra:9100", "png"), ("tcp:zebra", "sheet"), ("cups:office", "svg")],
)
def test_a_format_the_printer_cannot_take_is_refused(spec, fmt):
    with pytest.raises(PrintError, match=rf"can't take {fmt} labels, only "):
        format_for(spec, fmt)


def test_a_raw_port_is_never_sent_a_pdf():
    """Refused before anything is rendered or sent: nothing listens on this port at all."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(PrintError, match=rf"tcp:127.0.0.1:{port} can't take pdf labels, only zpl"):
        print_labels(LABELS, f"tcp:127.0.0.1:{port}", fmt="pdf")


@pytest.mark.parametrize("fmt", ["zpl", "pdf", "sheet", "png", "svg"])
def test_a_folder_takes_every_format(fmt):
    assert format_for("dir:/srv/labels", fmt) == fmt
