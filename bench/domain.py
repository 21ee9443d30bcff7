"""The desk's domain paths on the site database, each beside its plain baseline."""
from __future__ import annotations

import multiprocessing
import os
import random
import time

from bench.raw import (CASE_BY_NUMBER, CASE_BY_SLIP, CASE_BY_UNIT, CASES_BY_CUSTOMER,
                       CASES_BY_ORDER, SLIP_LINES, Raw)
from bench.timing import Row, alternate, median, ms, p50_p99, peak_rss_mb, percentile, rss_mb

COUNTABLE = ("pcs", "set", "box", "pair", "roll")
REPORT_MONTH = "2026-10"


def _connect(url: str):
    from models import connect
    return connect(url)


def _user(role: str, nth: int = 0):
    """The site's `nth` active user with this role (each terminal signs in as a clerk of its own)."""
    from models.tables import User
    return (User.select().where(User.role == role, User.active == True)  # noqa: E712
            .order_by(User.id).offset(nth).first())


def scan_targets(limit: int = 400) -> list[tuple[str, str]]:
    """(slip_no, part_no) of countable lines on slips still being received."""
    from models.tables import Slip, SlipLine
    rows = (SlipLine.select(Slip.slip_no, SlipLine.part_no).join(Slip)
            .where(Slip.status == "receiving", SlipLine.unit.in_(COUNTABLE))
            .order_by(Slip.id, SlipLine.line_no).limit(limit).tuples())
    return list(rows)


class QueryCount:
    """What peewee sends (its query hook), COMMIT not counted: `count` messages (round trips)
    and `statements` in them (models.db sends several in one message on PostgreSQL, and BEGIN
    with the first; a BEGIN on its own is not counted)."""

    def __init__(self):
        self.count = 0
        self.statements = 0

    def __enter__(self):
        from models.db import db
        db.obj.query_hooks.append(self)
        return self

    def __call__(self, event) -> None:
        self.count += 1
        self.statements += 1 + event.sql.count("; ") - event.sql.startswith("BEGIN")

    def __exit__(self, *exc):
        from models.db import db
        db.obj.query_hooks.remove(self)


# --- the machine itself: one committed INSERT ----------------------------------------------

def plain_insert(url: str, count: int, db_name: str) -> list[Row]:
    """One committed single-row INSERT through the bare driver: what any write costs here."""
    raw = Raw(url)
    cur = raw.cur
    cur.execute("CREATE TABLE bench_probe (id INTEGER PRIMARY KEY, v INTEGER)" if not raw.postgres
                else "CREATE TABLE bench_probe (id SERIAL PRIMARY KEY, v INTEGER)")
    insert = raw.sql("INSERT INTO bench_probe (v) VALUES (?)")

    def one(i):
        cur.execute(raw.begin)
        cur.execute(insert, (i,))
        cur.execute("COMMIT")
    alternate({"insert": one}, 50)
    samples = alternate({"insert": one}, count)["insert"]
    cur.execute("DROP TABLE bench_probe")
    raw.close()
    return [Row(db_name, "plain: one committed INSERT (bare driver)", f"p50/p99 {p50_p99(samples)}",
                note="what any commit costs on this machine in this run (a table of its own)",
                values={"raw": samples})]


# --- a scan saved -----------------------------------------------------------------------------

def scans(url: str, count: int, db_name: str) -> list[Row]:
    from models.receiving import receive_scan
    _connect(url)
    clerk = _user("clerk")
    targets = scan_targets()
    raw = Raw(url)
    tag = f"bench-{os.getpid()}-{time.time_ns()}"

    def desk(i):
        slip_no, part_no = targets[i % len(targets)]
        receive_scan(clerk, slip_no, part_no, scan_id=f"{tag}-d{i}")

    def plain(i):
        slip_no, part_no = targets[(i + 7) % len(targets)]
        raw.scan(clerk.id, slip_no, part_no, f"{tag}-r{i}")

    warm = alternate({"desk": lambda i: desk(count + i), "raw": lambda i: plain(count + i)}, 30)
    del warm
    with QueryCount() as counted:
        desk(10 * count)
    samples = alternate({"desk": desk, "raw": plain}, count)
    raw.close()
    d, r = samples["desk"], samples["raw"]
    ratio = median(d) / median(r)
    if db_name == "sqlite":
        goal, ok = "≤ 1 ms p50, ≤ 10 ms p99, ≤ 3× raw", (
            median(d) <= 0.001 and percentile(d, 99) <= 0.010 and ratio <= 3)
    else:
        goal, ok = "≤ 3× raw (1 terminal)", ratio <= 3
    sent = (f"{counted.statements} statements + BEGIN/COMMIT" if db_name == "sqlite" else
            f"{counted.statements} statements in {counted.count + 1} round trips (BEGIN with the "
            "first, COMMIT the last)")
    return [Row(db_name, "scan saved (receive_scan, call to commit)", f"p50/p99 {p50_p99(d)}",
                f"{p50_p99(r)} raw SQL", ratio, goal, ok, f"{sent}; {len(d)} scans",
                {"desk": d, "raw": r})]


