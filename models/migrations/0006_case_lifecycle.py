"""The complaint's whole lifecycle (issue 15): the rest of the intake (the day the complaint
came in, where and when the defect happened, a defective quantity filled in later), the reply
deadline and when it was met, the amount of an allowance or compensation, and tables of their
own for attachments (in the database: every terminal sees them), assessments, closings,
reopenings, reminders (催辦單) and the monthly report marked done. A frozen copy, like 0001."""
import datetime as dt

from peewee import (BigIntegerField, BlobField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, TextField)

REPLY_WORKING_DAYS = {"minor": 1, "severe": 2}     # 000 §6.3, as it was when this was written


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class ComplaintCase(Model):
        class Meta:
            database = db
            table_name = 'complaint_case'

    migrator.migrate(
        migrator.add_column('complaint_case', 'complaint_received_on', DateField(null=True)),
        migrator.add_column('complaint_case', 'defect_position', CharField(max_length=200, null=True)),
        migrator.add_column('complaint_case', 'defect_when', CharField(max_length=200, null=True)),
        migrator.add_column('complaint_case', 'defect_qty_set_by_id',
                            ForeignKeyField(User, null=True, field=User._meta.primary_key)),
        migrator.add_column('complaint_case', 'defect_qty_set_at', DateTimeField(null=True)),
        migrator.add_column('complaint_case', 'reply_due_on', DateField(null=True)),
        migrator.add_column('complaint_case', 'replied_at', DateTimeField(null=True)),
        migrator.add_column('complaint_case', 'outcome_amount', BigIntegerField(null=True)),
        migrator.add_index('complaint_case', ('status', 'reply_due_on'), False),
    )

    class CaseAttachment(Model):
        case = ForeignKeyField(ComplaintCase)
        file_name = CharField(max_length=200)
        content_type = CharField(max_length=100)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        data = BlobField()
        added_by = ForeignKeyField(User)
        added_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_attachment'

    class CaseAssessment(Model):
        case = ForeignKeyField(ComplaintCase)
        responsibility = CharField(max_length=8)
        cause = CharField(max_length=20)
        outcome = CharField(max_length=16)
        amount = BigIntegerField(null=True)
        note = TextField(default='')
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_assessment'

    class CaseClosing(Model):
        case = ForeignKeyField(ComplaintCase)
        closed_on = DateField()
        due_on = DateField(null=True)
        days_late = IntegerField()
        reason = TextField(null=True)
        unfinished = TextField(default='')
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_closing'

    class CaseReopening(Model):
        case = ForeignKeyField(ComplaintCase)
        closing = ForeignKeyField(CaseClosing, unique=True, null=True)
        reason = TextField()
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_reopening'

    class CaseReminder(Model):
        case = ForeignKeyField(ComplaintCase)
        department = CharField(index=True, max_length=16)
        due_on = DateField()
        days_overdue = IntegerField()
        note = TextField(default='')
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'case_reminder'

    class MonthlyReportDone(Model):
        month = CharField(unique=True, max_length=7)
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'monthly_report_done'

    db.create_tables([CaseAttachment, CaseAssessment, CaseClosing, CaseReopening, CaseReminder,
                      MonthlyReportDone])
    _backfill(db)


def _dates(db, name: str) -> set:
    row = db.execute_sql(f"SELECT value FROM setting WHERE name = {db.param}", (name,)).fetchone()
    return {dt.date.fromisoformat(part) for part in (row[0] if row else "").replace(",", " ").split()}


def _add_working_days(start, count, holidays, extra):
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if day in extra or (day.weekday() < 5 and day not in holidays):
            count -= 1
    return day


def _backfill(db):
    """Cases still being worked on get their reply deadline; assessed ones their reply's time
    from the audit trail (the first case.assess), so the home list is right from the start."""
    holidays, extra = _dates(db, "holidays"), _dates(db, "extra_workdays")
    p = db.param
    with db.atomic():
        rows = db.execute_sql("SELECT id, opened_on, severity FROM complaint_case "
                              "WHERE status IN ('open', 'awaiting_decision')").fetchall()
        for case_id, opened_on, severity in rows:
            if isinstance(opened_on, str):
                opened_on = dt.date.fromisoformat(opened_on[:10])
            due = _add_working_days(opened_on, REPLY_WORKING_DAYS.get(severity, 1), holidays, extra)
            db.execute_sql(f"UPDATE complaint_case SET reply_due_on = {p} WHERE id = {p}",
                           (due, case_id))
        db.execute_sql("""
            UPDATE complaint_case SET replied_at = (
                SELECT MIN(a.at) FROM audit_log a WHERE a.entity = 'case'
                AND a.entity_key = complaint_case.case_no AND a.action = 'case.assess')
            WHERE responsibility IS NOT NULL""")
