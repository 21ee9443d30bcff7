"""The full-screen desk (tui.app.make_app) on the site, in-process through Textual's Pilot.

Measured, each in a process of its own: the desk's startup to its first painted frame; each
screen's first paint with its data (on the site, and on a ten-line site for comparison); a
scan from its keys to the frame that shows it was received; the desk's memory.

Headless Textual works out every frame but skips turning it into terminal text; here each
frame is turned into that text too (what a real terminal would be sent), and its time is
when that text is ready.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import time

from bench.timing import Row, ms, p50_p99, peak_rss_mb, rss_mb

SIZE = (120, 40)
PIN = "1234"          # every generated user's (bench.site.BENCH_PIN)
SCREENS = (("overview", "f2"), ("receiving", "f3"), ("inspection", "f4"), ("finance", "f5"),
           ("cases", "f6"))


class Frames:
    """Every frame the desk paints, with the time its terminal text was ready."""

    def __init__(self, app):
        from textual._compositor import CompositorUpdate
        self.times: list[float] = []
        display = app._display

        def painted(screen, renderable):
            display(screen, renderable)
            if renderable is not None:
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                else:
                    app.console.render(renderable)
                self.times.append(time.perf_counter())
        app._display = painted

    def last_since(self, start: float) -> float | None:
        later = [t for t in self.times if t >= start]
        return later[-1] if later else None

    def first_since(self, start: float) -> float | None:
        return next((t for t in self.times if t >= start), None)


async def settle(pilot) -> None:
    """Until no worker is left (a finished worker may start the next) and the screen is idle."""
    app = pilot.app
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not len(app.workers):
            return


async def burst(pilot, text: str) -> None:
    """Keys as a scanner sends them: all at once, "\n" for Enter (as tests/test_desk.py)."""
    from textual import events
    from textual.keys import _character_to_key
    for char in text:
        event = (events.Key("enter", "\r") if char == "\n" else
                 events.Key(char if char.isalnum() else _character_to_key(char), char))
        event.set_sender(pilot.app)
        pilot.app._driver.send_message(event)


def _names(url: str) -> dict:
    """A user name per role, and a slip still being received with a countable line."""
    from models import connect
    from models.db import db
    from models.tables import Slip, SlipLine, User
    connect(url)
    names = {}
    for role in ("supervisor", "admin", "clerk"):
        names[role] = (User.select(User.name).where(User.role == role, User.active == True)  # noqa: E712
                       .order_by(User.id).scalar())
    target = (SlipLine.select(Slip.slip_no, SlipLine.part_no).join(Slip)
              .where(Slip.status == "receiving", SlipLine.unit == "pcs")
              .order_by(Slip.id.desc()).tuples().first())
    names["slip"], names["part"] = target if target else (None, None)
    db.close()
    return names


async def _screens(url: str, scans: int) -> dict:
    from tui.app import make_app
    names = _names(url)
    result: dict = {"screens": {}, "scans": []}
    started = time.perf_counter()
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        frames = Frames(app)
        await settle(pilot)
        result["startup_ready"] = time.perf_counter() - started
        # run_test hands over once the app is up; its first frames came just before
        result["startup_settled"] = (frames.last_since(started) or time.perf_counter()) - started

        async def visit(name: str, key: str = "", typed: str = "") -> None:
            begun = time.perf_counter()
            if typed:
                await burst(pilot, typed)
            else:
                await pilot.press(key)
            await settle(pilot)
            result["screens"][name] = (frames.last_since(begun) or time.perf_counter()) - begun

        await visit("home, from the PIN's Enter (PIN check included)",
                    typed=f"{names['supervisor']}\n{PIN}\n")
        for name, key in SCREENS[1:]:
            await visit(name, key)
        await pilot.press("f12")
        await settle(pilot)
        await visit("home as admin, from sign-in", typed=f"{names['admin']}\n{PIN}\n")
        await visit("settings", "f11")
        result["rss_after_screens"] = rss_mb()

        if scans and names["slip"]:
            await pilot.press("f12")
            await settle(pilot)
            await burst(pilot, f"{names['clerk']}\n{PIN}\n")
            await settle(pilot)
            await pilot.press("f3")
            await settle(pilot)
            await burst(pilot, f"{names['slip']}\n")
            await settle(pilot)
            screen = app.screen
            acks: list[tuple[float, str]] = []
            ack = screen.ack

            def acked(text, kind):
                acks.append((time.perf_counter(), text))
                ack(text, kind)
            screen.ack = acked
            for i in range(scans):
                before = len(acks)
                begun = time.perf_counter()
                await burst(pilot, f"{names['part']}\n")
                while len(acks) == before:
                    await asyncio.sleep(0)
                at, text = acks[-1]
                if not text.startswith("✔"):
                    raise RuntimeError(f"the scan was not received: {text}")
                while frames.first_since(at) is None:
                    await asyncio.sleep(0)
                result["scans"].append((at - begun, frames.first_since(at) - begun))
                await settle(pilot)
        result["rss"] = rss_mb()
        result["peak_rss"] = peak_rss_mb()
    return result


def _run(url: str, scans: int, results) -> None:
    try:
        results.put(asyncio.run(_screens(url, scans)))
    except Exception as exc:   # reported in the table, not a crash of the whole bench
        results.put({"error": f"{type(exc).__name__}: {exc}"})


def _in_process(url: str, scans: int) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_run, args=(url, scans, results))
    process.start()
    outcome = results.get(timeout=1800)
    process.join(timeout=60)
    return outcome


def measure(url: str, db_name: str, small_url: str | None, scans: int) -> list[Row]:
    big = _in_process(url, scans)
    if "error" in big:
        return [Row(db_name, "desk (tui.app)", "not measured", note=big["error"])]
    small = _in_process(small_url, 0) if small_url else {}
    if "error" in small:
        small = {}
    rows = [Row(db_name, "desk: startup to first paint (sign-in)", ms(big["startup_settled"]),
                note="make_app() (schema check) and the sign-in screen with its list of users")]
    for name, seconds in big["screens"].items():
        other = small.get("screens", {}).get(name)
        rows.append(Row(db_name, f"desk: first paint of {name}", ms(seconds),
                        f"{ms(other)} on 10 lines" if other is not None else "",
                        seconds / other if other else None, "", None,
                        "key to the last frame once its data is shown"))
    if big["scans"]:
        to_ack = [a for a, _ in big["scans"]]
        to_frame = [f for _, f in big["scans"]]
        rows.append(Row(db_name, "desk: scan keys to the frame acknowledging it",
                        f"p50/p99 {p50_p99(to_frame)}", f"{p50_p99(to_ack)} to ack()", None, "",
                        None, f"{len(to_frame)} scans typed as a scanner does, Enter included",
                        {"frame": to_frame, "ack": to_ack}))
    rows.append(Row(db_name, "memory: the desk with the site open", f"{big['rss']:.0f} MB RSS", "",
                    None, "≤ 200 MB", big["peak_rss"] <= 200,
                    f"peak {big['peak_rss']:.0f} MB, after every screen and the scans"))
    return rows
