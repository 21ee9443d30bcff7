"""The desk's full garbage collection waits for a quiet keyboard (tui.work.collector)."""
import gc
from time import monotonic

import pytest

from tui.work.collector import OLDEST_WAIT, QUIET_SECONDS, QuietCollector


@pytest.fixture
def collector():
    last_key = [monotonic()]
    collector = QuietCollector(lambda: last_key[0])
    before = gc.get_threshold()
    collector.start()
    yield collector, last_key
    collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def due() -> None:
    """A full collection due: the middle generation has been collected since the last one."""
    gc.collect(1)
    assert gc.get_count()[2] > 0


def test_what_the_desk_started_with_is_frozen_and_full_collections_wait(collector):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] == OLDEST_WAIT


def test_no_full_collection_while_keys_come(collector):
    collector, last_key = collector
    due()
    last_key[0] = monotonic()
    collector.tick()
    assert gc.get_count()[2] > 0


def test_a_full_collection_once_the_keys_are_quiet(collector):
    collector, last_key = collector
    due()
    last_key[0] = monotonic() - QUIET_SECONDS
    collector.tick()
    assert gc.get_count()[2] == 0
