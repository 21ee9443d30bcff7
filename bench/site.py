"""A realistic site database for the benchmark: generated, seeded, cached.

Three years of a factory's returns desk, written with bulk inserts straight into the desk's
own tables (created by the desk's migrations), not through the per-scan operations, so a
million return lines take a minute or two rather than hours. The same seed gives the same
rows on SQLite and on PostgreSQL.

Proportions (per 1,000,000 slip lines; smaller sizes scale down):

| table              | rows      | how                                                       |
|--------------------|-----------|-----------------------------------------------------------|
| customer           | 2,000     | 70 % domestic; tolerance: 55 % none, 35 % own, 10 % zero  |
| complaint_case     | ~49,000   | over 3 years; 4 % late; older ones closed                 |
| slip               | 100,000   | 1-5 per case; old slips booked, recent ones receiving     |
| slip_line          | 1,000,000 | 1-19 per slip; 70 % pieces (1-6), 30 % kg / m (0.5-100,   |
|                    |           | weighed to 0.01 kg / measured to 0.1 m on arrival)        |
| unit               | ~1.6 M    | one per piece, one or two lots per bulk line; 0.5 % reversed |
| print_job          | ~1.6 M    | one per unit, 1 % reprints                                |
| inspection (+portion) | ~1.3 M | the units of received and booked slips                   |
| decision           | ~50,000   | every over-tolerance line of a booked slip                |
| booking (+line)    | ~87,000   | one per booked slip (0.5 % reopened and booked again)     |
| audit_log          | ~3.2 M    | one per case, slip, unit, reversal, inspection, booking... |
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"
GENERATOR_VERSION = 2
COMPARE_VERSION = 1                    # of the small comparison site's plan (Generator.compare_site)

START = dt.date(2023, 11, 21)          # three years of returns ...
END = dt.date(2026, 11, 20)            # ... up to this day (fixed, so the data never drifts)
DEFAULT_TOLERANCE = 500                # 5.00 %, scaled by 100 like the desk's Pct fields
BENCH_PIN = "1234"                     # every generated user's PIN

COUNTABLE = ("pcs", "set", "box", "pair", "roll")
BULK = ("kg", "m")

# Tables in foreign-key order, with the columns the generator writes.
COLUMNS = {
    "user": ("id", "name", "role", "pin_hash", "badge", "active", "failed_pins", "locked",
             "created_at"),
    "setting": ("name", "value"),
    "counter": ("key", "last"),
    "customer": ("id", "code", "name", "market", "tolerance_pct"),
    "complaint_case": ("id", "case_no", "customer_id", "order_no", "part_no", "shipped_qty",
                       "delivered_on", "customer_received_on", "defect_qty", "defect", "category",
                       "severity", "request", "opened_on", "opened_by_id", "window_ends_on", "late",
                       "status", "against_payment", "decided_by_id", "decided_at",
                       "decision_reason", "accepted_on", "due_on", "responsibility", "cause",
                       "outcome", "closed_on", "closed_by_id"),
    "slip": ("id", "slip_no", "case_id", "approval_text", "issued_on", "issued_by_id", "status",
             "receiving_closed_at", "receiving_closed_by_id", "basis", "approved_by_id",
             "approved_at"),
    "slip_line": ("id", "slip_id", "line_no", "part_no", "description", "unit", "approved_qty",
                  "unit_price", "tolerance_pct", "received_qty", "return_reason", "reason",
                  "handling"),
    "unit": ("id", "line_id", "qty", "lot", "scan_id", "state", "received_by_id", "received_at"),
    "reversal": ("id", "unit_id", "reason", "by_id", "at"),
    "inspection": ("id", "unit_id", "result", "defect_class", "cause", "note", "by_id", "at"),
    "inspection_portion": ("id", "inspection_id", "passed", "disposition", "qty"),
    "decision": ("id", "line_id", "choice", "reason", "received_qty", "book_qty", "by_id", "at"),
    "booking": ("id", "slip_id", "amount", "by_id", "at", "reopened_by_id", "reopened_at",
                "reopen_reason"),
    "booked_line": ("id", "booking_id", "line_id", "qty", "unit_price", "amount"),
    "print_job": ("id", "unit_id", "printer", "copies", "reprint", "status", "attempts",
                  "last_error", "requested_by_id", "requested_at", "printed_at"),
    "audit_log": ("id", "at", "user_id", "action", "entity", "entity_key", "before", "after"),
}


@dataclass(frozen=True)
class Site:
    """What the benchmark knows about a generated site without reading it.

    `compare`: the small site the desk's screens are compared on (bench.desk): its lines
    laid out so that every screen has rows to show (`Generator.compare_site`), not drawn
    at random as a big site's are (ten random lines left most lists empty).
    """
    lines: int
    seed: int
    compare: bool = False

    @property
    def family(self) -> str:
        """The key without the versions: an older build of the same site is deleted."""
        kind = f"compare{COMPARE_VERSION}-" if self.compare else ""
        return f"{kind}{self.lines}-{self.seed}"

    @property
    def key(self) -> str:
        return f"{self.family}-{schema_version()}-g{GENERATOR_VERSION}"


def schema_version() -> str:
    """A short hash of the desk's migrations: a new migration means a new cached site."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.glob("[0-9]*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# --- the rows ---------------------------------------------------------------------------------

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


