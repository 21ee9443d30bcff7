"""The figures of trust: what the fault and bad-input tests tried and what held, per database,
printed at the end of the test run (see conftest.pytest_terminal_summary).

A test records its counts before it asserts on them, so a failing run shows in the table too.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

# figure -> (what was tried, what holding means)
FIGURES = {
    "killed": ("scans acknowledged, then the desk killed (kill -9) mid-burst",
               "found once afterwards"),
    "outage": ("scans made while the database was away", "recorded once when it was back"),
    "terminals": ("scans by several terminals at once on one slip",
                  "in the exact totals, each unit id once"),
    "case numbers": ("case numbers given by several terminals at once", "each given once"),
    "stale": ("changes to a booked slip from a terminal that had it open before",
              "refused"),
    "bad input": ("bad inputs refused (files, scans, codes, payloads)",
                  "the database left byte-for-byte unchanged"),
}


@dataclass
class Tally:
    tried: int = 0
    held: int = 0
    events: Counter = field(default_factory=Counter)


_tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)


def database_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgres"


def record(figure: str, url: str, tried: int, held: int, event: str, times: int = 1) -> None:
    """`tried` things that must hold, of which `held` did, over `times` of `event`
    (e.g. 4 × "kill -9 mid-burst")."""
    if figure not in FIGURES:
        raise KeyError(f"unknown figure {figure!r}: one of {', '.join(FIGURES)}")
    tally = _tallies[figure, database_of(url)]
    tally.tried += tried
    tally.held += held
    tally.events[event] += times


def tallies() -> list[tuple]:
    """This process's tallies, as plain values (a worker process sends them to the main one)."""
    return [(figure, database, t.tried, t.held, dict(t.events))
            for (figure, database), t in _tallies.items()]


def add_tallies(rows: list[tuple]) -> None:
    for figure, database, tried, held, events in rows:
        tally = _tallies[figure, database]
        tally.tried += tried
        tally.held += held
        tally.events.update(events)


def report() -> list[str]:
    """The table, one line per figure and database; empty if nothing was recorded."""
    if not _tallies:
        return []
    lines = [f"{'figure':<66} {'database':<9} {'tried':>6} {'held':>6}  verdict"]
    for figure, (tried_text, held_text) in FIGURES.items():
        for database in ("sqlite", "postgres"):
            tally = _tallies.get((figure, database))
            if tally is None:
                continue
            verdict = "ok" if tally.held == tally.tried else "NOT HELD"
            lines.append(f"{tried_text:<66} {database:<9} {tally.tried:>6} {tally.held:>6}  "
                         f"{verdict}: {held_text}")
            events = ", ".join(f"{count}× {event}" for event, count in sorted(tally.events.items()))
            lines.append(f"{'':<4}{events}")
    return lines
