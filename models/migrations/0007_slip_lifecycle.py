"""A return slip's own lifecycle (issue 15).

- Each line carries its own return reason and handling (on paper each line has its own);
  the slip's one reason and handling are copied to its lines, then dropped from the slip.
- The slip's basis; who approved it, by user, and when (None: the approval is missing); the
  regional manager's approval of a customer-caused return and who entered it (000 §6.6).
  The approval typed as free text before stays, renamed approval_text; a slip with one counts
  as approved on its issue day (by the user of that name, if there is exactly one such
  supervisor or admin), a slip without one is not approved.
- A slip may wait for approval (status awaiting_approval: the column is widened).
- A booking records the supervisor who let it book before every unit was inspected, and why.
- A label job can be cancelled (its unit was reversed): print_job.status is widened.

Columns are added with ALTER TABLE ... ADD COLUMN on both databases, never by rebuilding a
table (SQLite's migrator would copy slip_line whole to add a NOT NULL column).
"""
from peewee import PostgresqlDatabase

_FOREIGN_KEYS = (("slip", "approved_by_id"), ("slip", "regional_recorded_by_id"),
                 ("booking", "override_by_id"))


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    timestamp = "TIMESTAMP" if postgres else "DATETIME"
    for statement in (
            "ALTER TABLE slip_line ADD COLUMN reason TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE slip_line ADD COLUMN handling VARCHAR(10) NOT NULL DEFAULT 'return'",
            "UPDATE slip_line SET reason = (SELECT s.reason FROM slip s WHERE s.id = slip_line.slip_id),"
            " handling = (SELECT s.handling FROM slip s WHERE s.id = slip_line.slip_id)",
            "ALTER TABLE slip ADD COLUMN basis TEXT NOT NULL DEFAULT ''",
            f"ALTER TABLE slip ADD COLUMN approved_at {timestamp}",
            "ALTER TABLE slip ADD COLUMN regional_manager VARCHAR(60)",
            f"ALTER TABLE slip ADD COLUMN regional_recorded_at {timestamp}",
            "ALTER TABLE booking ADD COLUMN override_reason TEXT"):
        db.execute_sql(statement)
    for table, column in _FOREIGN_KEYS:
        db.execute_sql(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES "user" (id)')
        db.execute_sql(f"CREATE INDEX {table}_{column} ON {table} ({column})")
    migrator.migrate(
        migrator.drop_column("slip", "reason"),
        migrator.drop_column("slip", "handling"),
        migrator.rename_column("slip", "approved_by", "approval_text"),
    )
    # Approved on paper, before the desk knew who by user: as of the issue day.
    midnight = "CAST(issued_on AS TIMESTAMP)" if postgres else "issued_on || ' 00:00:00'"
    db.execute_sql(f"UPDATE slip SET approved_at = {midnight} WHERE TRIM(approval_text) <> ''")
    db.execute_sql("""
        UPDATE slip SET approved_by_id = (
            SELECT MIN(u.id) FROM "user" u
            WHERE LOWER(u.name) = LOWER(TRIM(slip.approval_text))
              AND u.role IN ('supervisor', 'admin'))
        WHERE approved_at IS NOT NULL AND 1 = (
            SELECT COUNT(*) FROM "user" u
            WHERE LOWER(u.name) = LOWER(TRIM(slip.approval_text))
              AND u.role IN ('supervisor', 'admin'))""")
    if postgres:     # SQLite does not hold a VARCHAR to its length
        db.execute_sql("ALTER TABLE slip ALTER COLUMN status TYPE VARCHAR(20)")
        db.execute_sql("ALTER TABLE print_job ALTER COLUMN status TYPE VARCHAR(10)")
