"""The rows of a generated site: people, settings, customers, parts, and (bench.returns)
three years of returns, handed to a sink (bench.sinks) in batches, in foreign-key order."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import random
from decimal import Decimal

from bench.returns import BULK, COUNTABLE, END, START, Returns, _json, _ts
from bench.sinks import COLUMNS
from models import settings

GENERATOR_VERSION = 4                  # 4: slips issued by sales and approved; each line its reason
COMPARE_VERSION = 1                    # of the small comparison site's plan (Generator.compare_site)
BENCH_PIN = "1234"                     # every generated user's PIN

# The site's settings, as the desk stores them; the generator's rules read them from here.
SETTINGS = {"default_tolerance_pct": "5", "label_printer": "",
            "holidays": "2025-10-01,2025-10-02,2025-10-03,2026-10-01,2026-10-02"}


class Generator(Returns):
    """Rows for every table, in foreign-key order, handed to `sink(table, rows)` in batches.
    `site` is a bench.site.Site: its lines, seed, and whether it is the comparison site."""

    FLUSH_ROWS = 200_000

    def __init__(self, site, sink):
        self.site, self.sink = site, sink
        self.rng = random.Random(site.seed)
        self.buffers: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        self.buffered = 0
        self.ids = {name: 0 for name in COLUMNS}
        self.counters: dict[str, int] = {}
        self.holidays = settings.parse("holidays", SETTINGS.get("holidays"))
        self.extra_workdays = settings.parse("extra_workdays", SETTINGS.get("extra_workdays"))
        self.default_pct = settings.parse("default_tolerance_pct",
                                          SETTINGS.get("default_tolerance_pct"))

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

    def serial(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

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
        for name, value in SETTINGS.items():
            self.add("setting", (name, value))

    def customers(self, count: int) -> None:
        rng = self.rng
        cities = ["上海", "廣州", "寧波", "蘇州", "天津", "重慶", "深圳", "廈門", "青島", "無錫"]
        words = ["精達", "華興", "泰科", "永盛", "宏達", "恒通", "金鼎", "新源", "長城", "順發"]
        kinds = ["機械有限公司", "電器有限公司", "五金廠", "精密工業", "汽車配件有限公司"]
        latin = ["Krauss", "Osaka", "Nordic", "Atlas", "Vega", "Brenner", "Cobalt", "Delta",
                 "Orion", "Summit"]
        latin_kinds = ["Maschinenbau GmbH", "Kogyo K.K.", "Industries Ltd", "Tooling Inc.", "S.p.A."]
        self.customer_tolerance: dict[int, int | None] = {}      # 10^-2 %, as stored
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

    # --- the site -------------------------------------------------------------------------

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
        for case_day, slips in zip(opened, case_slips, strict=True):
            self.case(case_day, slips)
            if rng.random() < 0.02:      # a late complaint, rejected: no slip
                self.case(case_day, [], late=True)
        self.counter_rows()
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
        self.counter_rows()
        self.flush()

    def counter_rows(self) -> None:
        """The serials handed out, where the desk's next number continues from."""
        for key, last in sorted(self.counters.items()):
            self.add("counter", (key, last))


@functools.cache
def rules_version() -> str:
    """A short hash of what the desk's rules that build a site make of a fixed sample: a
    changed rule (a window, a deadline, a number's format, the tolerance, what a decision
    books) means a new cached site, as a new migration does (bench.site.Site.key)."""
    from models.cases import CATEGORIES, CLOSE_DAYS, due_on_for, is_late, window_ends_on
    from models.codes import case_no_for, case_series, slip_no_for, slip_series, unit_code
    from models.reconciliation import DECISIONS, amount, book_for, figures, tolerance_in_force
    holidays = settings.parse("holidays", SETTINGS["holidays"])
    outcomes: list = [unit_code(7), unit_code(1234567)]
    for day in (START + dt.timedelta(days=n) for n in range(0, (END - START).days, 5)):
        outcomes += [window_ends_on(category, day, holidays, ()) for category in CATEGORIES]
        outcomes += [due_on_for(market, day) for market in CLOSE_DAYS]
        outcomes += [is_late(day, day), is_late(day, day - dt.timedelta(days=1)),
                     case_no_for(day, 7), case_series(day), slip_no_for(day, 7),
                     slip_series(day)]
    default = settings.parse("default_tolerance_pct", SETTINGS["default_tolerance_pct"])
    for line_pct in (None, Decimal(0), Decimal("2.5")):
        for customer_pct in (None, Decimal(0), Decimal(3)):
            tolerance = tolerance_in_force(line_pct, customer_pct, default)
            for approved, received in (("2", "0"), ("2", "1"), ("2", "2"), ("12.5", "12.8"),
                                       ("12.5", "12.813"), ("2", "3")):
                line = figures(Decimal(approved), Decimal(received), tolerance)
                outcomes += [line, amount(line.book_qty, Decimal("3.3333"), "CNY"),
                             amount(line.book_qty, Decimal("3.3333"), "JPY")]
                outcomes += [book_for(choice, line, unit) for choice in DECISIONS
                             for unit in ("pcs", "kg")]
    return hashlib.sha256(repr(outcomes).encode()).hexdigest()[:6]
