"""issued_total: how many return slips each month issued per case category, kept up to date as
slips are issued (models.month_totals), so home's chart of the last twelve months reads ~50 rows
instead of counting the year's ~35,000 slips by their case's category at every sign-in (~20 ms
on either database at 1,000,000 lines). Filled here from the slips already there. A frozen
copy, like 0001."""
from peewee import CharField, IntegerField, Model, PostgresqlDatabase


def up(migrator, db):
    class IssuedTotal(Model):
        month = CharField(max_length=7)
        category = CharField(max_length=16)
        slips = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'issued_total'
            indexes = ((('month', 'category'), True),)

    db.create_tables([IssuedTotal])
    if isinstance(db, PostgresqlDatabase):
        month = "to_char(s.issued_on, 'YYYY-MM')"
    else:
        month = "strftime('%Y-%m', s.issued_on)"
    db.execute_sql(f"""
        INSERT INTO issued_total (month, category, slips)
        SELECT {month}, k.category, COUNT(*)
        FROM slip s
        JOIN complaint_case k ON k.id = s.case_id
        GROUP BY {month}, k.category""")
