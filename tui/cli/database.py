"""A database's schema: create it with the first admin (`init`), bring it up to this version
(`migrate`). Neither checks the schema before it runs: that is what they are for."""
from __future__ import annotations

from models import migrate_all
from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, new_pin


def init_arguments(p) -> None:
    p.add_argument("--admin", required=True, metavar="NAME")


def run_init(args) -> int:
    from models.users import create_first_admin
    applied = migrate_all()
    create_first_admin(args.admin, new_pin(args.admin))
    print(_("database ready ({n} migration(s) applied); admin {name} created").format(
        n=len(applied), name=args.admin))
    return 0


def run_migrate(args) -> int:
    from models.access import require
    from models.schema import has_users
    # A database with people on it is migrated by its admin; one with nobody yet (empty, or
    # made by `init` of an older desk before its first admin) by whoever owns it, as `init`.
    if has_users():
        if not args.user:
            raise Failure(_("the database has users: migrating it needs an admin: add --user "
                            "NAME (only an empty database, or one with no users yet, is "
                            "migrated without one)"))
        require(acting_user(args), "schema")
    applied = migrate_all()
    print(_("applied: {migrations}").format(migrations=", ".join(applied)) if applied
          else _("the schema is up to date"))
    return 0


COMMANDS = (
    Command("init", N_("create the schema and the first admin on an empty database"), run_init,
            init_arguments, check_schema=False),
    Command("migrate", N_("bring the database schema up to this version (admin)"), run_migrate,
            check_schema=False),
)
