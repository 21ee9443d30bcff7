"""Indexes found by the bench's first paints (python -m bench, 1,000,000 slip lines, SQLite):

- unit (line_id, state): a slip's units still waiting for inspection (the finance pane of a
  slip) were counted by walking every awaiting unit of the site through the (state, id)
  index: ~170 ms -> <1 ms.
- inspection (result, at): the monthly report's quality cost reads the month's failed and
  split inspections only, not its ~20,000 passes: ~300 ms -> ~20 ms.
"""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("unit", ("line_id", "state"), False),
        migrator.add_index("inspection", ("result", "at"), False),
    )
