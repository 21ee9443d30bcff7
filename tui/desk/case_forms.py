"""The forms of the Cases screen: intake, defective quantity, attachments, assessment,
closing, reopening and reminders. Each records through its models/ operation in the dialog's
worker thread; a refusal stays on the form, in the domain's words."""
from __future__ import annotations

import datetime as dt
from pathlib import Path


from models.access import PERMISSIONS, ROLES, allowed
from models.attachments import MAX_BYTES, NewAttachment, attach, read_attachment, size_text
from models.cases import CATEGORIES, CAUSES, OUTCOMES, SEVERITIES, CaseFacts, assess, \
    get_case, open_case, set_defect_qty
from models.closing import close_case, reopen_case
from models.errors import Refused
from models.files import write_all
from models.i18n import N_, _
from models.reminders import DEPARTMENTS, issue_reminder, reminder_sheet
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field, FormView
from models import words
from tui.work.case_view import CaseDetail
from tui.work.reminder_sheet import file_name, reminder_pdf

# What each key of the Cases screen needs, in the words a refusal uses.
WHAT = {"case.open": N_("open complaint cases"),
        "case.defect_qty": N_("fill in the defective quantity"),
        "case.attach": N_("add attachments"), "case.assess": N_("record an assessment"),
        "case.close": N_("close cases"), "case.reopen": N_("reopen closed cases"),
        "case.remind": N_("send reminders"), "view": N_("look things up")}


def why_not(user, permission: str) -> str | None:
    """None if `user` may; otherwise what to say."""
    if user is not None and allowed(user.role, permission):
        return None
    roles = [words.word("role", role) for role in ROLES if role in PERMISSIONS[permission]]
    who = (_("{some} or {last}").format(some=_(", ").join(roles[:-1]), last=roles[-1])
           if len(roles) > 1 else roles[0])
    return _("{name} is {role}: only {who} may {what}").format(
        name=user.name, role=words.word("role", user.role), who=who, what=_(WHAT[permission]))


def choices(kind: str, codes, blank: str = "") -> tuple[tuple[str, str], ...]:
    """A form's choices: (code, its word in models.words) for each of `codes`."""
    first = (("", blank),) if blank else ()
    return first + words.words(kind, codes)


def parse_date(text: str, what: str, required: bool = True) -> dt.date | None:
    text = text.strip()
    if not text:
        if required:
            raise Refused(_("give {what} (YYYY-MM-DD)").format(what=what))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(_("{what}: {text} is not a date like 2026-11-17").format(
            what=what, text=repr(text))) from None


