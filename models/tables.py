"""The desk's tables. Rules live in the modules that change them, not here."""
from __future__ import annotations

from peewee import BooleanField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model

from .clock import now
from .codes import unit_code
from .db import db
from .fields import BoundedCharField as CharField
from .fields import BytesField
from .fields import ExactDecimalField
from .fields import NulFreeTextField
from .fields import PlainTextField as TextField

QTY_PLACES = 3     # grams, millimetres
PRICE_PLACES = 4
PCT_PLACES = 2
AMOUNT_PLACES = QTY_PLACES + PRICE_PLACES  # quantity x price, kept exact


def Qty(**kw):
    return ExactDecimalField(QTY_PLACES, **kw)


def Price(**kw):
    return ExactDecimalField(PRICE_PLACES, **kw)


def Pct(**kw):
    return ExactDecimalField(PCT_PLACES, **kw)


def Amount(**kw):
    return ExactDecimalField(AMOUNT_PLACES, **kw)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class User(BaseModel):
    name = CharField(unique=True, max_length=60)
    role = CharField(max_length=12)
    pin_hash = CharField(max_length=200)
    badge = CharField(unique=True, null=True, max_length=60)
    active = BooleanField(default=True)
    failed_pins = IntegerField(default=0)
    locked = BooleanField(default=False)
    created_at = DateTimeField(default=now)
    language = CharField(max_length=10, null=True)    # None: the site's (models.languages)


class Setting(BaseModel):
    name = CharField(primary_key=True, max_length=60)
    value = NulFreeTextField()


class Counter(BaseModel):
    """The last serial handed out per key (e.g. 'case:2611'); bumped atomically."""
    key = CharField(primary_key=True, max_length=30)
    last = IntegerField()


class Customer(BaseModel):
    code = CharField(unique=True, max_length=30)
    name = CharField(max_length=200)
    market = CharField(max_length=8)                  # domestic | foreign
    tolerance_pct = Pct(null=True)                    # None: the company default applies
    currency = CharField(max_length=3, null=True)     # ISO 4217; None: the site's `currency`


class ComplaintCase(BaseModel):
    case_no = CharField(unique=True, max_length=20)
    customer = ForeignKeyField(Customer, backref="cases")
    order_no = CharField(max_length=60, index=True)
    part_no = CharField(max_length=60)
    shipped_qty = Qty(null=True)
    delivered_on = DateField(null=True)
    customer_received_on = DateField()
    defect_qty = Qty(null=True)                       # None: customer still processing
    defect = TextField(default="")                    # position, nature, when, photos
    category = CharField(max_length=16)               # appearance | model_quantity | performance
    severity = CharField(max_length=8)                # minor | severe
    request = TextField(default="")
    opened_on = DateField()
    opened_by = ForeignKeyField(User)
    window_ends_on = DateField()
    late = BooleanField()
    status = CharField(max_length=20, index=True)     # see cases.STATUSES
    against_payment = BooleanField(default=False)     # accepted late, at the customer's cost
    decided_by = ForeignKeyField(User, null=True)
    decided_at = DateTimeField(null=True)
    decision_reason = TextField(null=True)
    accepted_on = DateField(null=True)
    due_on = DateField(null=True, index=True)
    responsibility = CharField(max_length=8, null=True)  # ours | not_ours
    cause = CharField(max_length=20, null=True)
    outcome = CharField(max_length=16, null=True)
    closed_on = DateField(null=True, index=True)
    closed_by = ForeignKeyField(User, null=True)
    # 0006: the rest of the intake and the reply. Nullable: sites and bench rows from before.
    complaint_received_on = DateField(null=True)      # the day it came in, when before opened_on
    defect_position = CharField(max_length=200, null=True)
    defect_when = CharField(max_length=200, null=True)
    defect_qty_set_by = ForeignKeyField(User, null=True)   # filled in after intake
    defect_qty_set_at = DateTimeField(null=True)
    reply_due_on = DateField(null=True)               # quality's opinion, by severity
    replied_at = DateTimeField(null=True)             # the first assessment
    outcome_amount = Amount(null=True)                # allowance or compensation

    class Meta:
        indexes = ((("status", "due_on"), False), (("status", "reply_due_on"), False))


class CaseAttachment(BaseModel):
    """A photo or document of the complaint, kept in the database (every terminal sees it)."""
    case = ForeignKeyField(ComplaintCase, backref="attachments")
    file_name = CharField(max_length=200)
    content_type = CharField(max_length=100)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    data = BytesField()
    added_by = ForeignKeyField(User)
    added_at = DateTimeField(default=now)