class Generator:
    """Rows for every table, in foreign-key order, handed to `sink(table, rows)` in batches."""

    FLUSH_ROWS = 200_000

    def __init__(self, site: Site, sink):
        self.site, self.sink = site, sink
        self.rng = random.Random(site.seed)
        self.buffers: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        self.buffered = 0
        self.ids = {name: 0 for name in COLUMNS}
        self.counters: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def add(self, table: str, row: tuple) -> None:
        self.buffers[table].append(row)
        self.buffered += 1
        if self.buffered >= self.FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.buffers.items():
            if rows:
                self.sink(table, rows)
                self.buffers[table] = []
        self.buffered = 0

    def audit(self, at: str, user: int | None, action: str, entity: str, key: str,
              before: dict | str | None, after: dict | str | None) -> None:
        """One audit record; `before` / `after` as dicts, or as JSON text already made."""
        self.add("audit_log", (self.next_id("audit_log"), at, user, action, entity, key,
                               _json(before), _json(after)))

    # --- people, customers, parts ---------------------------------------------------------

    def people(self, pin_hash: str) -> None:
        staff = [("admin", 2), ("supervisor", 4), ("clerk", 12), ("inspector", 6), ("finance", 4),
                 ("sales", 8)]
        self.users: dict[str, list[int]] = {}
        created = _ts(START - dt.timedelta(days=30), 9 * 3600)
        for role, count in staff:
            for n in range(1, count + 1):
                uid = self.next_id("user")
                self.users.setdefault(role, []).append(uid)
                self.add("user", (uid, f"{role}{n:02d}", role, pin_hash, f"B{uid + 1000}", True, 0,
                                  False, created))
        for name, value in (("default_tolerance_pct", "5"), ("label_printer", ""),
                            ("holidays", "2025-10-01,2025-10-02,2025-10-03,2026-10-01,2026-10-02")):
            self.add("setting", (name, value))

    def customers(self, count: int) -> None:
        rng = self.rng
        cities = ["上海", "廣州", "寧波", "蘇州", "天津", "重慶", "深圳", "廈門", "青島", "無錫"]
        words = ["精達", "華興", "泰科", "永盛", "宏達", "恒通", "金鼎", "新源", "長城", "順發"]
        kinds = ["機械有限公司", "電器有限公司", "五金廠", "精密工業", "汽車配件有限公司"]
        latin = ["Krauss", "Osaka", "Nordic", "Atlas", "Vega", "Brenner", "Cobalt", "Delta",
                 "Orion", "Summit"]
        latin_kinds = ["Maschinenbau GmbH", "Kogyo K.K.", "Industries Ltd", "Tooling Inc.", "S.p.A."]
        self.customer_tolerance: dict[int, int | None] = {}
        self.customer_market: dict[int, str] = {}
        for n in range(1, count + 1):
            cid = self.next_id("customer")
            domestic = rng.random() < 0.7
            if domestic:
                name = f"{rng.choice(cities)}{rng.choice(words)}{rng.choice(kinds)} {n}"
            else:
                name = f"{rng.choice(latin)} {rng.choice(latin_kinds)} {n}"
            roll = rng.random()
            tolerance = None if roll < 0.55 else (0 if roll > 0.9 else rng.choice((200, 300, 1000, 250)))
            self.customer_tolerance[cid] = tolerance
            self.customer_market[cid] = "domestic" if domestic else "foreign"
            self.add("customer", (cid, f"C{n:05d}", name, self.customer_market[cid], tolerance))
        # A few big customers make most complaints (weights ~ 1/rank).
        self.customer_weights = []
        total = 0.0
        for rank in range(1, count + 1):
            total += 1.0 / rank ** 0.8
            self.customer_weights.append(total)
        self.customer_ids = list(range(1, count + 1))
        rng.shuffle(self.customer_ids)

    def catalogue(self, count: int = 5000) -> None:
        rng = self.rng
        nouns = ["Bracket", "Motor", "Cable", "Switch", "Gearbox", "Valve", "Hinge", "Pipe",
                 "Cover", "Bearing", "Sensor", "Relay", "Fan", "Pump", "Housing"]
        self.parts = []
        for n in range(count):
            bulk = rng.random() < 0.3
            unit = rng.choice(BULK) if bulk else rng.choice(COUNTABLE[:3] if rng.random() < 0.3 else ("pcs",))
            price = rng.randint(5, 50000) * 100 + rng.choice((0, 0, 0, 50, 25))  # 10^-4: 0.05-500
            self.parts.append((f"PX-{1000 + n}-{'ABCD'[n % 4]}",
                               f"{rng.choice(nouns)} {rng.randint(5, 900)}", unit, price))

    # --- the returns ----------------------------------------------------------------------

    def serial(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def run(self) -> None:
        from models.users import hash_pin
        target = self.site.lines
        rng = self.rng
        self.people(hash_pin(BENCH_PIN))
        if self.site.compare:
            self.compare_site()
            return
        n_customers = max(5, min(2000, target // 500))
        self.customers(n_customers)
        self.catalogue(max(50, min(5000, target // 200)))
        # Line counts per slip, then slips per case, until the target number of lines.
        slip_lines, total = [], 0
        while total < target:
            count = min(rng.randint(1, 19), target - total)
            slip_lines.append(count)
            total += count
        case_slips, i = [], 0
        while i < len(slip_lines):
            k = rng.choices((1, 2, 3, 4, 5), (40, 30, 20, 6, 4))[0]
            case_slips.append(slip_lines[i:i + k])
            i += k
        days = (END - START).days
        opened = sorted(START + dt.timedelta(days=int(days * rng.random() ** 0.85))
                        for _ in case_slips)
        for case_day, slips in zip(opened, case_slips):
            self.case(case_day, slips)
            if rng.random() < 0.02:      # a late complaint, rejected: no slip
                self.case(case_day, [], late=True)
        for key, last in sorted(self.counters.items()):
            self.add("counter", (key, last))
        self.flush()

    # Ten lines, each screen with something to show: (days before END the case was opened,
    # [(slip status, its lines)]). A late complaint without a slip is added: it waits for a
    # supervisor. The units of the slips being received wait for inspection, and some of
    # the received slips' units.
    COMPARE_PLAN = ((40, (("booked", 3),)),                      # booked (its case closed)
                    (12, (("received", 2), ("received", 2))),   # to book; units to inspect
                    (4, (("receiving", 2), ("receiving", 1))))  # being received, one untouched

    def compare_site(self) -> None:
        """The small site the desk's screens are compared on: every list has rows."""
        self.customers(5)
        self.catalogue(50)
        assert sum(n for _, slips in self.COMPARE_PLAN for _, n in slips) == self.site.lines
        for days, slips in self.COMPARE_PLAN:
            self.case(END - dt.timedelta(days=days), [n for _, n in slips],
                      statuses=[status for status, _ in slips])
        self.case(END - dt.timedelta(days=1), [], late=True)   # waits for a supervisor
        for key, last in sorted(self.counters.items()):
            self.add("counter", (key, last))
        self.flush()

    def case(self, opened_on: dt.date, slips: list[int], late: bool = False,
             statuses: list[str] | None = None) -> None:
        rng = self.rng
        cid = self.next_id("complaint_case")
        customer = self.customer_ids[rng.choices(range(len(self.customer_ids)),
                                                 cum_weights=self.customer_weights)[0]]
        case_no = f"{opened_on:%y%m}-{self.serial(f'case:{opened_on:%y%m}'):03d}"
        category = rng.choices(("appearance", "model_quantity", "performance"), (45, 25, 30))[0]
        received_on = opened_on - dt.timedelta(days=rng.randint(0, 4))
        window = (received_on + dt.timedelta(days=365) if category == "performance"
                  else received_on + dt.timedelta(days=5))
        late = late or rng.random() < 0.02
        if late:
            window = opened_on - dt.timedelta(days=rng.randint(1, 30))
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
            due_on = accepted_on + dt.timedelta(days=13 if market == "domestic" else 17)
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

    def slip(self, case_id: int, case_no: str, customer: int, issued: dt.date, n_lines: int,
             case_status: str, wanted: str | None = None) -> dt.date | None:
        """One slip with its lines and everything that happened to them; the booking day or None.
        `wanted`: its status, instead of one drawn by its age."""
        rng = self.rng
        sid = self.next_id("slip")
        slip_no = f"RS{issued:%y%m}-{self.serial(f'slip:{issued:%y%m}'):04d}"
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
                   {"status": "awaiting_approval"},
                   {"status": "receiving"})
        reason = "damaged in transit" if rng.random() < 0.5 else "wrong parts delivered"
        handling = "return" if rng.random() < 0.8 else "reprocess"
        booked_lines = []
        for line_no, part in enumerate(rng.sample(self.parts, n_lines), start=1):
            booked = self.line(sid, slip_no, line_no, part, customer, status, arrive, clerk,
                               inspector, supervisor, reason, handling)
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
        finance = rng.choice(self.users["finance"])
        total = sum(qty * price for _, qty, price in booked_lines)
        at = _ts(booked_on, 15 * 3600)
        if rng.random() < 0.005:     # booked, reopened by a supervisor, booked again
            self.add("booking", (self.next_id("booking"), sid, total, finance, at, supervisor,
                                 _ts(booked_on, 15 * 3600 + 600), "price corrected"))
            at = _ts(booked_on, 16 * 3600)
        bid = self.next_id("booking")
        self.add("booking", (bid, sid, total, finance, at, None, None, None))
        for line_id, qty, price in booked_lines:
            self.add("booked_line", (self.next_id("booked_line"), bid, line_id, qty, price,
                                     qty * price))
        self.audit(at, finance, "slip.book", "slip", slip_no, {"status": "received"},
                   {"status": "booked", "amount": str(total)})
        return booked_on

    def line(self, sid: int, slip_no: str, line_no: int, part, customer: int, status: str,
             arrive: dt.date, clerk: int, inspector: int, supervisor: int, why: str,
             handling: str):
        """A slip line, its units and inspections; (line id, book qty, price) if it is booked."""
        rng = self.rng
        lid = self.next_id("slip_line")
        part_no, description, unit, price = part
        bulk = unit in BULK
        if bulk:     # approved in half kilos / metres; what arrives is weighed or measured
            approved = rng.randint(1, 200) * 500
        else:
            approved = rng.choices((1, 2, 3, 4, 5, 6), (55, 25, 8, 6, 4, 2))[0] * 1000
        line_pct = rng.choice((0, 300, 1000)) if rng.random() < 0.05 else None
        tolerance = (line_pct if line_pct is not None else
                     self.customer_tolerance[customer] if self.customer_tolerance[customer] is not None
                     else DEFAULT_TOLERANCE)
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
        # The rule (exact, scaled): allowed = approved x (1 + tol/100).
        allowed_scaled = approved * (10000 + tolerance)        # 10^-7
        over = received * 10000 > allowed_scaled
        book = received or None
        if over:
            book = None
            if status == "booked":
                choice = rng.choice(("accept_actual", "cap_allowed", "approved_only"))
                book = {"accept_actual": received, "cap_allowed": allowed_scaled // 10000,
                        "approved_only": approved}[choice]
                self.add("decision", (self.next_id("decision"), lid, choice,
                                      "customer sent spares", received, book, supervisor,
                                      _ts(arrive, 17 * 3600)))
                self.audit(_ts(arrive, 17 * 3600), supervisor, "line.decide", "line",
                           f"{slip_no}/{line_no}", {"status": "over"},
                           {"status": "decided", "choice": choice, "book_qty": _qty_text(book)})
        reason = ""
        if received and inspected_share:
            reason = f"{_qty_text(received)} pass -> restock"
        self.add("slip_line", (lid, sid, line_no, part_no, description, unit, approved, price,
                               line_pct, received, reason, why, handling))
        if status == "booked" and book is not None:
            return (lid, book, price)
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
        code = f"U{uid:06d}"
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


# --- writing it -------------------------------------------------------------------------------

class SqliteSink:
    """executemany into the desk's tables, foreign keys checked by construction, not per row."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "foreign_keys = OFF", "synchronous = OFF",
                       "cache_size = -1000000", "temp_store = MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("BEGIN")

    def __call__(self, table: str, rows: list[tuple]) -> None:
        columns = COLUMNS[table]
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def close(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode = WAL")      # as the desk keeps it
        self.conn.close()


def _pg_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


class PostgresSink:
    """COPY into the desk's tables (foreign-key triggers off while loading, rows consistent by
    construction); sequences set past the ids used."""

    def __init__(self, dsn: str):
        import psycopg2
        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = False
        with self.conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")

    def __call__(self, table: str, rows: list[tuple]) -> None:
        buffer = io.StringIO()
        buffer.writelines("\t".join(map(_pg_text, row)) + "\n" for row in rows)
        buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in COLUMNS[table])
        with self.conn.cursor() as cur:
            cur.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', buffer)

    def close(self) -> None:
        with self.conn.cursor() as cur:
            for table, columns in COLUMNS.items():
                if columns[0] == "id":
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))")
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        self.conn.close()


# --- the cache --------------------------------------------------------------------------------

def sqlite_site(site: Site, say=print) -> Path:
    """The cached SQLite file of this site, generated first if needed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"site-{site.key}.db"
    if path.exists():
        return path
    for old in CACHE.glob(f"site-{site.family}-*.db"):
        old.unlink()      # an older schema or generator: not used again
    partial = CACHE / f"building-{os.getpid()}.db"
    say(f"generating the SQLite site ({site.lines:,} lines, seed {site.seed}) into {path.name} ...")
    started = time.perf_counter()
    _create_schema(f"sqlite:///{partial}")
    sink = SqliteSink(partial)
    generator = Generator(site, sink)
    generator.run()
    sink.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    say(f"  done in {time.perf_counter() - started:.0f} s: {_counts(generator)}")
    return path


def pg_site(site: Site, admin_url: str, say=print) -> str:
    """The name of the cached PostgreSQL database of this site, generated first if needed."""
    import psycopg2
    name = "returns_desk_bench_" + site.key.replace("-", "_")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                    (f"returns_desk_bench_{site.family.replace('-', '_')}_%",))
        existing = [row[0] for row in cur.fetchall()]
        if name in existing:
            admin.close()
            return name
        for old in existing:
            cur.execute(f'DROP DATABASE IF EXISTS "{old}"')
        loading = f"{name}_loading"
        cur.execute(f'DROP DATABASE IF EXISTS "{loading}"')
        cur.execute(f'CREATE DATABASE "{loading}"')
    say(f"generating the PostgreSQL site ({site.lines:,} lines, seed {site.seed}) into {name} ...")
    started = time.perf_counter()
    url = with_database(admin_url, loading)
    _create_schema(url)
    sink = PostgresSink(url)
    generator = Generator(site, sink)
    generator.run()
    sink.close()
    with admin.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{loading}" RENAME TO "{name}"')
    admin.close()
    say(f"  done in {time.perf_counter() - started:.0f} s: {_counts(generator)}")
    return name


def with_database(url: str, name: str) -> str:
    """The same server URL, another database."""
    head, _, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def _create_schema(url: str) -> None:
    from models import connect, migrate_all
    from models.db import db
    connect(url, check=False)
    migrate_all()
    db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()       # a pooled connection would keep the file in use


def _counts(generator: Generator) -> str:
    shown = ("complaint_case", "slip", "slip_line", "unit", "inspection", "booking", "audit_log")
    return ", ".join(f"{generator.ids[t]:,} {t}" for t in shown)


# --- a private copy to measure on (the scans write) ------------------------------------------

def sqlite_copy(path: Path, tag: str = "run") -> Path:
    """A copy of the site, on disk before it is measured: otherwise the first checkpoint's
    fsync, in the middle of a scan, writes the whole fresh copy out (~0.4-0.6 s at
    1,000,000 lines), which a site's own database never has to do."""
    copy = CACHE / f"{tag}-{os.getpid()}.db"
    shutil.copyfile(path, copy)
    with open(copy, "rb+") as written:
        os.fsync(written.fileno())
    return copy


def drop_sqlite_copy(copy: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)


def pg_copy(admin_url: str, name: str, tag: str = "run") -> str:
    import psycopg2
    copy = f"returns_desk_bench_{tag}_{os.getpid()}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    # From PostgreSQL 15 a copy is written through the WAL by default: 2 GB for the full site,
    # 13 s and three checkpoints forced by the WAL's size, the last perhaps still flushing when
    # the measuring starts. Copying the files took 7 s and ends with a finished checkpoint.
    strategy = " STRATEGY FILE_COPY" if admin.server_version >= 150000 else ""
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cur.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"{strategy}')
    admin.close()
    return copy


def drop_pg_copy(admin_url: str, copy: str) -> None:
    import psycopg2
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    admin.close()


def clean(admin_url: str, say=print) -> None:
    """Delete every cached site: the files here and the bench databases on the server."""
    for path in CACHE.glob("*.db*"):
        path.unlink()
        say(f"deleted {path}")
    try:
        import psycopg2
        admin = psycopg2.connect(admin_url, connect_timeout=3)
    except Exception as exc:   # no server: nothing cached there to delete
        say(f"PostgreSQL not cleaned ({str(exc).strip().splitlines()[0]})")
        return
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE 'returns_desk_bench_%'")
        for (name,) in cur.fetchall():
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            say(f"dropped database {name}")
    admin.close()
