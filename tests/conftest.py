"""Shared fixtures: the same domain tests run on SQLite and, when RETURNS_DESK_TEST_PG holds
a database URL, on PostgreSQL."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from models import connect, migrate_all
from models.db import db
from models.tables import TABLES
from models.users import add_user, create_first_admin

PG_ENV = "RETURNS_DESK_TEST_PG"
ROLES = ("clerk", "inspector", "finance", "sales", "supervisor")


def reset_postgres(url: str) -> None:
    """Drop the desk's tables (and its migration history) from the test database."""
    database = connect(url, check=False)
    names = [model._meta.table_name for model in TABLES] + ["schema_migration"]
    database.execute_sql("DROP TABLE IF EXISTS " + ", ".join(f'"{n}"' for n in names) + " CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://... (set by .ci/run)")
    reset_postgres(url)
    yield url


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
