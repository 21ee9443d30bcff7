"""The demo site behind returns.db.example: `python -m models.demo PATH` rebuilds it.

Two months of a small factory's returns, up to TODAY (2026-11-20), built only through the
domain's operations: domestic and foreign customers (one with its own tolerance, one with an
explicit zero), cases at every stage from a fresh intake (with photos, its defective quantity
not known yet) to closed on time, closed late and reopened, and slips in every state.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from . import clock, connect, migrate_all
from .attachments import NewAttachment
from .cases import CaseFacts, assess, decide_late, open_case
from .closing import close_case, reopen_case
from .customers import save_customer
from .inspection import Portion, inspect, inspect_line
from .receiving import close_receiving, receive_count, receive_scan
from .reconciliation import book_slip, decide_line
from .reminders import issue_reminder
from .languages import set_user_language
from .settings import set_value
from .slips import LineSpec, approve_slip, issue_slip
from .users import add_user, create_first_admin

# name, role, PIN, badge: the README lists these.
USERS = [
    ("lin", "clerk", "1111", "B1001"),
    ("zhao", "inspector", "2222", "B1002"),
    ("chen", "finance", "3333", "B1003"),
    ("wang", "sales", "4444", "B1004"),
    ("liu", "supervisor", "5555", "B1005"),
]
ADMIN = ("admin", "9999")

CUSTOMERS = [     # code, name, market, tolerance %, currency (None: the site's, CNY)
    ("SHJD", "上海精達機械有限公司", "domestic", None, None),
    ("GZHX", "廣州華興電器有限公司", "domestic", "2", None),
    ("NBTK", "寧波泰科五金廠", "domestic", "0", None),
    ("KRAU", "Krauss Maschinenbau GmbH", "foreign", "10", "EUR"),
    ("OSKK", "Osaka Kogyo K.K.", "foreign", None, "JPY"),
]


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


# The demo's "today": what is open, overdue or due is as of this day (a Friday).
TODAY = dt.date(2026, 11, 20)


def on(month: int, day: int, hour: int = 10):
    """Record what follows as done on that day of 2026."""
    return clock.frozen(dt.datetime(2026, month, day, hour))


def _staff() -> dict:
    migrate_all()
    admin = create_first_admin(*ADMIN)
    people = {name: add_user(admin, name, role, pin, badge) for name, role, pin, badge in USERS}
    set_value(admin, "default_tolerance_pct", "5")
    # The site speaks Traditional Chinese (001's); sales, at the mainland office, Simplified.
    set_value(admin, "language", "zh-Hant")
    set_user_language(admin, "wang", "zh-Hans")
    set_value(admin, "holidays", "2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07")
    for code, name, market, tolerance, currency in CUSTOMERS:
        save_customer(admin, code, name, market, tolerance, currency)
    return people


def photo(name: str, width: int, height: int, marks: list[tuple[int, int, int, int]]) -> NewAttachment:
    """A small real PNG of a part with its defects circled in red, drawn at build time."""
    from PIL import Image, ImageDraw    # only the demo draws pictures
    image = Image.new("RGB", (width, height), (205, 208, 212))
    pen = ImageDraw.Draw(image)
    pen.rectangle((8, 8, width - 9, height - 9), outline=(90, 95, 100), width=3)
    for box in marks:
        pen.ellipse(box, outline=(200, 30, 30), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return NewAttachment(name, out.getvalue(), "image/png")


def build(path: str | Path) -> None:
    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    connect(f"sqlite:///{path}", check=False)
    with on(9, 1):
        people = _staff()
    clerk, inspector, finance, sales, sup = (people[n]
                                             for n in ("lin", "zhao", "chen", "wang", "liu"))

    def case(customer, order, part, received, category, severity, opened, defect_qty=None,
             request="", defect="", files=(), by=None):
        with clock.frozen(dt.datetime.combine(opened, dt.time(9))):
            return open_case(by or sup, CaseFacts(customer, order, part, received, category,
                                                  severity, shipped_qty="500",
                                                  delivered_on=received - dt.timedelta(days=2),
                                                  defect_qty=defect_qty, defect=defect,
                                                  request=request), files)

    def slip(case_no, lines, reason, handling, issued, approved=True, regional=None):
        """Sales issues it, the supervisor approves it the same morning (unless not yet)."""
        with clock.frozen(dt.datetime.combine(issued, dt.time(11))):
            issued_slip = issue_slip(sales, case_no, [LineSpec(*line, None, reason, handling)
                                                      for line in lines],
                                     f"complaint {case_no} accepted", regional_manager=regional)
        if not approved:
            return issued_slip
        with clock.frozen(dt.datetime.combine(issued, dt.time(11, 30))):
            return approve_slip(sup, issued_slip.slip_no)

    _october(case, slip, clerk, inspector, finance, sup)
    _november(case, slip, clerk, inspector, finance, sales, sup)


def _october(case, slip, clerk, inspector, finance, sup) -> None:
    """Finished business: closed on time, closed late after a reminder, rejected, and one
    closed, then reopened and chased."""
    c1 = case("SHJD", "SO-26-0912", "BRK-200", d(10, 9), "appearance", "minor", d(10, 12), "40",
              "return for credit", "dents on flange, 40 pcs")
    s1 = slip(c1.case_no, [(1, "BRK-200", "Bracket 200 mm", "pcs", "40", "12.50")],
              "dented in transit", "return", d(10, 13))
    with on(10, 16):
        for _ in range(40):
            receive_scan(clerk, s1.slip_no, "BRK-200")
        close_receiving(clerk, s1.slip_no)
    with on(10, 19):
        inspect_line(inspector, s1.slip_no, 1, [Portion(False, "scrap", "40")], "appearance",
                     "dents on flange")
        assess(inspector, c1.case_no, "not_ours", "transport", "return")
        book_slip(finance, s1.slip_no)
    with on(10, 22):                                          # due 10-25: on time
        close_case(inspector, c1.case_no)

    c2 = case("KRAU", "EXP-7781", "MTR-55", d(9, 30), "performance", "severe", d(10, 20), "6",
              "repair or replace", "motor overheats after 20 min")
    s2 = slip(c2.case_no, [(1, "MTR-55", "Motor 550 W", "pcs", "6", "420.00"),
                           (2, "CBL-3", "Cable, copper", "m", "25", "3.80")],
              "overheating motors", "reprocess", d(10, 22))
    with on(10, 27):
        units = [receive_scan(clerk, s2.slip_no, "MTR-55") for _ in range(6)]
        cable = receive_count(clerk, s2.slip_no, "CBL-3", "26.5")
        close_receiving(clerk, s2.slip_no)
    with on(10, 28):
        for receipt in units[:4]:
            inspect(inspector, receipt.unit.code, [Portion(False, "repair", "1")], "function",
                    "winding insulation")
        for receipt in units[4:]:
            inspect(inspector, receipt.unit.code, [Portion(True, "restock", "1")])
        inspect(inspector, cable.unit.code, [Portion(True, "restock", "20"),
                                             Portion(False, "scrap", "6.5")], "material", "cut sheath")
        assess(inspector, c2.case_no, "ours", "design", "repair")
    with on(10, 30):
        book_slip(finance, s2.slip_no)
    with on(11, 9):                                           # due 11-06
        issue_reminder(sup, c2.case_no, "rd", "repair report still missing")
    with on(11, 11):                                          # closed 5 days late
        close_case(inspector, c2.case_no)

    c3 = case("NBTK", "SO-26-1003", "HNG-10", d(10, 1), "model_quantity", "minor", d(10, 14),
              request="wrong model delivered")
    with on(10, 15):
        decide_late(sup, c3.case_no, "reject", "reported after the window; customer informed")

    c8 = case("SHJD", "SO-26-1005", "BRK-150", d(10, 14), "performance", "minor", d(10, 16), "8",
              "allowance on the invoice", "brackets bend under load")
    with on(10, 19):
        assess(inspector, c8.case_no, "ours", "quality", "allowance", "200.00")
    with on(10, 23):
        close_case(inspector, c8.case_no)
    with on(11, 12):
        reopen_case(sup, c8.case_no, "customer did not accept the allowance; asks for 350.00")
    with on(11, 16):                                          # due 10-29, open again
        issue_reminder(sup, c8.case_no, "quality", "new allowance needs quality's opinion")


def _november(case, slip, clerk, inspector, finance, sales, sup) -> None:
    """Work in progress, as of TODAY."""
    c4 = case("GZHX", "SO-26-1102", "SW-16A", d(11, 13), "appearance", "minor", d(11, 16), "120",
              "credit note", "scratched covers")
    s4 = slip(c4.case_no, [(1, "SW-16A", "Switch 16 A", "pcs", "100", "8.20"),
                           (2, "SW-COV", "Switch cover", "pcs", "20", "1.10")],
              "scratched covers", "return", d(11, 17))
    with on(11, 18):
        for _ in range(103):   # 2 % tolerance: 102 allowed, so 103 is over
            receive_scan(clerk, s4.slip_no, "SW-16A")
        for _ in range(20):
            receive_scan(clerk, s4.slip_no, "SW-COV")
        close_receiving(clerk, s4.slip_no)

    # Customer-caused (wrong ratio ordered): the regional manager approved the return first.
    c5 = case("KRAU", "EXP-7902", "GRB-8", d(11, 2), "model_quantity", "severe", d(11, 4), "30",
              "replace with correct model")
    with on(11, 4, 15):
        assess(inspector, c5.case_no, "not_ours", "customer_order", "exchange")
    s5 = slip(c5.case_no, [(1, "GRB-8", "Gearbox 8:1", "pcs", "30", "96.00")],
              "wrong ratio ordered", "return", d(11, 5), regional="H. Becker (Europe)")
    with on(11, 10):
        gearboxes = [receive_scan(clerk, s5.slip_no, "GRB-8") for _ in range(34)]  # 33 allowed
        close_receiving(clerk, s5.slip_no)
    with on(11, 12):
        decide_line(sup, s5.slip_no, 1, "cap_allowed", "customer sent one spare; it goes back")
        for receipt in gearboxes[:30]:
            inspect(inspector, receipt.unit.code, [Portion(True, "restock", "1")])
        for receipt in gearboxes[30:32]:  # a customer-caused return that failed: quality cost
            inspect(inspector, receipt.unit.code, [Portion(False, "scrap", "1")], "appearance",
                    "housing cracked at customer")

    c6 = case("SHJD", "SO-26-1110", "PIP-32", d(11, 16), "appearance", "minor", d(11, 18),
              request="return damaged pipe", defect="crushed ends")
    s6 = slip(c6.case_no, [(1, "PIP-32", "PVC pipe 32 mm", "m", "120", "2.35"),
                           (2, "FIT-32", "Elbow 32 mm", "pcs", "50", "0.90")],
              "crushed in unloading", "return", d(11, 19))
    with on(11, 20):
        receive_count(clerk, s6.slip_no, "PIP-32", "60.5")
        for _ in range(12):
            receive_scan(clerk, s6.slip_no, "FIT-32")

    c7 = case("OSKK", "EXP-7950", "VLV-20", d(11, 17), "performance", "minor", d(11, 19), "15",
              "analysis and repair", "seats leak at 6 bar")
    slip(c7.case_no, [(1, "VLV-20", "Valve DN20", "pcs", "15", "33.00")], "leaking seats",
         "reprocess", d(11, 20))

    # The whole way in November: received, inspected, booked, closed on time.
    c11 = case("GZHX", "SO-26-1031", "SW-10A", d(11, 3), "appearance", "minor", d(11, 5), "10",
               "credit note", "label misprinted")
    s11 = slip(c11.case_no, [(1, "SW-10A", "Switch 10 A", "pcs", "10", "6.40")],
               "misprinted labels", "return", d(11, 6))
    with on(11, 9):
        switches = [receive_scan(clerk, s11.slip_no, "SW-10A") for _ in range(10)]
        close_receiving(clerk, s11.slip_no)
    with on(11, 10):
        for receipt in switches:
            inspect(inspector, receipt.unit.code, [Portion(True, "restock", "1")])
        assess(inspector, c11.case_no, "ours", "process", "return")
        book_slip(finance, s11.slip_no)
    with on(11, 12):                                          # due 11-18: on time
        close_case(inspector, c11.case_no)

    c9 = case("NBTK", "SO-26-1101", "HNG-12", d(11, 6), "appearance", "minor", d(11, 9), "5",
              "none; for the record", "paint chipped")
    with on(11, 10):
        assess(inspector, c9.case_no, "not_ours", "customer_misuse", "other")
    with on(11, 13):                                          # due 11-22: on time
        close_case(inspector, c9.case_no)

    # Assessed, its slip issued this morning: waits for a supervisor's approval.
    c10 = case("SHJD", "SO-26-1115", "GSK-40", d(11, 18), "appearance", "minor", d(11, 19), "60",
               "return for credit", "gaskets cut at the edge", by=sales)
    with on(11, 19, 15):
        assess(inspector, c10.case_no, "ours", "process", "return")
    slip(c10.case_no, [(1, "GSK-40", "Gasket 40 mm", "pcs", "60", "0.45")], "cut edges",
         "return", TODAY, approved=False)

    # Weeks after the 3-working-day window: waits for a supervisor.
    case("GZHX", "SO-26-1015", "SW-16A", d(10, 28), "appearance", "minor", d(11, 10), "12",
         "credit note")
    # Within its window, not assessed yet: quality's reply is due the next working day.
    case("NBTK", "SO-26-1108", "HNG-12", d(11, 18), "model_quantity", "minor", d(11, 20), "200",
         "missing screws in kits")

    # Taken in this morning by sales, with photos; the customer is still sorting the goods.
    case("OSKK", "EXP-7988", "PMP-2", d(11, 19), "appearance", "severe", TODAY, None,
         "replacement pumps", "cracked pump housings", by=sales,
         files=[photo("housing-front.png", 96, 64, [(30, 14, 58, 40)]),
                photo("housing-side.png", 96, 64, [(52, 20, 80, 50), (14, 30, 34, 52)])])


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "returns.db.example")
    build(target)
    print(f"demo database written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
