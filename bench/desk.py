"""The full-screen desk (tui.desk.app.make_app) on the site, in-process through Textual's Pilot.

Measured, each in a process of its own: the desk's startup to its first painted frame; each
screen's first paint with its data (on the site, and for comparison on a site of ten lines
laid out so that every screen has rows to show: bench.generator.Generator.compare_site); a scan
from its keys to the frame that shows it was received; the desk's memory.

Headless Textual works out every frame but skips turning it into terminal text; here each
frame is turned into that text too (what a real terminal would be sent), and its time is
when that text is ready.

While a scan is on its way the bench waits on events (the ack, the next frame), as a real
terminal's UI thread waits in select(): polling with `asyncio.sleep(0)` kept the UI thread
busy, and it took the interpreter lock from the worker recording the scan (~5 ms more per
scan than the desk needs). Scans are measured twice: one at a time with the printer idle,
and with a `dir:` label printer set, each scan coming as soon as the previous one is on the
screen, while its label is being made and written.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
import time

from bench.timing import Row, median, ms, p50_p99, peak_rss_mb, percentile, rss_mb

SIZE = (120, 40)
PIN = "1234"          # every generated user's (bench.generator.BENCH_PIN)
PAINT_RUNS = 9        # desks started on each site for the first paints (one sample each;
                      # with 5, a 10-line baseline swung by ±30% between two quiet runs)
SIGN_INS = 10         # changes of user measured (and as many baselines), in the first desk
SCREENS = (("overview", "f2"), ("receiving", "f3"), ("inspection", "f4"), ("finance", "f5"),
           ("cases", "f6"))


class Frames:
    """Every frame the desk paints, with the time its terminal text was ready."""

    def __init__(self, app):
        from textual._compositor import CompositorUpdate
        self.times: list[float] = []
        self.painted = asyncio.Event()
        display = app._display

        def painted(screen, renderable):
            display(screen, renderable)
            if renderable is not None:
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                else:
                    app.console.render(renderable)
                self.times.append(time.perf_counter())
                self.painted.set()
        app._display = painted

    async def first_after(self, start: float) -> float:
        """The first frame ready at or after `start`, waiting for it if need be."""
        while (at := self.first_since(start)) is None:
            self.painted.clear()
            await self.painted.wait()
        return at

    def last_since(self, start: float) -> float | None:
        later = [t for t in self.times if t >= start]
        return later[-1] if later else None

    def first_since(self, start: float) -> float | None:
        return next((t for t in self.times if t >= start), None)


async def settle(pilot) -> None:
    """Until no worker is left (a finished worker may start the next) and the screen is idle;
    a worker cancelled as its screen or dialog leaves (a change of language draws the screens
    anew) has done its part."""
    from textual.worker import WorkerCancelled
    app = pilot.app
    while True:
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            await pilot.pause()
            continue
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
    from peewee import fn

    from models import connect
    from models.db import db
    from models.tables import ComplaintCase, Slip, SlipLine, User
    connect(url)
    names = {}
    for role in ("supervisor", "admin", "clerk"):
        names[role] = (User.select(User.name).where(User.role == role, User.active == True)  # noqa: E712
                       .order_by(User.id).scalar())
    # another supervisor: the changes of user measured alternate between the two
    names["supervisor2"] = (User.select(User.name).where(User.role == "supervisor",
                                                         User.active == True)  # noqa: E712
                            .order_by(User.id).offset(1).scalar()) or names["supervisor"]
    # the line with the most room left under the scan cap (see _screens)
    target = (SlipLine.select(Slip.slip_no, SlipLine.part_no).join(Slip)
              .where(Slip.status == "receiving", SlipLine.unit == "pcs")
              .order_by((SlipLine.approved_qty - SlipLine.received_qty).desc(), Slip.id.desc())
              .tuples().first())
    names["slip"], names["part"] = target if target else (None, None)
    # The case the Cases screen shows whole (facts, deadline, steps, timeline, attachments,
    # reminders): the one with the most slips, so its timeline is the longest there is.
    names["case"] = (ComplaintCase.select(ComplaintCase.case_no).join(Slip)
                     .group_by(ComplaintCase.id)
                     .order_by(fn.COUNT(Slip.id).desc(), ComplaintCase.id).scalar())
    db.close()
    return names


async def sign_in_series(pilot, frames: Frames, people: list[str]) -> list[float]:
    """Changes of user at the shared terminal: F12, the next person's name and Enter (shown),
    then the PIN and Enter; seconds from the PIN's keys to the last frame of home with its
    data (the PIN's check and the home screen built afresh included)."""
    samples = []
    for name in people:
        await pilot.press("f12")
        await settle(pilot)
        await burst(pilot, f"{name}\n")
        await settle(pilot)
        begun = time.perf_counter()
        await burst(pilot, f"{PIN}\n")
        await settle(pilot)
        samples.append((frames.last_since(begun) or time.perf_counter()) - begun)
    return samples


async def home_without_database(pilot, frames: Frames, count: int) -> list[float]:
    """The baseline of a change of user: the same home screen, built afresh for the same
    signed-in person and painted with the same data, read beforehand; no PIN checked and
    nothing asked of the database (its connection is not even opened)."""
    from contextlib import nullcontext

    from models import clock, lists
    from models.db import db
    from models.i18n import language
    from tui.desk.signin import SignInScreen
    from tui.work import home
    app = pilot.app
    user = app.user

    def read() -> tuple:
        with db.connection_context():
            return home.summary(user.role, clock.today()), lists.returns_per_month(12, clock.today())
    summary, chart = await asyncio.to_thread(read)
    kept = home.summary, lists.returns_per_month
    home.summary = lambda role, today=None: summary
    lists.returns_per_month = lambda months=12, today=None: chart
    db.obj.connection_context = nullcontext
    app.kick_printer = lambda: None
    samples = []
    try:
        for _ in range(count):
            await pilot.press("f12")
            await settle(pilot)
            app.stack_owner = None        # as for someone else: home is built afresh
            # as a PIN's keys would: the desk's full garbage collection waits for quiet keys
            # (tui.work.collector), and would fall on this home as it does on no real one
            app.last_key = time.monotonic()
            begun = time.perf_counter()
            app.screen.post_message(SignInScreen.SignedIn(user, app.idle_minutes, None, language()))
            await settle(pilot)
            samples.append((frames.last_since(begun) or time.perf_counter()) - begun)
    finally:
        home.summary, lists.returns_per_month = kept
        del db.obj.connection_context, app.kick_printer
    return samples


async def _screens(url: str, scans: int, sign_ins: int = 0) -> dict:
    from tui.desk.app import make_app
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
        await visit("the monthly report (F9 from a supervisor's home)", "f9")
        await pilot.press("escape")
        await settle(pilot)
        for name, key in SCREENS[1:]:
            await visit(name, key)
        if names["case"]:      # on Cases (the last of SCREENS): one case typed, shown whole
            await visit("a case with its steps, timeline, attachments, reminders (number typed)",
                        typed=f"{names['case']}\n")
        await pilot.press("f12")
        await settle(pilot)
        await visit("home as admin, from sign-in", typed=f"{names['admin']}\n{PIN}\n")
        await visit("settings", "f11")
        result["rss_after_screens"] = rss_mb()

        if sign_ins:
            # the first two sign in each supervisor once (a hash of an earlier cost is made
            # again then, once per person ever): not counted
            people = [names["supervisor2"], names["supervisor"]] * (sign_ins // 2 + 1)
            result["sign_in"] = (await sign_in_series(pilot, frames, people))[2:]
            result["sign_in_baseline"] = await home_without_database(pilot, frames, sign_ins)

        if scans and names["slip"]:
            await pilot.press("f12")
            await settle(pilot)
            await receive_as_clerk(pilot, url, names)
            part = names["part"]
            result["scans"] = await scan_series(pilot, frames, part, scans, settle_between=True)
            with tempfile.TemporaryDirectory() as labels_dir:
                await asyncio.to_thread(_set, url, names["admin"], "label_printer",
                                        f"dir:{labels_dir}")
                result["scans_printing"] = await scan_series(pilot, frames, part, scans,
                                                             settle_between=False)
                await settle(pilot)
                await asyncio.to_thread(_set, url, names["admin"], "label_printer", "")
        result["rss"] = rss_mb()
        result["peak_rss"] = peak_rss_mb()
    return result


async def scan_series(pilot, frames: Frames, part: str, count: int,
                      settle_between: bool) -> list[tuple[float, float, bool]]:
    """`count` scans of `part`: (seconds to ack(), seconds to the frame showing it, whether
    the label printer was at work when the scan came). With `settle_between`, each scan waits
    until the desk is idle (its label done); else the next comes 20 ms after the previous
    one is on the screen, while the printer works on its label."""
    app = pilot.app
    screen = app.screen
    acks: list[tuple[float, str]] = []
    acked_event = asyncio.Event()
    ack = screen.ack

    def acked(text, kind):
        acks.append((time.perf_counter(), text))
        acked_event.set()
        ack(text, kind)
    screen.ack = acked
    samples = []
    try:
        for _ in range(count):
            before = len(acks)
            printing = app.printer.busy
            acked_event.clear()
            begun = time.perf_counter()
            await burst(pilot, f"{part}\n")
            while len(acks) == before:
                await acked_event.wait()
                acked_event.clear()
            at, text = acks[before]
            if not text.startswith("✔"):
                raise RuntimeError(f"the scan was not received: {text}")
            shown = await frames.first_after(at)
            samples.append((at - begun, shown - begun, printing))
            if settle_between:
                await settle(pilot)
            else:
                await asyncio.sleep(0.02)
    finally:
        del screen.ack
    return samples


async def receive_as_clerk(pilot, url: str, names: dict) -> None:
    """The clerk signed in, on Receiving with the bench's slip open. Its scans pile up on one
    line, and no receiving line of the site is approved for that many: past scan_cap_factor x
    approved a clerk's scan is refused (a supervisor's call), so the bench raises the cap as an
    admin may."""
    await burst(pilot, f"{names['clerk']}\n{PIN}\n")
    await settle(pilot)
    await asyncio.to_thread(_set, url, names["admin"], "scan_cap_factor", "1000")
    await pilot.press("f3")
    await settle(pilot)
    await burst(pilot, f"{names['slip']}\n")
    await settle(pilot)


def _set(url: str, admin: str, name: str, value: str) -> None:
    """A site setting, set as the admin would (this process's own connection)."""
    from models import settings
    from models.db import db
    from models.tables import User
    with db.connection_context():
        settings.set_value(User.get(User.name == admin), name, value)


def _run(run, args: tuple, results) -> None:
    try:
        results.put(asyncio.run(run(*args)))
    except Exception as exc:   # reported in the table, not a crash of the whole bench
        results.put({"error": f"{type(exc).__name__}: {exc}"})


def in_own_process(run, *args, timeout: float = 1800) -> dict:
    """`asyncio.run(run(*args))` in a spawned process (a desk of its own, started afresh):
    what it returns, or {"error": ...}."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_run, args=(run, args, results))
    process.start()
    outcome = results.get(timeout=timeout)
    process.join(timeout=60)
    return outcome


def _in_process(url: str, scans: int, sign_ins: int = 0) -> dict:
    return in_own_process(_screens, url, scans, sign_ins)


def measure(url: str, db_name: str, small_url: str | None, scans: int) -> list[Row]:
    big = _in_process(url, scans, SIGN_INS)
    if "error" in big:
        return [Row(db_name, "desk (tui.desk.app)", "not measured", note=big["error"])]
    # A first paint happens once per desk: several desks, the two sites in turn, give a
    # median that one noisy moment on this shared machine does not decide.
    big_runs, small_runs = [big], []
    for run in range(PAINT_RUNS if small_url else 0):
        small_runs.append(_in_process(small_url, 0))
        if run < PAINT_RUNS - 1:
            big_runs.append(_in_process(url, 0))
    big_runs = [r for r in big_runs if "error" not in r]
    small_runs = [r for r in small_runs if "error" not in r]
    startup = median([r["startup_settled"] for r in big_runs])
    rows = [Row(db_name, "desk: startup to first paint (sign-in)", ms(startup), goal="≤ 0.6 s",
                ok=startup <= 0.6,
                note=f"make_app() (schema check) and the sign-in screen with its list of users; "
                     f"median of {len(big_runs)} desks")]
    for name in big["screens"]:
        seconds = median([r["screens"][name] for r in big_runs])
        other = median([r["screens"][name] for r in small_runs]) if small_runs else None
        ratio = seconds / other if other else None
        rows.append(Row(db_name, f"desk: first paint of {name}", ms(seconds),
                        f"{ms(other)} on 10 lines" if other is not None else "", ratio,
                        "≤ 1.2× 10 lines" if ratio else "", ratio <= 1.2 if ratio else None,
                        "key to the last frame once its data is shown, median of "
                        f"{len(big_runs)} desks; beside it the same on a 10-line site with rows "
                        "in every list (slips being received, to book and booked, units to "
                        "inspect, open cases, a late complaint)",
                        {"desk": [r["screens"][name] for r in big_runs],
                         "small": [r["screens"][name] for r in small_runs]}))
    if big.get("sign_in"):
        seconds, baseline = median(big["sign_in"]), median(big["sign_in_baseline"])
        rows.append(Row(db_name, "desk: sign-in -> home (a change of user)",
                        f"p50 {ms(seconds)}", f"{ms(baseline)} the same home, no database work",
                        seconds / baseline, "≤ 300 ms p50", seconds <= 0.3,
                        f"{len(big['sign_in'])} changes of user between two supervisors, from the "
                        "PIN's keys to home's last frame with its data (the PIN's key derivation, "
                        "the sign-in's statements, home's queries, its screens built afresh); "
                        "beside it home built afresh and painted with the same data, read "
                        "beforehand", {"desk": big["sign_in"], "baseline": big["sign_in_baseline"]}))
    for key, label, note in (
            ("scans", "desk: scan keys to the frame acknowledging it",
             "scans typed as a scanner does, Enter included, one at a time"),
            ("scans_printing", "desk: the same while labels print (dir: printer)",
             "scans, each 20 ms after the previous one is shown, while its label is made")):
        if big.get(key):
            to_ack = [a for a, _, _ in big[key]]
            to_frame = [f for _, f, _ in big[key]]
            printing = sum(busy for _, _, busy in big[key])
            p99 = percentile(to_frame, 99)
            rows.append(Row(db_name, label, f"p50/p99 {p50_p99(to_frame)}",
                            f"{p50_p99(to_ack)} to ack()", None, "≤ 20 ms p99", p99 <= 0.020,
                            f"{len(to_frame)} {note}"
                            + (f"; the printer was at work for {printing}" if printing else ""),
                            {"frame": to_frame, "ack": to_ack}))
    rows.append(Row(db_name, "memory: the desk with the site open", f"{big['rss']:.0f} MB RSS", "",
                    None, "≤ 200 MB", big["peak_rss"] <= 200,
                    f"peak {big['peak_rss']:.0f} MB, after every screen and the scans"))
    return rows
