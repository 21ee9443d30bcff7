"""A network cut between a terminal and PostgreSQL, as when a cable is pulled: packets vanish
and nothing says so. The terminal notices within seconds (models.db: TCP user timeout), keeps
its scans on disk, and sends them once, in order, when the network is back.

The terminal runs in a network namespace of its own, joined to this one by a veth pair, and
reaches PostgreSQL through a relay on the pair's address; the cut is the link going down.
Needs root and `ip` (iproute2), and RETURNS_DESK_TEST_PG."""
from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from models import connect
from models.journal import Kept, Scan, ScanJournal, save
from models.tables import SlipLine, Unit

from ..figures import record
from ..helpers import ready_slip

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


class Relay:
    """Passes TCP connections from `listen` on to PostgreSQL, both ways, byte for byte."""

    def __init__(self, host: str, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server((host, 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def cable(desk):
    """(namespace, relay, link): a terminal's own network, and its cable to the database."""
    if desk.url.startswith("sqlite"):
        pytest.skip("a network cut is between a terminal and a database server")
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("making a network namespace needs root and iproute2's `ip`")
    tag = os.getpid() % 10_000
    namespace, link, peer = f"rdesk{tag}", f"rdv{tag}a", f"rdv{tag}b"
    subnet = f"10.{200 + tag % 50}.{tag % 250}"
    _ip("netns", "add", namespace)
    try:
        _ip("link", "add", link, "type", "veth", "peer", "name", peer)
        _ip("link", "set", peer, "netns", namespace)
        _ip("addr", "add", f"{subnet}.1/30", "dev", link)
        _ip("link", "set", link, "up")
        _ip("netns", "exec", namespace, "ip", "addr", "add", f"{subnet}.2/30", "dev", peer)
        _ip("netns", "exec", namespace, "ip", "link", "set", peer, "up")
        parts = urlsplit(desk.url)
        relay = Relay(f"{subnet}.1", (parts.hostname, parts.port or 5432))
        yield namespace, relay, link
        relay.close()
    finally:
        subprocess.run(["ip", "link", "del", link], capture_output=True)
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)


def terminal() -> None:
    """The terminal, in its namespace: one command a line on stdin, one answer a line out."""
    url, journal_path, slip_no, user_id = sys.argv[1:5]
    connect(url)
    journal = ScanJournal(journal_path)
    for command in sys.stdin:
        started = time.monotonic()
        if command.strip() == "scan":
            outcome = save(Scan(slip_no, "P-1", int(user_id)), journal)
            answer = {"kept": outcome.reason} if isinstance(outcome, Kept) else {"received": 1}
        else:
            replay = journal.replay()
            answer = {"sent": replay.sent, "stopped": replay.stopped}
        answer["seconds"] = round(time.monotonic() - started, 1)
        print(json.dumps(answer), flush=True)


def test_a_cable_pulled_mid_shift_loses_no_scan(desk, cable, tmp_path):
    namespace, relay, link = cable
    s = ready_slip(desk, ("P-1", "pcs", "100", "1"))
    parts = urlsplit(desk.url)
    via_relay = urlunsplit(parts._replace(netloc=f"{parts.username}@{relay.server.getsockname()[0]}"
                                                 f":{relay.port}"))
    child = subprocess.Popen(
        ["ip", "netns", "exec", namespace, sys.executable, "-c",
         "from tests.tui.test_network_cut import terminal; terminal()",
         via_relay, str(tmp_path / "scans.jsonl"), s.slip_no, str(desk.clerk.id)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(command: str) -> dict:
        child.stdin.write(command + "\n")
        child.stdin.flush()
        if not select.select([child.stdout], [], [], 60)[0]:     # a hang is a failure too
            child.kill()
            raise AssertionError(f"the terminal did not answer {command!r} within 60 s")
        return json.loads(child.stdout.readline())

    try:
        assert "received" in ask("scan")
        _ip("link", "set", link, "down")                  # the cable is pulled
        kept = [ask("scan") for _ in range(5)]
        still_away = ask("replay")
        _ip("link", "set", link, "up")                    # and plugged in again
        back = ask("replay")
    finally:
        child.stdin.close()
        child.wait(timeout=60)
    connect(desk.url, check=False)
    found = Unit.select().count() - 1
    record("outage", desk.url, 5, min(back["sent"], found),
           "network cut (cable pulled: packets dropped, nothing said)")
    assert all("kept" in k for k in kept), kept
    assert kept[0]["seconds"] <= 20              # noticed in seconds, not a TCP retry's minutes
    assert still_away["sent"] == 0 and still_away["stopped"]
    assert (back["sent"], back["stopped"]) == (5, None)
    assert SlipLine.get(SlipLine.slip == s).received_qty == 6 and found == 5
