"""Intake saves a case: models.cases.open_case (the intake form's save path) beside the plain
INSERTs a case needs, through the same driver: the month's counter bumped (an upsert that
returns the serial), the case row and its audit row, in one transaction."""
from __future__ import annotations

import datetime as dt
import json

from bench.domain import QueryCount, _connect, _user
from bench.raw import Raw
from bench.timing import Row, alternate, median, p50_p99

# Months no site case is in: each side numbers its cases from a counter of its own.
DESK_DAY = dt.datetime(2030, 1, 15, 10)
RAW_DAY = dt.datetime(2031, 1, 15, 10)

UPSERT_COUNTER = """INSERT INTO counter (key, last) VALUES (?, 1)
                    ON CONFLICT (key) DO UPDATE SET last = counter.last + 1 RETURNING last"""
INSERT_CASE = """
    INSERT INTO complaint_case (case_no, customer_id, order_no, part_no, shipped_qty, delivered_on,
        customer_received_on, defect_qty, defect, category, severity, request, opened_on,
        opened_by_id, window_ends_on, late, status, against_payment, accepted_on, due_on,
        reply_due_on)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
INSERT_AUDIT = """INSERT INTO audit_log (at, user_id, action, entity, entity_key, before, after)
                  VALUES (?, ?, ?, ?, ?, ?, ?)"""


def _raw_case(raw: Raw, user_id: int, customer_id: int, i: int) -> None:
    """What a case costs written by hand: BEGIN with the counter's upsert, then the case and
    its audit row in one message, COMMIT."""
    day = RAW_DAY.date()
    cur = raw.send((UPSERT_COUNTER, (f"case:{day:%y%m}",)), begin=True)
    try:
        serial = cur.fetchone()[0]
        case_no = f"{day:%y%m}-{serial:03d}"
        received = day - dt.timedelta(days=1)
        row = (case_no, customer_id, f"PO-{i}", "P-1", 500000, received - dt.timedelta(days=2),
               received, 12000, "scratches on the cover", "appearance", "minor", "credit note",
               day, user_id, day + dt.timedelta(days=3), False, "open", False, day,
               day + dt.timedelta(days=13), day + dt.timedelta(days=1))
        after = json.dumps(dict(zip(("case_no", "customer", "order_no", "status"),
                                    (case_no, customer_id, f"PO-{i}", "open"))))
        raw.send((INSERT_CASE, row),
                 (INSERT_AUDIT, (RAW_DAY, user_id, "case.open", "case", case_no, None, after)))
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def intake(url: str, count: int, db_name: str) -> list[Row]:
    from models import clock
    from models.cases import CaseFacts, open_case
    from models.tables import Customer
    _connect(url)
    sales = _user("sales") or _user("supervisor")
    customer = Customer.select().order_by(Customer.id).first()
    raw = Raw(url)
    received = DESK_DAY.date() - dt.timedelta(days=1)

    def desk(i):
        open_case(sales, CaseFacts(customer.code, f"PO-{i}", "P-1", received, "appearance",
                                   "minor", shipped_qty="500",
                                   delivered_on=received - dt.timedelta(days=2), defect_qty="12",
                                   defect="scratches on the cover", request="credit note"))

    def plain(i):
        _raw_case(raw, sales.id, customer.id, i)

    with clock.frozen(DESK_DAY):
        alternate({"desk": lambda i: desk(count + i), "raw": lambda i: plain(count + i)}, 20)
        with QueryCount() as counted:
            desk(3 * count)
        samples = alternate({"desk": desk, "raw": plain}, count)
    raw.close()
    d, r = samples["desk"], samples["raw"]
    ratio = median(d) / median(r)
    sent = (f"{counted.statements} statements + BEGIN/COMMIT" if db_name == "sqlite" else
            f"{counted.statements} statements in {counted.count + 1} round trips")
    return [Row(db_name, "intake saves a case (open_case, call to commit)", f"p50/p99 {p50_p99(d)}",
                f"{p50_p99(r)} plain INSERTs", ratio, "≤ 3× plain", ratio <= 3,
                f"{sent}; plain: counter upsert, case, audit row; {len(d)} cases",
                {"desk": d, "raw": r})]
