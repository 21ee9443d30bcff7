"""Home counts the lines over tolerance that wait for a supervisor on every slip whose receiving
is closed (models.reconciliation_rows): ~4,900 such slips at 1,000,000 lines, and their ~7,500
lines received beyond approved. PostgreSQL read each of those slips, lines and cases from the
table itself (~24 ms); these indexes hold all it reads of them, so it reads the indexes alone
(~12 ms; measured on the bench's 1,000,000-line site). SQLite plans it as before (~12 ms).

- slip_line_received_over (0012) gains the line's id;
- slip (case_id, id, slip_no) for the slips whose receiving is closed;
- complaint_case (id, customer_id): a slip's customer, for their tolerance."""

LINES = """CREATE INDEX slip_line_received_over ON slip_line
           (slip_id, received_qty, approved_qty, tolerance_pct, id)
           WHERE received_qty > approved_qty"""
SLIPS = """CREATE INDEX slip_received ON slip (case_id, id, slip_no)
           WHERE status = 'received'"""
CASES = "CREATE INDEX complaint_case_id_customer ON complaint_case (id, customer_id)"


def up(migrator, db):
    db.execute_sql("DROP INDEX slip_line_received_over")
    for statement in (LINES, SLIPS, CASES):
        db.execute_sql(statement)
