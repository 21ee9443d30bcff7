"""ctrl+q: closing the desk. The terminal is shared and stays open for everyone: only an admin
closes it, by name (or badge) and PIN, on record (models.users.leave_desk_by_pin)."""
from __future__ import annotations

from models.i18n import _
from models.tables import User
from models.users import leave_desk_by_pin
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field


def leave_dialog(signed_in: User | None) -> FormDialog:
    """The form that closes the desk; an admin already signed in only types their PIN."""
    admin_name = signed_in.name if signed_in is not None and signed_in.role == "admin" else ""
    return FormDialog(
        _("Close the desk"), [
            Field("name", _("Admin's name or badge"), value=admin_name),
            Field("pin", _("PIN"), password=True),
        ], intro=_("This terminal is shared: the desk stays open for everyone. Only an admin "
                   "closes it (to sign out yourself, press F12)."),
        record=lambda v: leave_desk_by_pin(v["name"], v["pin"]),
        submit_label=_("Enter: next field; on the PIN, closes the desk"),
        focus="pin" if admin_name else "name")
