"""Each user may speak their own language (issue 18): zh-Hant, zh-Hans or en; none (NULL) means
the site's setting `language`."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "language", CharField(max_length=10, null=True)),
    )
