"""A real browser for the bench and the tests: headless Chromium driven through the Chrome
DevTools Protocol over its websocket, with aiohttp (which `serve` already brings): no
selenium, no browser download. Used when /usr/bin/chromium is there (Debian's `chromium`
package); CI does not install it, so what uses this is skipped there.

Outside hosts are made unreachable (every name but the loopback resolves to nothing), so a
page that asks one fails at once instead of waiting, and the request is still recorded.
"""
from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("RETURNS_DESK_CHROMIUM", "/usr/bin/chromium"))

# Put in the page before its own script runs: finds textual.js's terminal (its object sets
# `webglAddon` on itself once its xterm terminal exists), and marks when the page's phases
# happen, in ms since navigation began (performance.now()): the websocket made, opened, its
# first message and the one that brings WANTED, and when a render of the terminal first holds
# it (a message is marked when the page's script gets to it, which may be after it came).
PAGE_PROBE = """
(() => {
  const marks = window.__deskMarks = {};
  const at = (name) => { if (!(name in marks)) marks[name] = performance.now(); };
  window.WebSocket = new Proxy(window.WebSocket, {
    construct(Native, args) {
      const socket = Reflect.construct(Native, args);
      at("websocket made");
      socket.addEventListener("open", () => at("websocket open"));
      let received = "";
      const decoder = new TextDecoder();
      socket.addEventListener("message", (event) => {
        at("first message");
        if (typeof event.data === "string" || "text arrived" in marks) return;
        received += decoder.decode(event.data, {stream: true});
        if (window.__deskWanted && received.includes(window.__deskWanted)) at("text arrived");
      });
      return socket;
    },
  });
  document.fonts.ready.then(() => at("fonts ready"));
  Object.defineProperty(Object.prototype, "webglAddon", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "webglAddon", {value, writable: true, configurable: true,
                                                 enumerable: true});
      const terminal = this.terminal;
      if (!terminal || window.__deskTerminal) return;
      window.__deskTerminal = terminal;
      at("terminal made");
      terminal.onRender(() => {
        at("first render");
        if (window.__deskWanted && !("text painted" in marks)
            && window.__deskScreen().includes(window.__deskWanted)) at("text painted");
      });
    },
  });
  window.__deskScreen = () => {
    const terminal = window.__deskTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active, rows = [];
    for (let y = 0; y < terminal.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      rows.push(line ? line.translateToString(true) : "");
    }
    return rows.join("\\n");
  };
})();
"""

KEYS = {  # key name -> (key, code, Windows key code, text typed)
    "enter": ("Enter", "Enter", 13, "\r"), "escape": ("Escape", "Escape", 27, ""),
    "tab": ("Tab", "Tab", 9, ""), "down": ("ArrowDown", "ArrowDown", 40, ""),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
    **{f"f{n}": (f"F{n}", f"F{n}", 111 + n, "") for n in range(1, 13)},
}


def available() -> str | None:
    """None when a real browser can be used here, else why not."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return "needs aiohttp (pip install -e '.[serve]')"
    return None


class Browser:
    """One headless Chromium with one tab: `async with Browser() as tab: ...`."""

    def __init__(self, size: tuple[int, int] = (1280, 860), lang: str = "en-US") -> None:
        self.size, self.lang = size, lang
        self.requests: list[str] = []        # every URL the tab asked for, in order
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}

    async def __aenter__(self) -> Browser:
        import aiohttp
        self._profile = tempfile.mkdtemp(prefix="desk-chromium-")
        width, height = self.size
        self._process = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile}", "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
             f"--window-size={width},{height}", f"--lang={self.lang}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile, "DevToolsActivePort")
        for _ in range(300):
            if port_file.exists() and port_file.read_text().count("\n") >= 1:
                break
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as response:
            pages = [t for t in await response.json() if t["type"] == "page"]
        self._socket = await self._session.ws_connect(pages[0]["webSocketDebuggerUrl"],
                                                      max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        await self.send("Network.enable")
        await self.send("Page.enable")
        await self.send("Page.addScriptToEvaluateOnNewDocument", source=PAGE_PROBE)
        return self

    async def __aexit__(self, *exc) -> None:
        self._reader.cancel()
        await self._socket.close()
        await self._session.close()
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        shutil.rmtree(self._profile, ignore_errors=True)

    async def _read(self) -> None:
        async for message in self._socket:
            data = json.loads(message.data)
            if "id" in data:
                future = self._waiting.pop(data["id"], None)
                if future and not future.done():
                    future.set_result(data)
            elif data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketCreated":
                self.requests.append(data["params"]["url"])

    async def send(self, method: str, **params) -> dict:
        number = next(self._ids)
        self._waiting[number] = future = asyncio.get_running_loop().create_future()
        await self._socket.send_str(json.dumps({"id": number, "method": method, "params": params}))
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def evaluate(self, expression: str):
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def open(self, url: str, wanted: str) -> None:
        """Go to `url`; the probe marks when a render of the terminal first shows `wanted`."""
        await self.send("Page.addScriptToEvaluateOnNewDocument",
                        source=f"window.__deskWanted = {json.dumps(wanted)};")
        await self.send("Page.navigate", url=url)

    async def marks(self) -> dict[str, float]:
        """The page's phases, in seconds since navigation began."""
        marks = await self.evaluate("JSON.stringify(window.__deskMarks || {})")
        return {name: ms / 1000 for name, ms in json.loads(marks or "{}").items()}

    async def wait_for_mark(self, name: str, timeout: float = 30) -> dict[str, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            marks = await self.marks()
            if name in marks:
                return marks
            await asyncio.sleep(0.05)
        raise TimeoutError(f"no {name!r} in {timeout:.0f} s: {await self.marks()}\n"
                           f"{await self.screen()}")

    async def screen(self) -> str:
        """The terminal's text as the page has it."""
        return await self.evaluate("window.__deskScreen ? window.__deskScreen() : ''") or ""

    async def wait_for_text(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = await self.screen()
            if text in screen:
                return screen
            await asyncio.sleep(0.1)
        raise TimeoutError(f"no {text!r} on the screen in {timeout:.0f} s:\n{await self.screen()}")

    async def type(self, text: str) -> None:
        for character in text:
            for kind in ("keyDown", "keyUp"):
                await self.send("Input.dispatchKeyEvent", type=kind, key=character,
                                text=character if kind == "keyDown" else "")

    async def press(self, name: str) -> None:
        key, code, number, text = KEYS[name]
        await self.send("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                        windowsVirtualKeyCode=number, text=text)
        await self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                        windowsVirtualKeyCode=number)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def outside_requests(self, own_host: str) -> list[str]:
        """Requests to any host but `own_host` (data: and blob: URLs are the page's own)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about")
                and urlsplit(url).netloc != own_host]
