"""The keys at the bottom of every work screen. A footer too narrow for all of them (80x24)
shows the screen's own keys first, then F1, whose help lists every key; the keys that move to
another screen come after, as many as fit, and the palette's key (ctrl+p) only if all fit.
Each key's description and tooltip, marked N_() in the BINDINGS, is translated as it is drawn,
in the language of the moment, and measured in cells (a Chinese character takes two)."""
from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from models.i18n import N_, _, language

PALETTE_ROOM = 14        # "▏^p palette " docked on the right
# Textual's own palette key (ctrl+p), translated as drawn like the desk's keys: its words
# are marked here (translations no wider than "palette", so PALETTE_ROOM holds).
PALETTE_WORDS = (N_("palette"), N_("Open the command palette"))


def _without_enabled(keys: tuple) -> tuple:
    """The keys shown, their words and order, whether each works or not."""
    return keys[:1] + tuple((key, words, tooltip) for key, words, _enabled, tooltip in keys[1:])


def said(text: str) -> str:
    """A key's description or tooltip in the current language (none stays none: gettext's
    translation of "" is the catalog's header)."""
    return _(text) if text else ""


class DeskFooter(Footer):
    """Textual's footer, compact, made again only when the keys it shows change. Textual's makes
    every key's widget again (each styled twice over) at every change of the screen's bindings
    and at every resize, though most change nothing it shows or only whether a key works: 8
    times while home opens after a sign-in, and 9 on the sign-in screen being left, a third of
    a change of user (tests/tui/test_desk_signin.py). Here a key that starts or stops working
    is changed in place, a screen being left is not made again until it is back, and changes
    that come together make it once."""

    shown_keys: tuple = ()     # what the keys shown were made from (the language first)
    made_width = 0
    remake_pending = False

    def __init__(self) -> None:
        super().__init__(compact=True)

    def bindings_changed(self, screen) -> None:
        keys = (language(),) + tuple((binding.key, binding.description, enabled, tooltip)
                                     for _node, binding, enabled, tooltip
                                     in screen.active_bindings.values() if binding.show)
        if keys == self.shown_keys and self._bindings_ready:
            return
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        if not screen.is_current:     # left (the sign-in screen as home opens): made when back
            self.shown_keys = ()
            return
        if not self.remake_pending and _without_enabled(keys) == _without_enabled(self.shown_keys):
            self.shown_keys = keys
            self.enable_in_place(screen)
            return
        self.shown_keys = keys
        self.remake()

    def on_mount(self) -> None:
        super().on_mount()
        self.app.screen_change_signal.subscribe(self, self.screen_changed)

    def on_unmount(self) -> None:
        super().on_unmount()
        self.app.screen_change_signal.unsubscribe(self)

    def screen_changed(self, screen) -> None:
        if screen is self.screen and not self.shown_keys:    # back, and left unmade
            self.bindings_changed(screen)

    def remake(self) -> None:
        if not self.remake_pending:
            self.remake_pending = True
            self.call_after_refresh(self._remake)

    async def _remake(self) -> None:
        # Made again while the keys or the width changed during the making (compose read them
        # at its start): what is shown is made from what is last known.
        while True:
            made_from = (self.shown_keys, self.size.width)
            self.made_width = self.size.width
            await self.recompose()
            if made_from == (self.shown_keys, self.size.width):
                break
        self.remake_pending = False

    def enable_in_place(self, screen) -> None:
        enabled = {active.binding.key: active.enabled for active in screen.active_bindings.values()}
        for key in self.query(FooterKey):
            key.disabled = not enabled.get(key.key, not key.disabled)

    def on_resize(self) -> None:
        if self._bindings_ready and self.size.width != self.made_width:
            self.remake()

    def grouped(self) -> tuple[list, list, list]:
        """The keys to show: the screen's own, help (F1), and the desk's others."""
        own, help_key, others = [], [], []
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show:
                continue
            entry = (binding, enabled, tooltip)
            if node is not self.app:
                own.append(entry)
            elif binding.action == "help":
                help_key.append(entry)
            else:
                others.append(entry)
        return own, help_key, others

    def key_width(self, entry: tuple[Binding, bool, str]) -> int:
        binding = entry[0]     # compact: "key description", a cell between keys
        return (cell_len(self.app.get_key_display(binding)) + 1 + cell_len(said(binding.description))
                + 1)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        own, help_key, others = self.grouped()
        room = self.size.width or self.app.size.width
        everything = own + help_key + others
        palette = sum(map(self.key_width, everything)) + PALETTE_ROOM <= room
        if palette:
            room -= PALETTE_ROOM
        # Help is kept whatever else is left out: its F1 lists every key (and ctrl+p).
        room -= sum(map(self.key_width, help_key))
        shown = self.as_many_as_fit(own, room)
        room -= sum(map(self.key_width, shown))
        shown += help_key + self.as_many_as_fit(others, room)
        for binding, enabled, tooltip in shown:
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            said(binding.description), binding.action, disabled=not enabled,
                            tooltip=said(tooltip)).data_bind(compact=Footer.compact)
        if palette:
            yield from self.palette_key()

    def as_many_as_fit(self, entries: list, room: int) -> list:
        shown = []
        for entry in entries:
            room -= self.key_width(entry)
            if room < 0:
                break
            shown.append(entry)
        return shown

    def palette_key(self) -> ComposeResult:
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is not None:
            binding = active.binding
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            said(binding.description), binding.action, classes="-command-palette",
                            disabled=not active.enabled,
                            tooltip=said(binding.tooltip or binding.description))
