"""Working-day arithmetic for acceptance windows: weekends and the site's holiday list."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from .i18n import _


def is_working_day(day: dt.date, holidays: Collection[dt.date] = (),
                   extra_workdays: Collection[dt.date] = ()) -> bool:
    if day in extra_workdays:  # a make-up Saturday counts as working
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, count: int, holidays: Collection[dt.date] = (),
                     extra_workdays: Collection[dt.date] = ()) -> dt.date:
    """The `count`-th working day after `start` (start itself does not count)."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays, extra_workdays):
            count -= 1
    return day


def working_days_after(start: dt.date, end: dt.date, holidays: Collection[dt.date] = (),
                       extra_workdays: Collection[dt.date] = ()) -> int:
    """How many working days come after `start` up to and including `end` (0 if none)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, holidays, extra_workdays)
    return count


def add_years(day: dt.date, years: int) -> dt.date:
    """Same date `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First day of the month and first day of the next, from "YYYY-MM"."""
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ValueError(_("month {month!r} is not YYYY-MM").format(month=month)) from None
    return first, (first + dt.timedelta(days=32)).replace(day=1)
