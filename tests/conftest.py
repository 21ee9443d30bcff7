"""Shared fixtures: the same domain tests run on SQLite and, when RETURNS_DESK_TEST_PG holds
a database URL, on PostgreSQL."""
from __future__ import annotations

import fcntl
import functools
import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from models import connect, migrate_all
from models.db import db
from models import users
from models.users import add_user, create_first_admin

# The suite's assertions read English, the language of the code; a fresh site speaks zh-Hant
# (models.settings). A test of another language clears this (tests/tui/test_desk_language.py).
os.environ["RETURNS_DESK_LANG"] = "en"

# A PIN's key derivation takes ~17 ms on purpose (models/users.py); the six users of every
# test's desk take their hashes from one derivation per PIN and run. Signing in still checks
# each PIN the slow way.
_hash_once = functools.lru_cache(maxsize=None)(users.hash_pin)

PG_ENV = "RETURNS_DESK_TEST_PG"
RESTART = "RETURNS_DESK_TEST_PG_RESTART"
ROLES = ("clerk", "inspector", "finance", "sales", "supervisor")


def fresh_postgres(url: str) -> str:
    """A URL whose connections use an empty schema of this test process's own, so several
    test runs can share one server; the schema is dropped and made again for every test."""
    schema = f"returns_desk_test_{os.getpid()}"
    database = connect(url, check=False)
    database.execute_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    database.execute_sql(f"CREATE SCHEMA {schema}")
    database.close()
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


# The suite runs in several processes (pytest -n, see pyproject.toml). A test that stops the
# PostgreSQL server waits until no other process's test is using it, and those wait while it
# is stopped: each PostgreSQL test holds a shared lock on this file, the stopper an exclusive one.
_SERVER_LOCK = Path(tempfile.gettempdir()) / "returns-desk-tests-postgres.lock"
_server_fd: int | None = None


def _lock_server(mode: int) -> None:
    global _server_fd
    if _server_fd is None:
        _server_fd = os.open(_SERVER_LOCK, os.O_CREAT | os.O_RDWR, 0o666)
    fcntl.flock(_server_fd, mode)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://... (set by .ci/run)")
    _lock_server(fcntl.LOCK_SH)
    try:
        yield fresh_postgres(url)
    finally:
        _lock_server(fcntl.LOCK_UN)


def _pg_cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                   check=True, capture_output=True)


def wait_for_postgres() -> None:
    for _ in range(100):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.1)
    raise AssertionError("PostgreSQL did not come back")


def postgres_may_be_stopped() -> None:
    """Skip unless RETURNS_DESK_TEST_PG_RESTART says this server may be stopped (.ci/run does)."""
    if not os.environ.get(RESTART):
        pytest.skip(f"stops the shared PostgreSQL server: set {RESTART}=1 (.ci/run does)")


@contextmanager
def postgres_server_stopped():
    """The real, shared PostgreSQL server stopped, then started again."""
    postgres_may_be_stopped()
    _lock_server(fcntl.LOCK_EX)
    _pg_cluster("stop")
    try:
        yield
    finally:
        _pg_cluster("start")
        wait_for_postgres()
        _lock_server(fcntl.LOCK_SH)


@pytest.fixture
def desk(db_url, monkeypatch):
    """A migrated, empty desk with one user per role; users are named after their role."""
    connect(db_url, check=False)
    migrate_all()
    with monkeypatch.context() as hashing:
        hashing.setattr(users, "hash_pin", _hash_once)
        people = {"admin": create_first_admin("admin", "9999")}
        for role in ROLES:
            people[role] = add_user(people["admin"], role, role, "1234")
    yield SimpleNamespace(url=db_url, **people)
    db.close()


def pytest_sessionfinish(session):
    """Leave the shared PostgreSQL server as we found it; a worker process (pytest -n) hands
    its figures to the main one."""
    url = os.environ.get(PG_ENV)
    if url:
        database = connect(url, check=False)
        database.execute_sql(f"DROP SCHEMA IF EXISTS returns_desk_test_{os.getpid()} CASCADE")
        database.close()
    if hasattr(session.config, "workeroutput"):
        from .figures import tallies
        session.config.workeroutput["figures"] = tallies()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, in the main process: a worker's figures join the rest."""
    from .figures import add_tallies
    add_tallies(node.workeroutput.get("figures", []))


def pytest_terminal_summary(terminalreporter):
    """Issue 5's figures: nothing lost, nothing let through (tests/figures.py)."""
    from .figures import report
    lines = report()
    if lines:
        terminalreporter.write_sep("=", "figures: faults, terminals at once, bad input")
        for line in lines:
            terminalreporter.write_line(line)
