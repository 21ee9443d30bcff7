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
    from models import settings
    from models.receiving import receive_scan
    _connect(url)
    clerk = _user("clerk")
    targets = scan_targets()
    # Each line is scanned ~10 times here, past the cap on lines approved for 1 or 2 pieces (10
    # times approved, then a supervisor): the desk's bench lifts it the same way.
    settings.set_value(_user("admin"), "scan_cap_factor", "1000")
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
