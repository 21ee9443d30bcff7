"""`returns-desk serve`: the desk in a browser, listening on loopback only by default."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "returns.db.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))     # TEST-NET: no packet is sent for a UDP connect
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_serves_on_loopback_only(tmp_path):
    pytest.importorskip("textual_serve")
    db = tmp_path / "demo.db"
    shutil.copyfile(EXAMPLE, db)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", f"sqlite:///{db}",
                               "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = None
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        assert page is not None and b"Returns Desk" in page
        elsewhere = other_address()
        if elsewhere:
            with pytest.raises(OSError):
                socket.create_connection((elsewhere, port), timeout=2).close()
    finally:
        server.terminate()
        server.wait(timeout=10)
