"""Site settings the admin can change: one table of name -> text, parsed by a known type."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from collections.abc import Callable

from . import audit
from .access import operation
from .db import execute
from .errors import NotFound, Refused
from .fields import parse_date, to_decimal
from .i18n import N_, _, check_language
from .numbers import CURRENCY_DEFAULT, check_currency
from .tables import PCT_PLACES, Setting
from .text import check_text


def _pct(text: str) -> Decimal:
    value = to_decimal(text, PCT_PLACES, _("tolerance %"))
    if value < 0 or value > 1000:
        raise ValueError(_("a tolerance is a percentage from 0 to 1000"))
    return value


def _dates(text: str) -> list[dt.date]:
    """Comma- or space-separated ISO dates, e.g. '2026-10-01,2026-10-02'."""
    days = []
    for part in text.replace(",", " ").split():
        days.append(parse_date(part, _("holiday")))
    return sorted(set(days))


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "yes", "true", "on"):
        return True
    if lowered in ("0", "no", "false", "off"):
        return False
    raise ValueError(_("say yes or no"))


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(_("{text!r} is not a whole number").format(text=text)) from None
        if not low <= value <= high:
            raise ValueError(_("must be from {low} to {high}").format(low=low, high=high))
        return value
    return parse


def _text(text: str) -> str:
    return text.strip()


@dataclass(frozen=True)
class Known:
    parse: Callable[[str], Any]
    default: str
    help: str


KNOWN: dict[str, Known] = {
    "default_tolerance_pct": Known(_pct, "5", N_(
        "company over-receipt tolerance %, for customers that named none")),
    "holidays": Known(_dates, "", N_(
        "non-working days (YYYY-MM-DD, comma-separated) for acceptance windows")),
    "extra_workdays": Known(_dates, "", N_("weekend days that are working days (make-up days)")),
    "blind_receiving": Known(_bool, "no", N_(
        "clerks do not see approved quantities while receiving")),
    "scan_cap_factor": Known(_whole(1, 1000), "10", N_(
        "piece scans on a line past this many times its approved quantity need a supervisor")),
    "idle_lock_minutes": Known(_whole(1, 240), "5", N_(
        "minutes without a key before the desk locks")),
    "pin_max_attempts": Known(_whole(1, 20), "5", N_(
        "wrong PINs in a row before a user is locked")),
    # The procedures' own language (001, the complaint procedure, is in Traditional Chinese).
    "language": Known(check_language, "zh-Hant",
                      N_("the site's language: zh-Hant, zh-Hans or en (a user may have their own)")),
    "label_printer": Known(_text, "", N_(
        "where labels go: cups:QUEUE, tcp:HOST:PORT, dir:/path; "
        "empty = labels wait in the queue until one is set")),
    "label_size": Known(_text, "50x25mm", N_("label size: 50x25mm, 2x1in, 4x6in or WxHmm")),
    "label_font": Known(_text, "", N_(
        "font file with Chinese characters for labels; empty = one found on the system")),
    "currency": Known(check_currency, CURRENCY_DEFAULT, N_(
        "currency of amounts (ISO 4217: CNY, TWD, USD...) for customers that named none")),
    # TRANSLATORS: keep {unit} as it is: it is what the setting's value holds, not a placeholder
    "label_url_template": Known(_text, "", N_(
        "QR as a URL, e.g. https://returns.example.com/u/{unit}; empty = compact code")),
}


# Checks a layer above supplies at start-up, for settings whose grammar is not the domain's:
# the label settings are labels/' to judge (tui/work/labelling.py), and models/ may not import
# it. Run when a value is set, never when one is read: a value stored before still reads.
_CHECKS: dict[str, Callable[[str], object]] = {}


def check_with(name: str, check: Callable[[str], object]) -> None:
    """From now on, a value set for `name` must also pass `check` (ValueError if not)."""
    _known(name)
    _CHECKS[name] = check


def get(name: str):
    return _known(name).parse(get_text(name))


def get_text(name: str) -> str:
    known = _known(name)
    row = execute("SELECT value FROM setting WHERE name = ?", (name,)).fetchone()
    return row[0] if row else known.default


_WORKDAYS = "SELECT name, value FROM setting WHERE name IN ('holidays', 'extra_workdays')"


def workdays() -> tuple:
    """The site's holidays and make-up days, in one statement: every deadline counts with
    both (a case saved at intake works out two)."""
    stored = dict(execute(_WORKDAYS).fetchall())
    return parse_workdays(stored.get("holidays"), stored.get("extra_workdays"))


@functools.lru_cache(maxsize=4)
def parse_workdays(holidays: str | None, extra_workdays: str | None) -> tuple:
    """(holidays, make-up days) from their stored texts, read by the caller each time; the
    parsing is kept per text (frozen: shared between calls), as a case saved at intake
    parsed both lists again on every save."""
    return (frozenset(parse("holidays", holidays)),
            frozenset(parse("extra_workdays", extra_workdays)))


def parse(name: str, stored: str | None):
    """A setting's value from its stored text, read with others in a statement of the caller's
    (None: not set, so the default)."""
    known = _known(name)
    return known.parse(known.default if stored is None else stored)


def all_settings() -> list[tuple[str, str, str]]:
    """(name, value, help) for every known setting; the help in the language of the moment."""
    return [(name, get_text(name), _(known.help)) for name, known in KNOWN.items()]


@operation("settings")
def set_value(user, name: str, value: str) -> None:
    known = _known(name)
    check_text(value, name)      # here, not in _text: a value stored before still reads
    try:
        known.parse(value)
        if name in _CHECKS:
            _CHECKS[name](value)
    except (ValueError, TypeError) as exc:
        raise Refused(_("{name}: {problem}").format(name=name, problem=exc)) from None
    before = get_text(name)
    Setting.insert(name=name, value=value).on_conflict(
        conflict_target=[Setting.name], update={Setting.value: value}).execute()
    audit.record(user, "setting.set", "setting", name, {"value": before}, {"value": value})


def _known(name: str) -> Known:
    if name not in KNOWN:
        raise NotFound(_("no setting called {name!r}; known: {known}").format(
            name=name, known=", ".join(KNOWN)))
    return KNOWN[name]
