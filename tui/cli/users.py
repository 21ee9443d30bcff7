"""`user`: list, add, disable or unlock users, change a PIN, a badge, a role or a language (admin)."""
from __future__ import annotations

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, code_word, new_pin


def arguments(p) -> None:
    p.add_argument("action", choices=["list", "add", "disable", "unlock", "set-pin",
                                      "set-badge", "set-role", "set-lang"])
    p.add_argument("name", nargs="?")
    p.add_argument("--role", help=_("clerk, inspector, finance, sales, supervisor or admin"))
    p.add_argument("--badge", help=_("badge barcode for signing in by scan"))
    # Not the global --lang (this terminal's): the user's own, wherever they sign in.
    p.add_argument("--lang", dest="user_language", metavar="LANGUAGE",
                   help=_("the user's own language: zh-Hant, zh-Hans, en, or site (the site's)"))


def run(args) -> int:
    from models import users
    from models.languages import set_user_language
    from models.access import require
    from models.text import shown
    actor = acting_user(args)
    if args.action == "list":
        # Badge codes sign people in (with a PIN): only the admin who hands them out reads them.
        require(actor, "users")
        for user in users.list_users():
            state = _("disabled") if not user.active else (_("locked") if user.locked
                                                           else _("active"))
            print(f"{shown(user.name)}\t{code_word('role', user.role)}\t"
                  f"{shown(user.badge or '-')}\t{state}\t{user.language or 'site'}")
        return 0
    if args.action == "add":
        if not args.role:
            raise Failure(_("say the new user's role with --role"))
        users.add_user(actor, args.name, args.role, new_pin(args.name), args.badge)
        if args.user_language:
            set_user_language(actor, args.name, args.user_language)
        print(_("user {name} added as {role}").format(name=args.name,
                                                      role=code_word("role", args.role)))
    elif args.action == "disable":
        users.disable_user(actor, args.name)
        print(_("user {name} disabled").format(name=args.name))
    elif args.action == "unlock":
        users.unlock_user(actor, args.name)
        print(_("user {name} unlocked").format(name=args.name))
    elif args.action == "set-lang":
        if not args.user_language:
            raise Failure(_("say the language with --lang: zh-Hant, zh-Hans, en, or site"))
        set_user_language(actor, args.name, args.user_language)
        print(_("language of {name}: {language}").format(name=args.name,
                                                        language=args.user_language))
    elif args.action == "set-pin":
        users.set_pin(actor, args.name, new_pin(args.name))
        print(_("PIN of {name} changed").format(name=args.name))
    elif args.action == "set-badge":
        if args.badge is None:
            raise Failure(_("say the badge with --badge (--badge '' takes it away)"))
        users.set_badge(actor, args.name, args.badge)
        print((_("badge of {name} set") if args.badge.strip()
               else _("badge of {name} taken away")).format(name=args.name))
    elif args.action == "set-role":
        if not args.role:
            raise Failure(_("say the new role with --role"))
        users.set_role(actor, args.name, args.role)
        print(_("user {name} is now {role}").format(name=args.name,
                                                    role=code_word("role", args.role)))
    return 0


COMMANDS = (Command("user", N_("list, add, disable or unlock users, set a PIN, badge, role or "
                               "language (admin; unlock: supervisor)"),
                    run, arguments),)
