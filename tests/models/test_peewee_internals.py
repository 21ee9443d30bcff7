"""What models/db/peewee_internals.py assumes of peewee's and playhouse's private members.

It is the one module of the desk that touches them. If a peewee upgrade moves or changes one,
a test here fails and its message names the member and what the desk expected of it: fix
peewee_internals.py (or pin peewee) before anything else. The pool's members are checked on
a real PostgreSQL server when RETURNS_DESK_TEST_PG is set; their presence is checked always."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import peewee
import psycopg2.extensions
import pytest
from peewee import (AutoField, CharField, DateField, ForeignKeyField, IntegerField, Model,
                    SqliteDatabase, TextField)
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase

from models.db import columns, execute, load, new_instance, relate, set_stored, stored
from models.db.peewee_internals import PostgresqlPoolHooks, returned_as_is
from models.fields import ExactDecimalField
from models.tables import ComplaintCase, Customer, Slip, SlipLine, User

from ..conftest import PG_ENV
from ..helpers import ready_slip

RELIED_ON = "models/db/peewee_internals.py relies on it"


def expect(condition: bool, what: str) -> None:
    assert condition, f"peewee {peewee.__version__}: {what} ({RELIED_ON})"


# --- model instances --------------------------------------------------------------------------

memory = SqliteDatabase(":memory:")


class Parent(Model):
    name = CharField()

    class Meta:
        database = memory


class Child(Model):
    id = AutoField()
    parent = ForeignKeyField(Parent)
    count = IntegerField()
    note = TextField()
    price = ExactDecimalField(4)
    day = DateField(null=True)

    class Meta:
        database = memory


@pytest.fixture
def family():
    memory.connect(reuse_if_open=True)
    memory.create_tables([Parent, Child])
    parent = Parent.create(name="p")
    child = Child.create(parent=parent, count=3, note="n", price=Decimal("1.5"),
                         day=dt.date(2026, 11, 20))
    yield parent, Child.get_by_id(child.id)
    memory.drop_tables([Parent, Child])
    memory.close()


def test_an_instance_made_from_values_is_the_one_peewee_makes_from_a_row(family):
    parent, read = family
    made = new_instance(Child, {"id": read.id, "parent": parent.id, "count": 3, "note": "n",
                                "price": Decimal("1.5"), "day": dt.date(2026, 11, 20)})
    expect(made.__data__ == read.__data__,
           "Model.__data__ holds a row's field values by name, a foreign key as its id")
    expect(not read.dirty_fields and not made.dirty_fields,
           "a row peewee read has an empty Model._dirty (nothing for save() to write)")
    made.count = 4
    expect(made.dirty_fields == [Child.count], "assigning a field adds it to Model._dirty")
    expect(made.parent.name == "p", "a foreign key not in Model.__rel__ is read by its id")


def test_a_related_instance_given_is_used_without_a_query(family):
    _, read = family
    absent = Parent(id=999, name="never stored")          # a query for id 999 would fail
    child = new_instance(Child, {"id": 1, "parent": 999}, {"parent": absent})
    expect(child.parent is absent, "Model.__rel__[name] is the instance a foreign key stands for")
    other = new_instance(Child, {"id": 2, "parent": 999})
    relate(other, "parent", absent)
    expect(other.parent is absent, "Model.__rel__ is read before any query for a foreign key")
    expect(stored(other, "parent") == 999, "Model.__data__ keeps a foreign key's id")
    expect(not other.dirty_fields, "filling Model.__rel__ marks nothing changed")


def test_a_value_set_as_stored_is_read_back_and_not_written_again(family):
    _, read = family
    set_stored(read, "count", 7)
    expect(read.count == 7, "a field reads its value from Model.__data__")
    expect(not read.dirty_fields, "writing Model.__data__ directly marks nothing changed")


def test_plain_fields_make_nothing_new_of_what_the_drivers_return():
    for field, value in ((Child.count, 7), (Child.id, 7), (Parent.name, "x"), (Child.note, "x"),
                         (Child.parent, 7)):
        expect(returned_as_is(field), f"{type(field).__name__}.python_value is peewee's own")
        expect(field.python_value(value) == value
               and type(field.python_value(value)) is type(value),
               f"{type(field).__name__}.python_value({value!r}) gives back the same value")
    expect(not returned_as_is(Child.price), "a field with its own python_value converts")
    expect(not returned_as_is(Child.day), "DateField converts what SQLite returns (text)")


def test_desk_rows_loaded_by_hand_equal_peewees(desk):
    ready_slip(desk, ("P-1", "kg", "2.5", "1.25", "3"))
    for model in (User, Customer, ComplaintCase, Slip, SlipLine):
        text = f'SELECT {columns(model, "t")} FROM "{model._meta.table_name}" t'
        for row in execute(text).fetchall():
            loaded = load(model, row)
            read = model.get_by_id(loaded.id)
            expect(loaded.__data__ == read.__data__ and not loaded.dirty_fields,
                   f"{model.__name__}: a row read by hand loads as peewee reads it")


# --- transactions: what the desk's pool overrides ---------------------------------------------

def test_a_transaction_is_begin_commit_or_rollback_and_every_statement_goes_through_execute_sql():
    calls = []

    class Watched(SqliteDatabase):
        def begin(self, *args, **kwargs):
            calls.append("begin()")
            super().begin(*args, **kwargs)

        def commit(self):
            calls.append("commit()")
            super().commit()

        def rollback(self):
            calls.append("rollback()")
            super().rollback()

        def execute_sql(self, sql, params=None):
            calls.append(sql.split()[0])
            return super().execute_sql(sql, params)

    watched = Watched(":memory:")
    with watched.bind_ctx([Parent]):
        watched.create_tables([Parent])
        del calls[:]
        with watched.atomic():
            Parent.create(name="a")
            with watched.atomic():
                Parent.select().count()
        with pytest.raises(RuntimeError), watched.atomic():
            Parent.create(name="b")
            raise RuntimeError("undone")
    expect(calls == ["begin()", "INSERT", "SAVEPOINT", "SELECT", "RELEASE", "commit()",
                     "begin()", "INSERT", "rollback()"],
           f"atomic() begins with Database.begin(), ends with commit() or rollback(), and "
           f"sends every statement, savepoints too, through execute_sql(): {calls}")


# --- the PostgreSQL pool ----------------------------------------------------------------------

def test_the_pool_members_used_are_there():
    pool = PostgresqlPoolHooks("not_connected")
    for owner, name in ((PooledPostgresqlDatabase, "_is_closed"),
                        (PooledPostgresqlDatabase, "_connect"),
                        (PooledPostgresqlDatabase, "_close_raw"),
                        (pool, "_pool_lock"), (pool, "_in_use"), (pool, "conn_key"),
                        (pool, "_isolation_level"), (pool, "_adapter"), (pool, "_state")):
        expect(hasattr(owner, name), f"playhouse's pool has {name}")
    expect(isinstance(pool._in_use, dict), "PooledDatabase._in_use is a dict: key -> connection")
    expect(callable(pool.conn_key), "PooledDatabase.conn_key(conn) is a connection's key")
    expect(hasattr(pool._state, "conn") and pool._state.conn is None,
           "Database._state.conn is the thread's connection, None while closed")
    expect(callable(getattr(pool._adapter, "isolation_level_str", None)),
           "PostgresqlDatabase._adapter.isolation_level_str(level) names a level")


@pytest.fixture
def pg_url():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"the pool's behaviour needs {PG_ENV}")
    return url


class Recorded(PostgresqlPoolHooks):
    def __init__(self, *args, **kwargs):
        self.asked, self.given = [], []
        super().__init__(*args, **kwargs)

    def is_dead(self, conn):
        self.asked.append(conn)
        return super().is_dead(conn)

    def handed_out(self, conn):
        self.given.append(conn)


def test_playhouse_asks_before_it_hands_an_idle_connection_out_again(pg_url):
    pool = Recorded(**parse(pg_url), max_connections=None, stale_timeout=600)
    try:
        pool.connect()
        first = pool.connection()
        expect(pool.thread_connection() is first, "Database._state.conn is the thread's connection")
        pool.close()
        expect(pool.thread_connection() is None, "Database._state.conn is None once closed")
        pool.connect()
        expect(pool.connection() is first, "a closed connection goes back to the pool")
        expect(pool.given == [first, first],
               "PooledDatabase._connect() gives every connection it hands out, new or reused")
        expect(pool.asked == [first],
               "PooledDatabase._connect() asks _is_closed(conn) of an idle one before reuse")
        expect(not pool.pinged_dead(first), "_PooledPostgresqlDatabase._is_closed: alive")
        pool.close()
        first.close()
        expect(pool.pinged_dead(first), "_PooledPostgresqlDatabase._is_closed: a closed one")
    finally:
        pool.close_all()


def test_a_threads_connection_is_replaced_in_the_middle_of_its_work(pg_url):
    pool = Recorded(**parse(pg_url), max_connections=None, stale_timeout=600)
    try:
        with pool.connection_context():
            old = pool.connection()
            pool.replace_thread_connection()
            new = pool.connection()
            expect(new is not old and old.closed and not new.closed,
                   "_close_raw(conn) closes it; _state.conn = _connect() gives the thread another")
            expect(pool.execute_sql("SELECT 1").fetchone() == (1,), "the new one works")
        expect(not pool._in_use, "_in_use holds the connections in use, by conn_key(conn)")
        pool.connect()
        expect(pool.connection() is new, "the new connection went back to the pool")
    finally:
        pool.close_all()


@pytest.mark.parametrize("level", [None, "SERIALIZABLE"])
def test_begin_is_what_peewee_sends(pg_url, level):
    sent = []

    class Watched(psycopg2.extensions.cursor):
        def execute(self, query, params=None):
            sent.append(query)
            return super().execute(query, params)

    options = dict(parse(pg_url), cursor_factory=Watched, isolation_level=level)
    plain = peewee.PostgresqlDatabase(**options)
    with plain.atomic():
        pass
    plain.close()
    expect(sent[0] == PostgresqlPoolHooks(**options).begin_sql(),
           f"PostgresqlDatabase.begin() sends {sent[0]!r}, from _isolation_level and "
           "_adapter.isolation_level_str")
