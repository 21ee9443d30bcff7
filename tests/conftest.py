"""Shared fixtures: the same domain tests run on SQLite and, when RETURNS_DESK_TEST_PG holds
a database URL, on PostgreSQL."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from models import connect, migrate_all
from models.db import db
from models.users import add_user, create_first_admin

PG_ENV = "RETURNS_DESK_TEST_PG"
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


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://... (set by .ci/run)")
    yield fresh_postgres(url)


@pytest.fixture
def desk(db_url):
    """A migrated, empty desk with one user per role; users are named after their role."""
    connect(db_url, check=False)
    migrate_all()
    people = {"admin": create_first_admin("admin", "9999")}
    for role in ROLES:
        people[role] = add_user(people["admin"], role, role, "1234")
    yield SimpleNamespace(url=db_url, **people)
    db.close()


def pytest_sessionfinish(session):
    """Leave the shared PostgreSQL server as we found it."""
    url = os.environ.get(PG_ENV)
    if url:
        database = connect(url, check=False)
        database.execute_sql(f"DROP SCHEMA IF EXISTS returns_desk_test_{os.getpid()} CASCADE")
        database.close()


def pytest_terminal_summary(terminalreporter):
    """Issue 5's figures: nothing lost, nothing let through (tests/figures.py)."""
    from .figures import report
    lines = report()
    if lines:
        terminalreporter.write_sep("=", "figures: faults, terminals at once, bad input")
        for line in lines:
            terminalreporter.write_line(line)
