"""The label queue at the desk: how fast it drains, how soon the first label leaves.

    python -m bench.print_queue [--labels 500] [--scans 5]

On a copy of the demo site (returns.db.example) with `--labels` labels queued while no printer
was set, the full-screen desk runs headless (Textual's Pilot) with the clerk signed in, once
per printer: a `dir:` folder, and a `tcp:` label printer played by a socket server in this
bench (one connection per label, as a Zebra on port 9100 takes them). Measured each time:

- printer set → first label: the admin sets label_printer from elsewhere (the command line,
  another terminal) and the desk notices by itself;
- the queue's drain: labels per second from the first label to the last;
- scan → its label: `--scans` pieces scanned at the receiving screen, each one's label out.

Beside it, the plain baseline: the same labels made and written directly
(labels.print_labels, one label a call, in this process), without queue, database or desk.
The goals: ≥ 20 labels/s and ≤ 1 s to the first label.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "returns.db.example"
SLIP, PART = "RS2611-0004", "VLV-20"     # a demo slip still being received
CLERK, ADMIN = ("lin", "1111"), "admin"
GOAL_RATE, GOAL_FIRST = 20.0, 1.0


class LabelPrinter:
    """A raw-port label printer on 127.0.0.1: each connection is a job, counted in labels
    once it has come in whole."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.labels = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection, connection.makefile("rb") as stream:
                data = stream.read()
            self.labels += data.count(b"^XZ")

    def out(self) -> int:
        return self.labels

    def close(self) -> None:
        self.server.close()


class LabelFolder:
    """A dir: printer's folder; a label is out once its file is there (written whole and
    renamed in by the desk)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def out(self) -> int:
        return sum(1 for entry in os.scandir(self.path) if not entry.name.startswith("."))

    def close(self) -> None:
        pass


def prepare(folder: Path, count: int) -> Path:
    """The demo site with `count` labels waiting (no printer set): the demo's own, and pieces
    received by the clerk for the rest."""
    from models import connect, settings
    from models.db import db
    from models.receiving import receive_scan
    from models.tables import PrintJob, User
    site = folder / "site.db"
    shutil.copy(DEMO, site)
    connect(f"sqlite:///{site}")
    admin, clerk = (User.get(User.name == name) for name in (ADMIN, CLERK[0]))
    settings.set_value(admin, "scan_cap_factor", "1000")
    waiting = PrintJob.select().where(PrintJob.status == "queued").count()
    for _ in range(max(0, count - waiting)):
        receive_scan(clerk, SLIP, PART)
    db.close()
    return site


def set_printer(url: str, spec: str) -> None:
    """label_printer, set as the admin does on the command line (a connection of its own)."""
    from models import settings
    from models.db import db
    from models.tables import User
    with db.connection_context():
        settings.set_value(User.get(User.name == ADMIN), "label_printer", spec)


async def until(condition, app, timeout: float = 120.0) -> float:
    """Wait (letting the desk run) until `condition()`; when it became true."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the labels did not come out; the desk says {app.printer_status!r}")
        await asyncio.sleep(0.005)
    return time.perf_counter()


async def keys(pilot, text: str) -> None:
    """Keys as a scanner sends them, "\n" for Enter."""
    for char in text:
        await pilot.press("enter" if char == "\n" else char)


async def desk_run(site: Path, printer: str, sink, queued: int, scans: int) -> dict:
    """The desk on `site`; `printer` is set once the clerk is signed in."""
    from bench.desk import settle
    from tui.desk.app import make_app
    url = f"sqlite:///{site}"
    app = make_app(url, journal=site.parent / "journal" / "scans.jsonl")
    result: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await keys(pilot, f"{CLERK[0]}\n{CLERK[1]}\n")
        await settle(pilot)
        await asyncio.sleep(1.0)          # the desk has been open a moment
        set_at = time.perf_counter()
        await asyncio.to_thread(set_printer, url, printer)
        first = await until(lambda: sink.out() >= 1, app)
        last = await until(lambda: sink.out() >= queued, app)
        result["first_after_set"] = first - set_at
        result["drain_rate"] = (queued - 1) / (last - first) if queued > 1 else float("nan")
        result["drain_seconds"] = last - set_at
        await settle(pilot)
        await pilot.press("f3")
        await keys(pilot, f"{SLIP}\n")
        await settle(pilot)
        result["after_scan"] = []
        for n in range(scans):
            await keys(pilot, PART)
            begun = time.perf_counter()              # the scanner's Enter
            await pilot.press("enter")
            out = queued + n + 1
            done = await until(lambda: sink.out() >= out, app)   # noqa: B023 - awaited here
            result["after_scan"].append(done - begun)
            await settle(pilot)
    return result


