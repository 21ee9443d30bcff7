"""Finance's supervisor steps on a slip: approve it, book it before every unit is inspected,
reopen it. Each is a form whose `record` runs in the dialog's worker thread; a supervisor who
is not the one signed in types their name and PIN on it (as for a line's decision).
"""
from __future__ import annotations

from dataclasses import dataclass

from models.access import allowed
from models.errors import Refused
from models.i18n import _, ngettext
from models.reconciliation import book_slip, reopen_slip
from models.slips import approve_slip, record_regional_approval
from models.tables import User
from models.users import authenticate
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field


@dataclass(frozen=True)
class SlipFacts:
    """What the steps need to know of the slip shown on finance, read with its figures."""
    slip_no: str
    issued_by: str
    regional_manager: str
    customer_caused: bool      # the domain's word: the regional manager approves first
    uninspected: int           # units still waiting for inspection


def pin_fields() -> list[Field]:
    """A supervisor's name and PIN, in the words of the moment."""
    return [Field("supervisor", _("Supervisor's name")),
            Field("pin", _("Supervisor's PIN"), password=True, restrict=r"[0-9]*")]


def supervisor_fields(user: User, permission: str) -> list[Field]:
    """A supervisor signed in acts as themselves; anyone else's form asks one's name and PIN."""
    return [] if allowed(user.role, permission) else pin_fields()


def supervisor(user: User, permission: str, values: dict[str, str]) -> User:
    """Worker thread: who the step is recorded for (the PIN checked by the domain)."""
    if allowed(user.role, permission):
        return user
    return signed_by(values)


def signed_by(values: dict[str, str]) -> User:
    """Worker thread: the supervisor whose name and PIN are on the form."""
    if not values["supervisor"].strip():
        raise Refused(_("this takes a supervisor: they type their name and PIN here"))
    return authenticate(values["supervisor"], values["pin"])


def approve_dialog(slip: SlipFacts) -> FormDialog:
    """A supervisor other than the slip's author signs it by name and PIN, always: the
    approval is a second person's signature, even when a supervisor is signed in here."""
    intro = _("Issued by {name}; another supervisor approves it by name and PIN. "
              "Once approved, its goods may be received.").format(name=slip.issued_by)
    if slip.customer_caused:
        intro += " " + _("A customer-caused return: the regional manager's approval comes first "
                         "(fill in who gave it, if not recorded yet).")
    fields = [Field("regional", _("Regional manager who approved (customer-caused returns only)"),
                    value=slip.regional_manager, placeholder=_("empty: not needed")),
              *pin_fields()]

    def record(values: dict[str, str]):
        approver = signed_by(values)
        regional = values["regional"].strip()
        if regional and regional != slip.regional_manager:
            record_regional_approval(approver, slip.slip_no, regional)
        return approve_slip(approver, slip.slip_no)
    return FormDialog(_("Approve slip {slip}").format(slip=slip.slip_no), fields, intro=intro,
                      record=record,
                      focus="regional" if slip.customer_caused and not slip.regional_manager
                      else "supervisor")


def override_dialog(user: User, slip: SlipFacts) -> FormDialog:
    """Book while units still wait for inspection: only with a supervisor's reason."""
    fields = [Field("reason", _("Reason for booking now (recorded with the booking)")),
              *supervisor_fields(user, "slip.override")]

    def record(values: dict[str, str]):
        by = supervisor(user, "slip.override", values)
        return book_slip(user, slip.slip_no, override_by=by, override_reason=values["reason"])
    return FormDialog(
        _("Book slip {slip} before inspection?").format(slip=slip.slip_no), fields,
        intro=ngettext(
            "{n} unit of this slip waits for inspection. Inspection comes before booking: "
            "inspect it first (Esc), or a supervisor lets the slip book now with a reason.",
            "{n} units of this slip wait for inspection. Inspection comes before booking: "
            "inspect them first (Esc), or a supervisor lets the slip book now with a reason.",
            slip.uninspected).format(n=slip.uninspected), record=record)


def reopen_dialog(user: User, slip_no: str, status: str) -> FormDialog:
    """A supervisor unlocks a booked slip (its booking voided, kept on record) or sends a
    received one back to receiving."""
    what = (_("Its booking is voided (kept on record) and it waits to be booked again.")
            if status == "booked" else _("It goes back to receiving: the clerk can receive on it."))
    fields = [Field("reason", _("Reason for reopening (recorded)")),
              *supervisor_fields(user, "slip.reopen")]

    def record(values: dict[str, str]):
        return reopen_slip(supervisor(user, "slip.reopen", values), slip_no, values["reason"])
    return FormDialog(_("Reopen slip {slip}").format(slip=slip_no), fields, intro=what,
                      record=record)
