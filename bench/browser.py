"""The desk in a browser (`returns-desk serve`): from the page's request to the sign-in text.

No browser is needed: a small client does what the page's script does (GET the page, open its
websocket with the terminal's size, send the size) and waits for the frame in which the
sign-in screen's text arrives. What a browser adds on top (reading the ~0.5 MB script from the
same server, laying out the terminal) is not in this figure.

Measured twice: `serve` as it is (a desk process started ahead for the next browser: see
tui.cli.serving) and, as the baseline, textual-serve as it comes (a new process for each
browser, Python and the desk imported while the person waits).
"""
from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time

from bench.timing import Row, median, ms

SIGN_IN_TEXT = "Scan your badge"
BROWSERS = 5                  # pages opened one after another on each server
BETWEEN_SECONDS = 4.0         # time for the next spare to be ready, as between two people


def sign_in_text_after(base: str, text: str = SIGN_IN_TEXT, timeout: float = 30,
                       size: tuple[int, int] = (120, 40)) -> float:
    """Seconds from the page's request to the websocket frame that shows `text`."""
    return asyncio.run(asyncio.wait_for(_browse(base, text, size), timeout))


async def _browse(base: str, text: str, size: tuple[int, int]) -> float:
    import aiohttp
    begun = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        async with session.get(base + "/") as response:
            page = await response.text()
        socket_url = re.search(r'data-session-websocket-url="([^"]+)"', page).group(1)
        width, height = size
        async with session.ws_connect(f"{socket_url}?width={width}&height={height}") as ws:
            await ws.send_json(["resize", {"width": width, "height": height}])
            seen = b""
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    seen += message.data
                    if text.encode() in seen:
                        return time.perf_counter() - begun
    raise RuntimeError(f"the websocket closed before {text!r} came")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _served(command: list[str], port: int) -> list[float]:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        samples = []
        for _ in range(BROWSERS):
            time.sleep(BETWEEN_SECONDS)
            samples.append(sign_in_text_after(base))
        return samples
    finally:
        server.terminate()
        server.wait(timeout=20)


def _plain_textual_serve(url: str, port: int) -> list[str]:
    """textual-serve's own Server running the desk, as `serve` did before."""
    script = ("import shlex, sys; from textual_serve.server import Server; "
              "Server(shlex.join([sys.executable, '-m', 'tui.cli', '--db', sys.argv[1]]), "
              "host='127.0.0.1', port=int(sys.argv[2])).serve()")
    return [sys.executable, "-c", script, url, str(port)]


def measure(url: str, db_name: str) -> list[Row]:
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError:
        return [Row(db_name, "browser: page request to the sign-in text", "not measured",
                    note="needs textual-serve (pip install -e '.[serve]')")]
    port = _free_port()
    desk = _served([sys.executable, "-m", "tui.cli", "--db", url, "serve", "--port", str(port)],
                   port)
    port = _free_port()
    plain = _served(_plain_textual_serve(url, port), port)
    seconds, baseline = median(desk), median(plain)
    return [Row(db_name, "browser: page request to the sign-in text (serve)", ms(seconds),
                f"{ms(baseline)} textual-serve as it comes", seconds / baseline, "≤ 0.8 s",
                seconds <= 0.8,
                f"median of {BROWSERS} pages, {BETWEEN_SECONDS:.0f} s apart; a websocket client "
                "as the page's script (no browser: its own layout not counted)",
                {"desk": desk, "plain": plain})]