def _terminal(url, kind, terminal, targets, count, start, results, tag):
    """One terminal (a process of its own, signed in as a clerk of its own) scanning its own
    slips as fast as it can, or (kinds "paced ...") once every CLERK_PACE seconds
    from a random moment on, as a clerk does."""
    try:
        _scan_as_terminal(url, kind, terminal, targets, count, start, results, tag)
    except Exception as exc:      # told in the table; the other terminals are let go
        start.abort()
        results.put(f"{type(exc).__name__}: {exc}")


def _scan_as_terminal(url, kind, terminal, targets, count, start, results, tag):
    from models.receiving import receive_scan
    _connect(url)
    clerk = _user("clerk", terminal)
    raw = Raw(url)
    insert = raw.sql(f"INSERT INTO {_PROBE} (v) VALUES (?)")

    def one(i, tag):
        slip_no, part_no = targets[i % len(targets)]
        if kind in ("desk", "paced"):
            receive_scan(clerk, slip_no, part_no, scan_id=f"{tag}-{i}")
        elif kind in ("raw", "paced raw"):
            raw.scan(clerk.id, slip_no, part_no, f"{tag}-{i}")
        else:                                         # the machine's floor: a bare commit
            raw.cur.execute(raw.begin)
            raw.cur.execute(insert, (i,))
            raw.cur.execute("COMMIT")
    samples = []
    for i in range(10):                               # warm up
        one(i, f"{tag}-w")
    start.wait()
    first = time.perf_counter() + random.Random(tag).random() * CLERK_PACE
    for i in range(count):
        if kind.startswith("paced"):
            time.sleep(max(0.0, first + i * CLERK_PACE - time.perf_counter()))
        begun = time.perf_counter_ns()
        one(i, tag)
        samples.append((time.perf_counter_ns() - begun) / 1e9)
    raw.close()
    results.put(samples)


_PROBE = "bench_terminal_probe"
_KINDS = ("desk", "raw", "commit", "paced", "paced raw", "paced commit")
CLERK_PACE = 0.1            # seconds between one terminal's scans at a (quick) clerk's pace


