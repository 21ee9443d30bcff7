"""The site's returns: complaint cases, their slips, lines and units, drawn at random and
decided by the desk's own rules (models.cases, models.slips, models.reconciliation): case
and slip numbers, acceptance windows in working days, deadlines, tolerance, what is booked.
Only the stored form is the bench's: quantities, prices and percentages are written as the
scaled integers the desk's fields keep (converted by those fields)."""
from __future__ import annotations

import datetime as dt
import json
import random
from decimal import ROUND_FLOOR, Decimal

from models.cases import due_on_for, is_late, window_ends_on
from models.codes import case_no_for, case_series, slip_no_for, slip_series, unit_code
from models.numbers import CURRENCY_DEFAULT
from models.reconciliation import DECISIONS, amount, book_for, figures, tolerance_in_force
from models.tables import QTY_PLACES, Booking, BookedLine, Customer, SlipLine

START = dt.date(2023, 11, 21)          # three years of returns ...
END = dt.date(2026, 11, 20)            # ... up to this day (fixed, so the data never drifts)

COUNTABLE = ("pcs", "set", "box", "pair", "roll")
BULK = ("kg", "m")

_QTY, _PRICE, _PCT = SlipLine.approved_qty, SlipLine.unit_price, SlipLine.tolerance_pct


