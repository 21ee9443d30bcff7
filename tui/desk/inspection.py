"""Inspection: the queue of received units, one unit's facts and label, pass / fail / split."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

import labels
from models import lists, settings
from models.codes import Target, scanned_unit_code
from models.inspection import (
    FAIL_DISPOSITIONS,
    PASS_DISPOSITIONS,
    Portion,
    inspect,
    inspect_line,
    inspection_queue,
    waiting_on_line,
)
from models.i18n import C_, N_, _, ngettext
from models.numbers import qty
from models.printing import label_facts, queue_reprint
from models.tables import Inspection
from models.units import get_unit
from tui.desk.background import in_db, on_ui
from tui.desk.base import LIST_KEYS, DeskScreen
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field
from tui.desk.inspection_forms import SplitDialog, class_choices, portions_from, verdict
from tui.desk.widgets import Columns, RowList
from tui.work.labelling import read_label
from models.words import word, words

# The units waiting: "unit" is a received piece (單件), "received" the day it came.
QUEUE_COLUMNS = Columns((C_("unit queue", "unit"), 8, False), (C_("unit queue", "part"), 9, False),
                        (C_("unit queue", "qty"), 9, True), (C_("unit queue", "slip"), 11, False),
                        (C_("unit queue", "case"), 9, False),
                        (C_("unit queue", "received"), 10, False), context="unit queue")


@dataclass(frozen=True)
class QueueRow:
    id: int
    code: str
    part_no: str
    quantity: str
    slip_no: str
    case_no: str
    received: str


@dataclass(frozen=True)
class UnitView:
    code: str
    state: str
    lot: bool
    qty: Decimal
    unit: str
    slip_no: str
    line_no: int
    part_no: str
    line_waiting: Decimal   # what still waits for inspection on the unit's slip line
    facts: str              # what the detail pane says
    preview: list[str]      # the label, drawn in text


def unit_view(code: str, dark: bool) -> UnitView:
    """Worker thread: one unit with its slip, case, complaint and label preview."""
    unit = get_unit(code)
    facts = label_facts(unit)
    line = unit.line
    case = line.slip.case
    waiting = waiting_on_line(line)
    amount = (_("lot of {qty} {unit}") if unit.lot else "{qty} {unit}").format(
        qty=qty(unit.qty), unit=line.unit)
    lines = [
        f"{unit.code}  ·  {amount}  ·  {word('unit_state', unit.state)}",
        _("part {part}  {description}").format(part=line.part_no, description=line.description),
        _("slip {slip} line {line}  ·  case {case}").format(
            slip=facts["slip_no"], line=facts["line_no"], case=case.case_no),
        _("customer {code} {name}").format(code=facts["customer_code"],
                                           name=facts["customer_name"]),
        _("received {at} by {name}").format(at=f"{unit.received_at:%Y-%m-%d %H:%M}",
                                            name=unit.received_by.name),
        _("waiting on this line: {qty} {unit}").format(qty=qty(waiting), unit=line.unit),
        "",
        _("complaint ({category}, {severity}): {defect}").format(
            category=word("category", case.category), severity=word("severity", case.severity),
            defect=case.defect or "—"),
        _("customer asks: {request}").format(request=case.request or "—"),
    ]
    done = Inspection.get_or_none(Inspection.unit == unit)
    if done is not None:
        lines += ["", _("inspected {date} by {name}: {summary}").format(
            date=f"{done.at:%Y-%m-%d}", name=done.by.name, summary=summary(done))]
        if done.defect_class:
            lines.append(_("defect {defect_class}: {cause}").format(
                defect_class=word("defect_class", done.defect_class), cause=done.cause))
    label = labels.LabelData(**facts)
    preview = labels.preview_lines(label, settings.get("label_url_template") or None, invert=dark)
    return UnitView(unit.code, unit.state, unit.lot, unit.qty, line.unit, facts["slip_no"],
                    line.line_no, line.part_no, waiting, "\n".join(lines), preview)


def summary(inspection: Inspection) -> str:
    """Worker thread: "pass → restock", "2 fail → scrap; 5 pass → restock"."""
    portions = list(inspection.portions)
    if len(portions) == 1:
        p = portions[0]
        return verdict(p.passed, p.disposition)
    return "; ".join(f"{qty(p.qty)} {verdict(p.passed, p.disposition)}" for p in portions)


class InspectionScreen(DeskScreen):
    TITLE = N_("Inspection")
    SCAN_HINT = N_("scan a unit label (or choose one below with ↑ ↓ and Enter)")
    HELP = N_("""\
## Inspection
The queue lists received units and lots waiting for inspection, oldest first
(PgUp / PgDn page through it).

- Scan a unit's label (or ↑ ↓ Enter in the queue): its slip, case, the customer's complaint
  and its label appear.
- **F8** passes it: Enter puts it back into stock (2, Enter: return to the customer).
- **F9** fails it: defect class (a number picks it), cause, where it goes, a note. For a lot
  (kg, m...) F9 shares the quantity out across dispositions; the parts must add up exactly.