def plain_rate(site: Path, printer: str, sink, count: int) -> float:
    """Labels per second making and writing the same labels directly, no queue."""
    import labels
    from models import connect
    from models.db import db
    from models.tables import PrintJob
    from tui.work.labelling import label_for
    connect(f"sqlite:///{site}")
    items = [label_for(job.unit) for job in PrintJob.select().order_by(PrintJob.id).limit(count)]
    db.close()
    warm = sink.out() + 1
    labels.print_labels(items[:1], printer)          # fonts and tables loaded, as the desk's are
    while sink.out() < warm:
        time.sleep(0.001)
    before = sink.out()
    start = time.perf_counter()
    for item in items:
        labels.print_labels([item], printer)
    while sink.out() - before < len(items):      # the last one read by the printer
        time.sleep(0.001)
    return len(items) / (time.perf_counter() - start)


def measure(kind: str, count: int, scans: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        work = Path(tmp)
        site = prepare(work, count)
        if kind == "dir":
            (work / "labels").mkdir()
            (work / "plain").mkdir()
            sink, plain_sink = LabelFolder(work / "labels"), LabelFolder(work / "plain")
            spec, plain_spec = f"dir:{work / 'labels'}", f"dir:{work / 'plain'}"
        else:
            sink = plain_sink = LabelPrinter()
            spec = plain_spec = f"tcp:127.0.0.1:{sink.port}"
        try:
            plain = plain_rate(site, plain_spec, plain_sink, count)
            if kind == "tcp":
                sink.labels = 0
            desk = asyncio.run(desk_run(site, spec, sink, count, scans))
        finally:
            sink.close()
    desk["plain_rate"] = plain
    return desk


def report(kind: str, got: dict) -> list[str]:
    rate, plain = got["drain_rate"], got["plain_rate"]
    scan_p50, scan_max = statistics.median(got["after_scan"]), max(got["after_scan"])
    first = max(got["first_after_set"], scan_max)

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"
    return [
        f"{kind + ':':5} queue drained          {rate:7.1f} labels/s   plain {plain:7.1f} labels/s   "
        f"ratio {plain / rate:.2f}× the plain time   goal ≥ {GOAL_RATE:g}/s: {met(rate >= GOAL_RATE)}",
        f"{'':5} printer set → 1st label {got['first_after_set']:7.3f} s"
        f"          (all {got['drain_seconds']:.1f} s)",
        f"{'':5} scan → its label        {scan_p50:7.3f} s p50, {scan_max:.3f} s max "
        f"({len(got['after_scan'])} scans)   goal ≤ {GOAL_FIRST:g} s: {met(first <= GOAL_FIRST)}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.print_queue",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=500, help="labels queued (default 500)")
    parser.add_argument("--scans", type=int, default=5, help="scans timed to their label (default 5)")
    parser.add_argument("--only", choices=("dir", "tcp"), help="one printer only")
    args = parser.parse_args(argv)
    lines = [f"label queue: {args.labels} labels waiting on the demo site, 50x25 mm "
             "(png to dir:, zpl to tcp:)"]
    for kind in ([args.only] if args.only else ["dir", "tcp"]):
        print(f"measuring {kind}: ...", file=sys.stderr, flush=True)
        lines += report(kind, measure(kind, args.labels, args.scans))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
