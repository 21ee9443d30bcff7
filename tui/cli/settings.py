"""`setting`: list the site's settings, or set one (admin)."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user


def arguments(p) -> None:
    p.add_argument("action", choices=["list", "set"])
    p.add_argument("name", nargs="?")
    p.add_argument("value", nargs="?")


def run(args) -> int:
    from models import settings
    from models.access import require
    from models.text import shown
    from tui.work import labelling  # noqa: F401  (the label settings' checks)
    actor = acting_user(args)
    if args.action == "list":
        require(actor, "settings")         # the site's settings are the admin's, as on the desk
        for name, value, help_text in settings.all_settings():
            print(f"{name} = {shown(value)}\t# {help_text}")
        return 0
    if args.name is None or args.value is None:
        raise Failure(_("usage: returns-desk setting set NAME VALUE"))
    settings.set_value(actor, args.name, args.value)
    print(f"{shown(args.name)} = {shown(settings.get_text(args.name))}")
    return 0


COMMANDS = (Command("setting", N_("list settings, or set one (admin)"), run, arguments),)
