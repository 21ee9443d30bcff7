"""`serve`'s head start (tui/cli/serving.py): a page's request starts a desk at the last
browser's size for the websocket to come; one that no websocket takes is stopped."""
import asyncio
import shlex
import sys

import pytest

pytest.importorskip("textual_serve")
from tui.cli import serving  # noqa: E402

# A stand-in for a spare: keeps what it is sent, ends when its input ends.
ECHO = shlex.join([sys.executable, "-c", "import sys; sys.stdin.buffer.read()"])


async def _head_starts(unclaimed_seconds: float):
    spares = serving.Spares(ECHO)
    spares.last_size = (142, 34)
    pages = [asyncio.create_task(spares.start_for_page()) for _ in range(3)]
    await asyncio.sleep(0.5)
    started = list(spares.started)
    taken = spares.take_started()
    await asyncio.sleep(unclaimed_seconds + 0.5)
    left = list(spares.started)
    await asyncio.gather(*pages)
    spares.stop()
    return started, taken, left


def test_a_page_starts_a_desk_at_the_last_size_and_its_websocket_takes_it(monkeypatch):
    monkeypatch.setattr(serving, "UNCLAIMED_SECONDS", 1.0)
    started, taken, left = asyncio.run(_head_starts(1.0))
    assert len(started) == serving.HEAD_STARTS         # a burst of pages starts no more
    assert taken is not None and taken == started[0] and taken[1] == (142, 34)
    assert taken[0].returncode is None                 # the one taken runs on
    assert left == []                                  # the other: nobody came for it
    assert started[1][0].returncode is not None        # stopped


def test_the_spares_size_packet_is_the_servers_own():
    from textual_serve.app_service import AppService
    packet = serving.resize_packet(142, 34)
    assert packet == AppService.encode_packet(b"M", b'{"type": "resize", "width": 142, '
                                                    b'"height": 34}')