def terminals(url: str, count: int, db_name: str, terminals: int = 4) -> list[Row]:
    """`terminals` processes scanning at once, each on slips of its own: the desk, the raw SQL
    of a scan, then a plain committed INSERT (what any commit costs with that many writers);
    back to back, they keep the machine's cores busy. Then the desk, the raw SQL and the plain
    INSERT again, each terminal once every CLERK_PACE seconds (at most 200 times each), as
    clerks scan. The desk's goal on PostgreSQL: within 1.5x of the raw SQL (p50)."""
    _connect(url)
    # Each line takes many pieces from the kinds in turn, more than scan_cap_factor (10) x
    # its approved quantity on a line approved for 1: the bench raises the cap as an admin may
    # (as bench/desk.py does), so that no scan is refused as a supervisor's call
    from models import settings
    settings.set_value(_user("admin"), "scan_cap_factor", "1000")
    targets = scan_targets(2000)
    slips = sorted({slip for slip, _ in targets})
    if len(slips) < terminals:
        return [Row(db_name, f"scan saved, {terminals} terminals at once", "not measured",
                    note=f"only {len(slips)} slips are being received")]
    probe = Raw(url)
    probe.cur.execute(f"CREATE TABLE {_PROBE} (id INTEGER PRIMARY KEY, v INTEGER)"
                      if not probe.postgres else
                      f"CREATE TABLE {_PROBE} (id SERIAL PRIMARY KEY, v INTEGER)")
    context = multiprocessing.get_context("spawn")
    gathered = {}
    try:
        for kind in _KINDS:
            start = context.Barrier(terminals)
            results = context.Queue()
            processes = []
            for n in range(terminals):
                mine = [t for t in targets if slips.index(t[0]) % terminals == n]
                tag = f"bench-{os.getpid()}-{kind}-{n}-{time.time_ns()}"
                processes.append(context.Process(target=_terminal, args=(
                    url, kind, n, mine, min(count, 200) if kind.startswith("paced") else count,
                    start, results, tag)))
            for process in processes:
                process.start()
            outcomes = [results.get(timeout=900) for _ in processes]
            for process in processes:
                process.join(timeout=60)
            failed = [outcome for outcome in outcomes if isinstance(outcome, str)]
            if failed:
                return [Row(db_name, f"scan saved, {terminals} terminals at once", "not measured",
                            note=f"{kind}: {failed[0]}")]
            gathered[kind] = [s for outcome in outcomes for s in outcome]
    finally:
        probe.cur.execute(f"DROP TABLE {_PROBE}")
        probe.close()
    d, r, c = gathered["desk"], gathered["raw"], gathered["commit"]
    paced, paced_raw = gathered["paced"], gathered["paced raw"]
    paced_commit = gathered["paced commit"]
    # Against the same statements, prepared, through bare psycopg2 in the same run: a fixed
    # "3 ms p99" judged the machine's load as much as the desk
    ratio, paced_ratio = median(d) / median(r), median(paced) / median(paced_raw)
    if db_name == "postgres":
        goal, ok, paced_ok = "≤ 1.5× raw (p50)", ratio <= 1.5, paced_ratio <= 1.5
    else:
        goal, ok, paced_ok = "", None, None
    return [Row(db_name, f"scan saved, {terminals} terminals at once", f"p50/p99 {p50_p99(d)}",
                f"{p50_p99(r)} raw SQL", ratio, goal, ok,
                f"{len(d)} scans, one process per terminal; raw: the same statements through the "
                f"bare driver (prepared on PostgreSQL); p99 {percentile(d, 99) / percentile(r, 99):.2f}× "
                "raw's", {"desk": d, "raw": r}),
            Row(db_name, f"  the desk, each terminal scanning every {CLERK_PACE * 1000:.0f} ms",
                f"p50/p99 {p50_p99(paced)}", f"{p50_p99(paced_raw)} raw SQL", paced_ratio, goal,
                paced_ok,
                note=f"{len(paced)} scans; each terminal starts at a random moment of the first "
                     f"{CLERK_PACE * 1000:.0f} ms: the cores are not kept busy",
                values={"desk": paced, "raw": paced_raw}),
            Row(db_name, f"    plain: one committed INSERT, each terminal every "
                         f"{CLERK_PACE * 1000:.0f} ms", f"p50/p99 {p50_p99(paced_commit)}",
                note="the floor under a scan's commit at that pace: the machine idles between "
                     "(waking a process, the WAL's flush on an idle disk)",
                values={"raw": paced_commit}),
            Row(db_name, f"  plain: one committed INSERT, {terminals} terminals at once",
                f"p50/p99 {p50_p99(c)}", note="the floor under any scan's commit with that many "
                                              "writers on this machine in this run",
                values={"raw": c})]


# --- lookups ----------------------------------------------------------------------------------

def lookups(url: str, count: int, db_name: str, seed: int) -> list[Row]:
    from models.codes import unit_code, unit_id
    from models.reports import find_cases
    from models.slips import slip_with_lines
    from models.tables import ComplaintCase, Customer, Slip, Unit
    _connect(url)
    raw = Raw(url)
    rng = random.Random(seed)

    def sample(query, n):
        values = [row[0] for row in query.tuples()]
        return [rng.choice(values) for _ in range(n)]

    # Each side looks up values of its own, drawn alike, and warms up on others: at full size
    # the pages a value needs are often not in memory yet, and the side that asked first for
    # the same value would pay for reading them for both.
    n = 2 * (count + 40)
    slips = sample(Slip.select(Slip.slip_no), n)
    cases = sample(ComplaintCase.select(ComplaintCase.case_no), n)
    top_unit = Unit.select(Unit.id).order_by(Unit.id.desc()).scalar()
    units = [rng.randint(1, top_unit) for _ in range(n)]
    orders = sample(ComplaintCase.select(ComplaintCase.order_no), n)
    customers = sample(Customer.select(Customer.code), n)
    kinds = [
        ("slip's lines by number (slip_with_lines)", slips, slip_with_lines,
         lambda v: raw.fetch(SLIP_LINES, v)),
        ("case by number (find_cases)", cases, find_cases, lambda v: raw.fetch(CASE_BY_NUMBER, v)),
        ("case by slip number (find_cases)", slips, find_cases,
         lambda v: raw.fetch(CASE_BY_SLIP, v)),
        ("case by unit label (find_cases)", [unit_code(u) for u in units], find_cases,
         lambda v: raw.fetch(CASE_BY_UNIT, unit_id(v))),
        ("cases by order number (find_cases)", orders, find_cases,
         lambda v: raw.fetch(CASES_BY_ORDER, v)),
        ("cases by customer code (find_cases)", customers, find_cases,
         lambda v: raw.fetch(CASES_BY_CUSTOMER, v)),
    ]
    rows = []
    for name, values, desk, plain in kinds:
        mine, theirs = values[:count + 40], values[count + 40:]

        def run(fn, values, start=0):
            return lambda i: fn(values[start + i])
        alternate({"desk": run(desk, mine, count), "raw": run(plain, theirs, count)}, 40)
        samples = alternate({"desk": run(desk, mine), "raw": run(plain, theirs)}, count)
        d, r = samples["desk"], samples["raw"]
        by_number = "by number" in name or "slip number" in name or "unit label" in name
        ok = percentile(d, 99) <= 0.0005 if by_number else None
        rows.append(Row(db_name, f"lookup: {name}", f"p50/p99 {p50_p99(d)}", f"{p50_p99(r)} raw SQL",
                        median(d) / median(r), "≤ 0.5 ms p99" if by_number else "", ok,
                        f"{count} random ones each, not the same", {"desk": d, "raw": r}))
    raw.close()
    return rows


