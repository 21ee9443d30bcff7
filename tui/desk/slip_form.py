"""Issue a return slip from a case (sales, supervisor): its lines - part, description, unit,
approved quantity, unit price, optional tolerance, each line's own reason and handling -
added and removed in the form, then the basis. A saved slip waits for a supervisor's
approval (finance, F10); models.slips decides everything, the form only gathers it.
"""
from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.content import Content
from rich.cells import cell_len
from textual.widgets import Static

from models.access import allowed
from models.cases import get_case
from models.i18n import N_, _
from models.numbers import number, typed
from models.slips import HANDLINGS, LineSpec, issue_slip
from tui.desk.background import in_db, on_ui
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field, FormView
from models.words import word

LINE_PARTS = ("part", "description", "unit", "qty", "price", "tolerance", "reason", "handling")
NUMBER = r"[0-9]*[.,]?[0-9]*"


def line_fields(n: int, values: dict[str, str] | None = None) -> list[Field]:
    """The fields of line `n`, named "n.part", "n.qty" ..., holding `values` if given."""
    v = {"unit": "pcs", "handling": "return", **(values or {})}
    return [
        Field(f"{n}.part", _("part number"), value=v.get("part", "")),
        Field(f"{n}.description", _("description"), value=v.get("description", "")),
        Field(f"{n}.unit", _("unit"), value=v["unit"], placeholder="pcs, set, box, kg, m"),
        Field(f"{n}.qty", _("approved quantity"), value=v.get("qty", ""), restrict=NUMBER),
        Field(f"{n}.price", _("unit price"), value=v.get("price", ""), restrict=NUMBER),
        Field(f"{n}.tolerance", _("tolerance %"), value=v.get("tolerance", ""), restrict=NUMBER,
              placeholder=_("empty: the customer's (or the desk's)")),
        Field(f"{n}.reason", _("reason"), value=v.get("reason", ""),
              placeholder=_("why these goods come back")),
        Field(f"{n}.handling", _("handling"), tuple((h, word("handling", h)) for h in HANDLINGS),
              value=v["handling"]),
    ]


def tail_fields() -> list[Field]:
    """The slip's own fields after its lines, in the words of the moment."""
    return [Field("basis", _("basis"), placeholder=_("the decision or document the slip rests on")),
            Field("regional", _("regional manager"),
                  placeholder=_("who approved a customer-caused return"))]


class SlipFormView(FormView):
    """The slip's fields a row each ("label: value"), a heading before each line: a slip of
    three lines fits 80x24 with a little scrolling, and the field being typed in is always
    scrolled into view."""

    LABEL_WIDTH = 19

    def render(self) -> Content:
        rows: list[Content] = []
        for index, field in enumerate(self.fields):
            if field.name.endswith(".part"):
                heading = _("line {n}").format(n=field.name.split(".")[0])
                rows.append(Content.styled(f"── {heading} " + "─" * 40, "bold"))
            here = index == self.current and self.has_focus
            padding = " " * max(0, self.LABEL_WIDTH - cell_len(field.label))
            label = Content.styled(("› " if here else "  ") + field.label + padding
                                   + " ", "bold" if here else "dim")
            rows.append(Content.assemble(label, self.value_text(field, here)))
        return Content("\n").join(rows)

    def value_text(self, field: Field, here: bool) -> Content:
        if field.choices:
            parts = []
            for n, (_code, shown) in enumerate(field.choices):
                chosen = n == self.picked[field.name]
                text = f"{'●' if chosen else '○'} {self.number(field, n)} {shown}  "
                parts.append((text, "reverse" if here and chosen else ("bold" if chosen else "")))
            return Content.assemble(*parts)
        text = self.texts[field.name]
        if text:
            return Content.assemble((text, "underline" if here else ""), "▏" if here else "")
        return Content.assemble("▏" if here else "", (field.placeholder or "—", "dim"))

    def field_rows(self, index: int) -> tuple[int, int]:
        """A row a field; each line's heading takes one more (kept in view with its part)."""
        headings = sum(1 for field in self.fields[:index + 1] if field.name.endswith(".part"))
        if self.fields[index].name.endswith(".part"):
            return index + headings - 1, 2
        return index + headings, 1

    # --- lines ------------------------------------------------------------------------------

    def lines(self) -> list[dict[str, str]]:
        values = self.values
        count = sum(1 for field in self.fields if field.name.endswith(".part"))
        return [{part: values[f"{n}.{part}"] for part in LINE_PARTS} for n in range(1, count + 1)]

    def current_line(self) -> int | None:
        head = self.fields[self.current].name.split(".")[0]
        return int(head) if head.isdigit() else None

    def rebuild(self, lines: list[dict[str, str]], current: str) -> None:
        """The form with these lines (numbered from 1 again), the tail kept, the cursor on
        field `current`."""
        tail = {field.name: self.texts[field.name] for field in tail_fields()}
        self.fields = [f for n, line in enumerate(lines, 1) for f in line_fields(n, line)]
        self.fields += tail_fields()
        self.texts = {f.name: tail.get(f.name, f.value) for f in self.fields if not f.choices}
        self.picked = {f.name: [v for v, _shown in f.choices].index(f.value)
                       for f in self.fields if f.choices}
        self.current = [f.name for f in self.fields].index(current)
        self.refresh(layout=True)
        self.call_after_refresh(self.show_current)


