"""The command palette (ctrl+p): the actions of the screen you are on, found by name."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.desk.footer import said


class ScreenCommands(Provider):
    """Every desk key that works here now, as a command: the same checks as the footer, so a
    role never finds an action it may not do. (The desk's bindings all have ids; Textual's
    own - focus, copy - and the list movement keys are left out.)"""

    def commands(self) -> Iterator[tuple[str, str, partial]]:
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id.startswith("list_") or not active.enabled:
                continue
            label = f"{said(binding.description)} ({self.app.get_key_display(binding)})"
            yield label, said(binding.tooltip), partial(self.app.run_action, binding.action, active.node)

    async def discover(self) -> Hits:
        for label, help_text, run in self.commands():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, run in self.commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
