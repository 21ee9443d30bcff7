"""Small timing tools: samples in nanoseconds, percentiles, peak memory, the result rows."""
from __future__ import annotations

import gc
import resource
import statistics
import time
from dataclasses import dataclass, field


def now_ns() -> int:
    return time.perf_counter_ns()


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 2,000 samples is the 20th slowest)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def timed(fn, *args) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def alternate(runs: dict, count: int, batch: int = 25) -> dict[str, list[float]]:
    """Call each `runs[name](i)` `count` times, in alternating batches so that noise from other
    work on the machine falls on every side alike; seconds per call for each name."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    done = 0
    gc.collect()
    while done < count:
        size = min(batch, count - done)
        for name, run in runs.items():
            into = samples[name]
            for i in range(done, done + size):
                start = time.perf_counter_ns()
                run(i)
                into.append((time.perf_counter_ns() - start) / 1e9)
        done += size
    return samples


def rss_mb() -> float:
    """This process's resident memory now (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    """The most resident memory this process has had (Linux). VmHWM, not getrusage's
    ru_maxrss: a spawned process inherits the parent's peak in that one."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Row:
    """One line of the printed table."""
    db: str                       # sqlite | postgres | - (no database)
    path: str
    figure: str
    baseline: str = ""
    ratio: float | None = None
    goal: str = ""
    ok: bool | None = None        # None: no goal, or not measured
    note: str = ""
    values: dict = field(default_factory=dict)   # the raw numbers, for --json


def ms(seconds: float) -> str:
    if seconds != seconds:
        return "-"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def p50_p99(samples: list[float]) -> str:
    return f"{ms(median(samples))} / {ms(percentile(samples, 99))}"
