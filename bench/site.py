"""A realistic site database for the benchmark: generated, seeded, cached.

Three years of a factory's returns desk, written with bulk inserts straight into the desk's
own tables (created by the desk's migrations), not through the per-scan operations, so a
million return lines take a minute or two rather than hours; what the desk's rules decide
(numbers, acceptance windows, deadlines, tolerance, bookings) is computed by the desk's own
functions (bench.generator, bench.returns). The same seed gives the same rows on SQLite and
on PostgreSQL.

Proportions (per 1,000,000 slip lines; smaller sizes scale down):

| table              | rows      | how                                                       |
|--------------------|-----------|-----------------------------------------------------------|
| customer           | 2,000     | 70 % domestic; tolerance: 55 % none, 35 % own, 10 % zero  |
| complaint_case     | ~49,000   | over 3 years; 4 % late; older ones closed                 |
| slip               | 100,000   | 1-5 per case; old slips booked, recent ones receiving     |
| slip_line          | 1,000,000 | 1-19 per slip; 70 % pieces (1-6), 30 % kg / m (0.5-100,   |
|                    |           | weighed to 0.01 kg / measured to 0.1 m on arrival)        |
| unit               | ~1.6 M    | one per piece, one or two lots per bulk line; 0.5 % reversed |
| print_job          | ~1.6 M    | one per unit, 1 % reprints                                |
| inspection (+portion) | ~1.3 M | the units of received and booked slips                   |
| decision           | ~50,000   | every over-tolerance line of a booked slip                |
| booking (+line)    | ~87,000   | one per booked slip (0.5 % reopened and booked again)     |
| audit_log          | ~3.2 M    | one per case, slip, unit, reversal, inspection, booking... |
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from bench.generator import COMPARE_VERSION, GENERATOR_VERSION, Generator, rules_version
from bench.sinks import PostgresSink, SqliteSink

CACHE = Path(__file__).resolve().parent / ".cache"
MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"


@dataclass(frozen=True)
class Site:
    """What the benchmark knows about a generated site without reading it.

    `compare`: the small site the desk's screens are compared on (bench.desk): its lines
    laid out so that every screen has rows to show (`Generator.compare_site`), not drawn
    at random as a big site's are (ten random lines left most lists empty).
    """
    lines: int
    seed: int
    compare: bool = False

    @property
    def family(self) -> str:
        """The key without the versions: an older build of the same site is deleted."""
        kind = f"compare{COMPARE_VERSION}-" if self.compare else ""
        return f"{kind}{self.lines}-{self.seed}"

    @property
    def key(self) -> str:
        return f"{self.family}-{schema_version()}-g{GENERATOR_VERSION}r{rules_version()}"


def schema_version() -> str:
    """A short hash of the desk's migrations: a new migration means a new cached site."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.glob("[0-9]*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# --- the cache --------------------------------------------------------------------------------

def sqlite_site(site: Site, say=print) -> Path:
    """The cached SQLite file of this site, generated first if needed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"site-{site.key}.db"
    if path.exists():
        return path
    for old in CACHE.glob(f"site-{site.family}-*.db"):
        old.unlink()      # an older schema or generator: not used again
    partial = CACHE / f"building-{os.getpid()}.db"
    say(f"generating the SQLite site ({site.lines:,} lines, seed {site.seed}) into {path.name} ...")
    started = time.perf_counter()
    _create_schema(f"sqlite:///{partial}")
    sink = SqliteSink(partial)
    generator = Generator(site, sink)
    generator.run()
    sink.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    say(f"  done in {time.perf_counter() - started:.0f} s: {_counts(generator)}")
    return path


def pg_site(site: Site, admin_url: str, say=print) -> str:
    """The name of the cached PostgreSQL database of this site, generated first if needed."""
    import psycopg2
    name = "returns_desk_bench_" + site.key.replace("-", "_")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (f"returns_desk_bench_{site.family.replace('-', '_')}_%",))
        existing = [row[0] for row in cur.fetchall()]
        if name in existing:
            admin.close()
            return name
        for old in existing:
            cur.execute(f'DROP DATABASE IF EXISTS "{old}"')
        loading = f"{name}_loading"
        cur.execute(f'DROP DATABASE IF EXISTS "{loading}"')
        cur.execute(f'CREATE DATABASE "{loading}"')
    say(f"generating the PostgreSQL site ({site.lines:,} lines, seed {site.seed}) into {name} ...")
    started = time.perf_counter()
    url = with_database(admin_url, loading)
    _create_schema(url)
    sink = PostgresSink(url)
    generator = Generator(site, sink)
    generator.run()
    sink.close()
    with admin.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{loading}" RENAME TO "{name}"')
    admin.close()
    say(f"  done in {time.perf_counter() - started:.0f} s: {_counts(generator)}")
    return name


def with_database(url: str, name: str) -> str:
    """The same server URL, another database."""
    head, _, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def _create_schema(url: str) -> None:
    from models import connect, migrate_all
    from models.db import db
    connect(url, check=False)
    migrate_all()
    db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()       # a pooled connection would keep the file in use


def _counts(generator: Generator) -> str:
    shown = ("complaint_case", "slip", "slip_line", "unit", "inspection", "booking", "audit_log")
    return ", ".join(f"{generator.ids[t]:,} {t}" for t in shown)


# --- a private copy to measure on (the scans write) ------------------------------------------

def sqlite_copy(path: Path, tag: str = "run") -> Path:
    """A copy of the site, on disk before it is measured: otherwise the first checkpoint's
    fsync, in the middle of a scan, writes the whole fresh copy out (~0.4-0.6 s at
    1,000,000 lines), which a site's own database never has to do."""
    copy = CACHE / f"{tag}-{os.getpid()}.db"
    shutil.copyfile(path, copy)
    with open(copy, "rb+") as written:
        os.fsync(written.fileno())
    return copy


def drop_sqlite_copy(copy: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)


def pg_copy(admin_url: str, name: str, tag: str = "run") -> str:
    import psycopg2
    copy = f"returns_desk_bench_{tag}_{os.getpid()}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    # From PostgreSQL 15 a copy is written through the WAL by default: 2 GB for the full site,
    # 13 s and three checkpoints forced by the WAL's size, the last perhaps still flushing when
    # the measuring starts. Copying the files took 7 s and ends with a finished checkpoint.
    strategy = " STRATEGY FILE_COPY" if admin.server_version >= 150000 else ""
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cur.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"{strategy}')
    admin.close()
    return copy


def drop_pg_copy(admin_url: str, copy: str) -> None:
    import psycopg2
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    admin.close()


def clean(admin_url: str, say=print) -> None:
    """Delete every cached site: the files here and the bench databases on the server."""
    for path in CACHE.glob("*.db*"):
        path.unlink()
        say(f"deleted {path}")
    try:
        import psycopg2
        admin = psycopg2.connect(admin_url, connect_timeout=3)
    except Exception as exc:   # no server: nothing cached there to delete
        say(f"PostgreSQL not cleaned ({str(exc).strip().splitlines()[0]})")
        return
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE 'returns_desk_bench_%'")
        for (name,) in cur.fetchall():
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"dropped database {name}")
    admin.close()
