"""F1: what the current screen is for, and its keys."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from models.i18n import N_, _

GENERAL = N_("""\
Every action has a key, shown at the bottom. **ctrl+p** lists them all and finds one by
name. **F12** switches user (the desk also locks itself after some idle minutes); the desk
stays open on this shared terminal: **ctrl+q** closes it with an admin's name and PIN.
Scanning works on every screen: a slip, a case or a unit label opens where it belongs.
""")


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "close", N_("Close help"), id="help_close")]

    def __init__(self, about: Screen) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            # A screen's HELP is marked N_() where it is written, and translated here.
            help_text = getattr(self.about, "HELP", "")
            yield Markdown(_(help_text) if help_text else _("## Help"))
            yield Static(Content(self.keys()), classes="help-keys")
            yield Markdown(_(GENERAL))
            yield Static(_("Esc or F1 closes this help"), classes="dialog-hint")

    def keys(self) -> str:
        lines = []
        for active in self.about.active_bindings.values():
            binding = active.binding
            if not binding.id or not binding.description or not active.enabled:
                continue
            display = self.app.get_key_display(binding)
            extra = f" — {_(binding.tooltip)}" if binding.tooltip else ""
            lines.append(f"{display:>8}  {_(binding.description)}{extra}")
        return "\n".join(lines)

    def action_close(self) -> None:
        self.dismiss()