- **F10** decides a quantity of the whole slip line at once (e.g. 95 pcs restock, 5 scrap):
  its waiting units are taken oldest first.
- **F7** prints its label again.
""")
    BINDINGS = [
        Binding("f7", "reprint", N_("Reprint"), id="inspection_reprint",
                tooltip=N_("print its label again")),
        Binding("f8", "pass_unit", N_("Pass"), id="inspection_pass",
                tooltip=N_("record a pass: restock or return to the customer")),
        Binding("f9", "fail_unit", N_("Fail/split"), id="inspection_fail",
                tooltip=N_("record a failure (or share a lot out across dispositions)")),
        Binding("f10", "decide_line", N_("Whole line"), id="inspection_line",
                tooltip=N_("one decision for a quantity of the slip line, shared over its units")),
        Binding("ctrl+r", "reload", N_("Reload"), id="inspection_reload", show=False),
        *LIST_KEYS,
    ]
    ACTION_PERMISSIONS = {"reprint": "label.print", "pass_unit": "inspect", "fail_unit": "inspect",
                          "decide_line": "inspect"}

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[QueueRow] = []
        self.starts = [0]           # the id each page starts after: paging by id, not offset
        self.unit: UnitView | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="ack")
        yield Static("", id="printer")
        with Horizontal(id="inspection-body"):
            yield RowList(QUEUE_COLUMNS, id="queue")
            with Vertical(id="unit-pane"):
                yield Static(_("No unit chosen: scan a label."), id="unit-facts")
                yield Static("", id="label-preview")

    def on_mount(self) -> None:
        self.watch(self.app, "printer_status", self.show_printer)

    def on_screen_resume(self) -> None:
        self.load_queue()

    def can_do(self, action: str) -> bool | None:
        if action in ("pass_unit", "fail_unit"):
            return self.unit is not None and self.unit.state == "awaiting"
        if action == "decide_line":
            return self.unit is not None and self.unit.line_waiting > 0
        if action == "reprint":
            return self.unit is not None and self.unit.state != "reversed"
        return True

    def why_not_now(self, action: str) -> str | None:
        unit = self.unit
        if unit is None:
            return _("no unit is shown: scan its label first")
        if action in ("pass_unit", "fail_unit"):
            return _("{code} is {state}: it does not wait for inspection").format(
                code=unit.code, state=word("unit_state", unit.state))
        if action == "decide_line":
            return _("nothing of line {line} ({part}) waits for inspection").format(
                line=unit.line_no, part=unit.part_no)
        if action == "reprint":
            return _("{code} was reversed (taken off its slip): it gets no label").format(
                code=unit.code)
        return None

    # --- the queue --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="queue")
    def load_queue(self) -> None:
        after = self.starts[-1]
        with in_db(self):
            units = inspection_queue(limit=lists.PAGE, after_id=after)
            parts = lists.unit_rows(units)
            rows = []
            for unit in units:
                part, measure, slip_no, case_no = parts[unit.line_id]
                rows.append(QueueRow(unit.id, unit.code, part, f"{qty(unit.qty)} {measure}", slip_no,
                                     case_no, f"{unit.received_at:%Y-%m-%d}"))
            total = lists.count_awaiting_units()
            on_ui(self, self.show_queue, rows, total)

    def show_queue(self, rows: list[QueueRow], total: int) -> None:
        self.queue = rows
        table = self.query_one("#queue", RowList)
        # The count in the title, the page below (the keys where they fit: at 80x24 it is narrow)
        table.border_title = _("{what}: {n}").format(what=_("to inspect"), n=total)
        keys = " (PgUp PgDn)" if table.size.width >= 50 else ""
        table.page_text = (_("page {page}").format(page=len(self.starts)) + keys
                           if total > lists.PAGE or len(self.starts) > 1 else "")
        table.show((row.code, row.part_no, row.quantity, row.slip_no, row.case_no, row.received)
                   for row in rows)

    def action_page(self, step: int) -> None:
        if step > 0 and len(self.queue) == lists.PAGE:
            self.starts.append(self.queue[-1].id)
        elif step < 0 and len(self.starts) > 1:
            self.starts.pop()
        else:
            return
        self.load_queue()

    def action_reload(self) -> None:
        self.load_queue()
        if self.unit is not None:
            self.load_unit(self.unit.code)

    def pick(self) -> None:
        table = self.query_one("#queue", RowList)
        if table.cursor < len(self.queue):
            self.load_unit(self.queue[table.cursor].code)

    # --- one unit ---------------------------------------------------------------------------

    def open(self, target: Target) -> None:
        self.load_unit(target.key)

    def handle_scan(self, code: str, scan_id: str) -> None:
        self.scan_label(code)

    @work(thread=True, exclusive=True, group="unit")
    def scan_label(self, code: str) -> None:
        with in_db(self):
            unit_code = scanned_unit_code(code, read_label)
            if unit_code is None:   # not a label: a slip or case opens where it belongs
                self.app.call_from_thread(self.app.open_code, code)
                return
            on_ui(self, self.show_unit, unit_view(unit_code, self.app.current_theme.dark))

    @work(thread=True, exclusive=True, group="unit")
    def load_unit(self, code: str) -> None:
        with in_db(self):
            on_ui(self, self.show_unit, unit_view(code, self.app.current_theme.dark))

    def show_unit(self, unit: UnitView | None) -> None:
        self.unit = unit
        facts = self.query_one("#unit-facts", Static)
        preview = self.query_one("#label-preview", Static)
        if unit is None:
            facts.update(_("No unit chosen: scan a label."))
            preview.update("")
        else:
            facts.update(Content(unit.facts))
            preview.update(Content("\n".join(unit.preview)))
            facts.set_class(unit.state != "awaiting", "-done")
            # A scanned unit on this page: the list's ▶ points at it, not at another unit.
            codes = [row.code for row in self.queue]
            if unit.code in codes:
                self.query_one("#queue", RowList).move_to(codes.index(unit.code))
        self.refresh_bindings()

    def action_pass_unit(self) -> None:
        unit, user = self.unit, self.app.user
        choices = words("disposition", PASS_DISPOSITIONS)
        self.app.push_screen(FormDialog(
            _("Pass {code}").format(code=unit.code),
            [Field("disposition", _("Where it goes"), choices)],
            intro=_("{qty} {unit} of {part} passed inspection.").format(
                qty=qty(unit.qty), unit=unit.unit, part=unit.part_no),
            submit_label=_("Enter records the pass"),
            record=lambda v: summary(inspect(user, unit.code,
                                             [Portion(True, v["disposition"], unit.qty)]))),
            self.inspected)

    def action_fail_unit(self) -> None:
        unit, user = self.unit, self.app.user
        if unit.lot:
            def record(v):
                return summary(inspect(user, unit.code, portions_from(v), v["defect_class"],
                                       v["cause"], v["note"]))
            self.app.push_screen(SplitDialog(
                _("Split {code}: {qty} {unit} of {part}").format(
                    code=unit.code, qty=qty(unit.qty), unit=unit.unit, part=unit.part_no),
                unit.qty, unit.unit,
                _("Share the {qty} {unit} of the lot out; the parts must add up exactly.").format(
                    qty=qty(unit.qty), unit=unit.unit), record=record), self.inspected)
            return
        self.app.push_screen(FormDialog(
            _("Fail {code} ({part})").format(code=unit.code, part=unit.part_no), [
                Field("defect_class", _("Defect class"), class_choices()),
                Field("cause", _("Cause (what is wrong, and why)")),
                Field("disposition", _("Where it goes"), words("disposition", FAIL_DISPOSITIONS)),
                Field("note", _("Note (optional)")),
            ], submit_label=_("Enter on the note records the failure"),
            record=lambda v: summary(inspect(user, unit.code,
                                             [Portion(False, v["disposition"], unit.qty)],
                                             v["defect_class"], v["cause"], v["note"]))),
            self.inspected)

    def action_decide_line(self) -> None:
        unit, user = self.unit, self.app.user

        def record(v):
            done = inspect_line(user, unit.slip_no, unit.line_no, portions_from(v),
                                v["defect_class"], v["cause"], v["note"])
            return ngettext("{n} unit of line {line} inspected", "{n} units of line {line} "
                            "inspected", len(done)).format(n=len(done), line=unit.line_no)
        self.app.push_screen(SplitDialog(
            _("Slip {slip} line {line} ({part})").format(slip=unit.slip_no, line=unit.line_no,
                                                         part=unit.part_no),
            unit.line_waiting, unit.unit,
            _("{qty} {unit} wait on this line. Say how much goes where: the oldest units are "
              "taken first, and the quantities must cover whole units.").format(
                  qty=qty(unit.line_waiting), unit=unit.unit),
            record=record), self.inspected)

    def inspected(self, result: str | None) -> None:
        if result is None or self.unit is None:
            return
        self.say(f"✔ {self.unit.code}: {result}")
        self.show_unit(None)
        self.load_queue()

    @work(thread=True, group="reprint")
    def action_reprint(self) -> None:
        unit, user = self.unit, self.app.user
        with in_db(self):
            job = queue_reprint(user, unit.code)
            on_ui(self, self.reprinted, unit.code, job.id)

    def reprinted(self, code: str, job_id: int) -> None:
        self.say(_("label for {code} queued again (job {job})").format(code=code, job=job_id))
        self.app.kick_printer()

    def say(self, text: str) -> None:
        ack = self.query_one("#ack", Static)
        ack.update(Content(text))
        ack.set_classes("-ok")

    def show_printer(self, status: str) -> None:
        printer = self.query_one("#printer", Static)
        printer.update(Content(status))
        printer.display = bool(status)
