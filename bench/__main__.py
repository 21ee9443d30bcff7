"""python -m bench: the desk's paths on a realistic site, each beside its plain baseline.

Builds (once, then cached under bench/.cache/ and, for PostgreSQL, as a database named
returns_desk_bench_*) a seeded site of three years of returns: by default 1,000,000 slip
lines, ~100,000 slips, ~50,000 cases, with their units, inspections, bookings and audit
trail. Every run measures on a fresh copy (scans write), then drops the copy.

Printed per path: the desk's figure, the plain baseline measured in the same run (raw SQL
through sqlite3 / psycopg2, or the plain label libraries), their ratio, and the goal.
Timings are medians (p50) and 99th percentiles; the machine is shared, so repeat a run
before believing a small difference.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from rich.cells import cell_len

from bench import browser, desk_language, domain, intake, site, terminals
from bench.timing import Row, median, ms

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_ENV = ("RETURNS_DESK_BENCH_PG", "RETURNS_DESK_TEST_PG")
PATHS = ("scan", "terminals", "intake", "lookup", "export", "report", "memory", "labels", "desk",
         "language", "browser")

FULL = dict(lines=1_000_000, scans=2000, per_terminal=500, intakes=500, lookups=1000, export_reps=3,
            report_reps=5, labels=500, label_reps=3, desk_scans=300, desk_compare=True,
            language_scans=50, language_runs=7)
QUICK = dict(lines=10_000, scans=300, per_terminal=150, intakes=100, lookups=300, export_reps=2,
             report_reps=5, labels=100, label_reps=2, desk_scans=10, desk_compare=False,
             language_scans=10, language_runs=3)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0].split(": ", 1)[1],
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a small site (10,000 lines) and fewer samples: well under a minute")
    parser.add_argument("--lines", type=int, help="slip lines in the site (default 1,000,000; "
                                                  "--quick 10,000)")
    parser.add_argument("--seed", type=int, default=1, help="the site's random seed (default 1)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"),
                        help="which database(s) to measure (default: both when PostgreSQL "
                             "answers, else sqlite)")
    parser.add_argument("--pg", dest="db", action="store_const", const="both",
                        help="same as --db both")
    parser.add_argument("--pg-url", help="a PostgreSQL URL of a user that may create databases "
                                         f"(default ${PG_ENV[0]}, else ${PG_ENV[1]}, else "
                                         f"{DEFAULT_PG})")
    parser.add_argument("--only", help=f"comma-separated paths to measure: {', '.join(PATHS)} "
                                       "(default all)")
    parser.add_argument("--json", metavar="FILE", help="also write every sample to FILE")
    parser.add_argument("--clean", action="store_true",
                        help="delete the cached sites (files and PostgreSQL databases) and stop")
    args = parser.parse_args(argv)
    args.only = set(PATHS if not args.only else args.only.split(","))
    unknown = args.only - set(PATHS)
    if unknown:
        parser.error(f"unknown path(s) {', '.join(sorted(unknown))}: choose from {', '.join(PATHS)}")
    return args


def pg_url(args) -> str:
    return args.pg_url or next((os.environ[e] for e in PG_ENV if os.environ.get(e)), DEFAULT_PG)


def pg_answers(url: str) -> str | None:
    """None if PostgreSQL takes a connection, else why not."""
    try:
        import psycopg2
        psycopg2.connect(url, connect_timeout=3).close()
    except Exception as exc:   # any failure means: measure SQLite only, and say why
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    sizes = dict(QUICK if args.quick else FULL)
    if args.lines:
        sizes["lines"] = args.lines
    url = pg_url(args)
    if args.clean:
        site.clean(url, say)
        return 0
    databases = ["sqlite"]
    why_not = pg_answers(url) if args.db != "sqlite" else "not asked for"
    if args.db == "postgres":
        databases = []
    if args.db in ("postgres", "both") and why_not:
        say(f"PostgreSQL at {url} does not answer: {why_not}")
        return 2
    if why_not is None:
        databases.append("postgres")
    the_site = site.Site(sizes["lines"], args.seed)
    started = time.perf_counter()
    rows: list[Row] = []
    for name in databases:
        rows += measure_database(name, the_site, sizes, args.only, url)
    if "labels" in args.only:
        rows += labels_path(sizes["labels"], sizes["label_reps"])
    print_table(rows, the_site, databases, why_not, time.perf_counter() - started)
    if args.json:
        with open(args.json, "w") as out:
            json.dump([{k: v for k, v in row.__dict__.items()} for row in rows], out, default=str)
    return 0


def measure_database(name: str, the_site: site.Site, sizes: dict, only: set, admin_url: str) -> list[Row]:
    if name == "sqlite":
        cached = site.sqlite_site(the_site, say)
        say(f"copying {cached.name} to measure on ...")
        copy = site.sqlite_copy(cached)
        url = f"sqlite:///{copy}"
        drop = lambda: site.drop_sqlite_copy(copy)   # noqa: E731
    else:
        cached = site.pg_site(the_site, admin_url, say)
        say(f"copying {cached} to measure on ...")
        copy = site.pg_copy(admin_url, cached)
        url = site.with_database(admin_url, copy)
        drop = lambda: site.drop_pg_copy(admin_url, copy)   # noqa: E731
    rows: list[Row] = []
    try:
        steps = [
            ("scan", lambda: domain.plain_insert(url, sizes["scans"], name)
                             + domain.scans(url, sizes["scans"], name)),
            ("terminals", lambda: terminals.terminals(url, sizes["per_terminal"], name)),
            ("intake", lambda: intake.intake(url, sizes["intakes"], name)),
            ("lookup", lambda: domain.lookups(url, sizes["lookups"], name, the_site.seed)),
            ("report", lambda: domain.monthly(url, sizes["report_reps"], name)),
            ("export", lambda: domain.export(url, sizes["export_reps"], name)),
            ("memory", lambda: domain.memory(url, name)),
            ("desk", lambda: desk_paths(url, name, the_site, admin_url, sizes["desk_scans"],
                                        sizes["desk_compare"])),
            ("language", lambda: desk_language.measure(url, name, sizes["language_scans"],
                                                       sizes["language_runs"])),
            ("browser", lambda: browser.measure(url, name)),
        ]
        for path, step in steps:
            if path in only:
                begun = time.perf_counter()
                rows += step()
                say(f"{name}: {path} ({time.perf_counter() - begun:.1f} s)")
                from models.db import db
                if db.obj is not None:
                    db.close()
    finally:
        drop()
    return rows


def desk_paths(url: str, name: str, the_site: site.Site, admin_url: str, scans: int,
               compare: bool) -> list[Row]:
    """The desk on the site, and (for comparison, unless --quick) on a site of ten lines."""
    from bench import desk
    if not compare:
        return desk.measure(url, name, None, scans)
    tiny = site.Site(10, the_site.seed, compare=True)
    if name == "sqlite":
        copy = site.sqlite_copy(site.sqlite_site(tiny, say), "tiny")
        try:
            return desk.measure(url, name, f"sqlite:///{copy}", scans)
        finally:
            site.drop_sqlite_copy(copy)
    copy = site.pg_copy(admin_url, site.pg_site(tiny, admin_url, say), "tiny")
    try:
        return desk.measure(url, name, site.with_database(admin_url, copy), scans)
    finally:
        site.drop_pg_copy(admin_url, copy)


def labels_path(count: int, reps: int) -> list[Row]:
    """The desk's label rendering against plain qrcode + python-barcode + Pillow."""
    from bench.labels_bench import layout, plain_png, render_png, sample_labels, time_per_label
    from labels.model import SIZE_50X25MM
    say("labels ...")
    labels = sample_labels(count)
    layouts = {label.unit_code: layout(label, SIZE_50X25MM, 203) for label in labels}
    render_png(labels[0], SIZE_50X25MM, 203)
    plain_png(labels[0], layouts[labels[0].unit_code])
    desk, plain = [], []
    for _ in range(reps):
        desk.append(time_per_label(lambda label: render_png(label, SIZE_50X25MM, 203), labels))
        plain.append(time_per_label(lambda label: plain_png(label, layouts[label.unit_code]), labels))
    ratio = median(desk) / median(plain)
    return [Row("-", f"labels: a batch of {count} (50×25 mm PNG, 203 dpi)",
                f"{ms(median(desk) * count)} ({ms(median(desk))}/label)",
                f"{ms(median(plain) * count)} plain libraries", ratio, "≤ 1.3× plain",
                ratio <= 1.3, f"median of {reps} batches", {"desk": desk, "plain": plain})]