class CaseAssessment(BaseModel):
    """Each assessment as recorded; the case holds the latest, the first is the reply."""
    case = ForeignKeyField(ComplaintCase, backref="assessments")
    responsibility = CharField(max_length=8)
    cause = CharField(max_length=20)
    outcome = CharField(max_length=16)
    amount = Amount(null=True)
    note = TextField(default="")
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class CaseClosing(BaseModel):
    """A case closed: the date against its deadline, on record; never changed afterwards."""
    case = ForeignKeyField(ComplaintCase, backref="closings")
    closed_on = DateField()
    due_on = DateField(null=True)
    days_late = IntegerField()                        # 0: closed by the deadline
    reason = TextField(null=True)                     # why, when closed with work unfinished
    unfinished = TextField(default="")                # what was unfinished then
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class CaseReopening(BaseModel):
    case = ForeignKeyField(ComplaintCase, backref="reopenings")
    closing = ForeignKeyField(CaseClosing, unique=True, null=True)  # None: closed before 0006
    reason = TextField()
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class CaseReminder(BaseModel):
    """催辦單 (001 §14): an overdue case chased at the department that holds it."""
    case = ForeignKeyField(ComplaintCase, backref="reminders")
    department = CharField(max_length=16, index=True)   # see reminders.DEPARTMENTS
    due_on = DateField()                              # the deadline it chases
    days_overdue = IntegerField()
    note = TextField(default="")
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class MonthlyReportDone(BaseModel):
    """A month's statistics of closed cases done (001 §9.10: before the 10th)."""
    month = CharField(unique=True, max_length=7)      # YYYY-MM
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class Slip(BaseModel):
    slip_no = CharField(unique=True, max_length=30)
    case = ForeignKeyField(ComplaintCase, backref="slips")
    # What the approval said before the desk recorded it by user (slips issued before
    # migration 0007); new slips leave it empty.
    approval_text = CharField(max_length=60, default="")
    issued_on = DateField(index=True)
    issued_by = ForeignKeyField(User)
    status = CharField(max_length=20, index=True)     # see slips.STATUSES
    receiving_closed_at = DateTimeField(null=True)
    receiving_closed_by = ForeignKeyField(User, null=True)
    basis = TextField(default="")                     # why the goods may come back (001 §13.1)
    approved_by = ForeignKeyField(User, null=True)    # a supervisor, not the author
    approved_at = DateTimeField(null=True)            # None: the approval is missing
    regional_manager = CharField(max_length=60, null=True)   # approved a customer-caused return
    regional_recorded_by = ForeignKeyField(User, null=True)  # who entered that approval
    regional_recorded_at = DateTimeField(null=True)

    @property
    def handling(self) -> str:
        """Its lines' handlings, e.g. "return" or "return, reprocess" (each line has its own)."""
        query = (SlipLine.select(SlipLine.handling).distinct().where(SlipLine.slip == self.id)
                 .order_by(SlipLine.handling).tuples())
        return ", ".join(handling for handling, in query)


class SlipLine(BaseModel):
    slip = ForeignKeyField(Slip, backref="lines")
    line_no = IntegerField()
    part_no = CharField(max_length=60)
    description = CharField(max_length=200, default="")
    unit = CharField(max_length=8)
    approved_qty = Qty()
    unit_price = Price()
    tolerance_pct = Pct(null=True)                    # None: the customer's, else the default
    received_qty = Qty(default=0)                     # running total of the units below
    return_reason = TextField(default="")             # the inspection result, in words
    reason = TextField(default="")                    # why this line comes back, as issued
    handling = CharField(max_length=10)               # return | reprocess

    class Meta:
        # and, for lines received beyond approved only, slip_line_received_over (migration 0012)
        indexes = ((("slip", "line_no"), True), (("slip", "part_no"), True))


class Unit(BaseModel):
    """One labelled returned piece, or one counted lot of bulk goods."""
    line = ForeignKeyField(SlipLine, backref="units")
    qty = Qty()
    lot = BooleanField(default=False)
    scan_id = CharField(unique=True, null=True, max_length=80)  # replaying a scan adds nothing
    state = CharField(max_length=10)                  # awaiting | inspected | reversed
    received_by = ForeignKeyField(User)
    received_at = DateTimeField(default=now)

    @property
    def code(self) -> str:
        return unit_code(self.id)

    class Meta:
        # (line, state): a slip's units still to inspect, found from its lines (0008)
        indexes = ((("state", "id"), False), (("line", "state"), False))


