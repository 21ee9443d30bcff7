"""The first schema: every table of the desk (a frozen copy; exact decimals are scaled BIGINTs)."""
from peewee import *


def up(migrator, db):
    class User(Model):
        name = CharField(unique=True, max_length=60)
        role = CharField(max_length=12)
        pin_hash = CharField(max_length=200)
        badge = CharField(unique=True, null=True, max_length=60)
        active = BooleanField(default=True)
        failed_pins = IntegerField(default=0)
        locked = BooleanField(default=False)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class AuditLog(Model):
        at = DateTimeField(index=True)
        user = ForeignKeyField(User, null=True)
        action = CharField(max_length=40)
        entity = CharField(max_length=20)
        entity_key = CharField(max_length=40)
        before = TextField(null=True)
        after = TextField(null=True)
        class Meta:
            database = db
            table_name = 'audit_log'
            indexes = ((('entity', 'entity_key'), False),)
    db.create_tables([AuditLog])

    class Customer(Model):
        code = CharField(unique=True, max_length=30)
        name = CharField(max_length=200)
        market = CharField(max_length=8)
        tolerance_pct = BigIntegerField(null=True)
        class Meta:
            database = db
            table_name = 'customer'
    db.create_tables([Customer])

    class ComplaintCase(Model):
        case_no = CharField(unique=True, max_length=20)
        customer = ForeignKeyField(Customer)
        order_no = CharField(index=True, max_length=60)
        part_no = CharField(max_length=60)
        shipped_qty = BigIntegerField(null=True)
        delivered_on = DateField(null=True)
        customer_received_on = DateField()
        defect_qty = BigIntegerField(null=True)
        defect = TextField(default='')
        category = CharField(max_length=16)
        severity = CharField(max_length=8)
        request = TextField(default='')
        opened_on = DateField()
        opened_by = ForeignKeyField(User)
        window_ends_on = DateField()
        late = BooleanField()
        status = CharField(index=True, max_length=20)
        against_payment = BooleanField(default=False)
        decided_by = ForeignKeyField(User, null=True)
        decided_at = DateTimeField(null=True)
        decision_reason = TextField(null=True)
        accepted_on = DateField(null=True)
        due_on = DateField(index=True, null=True)
        responsibility = CharField(null=True, max_length=8)
        cause = CharField(null=True, max_length=20)
        outcome = CharField(null=True, max_length=16)
        closed_on = DateField(index=True, null=True)
        closed_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'complaint_case'
    db.create_tables([ComplaintCase])

    class Slip(Model):
        slip_no = CharField(unique=True, max_length=30)
        case = ForeignKeyField(ComplaintCase)
        reason = TextField(default='')
        handling = CharField(max_length=10)
        approved_by = CharField(max_length=60, default='')
        issued_on = DateField(index=True)
        issued_by = ForeignKeyField(User)
        status = CharField(index=True, max_length=10)
        receiving_closed_at = DateTimeField(null=True)
        receiving_closed_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'slip'
    db.create_tables([Slip])

    class Booking(Model):
        slip = ForeignKeyField(Slip)
        amount = BigIntegerField()
        by = ForeignKeyField(User)
        at = DateTimeField(index=True)
        reopened_by = ForeignKeyField(User, null=True)
        reopened_at = DateTimeField(null=True)
        reopen_reason = TextField(null=True)
        class Meta:
            database = db
            table_name = 'booking'
    db.create_tables([Booking])

    class SlipLine(Model):
        slip = ForeignKeyField(Slip)
        line_no = IntegerField()
        part_no = CharField(max_length=60)
        description = CharField(max_length=200, default='')
        unit = CharField(max_length=8)
        approved_qty = BigIntegerField()
        unit_price = BigIntegerField()
        tolerance_pct = BigIntegerField(null=True)
        received_qty = BigIntegerField(default=0)
        return_reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'slip_line'
            indexes = ((('slip', 'line_no'), True), (('slip', 'part_no'), True))
    db.create_tables([SlipLine])

    class BookedLine(Model):
        booking = ForeignKeyField(Booking)
        line = ForeignKeyField(SlipLine)
        qty = BigIntegerField()
        unit_price = BigIntegerField()
        amount = BigIntegerField()
        class Meta:
            database = db
            table_name = 'booked_line'
    db.create_tables([BookedLine])

    class Counter(Model):
        key = CharField(primary_key=True, max_length=30)
        last = IntegerField()
        class Meta:
            database = db
            table_name = 'counter'
    db.create_tables([Counter])

    class Decision(Model):
        line = ForeignKeyField(SlipLine)
        choice = CharField(max_length=16)
        reason = TextField()
        received_qty = BigIntegerField()
        book_qty = BigIntegerField()
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'decision'
    db.create_tables([Decision])

    class Unit(Model):
        line = ForeignKeyField(SlipLine)
        qty = BigIntegerField()
        lot = BooleanField(default=False)
        scan_id = CharField(unique=True, null=True, max_length=80)
        state = CharField(max_length=10)
        received_by = ForeignKeyField(User)
        received_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'unit'
            indexes = ((('state', 'id'), False),)
    db.create_tables([Unit])

    class Inspection(Model):
        unit = ForeignKeyField(Unit, unique=True)
        result = CharField(max_length=8)
        defect_class = CharField(max_length=40, default='')
        cause = CharField(max_length=200, default='')
        note = TextField(default='')
        by = ForeignKeyField(User)
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'inspection'
    db.create_tables([Inspection])

    class InspectionPortion(Model):
        inspection = ForeignKeyField(Inspection)
        passed = BooleanField()
        disposition = CharField(max_length=16)
        qty = BigIntegerField()
        class Meta:
            database = db
            table_name = 'inspection_portion'
    db.create_tables([InspectionPortion])

    class PrintJob(Model):
        unit = ForeignKeyField(Unit)
        printer = CharField(max_length=200, default='')
        copies = IntegerField(default=1)
        reprint = BooleanField(default=False)
        status = CharField(index=True, max_length=8)
        attempts = IntegerField(default=0)
        last_error = TextField(default='')
        requested_by = ForeignKeyField(User)
        requested_at = DateTimeField()
        printed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'print_job'
    db.create_tables([PrintJob])

    class Reversal(Model):
        unit = ForeignKeyField(Unit, unique=True)
        reason = TextField()
        by = ForeignKeyField(User)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'reversal'
    db.create_tables([Reversal])

    class Setting(Model):
        name = CharField(primary_key=True, max_length=60)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])
