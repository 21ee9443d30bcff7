"""The desk in a browser (`returns-desk serve`): from the page's request to the sign-in text.

A small client does what the page's script does (GET the page, open its websocket with the
terminal's size, send the size) and waits for the frame in which the sign-in screen's text
arrives. What a browser adds on top (reading and running the ~0.5 MB script, drawing the
terminal) is not in that figure; where /usr/bin/chromium is (bench/chromium.py), a real
headless Chromium also opens the page, a new one for each sample (nothing cached, as a browser
that comes for the first time) and the same one again (its cache warm, as a terminal's browser
opening the page it opened before): from navigation to the first render of the terminal that
holds the text, by the page's own clock.

Measured twice: `serve` as it is (a desk process imported ahead for the next browser and
started at the page's request: see tui.cli.serving) and, as the baseline, textual-serve as it
comes (a new process for each browser, Python and the desk imported while the person waits).
The client opens its websocket as soon as it has the page, so the page's head start shows
in the browser rows, where the page's script runs in between.
"""
from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from bench import chromium

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


@contextmanager
def _serving(command: list[str], port: int):
    """The server running `command`, once it listens: its base URL."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def _by_client(base: str) -> list[float]:
    samples = []
    for _ in range(BROWSERS):
        time.sleep(BETWEEN_SECONDS)
        samples.append(sign_in_text_after(base))
    return samples


def _served(command: list[str], port: int) -> list[float]:
    with _serving(command, port) as base:
        return _by_client(base)


async def in_chromium(base: str, count: int, text: str = SIGN_IN_TEXT) -> dict:
    """`count` new Chromiums each open the page, then open it again: seconds from navigation
    to the text painted (first visits, return visits), each first visit's phases, and every
    request that went to another host."""
    first, again, phases, outside = [], [], [], []
    host = base.split("//", 1)[1]
    for _ in range(count):
        async with chromium.Browser() as tab:
            for visits in (first, again):
                await asyncio.sleep(BETWEEN_SECONDS)
                await tab.open(base + "/", text)
                marks = await tab.wait_for_mark("text painted")
                visits.append(marks["text painted"])
                if visits is first:
                    phases.append(marks)
            outside += tab.outside_requests(host)
    return {"first": first, "again": again, "phases": phases, "outside": outside}


def _phases(runs: list[dict]) -> str:
    """The median time of each phase of the page, in the order they came."""
    names = sorted({name for marks in runs for name in marks},
                   key=lambda name: median([m[name] for m in runs if name in m]))
    return ", ".join(f"{name} {median([m[name] for m in runs if name in m]):.2f}"
                     for name in names)


def chromium_rows(db_name: str, base: str, client: float) -> list[Row]:
    why_not = chromium.available()
    if why_not:
        return [Row(db_name, "browser: navigation to the sign-in text painted (Chromium)",
                    "not measured", note=why_not)]
    seen = asyncio.run(in_chromium(base, BROWSERS))
    rows = []
    for kind, label, how in (("first", "a new browser", "nothing cached"),
                             ("again", "the page again", "its cache warm")):
        seconds = median(seen[kind])
        note = (f"median of {BROWSERS} headless Chromiums, {how}; vs the websocket client; "
                f"requests elsewhere: {len(seen['outside'])}")
        if kind == "first":
            note += f"; phases (s): {_phases(seen['phases'])}"
        rows.append(Row(db_name, f"browser: navigation to the sign-in text painted ({label})",
                        ms(seconds), f"{ms(client)} websocket client", seconds / client,
                        "≤ 0.8 s", seconds <= 0.8 and not seen["outside"], note,
                        {"samples": seen[kind], "outside": seen["outside"],
                         "phases": seen["phases"] if kind == "first" else []}))
    return rows


def _plain_textual_serve(url: str, port: int) -> list[str]:
    """textual-serve's own Server running the desk, as `serve` did before."""
    script = ("import shlex, sys; from textual_serve.server import Server; "
              "Server(shlex.join([sys.executable, '-m', 'tui.cli', '--db', sys.argv[1], '--lang', 'en']), "
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
    # In English on both servers (SIGN_IN_TEXT): a site speaks zh-Hant unless set otherwise.
    with _serving([sys.executable, "-m", "tui.cli", "--db", url, "--lang", "en", "serve",
                   "--port", str(port)], port) as base:
        desk = _by_client(base)
        in_browser = chromium_rows(db_name, base, median(desk))
    port = _free_port()
    plain = _served(_plain_textual_serve(url, port), port)
    seconds, baseline = median(desk), median(plain)
    return [Row(db_name, "browser: page request to the sign-in text (serve)", ms(seconds),
                f"{ms(baseline)} textual-serve as it comes", seconds / baseline, "≤ 0.8 s",
                seconds <= 0.8,
                f"median of {BROWSERS} pages, {BETWEEN_SECONDS:.0f} s apart; a websocket client "
                "as the page's script (no browser: its own layout not counted)",
                {"desk": desk, "plain": plain})] + in_browser
