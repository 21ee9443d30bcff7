"""`user`: list, add, disable or unlock users, or change a PIN (admin)."""
from __future__ import annotations

from tui.cli.common import Command, Failure, acting_user, new_pin


def arguments(p) -> None:
    p.add_argument("action", choices=["list", "add", "disable", "unlock", "set-pin"])
    p.add_argument("name", nargs="?")
    p.add_argument("--role", help="clerk, inspector, finance, sales, supervisor or admin")
    p.add_argument("--badge", help="badge barcode for signing in by scan")


def run(args) -> int:
    from models import users
    from models.access import require
    from models.text import shown
    actor = acting_user(args)
    if args.action == "list":
        # Badge codes sign people in (with a PIN): only the admin who hands them out reads them.
        require(actor, "users")
        for user in users.list_users():
            state = "disabled" if not user.active else ("locked" if user.locked else "active")
            print(f"{shown(user.name)}\t{user.role}\t{shown(user.badge or '-')}\t{state}")
        return 0
    if args.action == "add":
        if not args.role:
            raise Failure("say the new user's role with --role")
        users.add_user(actor, args.name, args.role, new_pin(args.name), args.badge)
        print(f"user {args.name} added as {args.role}")
    elif args.action == "disable":
        users.disable_user(actor, args.name)
        print(f"user {args.name} disabled")
    elif args.action == "unlock":
        users.unlock_user(actor, args.name)
        print(f"user {args.name} unlocked")
    elif args.action == "set-pin":
        users.set_pin(actor, args.name, new_pin(args.name))
        print(f"PIN of {args.name} changed")
    return 0


COMMANDS = (Command("user", "list, add, disable or unlock users (admin; unlock: supervisor)",
                    run, arguments),)
