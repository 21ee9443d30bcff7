"""Home's lists are read ahead at a sign-in, while home is being made; what was read ahead
is used only while fresh, and a failed read is raised where it is taken."""
from __future__ import annotations

import pytest

from tui.desk.background import ReadAhead


def test_a_read_ahead_is_taken_once_while_fresh(desk, monkeypatch):
    reads = ReadAhead()
    reads.start(("home",), lambda: "read ahead")
    assert reads.take(("home",), lambda: "read now") == "read ahead"
    assert reads.take(("home",), lambda: "read now") == "read now"      # taken already
    reads.start(("home",), lambda: "read ahead")
    monkeypatch.setattr(ReadAhead, "FRESH_SECONDS", -1.0)                 # left too long
    assert reads.take(("home",), lambda: "read now") == "read now"
    assert reads.take(("other",), lambda: "read now") == "read now"


def test_a_read_ahead_that_failed_fails_where_it_is_taken(desk):
    reads = ReadAhead()

    def fails():
        raise LookupError("no such thing")
    reads.start(("home",), fails)
    with pytest.raises(LookupError, match="no such thing"):
        reads.take(("home",), lambda: "read now")
