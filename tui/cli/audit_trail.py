"""`audit`: who changed what, when, from the audit trail (supervisor, admin)."""
from __future__ import annotations

import datetime as dt

from models.i18n import N_, _
from tui.cli.common import Command, acting_user, pad


def arguments(p) -> None:
    p.add_argument("--since", metavar="YYYY-MM-DD", help=_("from this day (default: everything)"))
    p.add_argument("--who", metavar="NAME", help=_("only this user's changes"))
    p.add_argument("--entity", help=_("case, slip, unit, line, user, customer, setting ..."))
    p.add_argument("--key", help=_("e.g. a case number, slip number or unit id"))
    p.add_argument("--limit", type=int, default=1000, help=_("at most this many, newest (default 1000)"))


def run(args) -> int:
    from models.audit import history
    from models.text import shown
    since = dt.datetime.fromisoformat(args.since) if args.since else None
    entries = history(acting_user(args), since=since, who=args.who, entity=args.entity,
                      key=args.key, limit=args.limit)
    for entry in entries:
        who = entry.user.name if entry.user else "-"
        change = f"{entry.before or ''} -> {entry.after or ''}".strip(" ->")
        print(f"{entry.at}  {pad(shown(who), 12)} {entry.action:<20} {entry.entity} "
              f"{shown(entry.entity_key)}  {shown(change)}")
    return 0


COMMANDS = (Command("audit", N_("who changed what, when (supervisor, admin)"), run, arguments),)