# --- the monthly report -----------------------------------------------------------------------

def monthly(url: str, reps: int, db_name: str) -> list[Row]:
    from models.reports import monthly_report
    from models.workdays import month_bounds
    _connect(url)
    raw = Raw(url)
    first, after = month_bounds(REPORT_MONTH)
    samples = alternate({"desk": lambda i: monthly_report(REPORT_MONTH),
                         "raw": lambda i: raw.monthly(first, after)}, reps, batch=1)
    raw.close()
    d, r = samples["desk"], samples["raw"]
    report = monthly_report(REPORT_MONTH)
    closed = sum(report.closed_by_category.values())
    return [Row(db_name, f"monthly report ({REPORT_MONTH})", f"median {ms(median(d))}",
                f"{ms(median(r))} raw SQL", median(d) / median(r), "", None,
                f"{closed} closed cases, {len(report.booked)} booked groups; {reps} runs",
                {"desk": d, "raw": r})]


# --- the reconciliation export (each run in a process of its own, for its peak memory) --------

class NullSink:
    """Where the export writes when only its speed counts."""

    def __init__(self):
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _export_run(url: str, kind: str, results) -> None:
    from models.exports import export_reconciliation
    _connect(url)
    finance, raw = _user("finance"), Raw(url)
    before = rss_mb()                   # everything imported and connected: growth is the export's
    start = time.perf_counter()
    if kind == "desk":
        rows = export_reconciliation(finance, NullSink())
    else:
        rows = raw.export_rows()
    results.put((time.perf_counter() - start, rows, before, peak_rss_mb()))


def export(url: str, reps: int, db_name: str) -> list[Row]:
    context = multiprocessing.get_context("spawn")
    runs: dict[str, list] = {"desk": [], "raw": []}
    for _ in range(reps):
        for kind in runs:
            results = context.Queue()
            process = context.Process(target=_export_run, args=(url, kind, results))
            process.start()
            runs[kind].append(results.get(timeout=3600))
            process.join()
    d = [run[0] for run in runs["desk"]]
    r = [run[0] for run in runs["raw"]]
    lines = runs["desk"][0][1]
    growth = max(run[3] - run[2] for run in runs["desk"])
    peak = max(run[3] for run in runs["desk"])
    raw_growth = max(run[3] - run[2] for run in runs["raw"])
    ratio = median(d) / median(r)
    return [
        Row(db_name, f"reconciliation export, {lines:,} lines (CSV to a null sink)",
            f"median {ms(median(d))}", f"{ms(median(r))} one raw query", ratio, "≤ 2× raw",
            ratio <= 2, f"{lines / median(d):,.0f} lines/s; {reps} runs",
            {"desk": d, "raw": r}),
        Row(db_name, "  its memory (peak RSS, growth while exporting)",
            f"{peak:.0f} MB, +{growth:.0f} MB", f"+{raw_growth:.0f} MB raw", None,
            "streaming, constant", growth < 50, "compare --quick and full size"),
    ]


# --- memory with the site open ----------------------------------------------------------------

def _memory_run(url: str, results) -> None:
    from models.reconciliation_rows import reconciliation_rows
    from models.reports import find_cases, monthly_report
    from models.slips import get_slip, lines_of
    from models.tables import Slip
    _connect(url)
    for slip_no, in Slip.select(Slip.slip_no).order_by(Slip.id.desc()).limit(50).tuples():
        lines_of(get_slip(slip_no))
        find_cases(slip_no)
        list(reconciliation_rows(slip_no=slip_no))
    monthly_report(REPORT_MONTH)
    results.put((rss_mb(), peak_rss_mb()))


def memory(url: str, db_name: str) -> list[Row]:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_memory_run, args=(url, results))
    process.start()
    now, peak = results.get(timeout=600)
    process.join()
    return [Row(db_name, "memory: domain process with the site open", f"{now:.0f} MB RSS",
                "", None, "≤ 200 MB", peak <= 200,
                f"peak {peak:.0f} MB after lookups, slip reconciliations, the monthly report")]
