"""Where the site's rows go: executemany into SQLite, COPY into PostgreSQL, in the desk's own
tables (made by its migrations), each table's columns in the order the generator writes them."""
from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from models.month_totals import rebuild_sql

# Tables in foreign-key order, with the columns the generator writes.
COLUMNS = {
    "user": ("id", "name", "role", "pin_hash", "badge", "active", "failed_pins", "locked",
             "created_at"),
    "setting": ("name", "value"),
    "counter": ("key", "last"),
    "customer": ("id", "code", "name", "market", "tolerance_pct"),
    "complaint_case": ("id", "case_no", "customer_id", "order_no", "part_no", "shipped_qty",
                       "delivered_on", "customer_received_on", "defect_qty", "defect", "category",
                       "severity", "request", "opened_on", "opened_by_id", "window_ends_on", "late",
                       "status", "against_payment", "decided_by_id", "decided_at",
                       "decision_reason", "accepted_on", "due_on", "responsibility", "cause",
                       "outcome", "closed_on", "closed_by_id"),
    "slip": ("id", "slip_no", "case_id", "approval_text", "issued_on", "issued_by_id", "status",
             "receiving_closed_at", "receiving_closed_by_id", "basis", "approved_by_id",
             "approved_at"),
    "slip_line": ("id", "slip_id", "line_no", "part_no", "description", "unit", "approved_qty",
                  "unit_price", "tolerance_pct", "received_qty", "return_reason", "reason",
                  "handling"),
    "unit": ("id", "line_id", "qty", "lot", "scan_id", "state", "received_by_id", "received_at"),
    "reversal": ("id", "unit_id", "reason", "by_id", "at"),
    "inspection": ("id", "unit_id", "result", "defect_class", "cause", "note", "by_id", "at"),
    "inspection_portion": ("id", "inspection_id", "passed", "disposition", "qty"),
    "decision": ("id", "line_id", "choice", "reason", "received_qty", "book_qty", "by_id", "at"),
    "booking": ("id", "slip_id", "amount", "by_id", "at", "reopened_by_id", "reopened_at",
                "reopen_reason"),
    "booked_line": ("id", "booking_id", "line_id", "qty", "unit_price", "amount"),
    "print_job": ("id", "unit_id", "printer", "copies", "reprint", "status", "attempts",
                  "last_error", "requested_by_id", "requested_at", "printed_at"),
    "audit_log": ("id", "at", "user_id", "action", "entity", "entity_key", "before", "after"),
}


class SqliteSink:
    """executemany into the desk's tables, foreign keys checked by construction, not per row."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "foreign_keys = OFF", "synchronous = OFF",
                       "cache_size = -1000000", "temp_store = MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("BEGIN")

    def __call__(self, table: str, rows: list[tuple]) -> None:
        columns = COLUMNS[table]
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def close(self) -> None:
        for statement in rebuild_sql(postgres=False):    # what the desk's operations keep
            self.conn.execute(statement)
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode = WAL")      # as the desk keeps it
        self.conn.close()


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


class PostgresSink:
    """COPY into the desk's tables (foreign-key triggers off while loading, rows consistent by
    construction); sequences set past the ids used."""

    def __init__(self, dsn: str):
        import psycopg2
        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = False
        with self.conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")

    def __call__(self, table: str, rows: list[tuple]) -> None:
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(_pg_text, row)) + "\n" for row in rows)
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
        with self.conn.cursor() as cur:
            cur.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', buffer)

    def close(self) -> None:
        with self.conn.cursor() as cur:
            for table, columns in COLUMNS.items():
                if columns[0] == "id":
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))")
            for statement in rebuild_sql(postgres=True):     # what the desk's operations keep
                cur.execute(statement)
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        self.conn.close()
