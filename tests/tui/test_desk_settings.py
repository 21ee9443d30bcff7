"""The admin's settings screen (F11) refuses a label setting the labels could not use, says
why in the dialog, and keeps the value it had: nothing stored, nothing audited."""
from __future__ import annotations

from models import settings
from models.tables import AuditLog, Setting

from .test_desk import desk_test, settle, sign_in, text


async def edit(pilot, name: str, value: str) -> None:
    """Enter on setting `name`, its value replaced by `value`, Enter."""
    names = [known for known, _, _ in pilot.app.screen.values]
    await pilot.press(*["up"] * len(names), *["down"] * names.index(name))     # from the top
    await pilot.press("enter", "ctrl+u", *value, "enter")
    await settle(pilot)


def nothing_stored(name: str) -> bool:
    return not (Setting.select().where(Setting.name == name).exists()
                or AuditLog.select().where(AuditLog.entity == "setting").exists())


@desk_test
async def test_a_label_size_or_printer_the_labels_cannot_use_is_refused_at_the_desk(desk, pilot):
    app = pilot.app
    await sign_in(pilot, "admin", "9999")
    await pilot.press("f11")
    await settle(pilot)
    await edit(pilot, "label_size", "abc")
    assert "label size 'abc' not understood: write it like 50x25mm" in text(app, "#dialog-error")
    await pilot.press("escape")
    await settle(pilot)
    assert nothing_stored("label_size")
    assert ("label_size", "50x25mm") in [(name, value) for name, value, _ in app.screen.values]

    await edit(pilot, "label_printer", "xyz")
    assert "printer 'xyz' not understood" in text(app, "#dialog-error")
    await pilot.press("escape")
    await settle(pilot)
    assert nothing_stored("label_printer")

    await edit(pilot, "label_size", "4x6in")
    assert settings.get_text("label_size") == "4x6in"
    assert ("label_size", "4x6in") in [(name, value) for name, value, _ in app.screen.values]