class Reversal(BaseModel):
    unit = ForeignKeyField(Unit, unique=True)
    reason = TextField()
    request_id = CharField(unique=True, null=True, max_length=80)   # an undo sent twice: once
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class Inspection(BaseModel):
    unit = ForeignKeyField(Unit, unique=True, backref="inspections")
    result = CharField(max_length=8)                  # pass | fail | split
    defect_class = CharField(max_length=40, default="")
    cause = CharField(max_length=200, default="")
    note = TextField(default="")
    by = ForeignKeyField(User)
    at = DateTimeField(default=now, index=True)

    class Meta:
        # (result, at): a month's failed inspections without reading its passes (0008)
        indexes = ((("result", "at"), False),)


class InspectionPortion(BaseModel):
    inspection = ForeignKeyField(Inspection, backref="portions")
    passed = BooleanField()
    disposition = CharField(max_length=16)
    qty = Qty()


class Decision(BaseModel):
    """A supervisor's ruling on a line received beyond its tolerance."""
    line = ForeignKeyField(SlipLine, backref="decisions")
    choice = CharField(max_length=16)                 # accept_actual | cap_allowed | approved_only
    reason = TextField()
    received_qty = Qty()                              # what it ruled on; void if that changes
    book_qty = Qty()
    by = ForeignKeyField(User)
    at = DateTimeField(default=now)


class Booking(BaseModel):
    slip = ForeignKeyField(Slip, backref="bookings")
    amount = Amount()
    by = ForeignKeyField(User)
    at = DateTimeField(default=now, index=True)
    reopened_by = ForeignKeyField(User, null=True)
    reopened_at = DateTimeField(null=True)
    reopen_reason = TextField(null=True)
    override_by = ForeignKeyField(User, null=True)    # a supervisor let it book uninspected
    override_reason = TextField(null=True)


class BookedLine(BaseModel):
    booking = ForeignKeyField(Booking, backref="lines")
    line = ForeignKeyField(SlipLine)
    qty = Qty()
    unit_price = Price()
    amount = Amount()


class BookedTotal(BaseModel):
    """What a month booked for a customer in one unit of measure, added up as slips are
    booked and taken off as they are reopened (models.month_totals)."""
    month = CharField(max_length=7)                   # 2026-11, of Booking.at
    customer = ForeignKeyField(Customer)
    unit = CharField(max_length=8)
    lines = IntegerField(default=0)                   # booked lines in it; 0: all reopened
    qty = Qty(default=0)
    amount = Amount(default=0)

    class Meta:
        indexes = ((("month", "customer", "unit"), True),)


class FailedTotal(BaseModel):
    """What failed inspection in a month, for a case and a unit of measure, at its lines'
    prices (models.month_totals). By case, not customer: whether it is the customer's doing
    is the case's cause, which an assessment may still change (the customer-caused cases are
    found from their own index, complaint_case_customer_caused: migration 0013)."""
    month = CharField(max_length=7)                   # 2026-11, of Inspection.at
    case = ForeignKeyField(ComplaintCase)
    unit = CharField(max_length=8)
    qty = Qty(default=0)
    amount = Amount(default=0)                        # failed qty x unit price, exact

    class Meta:
        indexes = ((("month", "case", "unit"), True),)


class IssuedTotal(BaseModel):
    """How many return slips a month issued for cases of one category, added up as slips are
    issued (models.month_totals): home's chart of the last twelve months reads these."""
    month = CharField(max_length=7)                   # 2026-11, of Slip.issued_on
    category = CharField(max_length=16)               # the case's (ComplaintCase.category)
    slips = IntegerField(default=0)

    class Meta:
        indexes = ((("month", "category"), True),)


class PrintJob(BaseModel):
    unit = ForeignKeyField(Unit, backref="print_jobs")
    printer = CharField(max_length=200, default="")
    copies = IntegerField(default=1)
    reprint = BooleanField(default=False)
    status = CharField(max_length=10, index=True)     # queued | printing | printed | failed | cancelled
    claimed_at = DateTimeField(null=True)             # when a printer worker took it
    attempts = IntegerField(default=0)
    last_error = NulFreeTextField(default="")
    requested_by = ForeignKeyField(User)
    requested_at = DateTimeField(default=now)
    printed_at = DateTimeField(null=True)


class AuditLog(BaseModel):
    """Append-only: who did what, when, with the values before and after."""
    at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True)
    action = CharField(max_length=40)
    entity = CharField(max_length=20)
    entity_key = CharField(max_length=40)
    before = NulFreeTextField(null=True)
    after = NulFreeTextField(null=True)

    class Meta:
        indexes = ((("entity", "entity_key"), False),)


TABLES = [User, Setting, Counter, Customer, ComplaintCase, Slip, SlipLine, Unit, Reversal,
          Inspection, InspectionPortion, Decision, Booking, BookedLine, PrintJob, AuditLog,
          CaseAttachment, CaseAssessment, CaseClosing, CaseReopening, CaseReminder,
          MonthlyReportDone, BookedTotal, FailedTotal, IssuedTotal]