def _ts(day: dt.date, seconds: int) -> str:
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _work_time(rng: random.Random) -> int:
    return rng.randint(8 * 3600, 17 * 3600)


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _json(value: dict | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return _encode(value)


def _qty_text(scaled: int) -> str:
    whole, frac = divmod(scaled, 1000)
    return f"{whole}.{frac:03d}".rstrip("0").rstrip(".") if frac else str(whole)


def _storable(qty: Decimal) -> Decimal:
    """A decided quantity as a quantity field can hold it. cap_allowed books the allowed
    quantity, which has more places than that where a tolerance like 2.5 % meets half a kilo
    (0.5125 kg); the desk's decide_line then fails (to_decimal: "more than 3 decimal
    places"), so the site's supervisor books it cut to the gram, as the bench always did."""
    return qty.quantize(Decimal(1).scaleb(-QTY_PLACES), rounding=ROUND_FLOOR)


class Returns:
    """The returns part of bench.generator.Generator, which holds the state they draw on:
    `rng`, `users` by role, `customer_market` / `customer_tolerance` / `customer_ids` /
    `customer_weights`, `parts`, the site's `holidays`, `extra_workdays` and `default_pct`,
    and `add`, `audit`, `next_id`, `serial` to write rows."""

    def case(self, opened_on: dt.date, slips: list[int], late: bool = False,
             statuses: list[str] | None = None) -> None:
        rng = self.rng
        cid = self.next_id("complaint_case")
        customer = self.customer_ids[rng.choices(range(len(self.customer_ids)),
                                                 cum_weights=self.customer_weights)[0]]
        case_no = case_no_for(opened_on, self.serial(case_series(opened_on)))
        category = rng.choices(("appearance", "model_quantity", "performance"), (45, 25, 30))[0]
        received_on = opened_on - dt.timedelta(days=rng.randint(0, 4))
        late = late or rng.random() < 0.02
        if late:                      # reported some 1-30 days after its window closed
            received_on -= dt.timedelta(days=rng.randint(1, 30))
        received_on, window = self.acceptance_window(category, received_on, opened_on, late)
        age = (END - opened_on).days
        supervisor = rng.choice(self.users["supervisor"])
        market = self.customer_market[customer]
        status, accepted_on, due_on, decided = "open", opened_on, None, None
        if late:
            if age < 3:
                status, accepted_on = "awaiting_decision", None
            elif not slips:
                status, accepted_on = "rejected", None
                decided = (_ts(opened_on + dt.timedelta(days=1), _work_time(rng)),
                           "reported after the window; customer informed")
            else:
                accepted_on = opened_on + dt.timedelta(days=1)
                decided = (_ts(accepted_on, _work_time(rng)), "good customer; accepted")
        if accepted_on:
            due_on = due_on_for(market, accepted_on)
        order_no = f"SO-{opened_on:%y}-{rng.randint(1, 40000):05d}"
        part = rng.choice(self.parts)
        shipped = rng.randint(10, 2000) * 1000
        defect = None if rng.random() < 0.1 else rng.randint(1, 60) * 1000
        opened_at = _ts(opened_on, 9 * 3600)
        self.audit(opened_at, supervisor, "case.open", "case", case_no, None,
                   {"case_no": case_no, "customer": customer, "order_no": order_no,
                    "part_no": part[0], "category": category, "status": status})
        last_booked = None
        all_booked = True
        for n, n_lines in enumerate(slips):
            issued = min(END, opened_on + dt.timedelta(days=rng.randint(0, 3)))
            booked_on = self.slip(cid, case_no, customer, issued, n_lines, status,
                                  statuses[n] if statuses else None)
            if booked_on is None:
                all_booked = False
            elif last_booked is None or booked_on > last_booked:
                last_booked = booked_on
        responsibility = cause = outcome = closed_on = closed_by = None
        if status == "open" and slips and all_booked and age > 25 and last_booked < END:
            responsibility = "ours" if rng.random() < 0.55 else "not_ours"
            cause = rng.choice(("quality", "process", "design") if responsibility == "ours" else
                               ("customer_misuse", "customer_order", "transport", "not_our_product"))
            outcome = rng.choice(("return", "rework", "repair", "exchange", "allowance"))
            closed_on = min(END, last_booked + dt.timedelta(days=rng.randint(0, 6)))
            closed_by = supervisor
            status = "closed"
            at = _ts(closed_on, 16 * 3600)
            self.audit(at, rng.choice(self.users["inspector"]), "case.assess", "case", case_no,
                       {"responsibility": None}, {"responsibility": responsibility, "cause": cause,
                                                  "outcome": outcome})
            self.audit(at, supervisor, "case.close", "case", case_no, {"status": "open"},
                       {"status": "closed", "closed_on": closed_on.isoformat()})
        self.add("complaint_case", (
            cid, case_no, customer, order_no, part[0], shipped,
            (received_on - dt.timedelta(days=2)).isoformat(), received_on.isoformat(), defect,
            "scratches and dents on delivery" if category == "appearance" else "does not work",
            category, "severe" if rng.random() < 0.2 else "minor", "credit note",
            opened_on.isoformat(), supervisor, window.isoformat(), late, status,
            late and status == "open" and rng.random() < 0.3,
            supervisor if decided else None, decided[0] if decided else None,
            decided[1] if decided else None, accepted_on.isoformat() if accepted_on else None,
            due_on.isoformat() if due_on else None, responsibility, cause, outcome,
            closed_on.isoformat() if closed_on else None, closed_by))

    def acceptance_window(self, category: str, received_on: dt.date, opened_on: dt.date,
                          late: bool) -> tuple[dt.date, dt.date]:
        """(the day the customer received the goods, the last day of its window): the day
        moved, if need be, until the desk's rule says the complaint is late exactly when the
        site planned it so (a window closes 3 working days after, or a year for performance)."""
        window = window_ends_on(category, received_on, self.holidays, self.extra_workdays)
        while is_late(opened_on, window) != late:
            step = -((window - opened_on).days + 1) if late else 1
            received_on += dt.timedelta(days=step)
            window = window_ends_on(category, received_on, self.holidays, self.extra_workdays)
        return received_on, window

    def slip(self, case_id: int, case_no: str, customer: int, issued: dt.date, n_lines: int,
             case_status: str, wanted: str | None = None) -> dt.date | None:
        """One slip with its lines and everything that happened to them; the booking day or None.
        `wanted`: its status, instead of one drawn by its age."""
        rng = self.rng
        sid = self.next_id("slip")
        slip_no = slip_no_for(issued, self.serial(slip_series(issued)))
        age = (END - issued).days
        roll = rng.random()
        if case_status == "awaiting_decision":
            status = "receiving"
        elif age > 30:
            status = "booked" if roll < 0.95 else ("received" if roll < 0.99 else "receiving")
        elif age > 10:
            status = "booked" if roll < 0.5 else ("received" if roll < 0.8 else "receiving")
        else:
            status = "receiving" if roll < 0.7 else "received"
        status = wanted or status
        supervisor = rng.choice(self.users["supervisor"])
        clerk = rng.choice(self.users["clerk"])
        inspector = rng.choice(self.users["inspector"])
        arrive = min(END, issued + dt.timedelta(days=rng.randint(1, 6)))
        closed = None
        if status != "receiving":
            closed = min(END, arrive + dt.timedelta(days=rng.randint(0, 2)))
        # Issued by sales, approved by a supervisor the same morning.
        sales = rng.choice(self.users["sales"])
        self.audit(_ts(issued, 11 * 3600), sales, "slip.issue", "slip", slip_no, None,
                   {"case": case_no, "status": "awaiting_approval", "lines": n_lines})
        self.audit(_ts(issued, 11 * 3600 + 1800), supervisor, "slip.approve", "slip", slip_no,
                   {"status": "awaiting_approval"}, {"status": "receiving"})
        why = "damaged in transit" if rng.random() < 0.5 else "wrong parts delivered"
        handling = "return" if rng.random() < 0.8 else "reprocess"
        booked_lines = []
        for line_no, part in enumerate(rng.sample(self.parts, n_lines), start=1):
            booked = self.line(sid, slip_no, line_no, part, customer, status, arrive, clerk,
                               inspector, supervisor, why, handling)
            if booked is not None:
                booked_lines.append(booked)
        self.add("slip", (sid, slip_no, case_id, "", issued.isoformat(), sales, status,
                          _ts(closed, 17 * 3600) if closed else None, clerk if closed else None,
                          f"complaint {case_no} accepted", supervisor,
                          _ts(issued, 11 * 3600 + 1800)))
        if closed:
            self.audit(_ts(closed, 17 * 3600), clerk, "receive.close", "slip", slip_no,
                       {"status": "receiving"}, {"status": "received"})
        if status != "booked":
            return None
        booked_on = min(END, closed + dt.timedelta(days=rng.randint(1, 5)))
        self.booking(sid, slip_no, booked_lines, booked_on, supervisor)
        return booked_on

    def booking(self, sid: int, slip_no: str, booked_lines: list[tuple[int, Decimal, int, int]],
                booked_on: dt.date, supervisor: int) -> None:
        """Finance books what the rule says of each line: (line id, quantity to book, the same
        as stored, unit price as stored)."""
        rng = self.rng
        finance = rng.choice(self.users["finance"])
        # The bench's customers name no currency: the site's default.
        amounts = [amount(qty, _PRICE.python_value(price), CURRENCY_DEFAULT)
                   for _, qty, _, price in booked_lines]
        booked = sum(amounts, Decimal(0))
        total = Booking.amount.db_value(booked)
        lines = [(line_id, qty, price, BookedLine.amount.db_value(money))
                 for (line_id, _, qty, price), money in zip(booked_lines, amounts, strict=True)]
        at = _ts(booked_on, 15 * 3600)
        if rng.random() < 0.005:     # booked, reopened by a supervisor, booked again
            reopened_at = _ts(booked_on, 15 * 3600 + 600)
            self.booked(sid, slip_no, lines, total, booked, finance, at,
                        (supervisor, reopened_at, "price corrected"))
            self.audit(reopened_at, supervisor, "slip.reopen", "slip", slip_no,
                       {"status": "booked"}, {"status": "received", "reason": "price corrected"})
            at = _ts(booked_on, 16 * 3600)
        self.booked(sid, slip_no, lines, total, booked, finance, at, (None, None, None))

    def booked(self, sid: int, slip_no: str, lines: list[tuple[int, int, int, int]], total: int,
               booked: Decimal, finance: int, at: str, reopened: tuple) -> None:
        """One booking with its lines (line id, quantity, price and amount as stored), and
        who reopened it, when and why (None, None, None while it holds)."""
        bid = self.next_id("booking")
        self.add("booking", (bid, sid, total, finance, at, *reopened))
        for line in lines:
            self.add("booked_line", (self.next_id("booked_line"), bid, *line))
        self.audit(at, finance, "slip.book", "slip", slip_no, {"status": "received"},
                   {"status": "booked", "amount": str(booked)})

    def line(self, sid: int, slip_no: str, line_no: int, part, customer: int, status: str,
             arrive: dt.date, clerk: int, inspector: int, supervisor: int, why: str,
             handling: str):
        """A slip line, its units and inspections; what `booking` needs of it if it is booked."""
        rng = self.rng
        lid = self.next_id("slip_line")
        part_no, description, unit, price = part
        bulk = unit in BULK
        if bulk:     # approved in half kilos / metres; what arrives is weighed or measured
            approved = rng.randint(1, 200) * 500
        else:
            approved = rng.choices((1, 2, 3, 4, 5, 6), (55, 25, 8, 6, 4, 2))[0] * 1000
        line_pct = rng.choice((0, 300, 1000)) if rng.random() < 0.05 else None
        # What arrives: the approved quantity, give or take.
        if status == "receiving" and rng.random() < 0.5:
            lots = []
        elif bulk:
            step = 10 if unit == "kg" else 100            # scales read 0.01 kg, tapes 0.1 m
            got = int(approved * rng.uniform(0.9, 1.06)) // step * step
            lots = [got] if rng.random() < 0.9 else [got // 2 // step * step,
                                                     got - got // 2 // step * step]
        else:
            count = approved // 1000 + rng.choices((0, -1, 1, 2), (88, 6, 5, 1))[0]
            if status == "receiving":
                count = rng.randint(0, approved // 1000)
            lots = [1000] * max(0, count)
        lots = [q for q in lots if q > 0]
        received = sum(lots)
        inspected_share = {"booked": 0.97, "received": 0.6}.get(status, 0.0)
        seconds = _work_time(rng)
        for qty in lots:
            self.unit(lid, slip_no, line_no, qty, bulk, arrive, seconds, clerk, inspector,
                      inspected_share, reversed_=False)
            seconds += rng.randint(2, 20)
        if not bulk and rng.random() < 0.005:
            # A wrong scan, reversed (stays on record, not in the received quantity).
            self.unit(lid, slip_no, line_no, 1000, False, arrive, seconds, clerk, inspector, 0.0,
                      reversed_=True)
        tolerance = tolerance_in_force(_PCT.python_value(line_pct),
                                       Customer.tolerance_pct.python_value(
                                           self.customer_tolerance[customer]),
                                       self.default_pct)
        line = figures(_QTY.python_value(approved), _QTY.python_value(received), tolerance)
        stored_book = received
        if line.status == "over" and status == "booked":
            choice = rng.choice(DECISIONS)
            book = _storable(book_for(choice, line, unit))
            line = figures(line.approved, line.received, tolerance, book)
            stored_book = _QTY.db_value(book)
            self.add("decision", (self.next_id("decision"), lid, choice,
                                  "customer sent spares", received, stored_book, supervisor,
                                  _ts(arrive, 17 * 3600)))
            self.audit(_ts(arrive, 17 * 3600), supervisor, "line.decide", "line",
                       f"{slip_no}/{line_no}", {"status": "over"},
                       {"status": "decided", "choice": choice, "book_qty": _qty_text(stored_book)})
        reason = ""
        if received and inspected_share:
            reason = f"{_qty_text(received)} pass -> restock"
        self.add("slip_line", (lid, sid, line_no, part_no, description, unit, approved, price,
                               line_pct, received, reason, why, handling))
        if status == "booked" and line.book_qty is not None:
            return (lid, line.book_qty, stored_book, price)
        return None

    def unit(self, lid: int, slip_no: str, line_no: int, qty: int, lot: bool, day: dt.date,
             seconds: int, clerk: int, inspector: int, inspected_share: float,
             reversed_: bool) -> None:
        rng = self.rng
        uid = self.next_id("unit")
        at = _ts(day, seconds)
        inspected = not reversed_ and rng.random() < inspected_share
        state = "reversed" if reversed_ else ("inspected" if inspected else "awaiting")
        self.add("unit", (uid, lid, qty, lot, f"{rng.getrandbits(128):032x}", state, clerk, at))
        code = unit_code(uid)
        self.audit(at, clerk, "receive.lot" if lot else "receive.scan", "unit", code, None,
                   f'{{"slip": "{slip_no}", "line": {line_no}, "qty": "{_qty_text(qty)}"}}')
        self.add("print_job", (self.next_id("print_job"), uid, "cups:returns", 1, False,
                               "printed", 1, "", clerk, at, at))
        if rng.random() < 0.01:
            self.add("print_job", (self.next_id("print_job"), uid, "cups:returns", 1, True,
                                   "printed", 1, "", clerk, at, at))
        if reversed_:
            self.add("reversal", (self.next_id("reversal"), uid, "scanned twice", clerk, at))
            self.audit(at, clerk, "receive.reverse", "unit", code, {"state": "awaiting"},
                       {"state": "reversed", "slip": slip_no, "reason": "scanned twice"})
            return
        if not inspected:
            return
        iid = self.next_id("inspection")
        inspected_at = _ts(day + dt.timedelta(days=rng.randint(0, 2)), _work_time(rng))
        roll = rng.random()
        if lot and roll < 0.05:
            first = max(1, qty // 3)
            result, portions = "split", [(True, "restock", qty - first), (False, "scrap", first)]
        elif roll < 0.87:
            result, portions = "pass", [(True, "restock", qty)]
        else:
            result, portions = "fail", [(False, rng.choice(("scrap", "repair", "rework")), qty)]
        failed = result != "pass"
        self.add("inspection", (iid, uid, result, "appearance" if failed else "",
                                "dented housing" if failed else "", "", inspector, inspected_at))
        for passed, disposition, part_qty in portions:
            self.add("inspection_portion", (self.next_id("inspection_portion"), iid, passed,
                                            disposition, part_qty))
        self.audit(inspected_at, inspector, "inspect", "unit", code, '{"state": "awaiting"}',
                   f'{{"state": "inspected", "result": "{result}"}}')
