"""A print job claimed by one terminal's printer worker is not printed by another."""
from peewee import DateTimeField


def up(migrator, db):
    migrator.migrate(migrator.add_column("print_job", "claimed_at", DateTimeField(null=True)))