def print_table(rows: list[Row], the_site: site.Site, databases: list[str], why_not: str | None,
                seconds: float) -> None:
    print(f"Returns Desk benchmark: {the_site.lines:,} slip lines, seed {the_site.seed}, "
          f"schema {site.schema_version()}; {', '.join(databases)}"
          + (f" (PostgreSQL not measured: {why_not})" if why_not else "")
          + f"; {seconds:.0f} s")
    header = ("db", "path", "desk", "baseline", "ratio", "goal", "met")
    table = [header] + [
        (row.db, row.path, row.figure, row.baseline,
         "" if row.ratio is None else f"{row.ratio:.2f}×", row.goal,
         {True: "yes", False: "NO", None: ""}[row.ok]) for row in rows]
    # in cells, not characters: a row may quote the desk's Chinese (an error, a title)
    widths = [max(cell_len(line[i]) for line in table) for i in range(len(header))]
    for n, line in enumerate(table):
        print("  ".join(cell + " " * (width - cell_len(cell))
                        for cell, width in zip(line, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
    notes = list(dict.fromkeys((row.path.strip(), row.note) for row in rows if row.note))
    if notes:
        print()
        for path, note in notes:
            print(f"  {path}: {note}")


if __name__ == "__main__":
    sys.exit(main())
