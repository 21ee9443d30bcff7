"""The footer of every screen, its keys described in the current language."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from models.i18n import _


class DeskFooter(Footer):
    """Footer whose key descriptions and tooltips, marked N_() in the BINDINGS, are translated
    each time it is drawn: after a change of language, refresh_bindings() redraws it."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description) if widget.description else ""
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
            yield widget
