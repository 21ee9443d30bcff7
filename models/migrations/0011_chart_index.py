"""slip (issued_on, case_id): home's chart counts the year's slips by their case's category;
with the case in the index, the ~35,000 slips of a year are counted from the index alone, not
read one by one (python -m bench, 1,000,000 slip lines, SQLite, the query alone under a
load of ~3: ~60 -> ~45 ms)."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("slip", ("issued_on", "case_id"), False))