def read_files(text: str) -> list[NewAttachment]:
    """The files named in `text` (paths separated by ";"), read whole."""
    files = []
    for raw in text.split(";"):
        path = Path(raw.strip().strip('"').strip("'")).expanduser()
        if not raw.strip():
            continue
        if not path.is_file():
            raise Refused(_("no file {path}: give the path of a photo or document").format(
                path=repr(str(path))))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Refused(_("{name} is {size}: an attachment may be at most {mb} MB").format(
                name=path.name, size=size_text(size), mb=MAX_BYTES // 1024 // 1024))
        try:
            files.append(NewAttachment(path.name, path.read_bytes()))
        except OSError as exc:
            raise Refused(_("cannot read {path}: {error}").format(
                path=path, error=exc.strerror or exc)) from None
    return files


def save_into(folder: str, name: str, data: bytes) -> Path:
    """`data` written whole as `folder`/`name` (models.files: all or nothing). A file already
    there is never replaced: the new one is saved beside it as "name (2).ext"."""
    if not folder.strip():
        raise Refused(_("give the folder to save into"))
    target = Path(folder.strip()).expanduser() / name
    number = 1
    while target.exists() or target.is_symlink():
        number += 1
        target = target.with_name(f"{Path(name).stem} ({number}){Path(name).suffix}")
    write_all({target: data})
    return target


UNKNOWN = "unknown"


def intake_dialog(user, customer: str = "") -> FormDialog:
    def record(v: dict[str, str]):
        if not v["category"] or not v["severity"]:
            raise Refused(_("choose the category and the severity"))
        if v["defect_known"] == UNKNOWN:
            if v["defect_qty"].strip():
                raise Refused(_("a defective quantity is given, but 'not yet determined' is "
                                "chosen: choose one"))
            defect_qty = None
        elif not v["defect_qty"].strip():
            raise Refused(_("give the defective quantity, or choose 'not yet determined'"))
        else:
            defect_qty = v["defect_qty"].strip()
        facts = CaseFacts(
            customer_code=v["customer"].strip().upper(), order_no=v["order"].strip(),
            part_no=v["part"].strip(),
            customer_received_on=parse_date(v["received_on"],
                                            _("the day the customer received the goods")),
            category=v["category"], severity=v["severity"], shipped_qty=v["shipped"].strip(),
            delivered_on=parse_date(v["delivered_on"], _("delivery date"), required=False),
            defect_qty=defect_qty, defect=v["nature"], request=v["request"],
            complaint_received_on=parse_date(v["came_in"], _("the day the complaint came in"),
                                             required=False),
            defect_position=v["position"], defect_when=v["when"])
        if not facts.customer_code:
            raise Refused(_("give the customer's code"))
        return open_case(user, facts, read_files(v["files"]))

    date = r"[0-9-]{0,10}"
    number = r"[0-9.]{0,12}"
    fields = [
        Field("customer", _("Customer code (typed)"), value=customer),
        Field("order", _("Customer's order number")),
        Field("part", _("Part number")),
        Field("shipped", _("Shipped quantity"), restrict=number),
        Field("delivered_on", _("Delivered on (YYYY-MM-DD)"), restrict=date),
        Field("received_on", _("The customer received the goods on (YYYY-MM-DD)"), restrict=date),
        Field("defect_known", _("Defective quantity"), (
            ("known", _("known: the number below")),
            (UNKNOWN, _("not yet determined — customer still processing")))),
        Field("defect_qty", _("Defective quantity (when known)"), restrict=number),
        Field("category", _("Category"), choices("category", CATEGORIES, _("— choose —"))),
        Field("severity", _("Severity"), choices("severity", SEVERITIES, _("— choose —"))),
        Field("position", _("Defect: where on the part")),
        Field("nature", _("Defect: what is wrong")),
        Field("when", _("Defect: when it happened (at delivery, in use ...)")),
        Field("request", _("What the customer asks for")),
        Field("came_in", _("Complaint came in on (YYYY-MM-DD; empty: today)"), restrict=date),
        Field("files", _("Attachments: file paths, separated by ;"),
              placeholder=_("e.g. /home/wang/photos/dent.jpg; /tmp/report.pdf")),
    ]
    return FormDialog(
        _("New complaint case"), fields, record=record,
        intro=_("The case number is given on save. Outside its acceptance window (judged today) "
                "the case waits for a supervisor's decision."))


def defect_qty_dialog(user, detail: CaseDetail) -> FormDialog:
    return FormDialog(
        _("Defective quantity of {case}").format(case=detail.case_no),
        [Field("qty", _("Defective quantity"), restrict=r"[0-9.]{0,12}")],
        intro=_("The customer has finished processing: how many are defective?"),
        record=lambda v: set_defect_qty(user, detail.case_no, v["qty"].strip()))


def attach_dialog(user, detail: CaseDetail) -> FormDialog:
    def record(v):
        files = read_files(v["files"])
        if not files:
            raise Refused(_("give the path of the file to attach"))
        return [attach(user, detail.case_no, file) for file in files]
    return FormDialog(_("Attach to {case}").format(case=detail.case_no),
                      [Field("files", _("File paths, separated by ;"))],
                      intro=_("Photos or documents: kept with the case in the database."),
                      record=record)


def save_attachment_dialog(detail: CaseDetail, folder: str) -> FormDialog:
    def record(v):
        info, data = read_attachment(get_case(detail.case_no), int(v["which"]))
        return save_into(v["folder"], info.file_name, data)
    listed = tuple((str(info.id), f"{info.file_name} ({size_text(info.size)})")
                   for info in detail.attachments)
    return FormDialog(_("Save an attachment of {case}").format(case=detail.case_no),
                      [Field("which", _("Attachment"), listed),
                       Field("folder", _("Into the folder"), value=folder)],
                      record=record)


class AssessDialog(FormDialog):
    """Responsibility, then only the causes that go with it."""

    def on_form_view_changed(self, message: FormView.Changed) -> None:
        form = self.form
        responsibility = form.values["responsibility"]
        index = [f.name for f in form.fields].index("cause")
        wanted = choices("cause", CAUSES.get(responsibility, ()), _("— choose —"))
        if form.fields[index].choices != wanted:
            form.fields[index] = Field("cause", _("Cause"), wanted)
            form.picked["cause"] = 0
            form.refresh(layout=True)


def assess_dialog(user, detail: CaseDetail, reply: str) -> FormDialog:
    def record(v):
        if not v["responsibility"] or not v["cause"] or not v["outcome"]:
            raise Refused(_("choose the responsibility, the cause and the outcome"))
        return assess(user, detail.case_no, v["responsibility"], v["cause"], v["outcome"],
                      v["amount"].strip() or None, v["note"])
    return AssessDialog(_("Assessment of {case}").format(case=detail.case_no), [
        Field("responsibility", _("Responsibility"),
              choices("responsibility", CAUSES, _("— choose —"))),
        Field("cause", _("Cause"), (("", _("— choose the responsibility first —")),)),
        Field("outcome", _("Outcome"), choices("outcome", OUTCOMES, _("— choose —"))),
        Field("amount", _("Amount (allowance or compensation only)"), restrict=r"[0-9.]{0,14}"),
        Field("note", _("Note (optional)")),
    ], intro=reply, record=record)


def close_dialog(user, detail: CaseDetail) -> FormDialog:
    if detail.unfinished:
        intro = _("Not done yet: {work}. Only a supervisor closes it like this, with the "
                  "reason.").format(work=_("; ").join(detail.unfinished))
    else:
        intro = _("Nothing is left to do: its slips (if any) are booked and inspected.")
    return FormDialog(_("Close case {case}").format(case=detail.case_no),
                      [Field("reason", _("Reason (needed only to close with work unfinished)"))],
                      intro=intro,
                      record=lambda v: close_case(user, detail.case_no, v["reason"] or None))


def reopen_dialog(user, detail: CaseDetail) -> FormDialog:
    return FormDialog(_("Reopen case {case}").format(case=detail.case_no),
                      [Field("reason", _("Reason (kept with the case)"))],
                      intro=_("The closing stays on record; the deadline stays what it was."),
                      record=lambda v: reopen_case(user, detail.case_no, v["reason"]))


def remind_dialog(user, detail: CaseDetail) -> FormDialog:
    return FormDialog(_("Reminder (催辦單) on {case}").format(case=detail.case_no), [
        Field("department", _("To the department"),
              choices("department", DEPARTMENTS, _("— choose —"))),
        Field("note", _("Note (optional)")),
    ], intro=detail.deadline, record=lambda v: issue_reminder(
        user, detail.case_no, v["department"], v["note"]) if v["department"]
        else _refuse(_("choose the department that holds the case")))


def _refuse(text: str):
    raise Refused(text)


def save_reminder_dialog(detail: CaseDetail, folder: str) -> FormDialog:
    def record(v):
        sheet = reminder_sheet(int(v["which"]))
        return save_into(v["folder"], file_name(sheet), reminder_pdf(sheet))
    listed = tuple((str(r.id), r.shown) for r in detail.reminders)
    return FormDialog(_("Save a reminder of {case} as PDF").format(case=detail.case_no),
                      [Field("which", _("Reminder"), listed),
                       Field("folder", _("Into the folder"), value=folder)],
                      intro=_("One A4 page, to print and hand to the department."), record=record)
