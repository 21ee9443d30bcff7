"""Several terminals at once, as separate processes on the same database."""
import datetime as dt
import multiprocessing
import uuid

from models import clock, connect
from models.cases import CaseFacts, open_case
from models.receiving import receive_scan
from models.tables import ComplaintCase, SlipLine, Unit, User

from ..figures import record
from ..helpers import customer, ready_slip

TERMINALS = 4


def _open_cases(url, start, count):
    connect(url)
    supervisor = User.get(User.name == "supervisor")
    start.wait()
    with clock.frozen(dt.datetime(2026, 11, 20, 9)):
        for _ in range(count):
            open_case(supervisor, CaseFacts("C1", "PO", "P", dt.date(2026, 11, 19),
                                            "performance", "minor"))


def _scan(url, start, slip_no, count):
    connect(url)
    clerk = User.get(User.name == "clerk")
    start.wait()
    for _ in range(count):
        receive_scan(clerk, slip_no, "P-1", scan_id=uuid.uuid4().hex)


def run_terminals(target, *args):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(TERMINALS)
    processes = [context.Process(target=target, args=(args[0], start, *args[1:]))
                 for _ in range(TERMINALS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * TERMINALS


def test_case_numbers_are_unique_across_terminals(desk):
    customer(desk)
    run_terminals(_open_cases, desk.url, 15)
    numbers = sorted(c.case_no for c in ComplaintCase.select())
    record("case numbers", desk.url, 60, len(set(numbers)), f"{TERMINALS} terminals × 15 cases")
    assert numbers == [f"2611-{n:03d}" for n in range(1, 61)]


def test_receiving_the_same_slip_from_several_terminals(desk):
    s = ready_slip(desk, ("P-1", "pcs", "1000", "1"))
    run_terminals(_scan, desk.url, s.slip_no, 25)
    units = Unit.select().count()
    exact = SlipLine.get(SlipLine.slip == s).received_qty == units
    scans = Unit.select(Unit.scan_id).distinct().count()      # each scan carried its own id
    record("terminals", desk.url, 100, scans if exact and scans == units else 0,
           f"{TERMINALS} terminals × 25 scans")
    assert SlipLine.get(SlipLine.slip == s).received_qty == 100
    assert Unit.select().count() == 100
