"""An undo carries the id of the request, like a scan: sent again after a lost answer (the
connection dropped at commit), it reverses nothing more."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("reversal", "request_id", CharField(max_length=80, null=True)),
        migrator.add_index("reversal", ("request_id",), True),
    )
