"""A copy of the whole database: write one (`backup`), or put one back (`restore`). Admin."""
from __future__ import annotations

from tui.cli.common import Command, Failure, acting_user


def backup_arguments(p) -> None:
    p.add_argument("file")


def run_backup(args) -> int:
    from models.backup import backup
    target = backup(acting_user(args), args.file)
    print(f"backup written to {target}")
    return 0


def restore_arguments(p) -> None:
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="yes, replace everything")


def run_restore(args) -> int:
    from models.backup import restore
    actor = acting_user(args)
    if not args.yes:
        raise Failure("restoring replaces everything in the database: add --yes if you mean it")
    kept = restore(actor, args.file)
    print(f"database restored from {args.file}; the database as it was before is kept in {kept} "
          "(work done since the backup is only there; terminals signed in must sign in again)")
    return 0


COMMANDS = (
    Command("backup", "write a backup of the database (admin)", run_backup, backup_arguments),
    Command("restore", "replace the database with a backup (admin)", run_restore,
            restore_arguments),
)
