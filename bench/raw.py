"""The plain baselines: the SQL each desk path needs, run straight through sqlite3 / psycopg2.

A scan runs the very statements receive_scan sends (the role check, the slip locked, what the
scan decides with, the unit, its label job, the audit record and the running total, in one
transaction, in the same messages, on PostgreSQL prepared once per connection as the desk's
are); lookups, the report and the export run one natural query each. No ORM, and no
Python beyond reading the rows.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

from models.codes import unit_code
from models.db import POSTGRES_SETTINGS, SQLITE_PRAGMAS, _prepared_statement

USER = 'SELECT role, active, locked FROM "user" WHERE id = ?'
SLIP_LINES = """
    SELECT l.id, l.slip_id, l.line_no, l.part_no, l.description, l.unit, l.approved_qty,
           l.unit_price, l.tolerance_pct, l.received_qty, l.return_reason
    FROM slip s JOIN slip_line l ON l.slip_id = s.id
    WHERE s.slip_no = ? ORDER BY l.line_no"""
CASE_COLUMNS = "k.id, k.case_no, k.customer_id, k.order_no, k.status, k.opened_on, k.due_on"
CASE_BY_NUMBER = f"SELECT {CASE_COLUMNS} FROM complaint_case k WHERE k.case_no = ?"
CASE_BY_SLIP = f"""SELECT {CASE_COLUMNS} FROM slip s JOIN complaint_case k ON k.id = s.case_id
                   WHERE s.slip_no = ?"""
CASE_BY_UNIT = f"""SELECT {CASE_COLUMNS} FROM unit u JOIN slip_line l ON l.id = u.line_id
                   JOIN slip s ON s.id = l.slip_id JOIN complaint_case k ON k.id = s.case_id
                   WHERE u.id = ?"""
CASES_BY_ORDER = f"""SELECT {CASE_COLUMNS} FROM complaint_case k WHERE k.order_no = ?
                     ORDER BY k.opened_on DESC, k.id DESC LIMIT 50"""
CASES_BY_CUSTOMER = f"""SELECT {CASE_COLUMNS} FROM complaint_case k
                        JOIN customer c ON c.id = k.customer_id
                        WHERE c.code = ? ORDER BY k.opened_on DESC, k.id DESC LIMIT 50"""

EXPORT = """
    SELECT s.slip_no, l.line_no, k.case_no, c.code, l.part_no, l.unit, l.approved_qty,
           l.received_qty, l.tolerance_pct, c.tolerance_pct, d.book_qty, l.unit_price, s.status
    FROM slip_line l
    JOIN slip s ON s.id = l.slip_id
    JOIN complaint_case k ON k.id = s.case_id
    JOIN customer c ON c.id = k.customer_id
    LEFT JOIN decision d ON d.line_id = l.id
        AND d.id = (SELECT MAX(id) FROM decision WHERE line_id = l.id)
        AND d.received_qty = l.received_qty
    ORDER BY s.slip_no, l.line_no"""

MONTH_CLOSED = """
    SELECT k.category, k.responsibility, c.code FROM complaint_case k
    JOIN customer c ON c.id = k.customer_id
    WHERE k.closed_on >= ? AND k.closed_on < ?"""
MONTH_BOOKED = """
    SELECT c.code, l.unit, SUM(b.qty), SUM(b.amount) FROM booked_line b
    JOIN booking g ON g.id = b.booking_id
    JOIN slip_line l ON l.id = b.line_id JOIN slip s ON s.id = l.slip_id
    JOIN complaint_case k ON k.id = s.case_id JOIN customer c ON c.id = k.customer_id
    WHERE g.at >= ? AND g.at < ? AND g.reopened_at IS NULL
    GROUP BY c.code, l.unit ORDER BY c.code, l.unit"""
MONTH_COST = """
    SELECT c.code, l.unit, p.qty, l.unit_price FROM inspection_portion p
    JOIN inspection i ON i.id = p.inspection_id JOIN unit u ON u.id = i.unit_id
    JOIN slip_line l ON l.id = u.line_id JOIN slip s ON s.id = l.slip_id
    JOIN complaint_case k ON k.id = s.case_id JOIN customer c ON c.id = k.customer_id
    WHERE i.at >= ? AND i.at < ? AND NOT p.passed
      AND k.cause IN ('customer_misuse', 'customer_order')"""


def _slip_positions() -> dict[str, int]:
    from models.tables import Slip
    return {field.name: i for i, field in enumerate(Slip._meta.sorted_fields)}


_SLIP_AT = _slip_positions()     # where the facts row has the slip's status and approval


class Raw:
    """One plain connection to the site's database."""

    def __init__(self, url: str):
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        if self.postgres:
            import psycopg2
            from playhouse.db_url import parse
            self.conn = psycopg2.connect(**parse(url))
            self.conn.autocommit = True          # BEGIN / COMMIT said out loud, as peewee does
            self.begin, self.lock = "BEGIN", " FOR UPDATE"
            self.prepared: set[str] = set()      # statements prepared on this connection
            with self.conn.cursor() as cur:
                cur.execute(f"SET plan_cache_mode = {POSTGRES_SETTINGS['plan_cache_mode']}")
        else:
            self.conn = sqlite3.connect(url[len("sqlite:///"):], isolation_level=None,
                                        check_same_thread=False)
            for name, value in SQLITE_PRAGMAS.items():
                self.conn.execute(f"PRAGMA {name} = {value}")
            self.begin, self.lock = "BEGIN IMMEDIATE", ""
        self.cur = self.conn.cursor()

    def sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.postgres else text

    def close(self) -> None:
        self.conn.close()

    # --- one scan, from the role check to COMMIT ------------------------------------------

    def scan(self, user_id: int, slip_no: str, part_no: str, scan_id: str) -> int:
        """The statements receive_scan sends (models.receiving's own SQL text), through the
        bare driver, with no more Python than reading what they return needs; on PostgreSQL
        grouped into the messages receive_scan sends (BEGIN with the role check, the slip's
        lock with the facts and the unit's id, then the unit, its label job, audit record and
        running total)."""
        from models.audit import _INSERT as INSERT_AUDIT
        from models.receiving import (_ADD_RECEIVED, _INSERT_UNIT, _QUEUE_LABEL,
                                      _SLIP_COLUMNS as at, scan_facts_sql)
        from models.slips import _LOCK
        facts_sql = scan_facts_sql()        # its text for the database the desk is bound to
        cur = self.send((USER, (user_id,)), begin=True)
        try:
            role, active, locked = cur.fetchone()
            if not active or locked or role not in ("clerk", "supervisor", "admin"):
                raise PermissionError(role)
            facts_params = (scan_id, scan_id, part_no, slip_no)
            facts = self.send(*([(_LOCK, (slip_no,))] if self.postgres else []),
                              (facts_sql, facts_params)).fetchone()
            status, approved = facts[_SLIP_AT["status"]], facts[_SLIP_AT["approved_at"]]
            if status != "receiving" or approved is None or facts[-1] == "rejected":
                raise ValueError(status)                       # the gate: see _receiving
            if facts[at] is not None:
                raise ValueError("replayed")
            printer, unit_id = facts[at + 2] or "", facts[at + 4]
            line_id, line_no = facts[at + 8], facts[at + 10]
            received = facts[at + 17] + 1000                     # received_qty, in thousandths
            at_ = dt.datetime.now().replace(microsecond=0)
            total = self.send(
                (_INSERT_UNIT, (unit_id, line_id, 1000, False, scan_id, "awaiting", user_id, at_)),
                (_QUEUE_LABEL, (unit_id, printer, False, user_id, at_)),
                (INSERT_AUDIT, (at_, user_id, "receive.scan", "unit", unit_code(unit_id), None,
                                f'{{"slip": "{slip_no}", "line": {line_no}, "qty": "1", '
                                f'"received_qty": "{received / 1000:g}"}}')),
                (_ADD_RECEIVED, (1000, line_id))).fetchone()[0]
            if total != received:
                raise ValueError("the running total moved under the lock")
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return unit_id

    def send(self, *statements: tuple[str, tuple], begin: bool = False):
        """(text, params) statements with ? placeholders, the cursor of the last: on SQLite one
        by one; on PostgreSQL in one message, BEGIN first if asked, each statement prepared
        once on this connection as models.db.execute_all does (the same names and text)."""
        if not self.postgres:
            if begin:
                self.cur.execute(self.begin)
            for text, params in statements:
                self.cur.execute(text, params)
            return self.cur
        runs, values = [self.begin] if begin else [], []
        for text, params in statements:
            name, prepare, run = _prepared_statement(text, len(params))
            if name not in self.prepared:
                self.cur.execute(prepare, ())       # (as peewee sends it: %% read as %)
                self.prepared.add(name)
            runs.append(run)
            values.extend(params)
        self.cur.execute("; ".join(runs), values)
        return self.cur

    # --- lookups ---------------------------------------------------------------------------

    def fetch(self, sql: str, *params) -> list[tuple]:
        self.cur.execute(self.sql(sql), params)
        return self.cur.fetchall()

    # --- the export's query, every row read ------------------------------------------------

    def export_rows(self) -> int:
        count = 0
        if self.postgres:
            self.conn.autocommit = False
            with self.conn.cursor(name="bench_export") as cur:
                cur.itersize = 2000
                cur.execute(EXPORT)
                for _ in cur:
                    count += 1
            self.conn.rollback()
            self.conn.autocommit = True
        else:
            for _ in self.conn.execute(EXPORT):
                count += 1
        return count

    def monthly(self, first: dt.date, after: dt.date) -> tuple:
        start = dt.datetime.combine(first, dt.time.min)
        end = dt.datetime.combine(after, dt.time.min)
        return (self.fetch(MONTH_CLOSED, first, after), self.fetch(MONTH_BOOKED, start, end),
                self.fetch(MONTH_COST, start, end))