class SlipFormDialog(FormDialog):
    """The slip form: FormDialog's keys, and ctrl+n / ctrl+d to add and remove lines."""

    BINDINGS = [
        Binding("ctrl+n", "add_line", N_("Add line"), id="slip_add_line"),
        Binding("ctrl+d", "remove_line", N_("Remove line"), id="slip_remove_line"),
    ]

    def __init__(self, case_no: str, intro: str, first: dict[str, str],
                 record: Callable[[dict[str, str]], object]) -> None:
        super().__init__(_("Return slip for case {case}").format(case=case_no),
                         line_fields(1, first) + tail_fields(), intro=intro, record=record,
                         submit_label=_("Enter on the last field or ctrl+s saves"))
        self.case_no = case_no

    def form_view(self) -> SlipFormView:
        return SlipFormView(self.fields, id="form")

    def hint(self) -> str:
        return _("Enter/Tab next field · shift+Tab back · ↑ ↓ or 1 2 handling · ctrl+n adds a "
                 "line · ctrl+d removes this line · ctrl+s saves · Esc cancels")

    @property
    def form(self) -> SlipFormView:
        return self.query_one(SlipFormView)

    def action_add_line(self) -> None:
        form = self.form
        lines = form.lines()
        lines.append({"unit": lines[-1]["unit"], "handling": lines[-1]["handling"],
                      "reason": lines[-1]["reason"]})
        form.rebuild(lines, f"{len(lines)}.part")
        self.call_after_refresh(self.fit)
        self.query_one("#dialog-error", Static).update(
            _("line {n} added: the reason and handling of the line before are copied").format(
                n=len(lines)))

    def action_remove_line(self) -> None:
        form = self.form
        lines, here = form.lines(), form.current_line()
        if here is None:
            self.show_error(_("go to a field of the line to remove (shift+Tab), then ctrl+d"))
            return
        if len(lines) == 1:
            self.show_error(_("a slip needs at least one line: this one stays"))
            return
        del lines[here - 1]
        form.rebuild(lines, f"{min(here, len(lines))}.part")
        self.call_after_refresh(self.fit)
        self.query_one("#dialog-error", Static).update(_("line {n} removed").format(n=here))


def slip_lines(values: dict[str, str]) -> list[LineSpec]:
    count = sum(1 for name in values if name.endswith(".part"))
    return [LineSpec(n, values[f"{n}.part"], values[f"{n}.description"], values[f"{n}.unit"],
                     typed(values[f"{n}.qty"]), typed(values[f"{n}.price"]),
                     typed(values[f"{n}.tolerance"]) or None, values[f"{n}.reason"],
                     values[f"{n}.handling"]) for n in range(1, count + 1)]


def open_slip_form(screen, case_no: str | None,
                   issued: Callable[[str], object] | None = None) -> None:
    """The slip form for case `case_no` over `screen`; `issued(case_no)` after it is saved."""
    user = screen.app.user
    if not case_no:
        screen.app.refuse(_("choose a case first (scan it, or ↑ ↓ and Enter), then issue its slip"))
        return
    if not allowed(user.role, "slip.issue"):
        screen.app.refuse(_("{name} is {role}: sales or a supervisor issue return slips").format(
            name=user.name, role=word("role", user.role)))
        return

    def fetch() -> None:
        with in_db(screen):
            case = get_case(case_no)
            first = {"part": case.part_no,
                     "qty": number(case.defect_qty)}
            intro = _("Case {case} · {code} {name} · order {order}. Saved, the slip waits for a "
                      "supervisor's approval.").format(case=case.case_no, code=case.customer.code,
                                                       name=case.customer.name,
                                                       order=case.order_no)
            on_ui(screen, show, case.case_no, intro, first)

    def show(number: str, intro: str, first: dict[str, str]) -> None:
        def record(values: dict[str, str]):
            return issue_slip(user, number, slip_lines(values), values["basis"],
                              regional_manager=values["regional"].strip() or None)

        def saved(slip) -> None:
            if slip is None:
                return
            screen.app.notify(_("✔ slip {slip} issued for case {case}: waiting for approval — a "
                                "supervisor approves it on Finance (F5, then F10)").format(
                                    slip=slip.slip_no, case=number), timeout=10)
            if issued is not None:
                issued(number)
        screen.app.push_screen(SlipFormDialog(number, intro, first, record), saved)
    screen.run_worker(fetch, thread=True, exclusive=True, group="slip-form")
