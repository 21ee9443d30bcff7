"""The desk in a browser: textual-serve with the desk's own page and a desk process kept warm.

textual-serve starts a new process for each browser that connects; in it Python, Textual and
the desk are imported before the sign-in screen can paint (about a second on a 2-core
machine). Here one spare process has done those imports already and waits; a browser that
connects takes it (it opens the database and paints at once) and the next spare is started a
little later, when the first paint is done.

The spare opens the desk as `returns-desk` would (its database checked) and waits for one
packet on stdin, in the server's own framing: the browser's size ({"type": "resize", "width":
..., "height": ...}); then it runs the desk.

A head start: the page's request already starts a spare's desk, at the size the last browser
had (a terminal's browser keeps its size), while the browser reads and runs the page's script
(~0.3-0.6 s); its websocket then finds the sign-in screen painted (resized if the guess was
wrong). A desk started so that no websocket takes (a page fetched by a script) is stopped.

The page is textual-serve's own but for its web font: it asked a font host outside for Roboto
Mono (which fails offline, leaving a box glyph); ours serves the copy textual-serve ships.
"""
from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, log, to_int

PAGE = Path(__file__).with_name("page")     # app_index.html, the page each browser gets
SPARE_AFTER_SECONDS = 2.0                   # the next spare starts once a desk has painted
UNCLAIMED_SECONDS = 30.0                    # a desk started for a page whose websocket never came
HEAD_STARTS = 2                             # at most this many desks started ahead of their websocket


def resize_packet(width: int, height: int) -> bytes:
    """The server's packet that gives a desk its size (and a spare its go)."""
    return AppService.encode_packet(b"M", json.dumps(
        {"type": "resize", "width": width, "height": height}).encode())


class Spares:
    """One desk process started ahead, waiting for a browser."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.waiting: asyncio.subprocess.Process | None = None
        self.starting: asyncio.Task | None = None
        self.started: list[tuple[asyncio.subprocess.Process, tuple[int, int]]] = []
        self.last_size = (80, 24)
        self.starting_for_pages = 0

    async def _start(self) -> asyncio.subprocess.Process:
        # The environment textual-serve gives its processes (its web driver, colours, size).
        environment = AppService(self.command, write_bytes=None, write_str=None, close=None,
                                 download_manager=None)._build_environment()
        return await asyncio.create_subprocess_exec(
            *shlex.split(self.command), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=environment)

    def prepare(self, delay: float = 0.0) -> None:
        async def later():
            await asyncio.sleep(delay)
            self.waiting = await self._start()
            self.starting = None
        if self.starting is None and self.waiting is None:
            self.starting = asyncio.get_running_loop().create_task(later())

    async def take(self) -> asyncio.subprocess.Process:
        """The waiting spare (or a new one if it is not there, or died), and the next one
        prepared a little later."""
        process, self.waiting = self.waiting, None
        if process is None or process.returncode is not None:
            process = await self._start()
        self.prepare(SPARE_AFTER_SECONDS)
        return process

    async def start_for_page(self) -> None:
        """A page was asked for: a spare's desk started now, at the last browser's size, for
        the websocket that the page will open."""
        if len(self.started) + self.starting_for_pages >= HEAD_STARTS:
            return
        self.starting_for_pages += 1          # counted while the spare is taken (pages race)
        try:
            process = await self.take()
        finally:
            self.starting_for_pages -= 1
        assert process.stdin is not None
        process.stdin.write(resize_packet(*self.last_size))
        entry = (process, self.last_size)
        self.started.append(entry)
        await asyncio.sleep(UNCLAIMED_SECONDS)
        if entry in self.started:
            self.started.remove(entry)
            if process.returncode is None:
                process.kill()

    def take_started(self) -> tuple[asyncio.subprocess.Process, tuple[int, int]] | None:
        """A desk started for a page, if one is running."""
        while self.started:
            process, size = self.started.pop(0)
            if process.returncode is None:
                return process, size
        return None

    def stop(self) -> None:
        if self.starting is not None:
            self.starting.cancel()
        if self.waiting is not None and self.waiting.returncode is None:
            self.waiting.kill()
        for process, _ in self.started:
            if process.returncode is None:
                process.kill()


class SpareAppService(AppService):
    """textual-serve's process for one browser, taken from the spares."""

    def __init__(self, spares: Spares, **kwargs) -> None:
        super().__init__(spares.command, **kwargs)
        self.spares = spares

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self.spares.last_size = (width, height)
        started = self.spares.take_started()
        process = started[0] if started else await self.spares.take()
        self._process = process
        assert process.stdin is not None
        self._stdin = process.stdin
        if started is None or started[1] != (width, height):
            await self.set_terminal_size(width, height)    # the spare's go, or the right size
        return process


class DeskServer(Server):
    def __init__(self, command: str, **kwargs) -> None:
        super().__init__(command, templates_path=PAGE, **kwargs)
        self.spares = Spares(command)
        self.head_starts: set[asyncio.Task] = set()

    async def on_startup(self, app: web.Application) -> None:
        await super().on_startup(app)
        self.spares.prepare()

    async def on_shutdown(self, app: web.Application) -> None:
        for head_start in list(self.head_starts):
            head_start.cancel()
        self.spares.stop()

    async def handle_index(self, request: web.Request):
        """The page, with a desk started for it (Spares.start_for_page)."""
        head_start = asyncio.get_running_loop().create_task(self.spares.start_for_page())
        self.head_starts.add(head_start)                 # kept until done: tasks are weak
        head_start.add_done_callback(self.head_starts.discard)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve 1.1.3's handle_websocket, with the process taken from the spares."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            app_service = SpareAppService(
                self.spares, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager,
                debug=self.debug)
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:   # as textual-serve: logged, the other browsers go on
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket


def spare_command(desk_argv: list[str]) -> str:
    """The shell command of a spare that runs the desk with these arguments."""
    return shlex.join([sys.executable, "-m", "tui.cli.spare", *desk_argv])
