"""The inspector's forms: a quantity shared out across dispositions (F9 on a lot, F10 on a
whole slip line), the portions typed into it, the defect classes to choose from, and a verdict
in words."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from textual.widgets import Static

from models.i18n import _
from models.inspection import DEFECT_CLASSES, FAIL_DISPOSITIONS, PASS_DISPOSITIONS, Portion
from models.numbers import qty, typed
from tui.desk.dialogs import FormDialog
from tui.desk.form_view import Field
from models.words import word, words


def class_choices() -> tuple[tuple[str, str], ...]:
    """The defect classes to choose from, in the language of the moment."""
    return (("", _("— choose —")), *words("defect_class", DEFECT_CLASSES))


def verdict(passed: bool, disposition: str) -> str:
    """"pass → restock (back into stock)", in words."""
    text = _("pass → {disposition}") if passed else _("fail → {disposition}")
    return text.format(disposition=word("disposition", disposition))


def portions_from(values: dict[str, str]) -> list[Portion]:
    """The split the inspector typed: one portion per quantity field that is filled."""
    portions = []
    for name, text in values.items():
        if name.startswith(("pass_", "fail_")) and text.strip():
            portions.append(Portion(name.startswith("pass_"), name[5:], typed(text)))
    return portions


class SplitDialog(FormDialog):
    """A quantity shared out across dispositions, with the running sum next to the whole."""

    def __init__(self, title: str, total: Decimal, unit: str, intro: str, **kwargs) -> None:
        self.total, self.unit = total, unit
        fields = [Field(f"pass_{d}", verdict(True, d), restrict=r"[0-9.,]*")
                  for d in PASS_DISPOSITIONS]
        fields += [Field(f"fail_{d}", verdict(False, d), restrict=r"[0-9.,]*")
                   for d in FAIL_DISPOSITIONS]
        fields += [Field("defect_class", _("Defect class (if any fails)"), class_choices()),
                   Field("cause", _("Cause (if any fails)")), Field("note", _("Note"))]
        super().__init__(title, fields, intro=intro, **kwargs)

    def compose_extra(self):
        yield Static("", id="split-sum")

    def on_mount(self) -> None:
        self.on_form_view_changed()

    def on_form_view_changed(self) -> None:
        total = Decimal(0)
        for name, text in self.form.values.items():
            if name.startswith(("pass_", "fail_")) and text.strip():
                try:
                    total += Decimal(typed(text))
                except InvalidOperation:
                    pass   # the domain says what is wrong with it when recording
        left = self.total - total
        self.query_one("#split-sum", Static).update(
            _("shared out {done} of {total} {unit}").format(done=qty(total), total=qty(self.total),
                                                             unit=self.unit)
            + ("  ✔" if left == 0 else _("  ({qty} left)").format(qty=qty(left)) if left > 0
               else _("  (too much)")))
