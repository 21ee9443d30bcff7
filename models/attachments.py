"""Photos and documents of a complaint (000 §4.5, §5.2.1: the defect's pictures), kept in the
database with the case, so every terminal of a site sees them (SQLite and PostgreSQL alike)."""
from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass

from . import audit
from .access import operation
from .db import for_update
from .errors import NotFound, Refused
from .i18n import _
from .tables import CaseAttachment, ComplaintCase, User
from .text import quoted

MAX_BYTES = 20 * 1024 * 1024
MAX_NAME = 200
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,49}/[a-z0-9][a-z0-9!#$&^_.+-]{0,49}")


@dataclass(frozen=True)
class NewAttachment:
    file_name: str            # the name only, no folder: "flange-dent.jpg"
    data: bytes
    content_type: str = ""    # empty: guessed from the name


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment without its bytes: what a list shows."""
    id: int
    case_no: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    added_by: str
    added_at: dt.datetime


def size_text(count: int) -> str:
    """A size as a person reads it: 812 bytes, 14.2 KB, 3.1 MB."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def check(file: NewAttachment) -> dict:
    """The attachment's row, or Refused saying what is wrong with it."""
    name = file.file_name or ""
    if not name.strip():
        raise Refused(_("an attachment needs a file name"))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise Refused(_("attachment name {name}: the file's name only, without a folder").format(
            name=quoted(name)))
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise Refused(_("attachment name {name} holds control characters").format(
            name=quoted(name)))
    if len(name) > MAX_NAME:
        raise Refused(_("attachment name is longer than {n} characters").format(n=MAX_NAME))
    if not isinstance(file.data, (bytes, bytearray)):
        raise Refused(_("{name}: the attachment's content must be bytes").format(name=name))
    if not file.data:
        raise Refused(_("{name} is empty (0 bytes): nothing to attach").format(name=name))
    if len(file.data) > MAX_BYTES:
        raise Refused(_("{name} is {size}: an attachment may be at most {mb} MB").format(
            name=name, size=size_text(len(file.data)), mb=MAX_BYTES // 1024 // 1024))
    content_type = (file.content_type or mimetypes.guess_type(name)[0]
                    or "application/octet-stream").strip().lower()
    if not _CONTENT_TYPE.fullmatch(content_type):
        raise Refused(_("{name}: {type!r} is not a content type like image/jpeg").format(
            name=name, type=file.content_type))
    data = bytes(file.data)
    return dict(file_name=name.strip(), content_type=content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), data=data)


def add(user, case: ComplaintCase, row: dict) -> AttachmentInfo:
    """Store a checked attachment (see `check`) with the case, in the caller's transaction."""
    attachment = CaseAttachment.create(case=case, added_by=user, **row)
    facts = {key: value for key, value in row.items() if key != "data"}
    audit.record(user, "case.attach", "case", case.case_no, None, facts)
    return _info(attachment, case.case_no, user.name)


@operation("case.attach")
def attach(user, case_no: str, file: NewAttachment) -> AttachmentInfo:
    """A photo or document added to a case, at any stage (a signed credit note comes late)."""
    case = for_update(ComplaintCase.select().where(
        ComplaintCase.case_no == case_no.strip().upper())).first()
    if case is None:
        raise NotFound(_("no complaint case {case}").format(case=case_no))
    return add(user, case, check(file))


_LISTED = (CaseAttachment.id, CaseAttachment.file_name, CaseAttachment.content_type,
           CaseAttachment.size, CaseAttachment.sha256, CaseAttachment.added_at, User.name)


def _info(row: CaseAttachment, case_no: str, who: str) -> AttachmentInfo:
    return AttachmentInfo(row.id, case_no, row.file_name, row.content_type, row.size, row.sha256,
                          who, row.added_at)


def list_attachments(case: ComplaintCase) -> list[AttachmentInfo]:
    """The case's attachments in the order they were added; their bytes stay in the database."""
    rows = (CaseAttachment.select(*_LISTED).join(User, on=CaseAttachment.added_by == User.id)
            .where(CaseAttachment.case == case).order_by(CaseAttachment.id))
    return [_info(row, case.case_no, row.added_by.name) for row in rows]


def read_attachment(case: ComplaintCase, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """One attachment of the case with its bytes, to open or export."""
    row = (CaseAttachment.select(*_LISTED, CaseAttachment.data)
           .join(User, on=CaseAttachment.added_by == User.id)
           .where(CaseAttachment.case == case, CaseAttachment.id == attachment_id).first())
    if row is None:
        raise NotFound(_("case {case} has no attachment {attachment}").format(
            case=case.case_no, attachment=attachment_id))
    return _info(row, case.case_no, row.added_by.name), row.data
