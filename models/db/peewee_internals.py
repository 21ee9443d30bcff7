"""Every use of peewee's and playhouse's private members, in this one module.

Two things the desk does need them. It makes model instances from rows it read with its own
SQL (models.db.rows), as peewee does from a query, without paying for the query object
(10-50x what SQLite takes to answer it: python -m bench). And its PostgreSQL pool
(models.db.pool) decides itself when a pooled connection needs a ping and when BEGIN is
sent, which playhouse lets a subclass do only through private methods. Nothing else in the
desk touches a private member of peewee or playhouse: a peewee upgrade that moves one breaks
here, and tests/test_peewee_internals.py names the member and what it was expected to do.
"""
from __future__ import annotations

from peewee import AutoField, CharField, ForeignKeyField, IntegerField, TextField
from playhouse.pool import PooledPostgresqlDatabase

# --- model instances: peewee keeps a row's values in __data__, which fields were changed
# since (what save() writes) in _dirty, and the instances its foreign keys stand for in __rel__.


def new_instance(model, data: dict, related: dict | None = None):
    """An instance of `model` as peewee makes one from a row it read: `data` its field values
    by name (a foreign key as its id), `related` the instances foreign keys stand for, where
    known (reading one then costs no query). Nothing is marked changed: save() writes nothing."""
    instance = model.__new__(model)
    instance.__data__, instance._dirty = data, set()
    instance.__rel__ = {} if related is None else related
    return instance


def relate(instance, name: str, other) -> None:
    """`other` is the instance the foreign key `name` of `instance` (its id already) stands
    for: reading `instance.<name>` returns it, without a query."""
    instance.__rel__[name] = other


def stored(instance, name: str):
    """The value of field `name` as stored: a foreign key's id, never a query for its row."""
    return instance.__data__.get(name)


def set_stored(instance, name: str, value) -> None:
    """`value` is what the database now holds in field `name` (another statement wrote it):
    not marked changed, so save() does not write it again."""
    instance.__data__[name] = value


_PLAIN = (AutoField, IntegerField, CharField, TextField, ForeignKeyField)


def returned_as_is(field) -> bool:
    """True where both drivers already hand back what the field's python_value would make:
    ints and text, unless the field converts them itself (e.g. ExactDecimalField). Peewee's
    own python_value of these classes makes nothing new of an int or a str."""
    return isinstance(field, _PLAIN) and type(field).python_value.__module__ == "peewee"


# --- the PostgreSQL pool ---------------------------------------------------------------------


class PostgresqlPoolHooks(PooledPostgresqlDatabase):
    """playhouse's PostgreSQL pool with the private members the desk's pool needs behind
    names of its own: `is_dead` and `handed_out` to override, the rest to call."""

    def _is_closed(self, conn) -> bool:           # playhouse: before reusing an idle one
        return self.is_dead(conn)

    def _connect(self):                           # playhouse: a connection for this thread
        conn = super()._connect()
        self.handed_out(conn)
        return conn

    def is_dead(self, conn) -> bool:
        """Whether a pooled connection must not be handed out again; by default playhouse's
        own check (`pinged_dead`)."""
        return self.pinged_dead(conn)

    def pinged_dead(self, conn) -> bool:
        """playhouse's check: closed, or fails a rollback (in a transaction) or a SELECT 1."""
        return super()._is_closed(conn)

    def handed_out(self, conn) -> None:
        """The pool gives `conn`, new or reused, to the calling thread."""

    def begin_sql(self, isolation_level=None) -> str:
        """The statement peewee's PostgresqlDatabase.begin sends."""
        level = isolation_level or self._isolation_level
        if level:
            return f"BEGIN TRANSACTION ISOLATION LEVEL {self._adapter.isolation_level_str(level)}"
        return "BEGIN"

    def thread_connection(self):
        """The calling thread's open connection, or None (never opens one)."""
        return self._state.conn

    def replace_thread_connection(self) -> None:
        """A new connection in place of the calling thread's dead one, in the middle of its
        `connection_context`. The idle ones were opened to the same server and are likely as
        dead: they are closed too."""
        dead = self._state.conn
        with self._pool_lock:
            self._in_use.pop(self.conn_key(dead), None)
        self._close_raw(dead)
        self.close_idle()
        self._state.conn = self._connect()
