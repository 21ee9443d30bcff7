"""A copy of the whole database: write one (`backup`), or put one back (`restore`). Admin."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user


def backup_arguments(p) -> None:
    p.add_argument("file")


def run_backup(args) -> int:
    from models.backup import backup
    target = backup(acting_user(args), args.file)
    print(_("backup written to {file}").format(file=target))
    return 0


def restore_arguments(p) -> None:
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help=_("yes, replace everything"))


def run_restore(args) -> int:
    from models.backup import restore
    actor = acting_user(args)
    if not args.yes:
        raise Failure(_("restoring replaces everything in the database: add --yes if you mean "
                        "it"))
    kept = restore(actor, args.file)
    print(_("database restored from {file}; the database as it was before is kept in {kept} "
            "(work done since the backup is only there; terminals signed in must sign in "
            "again)").format(file=args.file, kept=kept))
    return 0


COMMANDS = (
    Command("backup", N_("write a backup of the database (admin)"), run_backup,
            backup_arguments),
    Command("restore", N_("replace the database with a backup (admin)"), run_restore,
            restore_arguments),
)
