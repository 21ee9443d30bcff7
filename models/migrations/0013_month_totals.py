"""booked_total and failed_total: a month's booked amounts per customer and unit of measure, and
its failed goods per case and unit, kept up to date by the operations (models.month_totals) so
the monthly report reads a few hundred rows instead of adding up the month's ~9,000 booked lines
and ~2,800 failed inspections each time it opens (1,000,000 lines: ~12 ms on SQLite, 50-90 ms
on PostgreSQL). Filled here from the records already there.

complaint_case_customer_caused: the cases the customer caused (cause customer_order or
wrong_item, models.cases.CUSTOMER_CAUSES as it was when this was written), whose failed goods
are the quality cost: PostgreSQL read all ~50,000 cases for them (~11 ms at 1,000,000 lines);
from this index it reads their ~5,000 (~1 ms). A frozen copy, like 0001."""
from peewee import (BigIntegerField, CharField, ForeignKeyField, IntegerField, Model,
                    PostgresqlDatabase)


def up(migrator, db):
    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class ComplaintCase(Model):
        class Meta:
            database = db
            table_name = 'complaint_case'

    class BookedTotal(Model):
        month = CharField(max_length=7)
        customer = ForeignKeyField(Customer)
        unit = CharField(max_length=8)
        lines = IntegerField(default=0)
        qty = BigIntegerField(default=0)
        amount = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'booked_total'
            indexes = ((('month', 'customer', 'unit'), True),)

    class FailedTotal(Model):
        month = CharField(max_length=7)
        case = ForeignKeyField(ComplaintCase)
        unit = CharField(max_length=8)
        qty = BigIntegerField(default=0)
        amount = BigIntegerField(default=0)
        class Meta:
            database = db
            table_name = 'failed_total'
            indexes = ((('month', 'case', 'unit'), True),)

    db.create_tables([BookedTotal, FailedTotal])
    db.execute_sql("""CREATE INDEX complaint_case_customer_caused ON complaint_case
                      (id, customer_id) WHERE cause IN ('customer_order', 'wrong_item')""")
    postgres = isinstance(db, PostgresqlDatabase)

    def month_of(column):
        return f"to_char({column}, 'YYYY-MM')" if postgres else f"strftime('%Y-%m', {column})"

    db.execute_sql(f"""
        INSERT INTO booked_total (month, customer_id, unit, lines, qty, amount)
        SELECT {month_of('g.at')}, k.customer_id, l.unit, COUNT(*), SUM(b.qty), SUM(b.amount)
        FROM booking g
        JOIN slip s ON s.id = g.slip_id
        JOIN complaint_case k ON k.id = s.case_id
        JOIN booked_line b ON b.booking_id = g.id
        JOIN slip_line l ON l.id = b.line_id
        WHERE g.reopened_at IS NULL
        GROUP BY {month_of('g.at')}, k.customer_id, l.unit""")
    db.execute_sql(f"""
        INSERT INTO failed_total (month, case_id, unit, qty, amount)
        SELECT {month_of('i.at')}, s.case_id, l.unit, SUM(p.qty), SUM(p.qty * l.unit_price)
        FROM inspection i
        JOIN inspection_portion p ON p.inspection_id = i.id
        JOIN unit u ON u.id = i.unit_id
        JOIN slip_line l ON l.id = u.line_id
        JOIN slip s ON s.id = l.slip_id
        WHERE NOT p.passed
        GROUP BY {month_of('i.at')}, s.case_id, l.unit""")
