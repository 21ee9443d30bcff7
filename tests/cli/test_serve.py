"""`returns-desk serve`: the desk in a browser, listening on loopback only by default."""
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
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


@contextmanager
def serving(tmp_path, *desk_flags: str):
    """`serve` on a copy of the demo site: its port and the page it gives a browser."""
    pytest.importorskip("textual_serve")
    db = tmp_path / "demo.db"
    shutil.copyfile(EXAMPLE, db)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui.cli", "--db", f"sqlite:///{db}",
                               *desk_flags, "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        page = None
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        assert page is not None and b"textual-terminal" in page
        yield port, page.decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_page_asks_no_other_host_for_anything(tmp_path):
    # textual-serve's own page asks a web-font host for Roboto Mono: offline, a box glyph
    with serving(tmp_path) as (port, page):
        hosts = re.findall(r"(?:[a-z]+:)?//([^/\s\"')]+)", page)
        assert hosts       # its script, styles, font and websocket: the server itself
        assert set(hosts) == {f"127.0.0.1:{port}"}, hosts
        assert "Roboto Mono" in page and "fonts/RobotoMono" in page


def test_each_browser_gets_the_sign_in_screen(tmp_path):
    """The first browser and the next (each from a desk process started ahead)."""
    from bench.browser import sign_in_text_after
    with serving(tmp_path) as (port, _):
        for _ in range(2):
            seconds = sign_in_text_after(f"http://127.0.0.1:{port}", "Scan your badge", 60)
            assert seconds < 60


def test_each_browser_speaks_the_language_serve_was_given(tmp_path):
    # --lang before `serve` is each browser's terminal language (the spares once dropped it)
    from bench.browser import sign_in_text_after
    with serving(tmp_path, "--lang", "zh-Hans") as (port, _):
        assert sign_in_text_after(f"http://127.0.0.1:{port}", "请刷工牌", 60) < 60


def test_serves_on_loopback_only(tmp_path):
    with serving(tmp_path) as (port, _):
        elsewhere = other_address()
        if elsewhere:
            with pytest.raises(OSError):
                socket.create_connection((elsewhere, port), timeout=2).close()
