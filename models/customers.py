"""Customers, their market and their own over-receipt tolerance."""
from __future__ import annotations

from decimal import Decimal

from . import audit, settings
from .access import operation
from .db import columns, execute, load
from .errors import NotFound, Refused
from .i18n import _
from .numbers import check_currency
from .tables import Customer
from .text import check_text

MARKETS = ("domestic", "foreign")


def check_customer(code: str, name: str, market: str, tolerance_pct) -> Decimal | None:
    """The parsed tolerance, or Refused saying what is wrong."""
    if not code or len(code) > 30 or not code.isprintable():
        raise Refused(_("a customer code is 1-30 printable characters"))
    check_text(name, _("customer name"), 200)
    if not name or len(name) > 200:
        raise Refused(_("a customer name is 1-200 characters"))
    if market not in MARKETS:
        raise Refused(_("market must be domestic or foreign, not {market!r}").format(market=market))
    if tolerance_pct in (None, ""):
        return None  # empty means the company default, unlike an explicit 0
    try:
        return settings.KNOWN["default_tolerance_pct"].parse(str(tolerance_pct))
    except ValueError as exc:
        raise Refused(_("over-receipt tolerance: {problem}").format(problem=exc)) from None


def check_customer_currency(currency: str | None) -> str | None:
    """The customer's ISO 4217 currency, or None (empty: the site's `currency` setting)."""
    if currency in (None, ""):
        return None
    try:
        return check_currency(currency)
    except ValueError as exc:
        raise Refused(str(exc)) from None


@operation("customer.edit")
def save_customer(user, code: str, name: str, market: str, tolerance_pct=None,
                  currency: str | None = None) -> Customer:
    """Add a customer, or change one with the same code. `currency` None: the site's."""
    tolerance = check_customer(code, name, market, tolerance_pct)
    existing = Customer.get_or_none(Customer.code == code)
    values = {"name": name, "market": market, "tolerance_pct": tolerance,
              "currency": check_customer_currency(currency)}
    if existing is None:
        customer = Customer.create(code=code, **values)
        audit.record(user, "customer.add", "customer", code, None, values)
        return customer
    before = audit.snapshot(existing, *values)
    Customer.update(**values).where(Customer.id == existing.id).execute()
    audit.record(user, "customer.change", "customer", code, before, values)
    return Customer.get_by_id(existing.id)


_BY_CODE = f"SELECT {columns(Customer, 'c')} FROM customer c WHERE c.code = ?"
# The same with the site's holidays and make-up days: a case saved at intake needs both, and
# one statement is one trip to the database fewer (python -m bench --only intake).
_BY_CODE_WITH_WORKDAYS = (
    f"SELECT {columns(Customer, 'c')}, "
    "(SELECT s.value FROM setting s WHERE s.name = 'holidays'), "
    "(SELECT s.value FROM setting s WHERE s.name = 'extra_workdays') "
    "FROM customer c WHERE c.code = ?")


def _customer_row(statement: str, code: str):
    # SQL written once (see models.db): every case saved at intake looks its customer up.
    row = (execute(statement, (Customer.code.db_value(code),)).fetchone()
           if isinstance(code, str) and len(code) <= Customer.code.max_length else None)
    if row is None:
        raise NotFound(_("no customer with code {code!r}").format(code=code))
    return row


def get_customer(code: str) -> Customer:
    return load(Customer, _customer_row(_BY_CODE, code))


def customer_and_workdays(code: str) -> tuple[Customer, tuple]:
    """The customer, and the site's (holidays, make-up days) as settings.workdays() has them."""
    row = _customer_row(_BY_CODE_WITH_WORKDAYS, code)
    return load(Customer, row), settings.parse_workdays(row[-2], row[-1])
