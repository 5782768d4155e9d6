"""Command palette entries for every action of the main screen (from its bindings)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class BylineCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        from app.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        # The keys in force (after the user's keymap), by binding id: the class's own
        # BINDINGS still carry the default keys.
        active: dict[str, list[str]] = {}
        for bound in screen.active_bindings.values():
            if bound.binding.id:
                active.setdefault(bound.binding.id, []).append(
                    self.app.get_key_display(bound.binding)
                )
        out = []
        for binding in MainScreen.BINDINGS:
            if not isinstance(binding, tuple) and binding.description:
                key = " ".join(active.get(binding.id or "", [])) or "no key"
                area = (binding.id or "").split(".")[0].capitalize()
                title = f"{area}: {binding.description}" if area else binding.description
                out.append((title, binding.action, key))
        return out

    async def discover(self) -> Hits:
        for description, action, key in self._commands():
            yield DiscoveryHit(description, partial(self._run, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, key in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(description),
                    partial(self._run, action),
                    help=f"key: {key}",
                )

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)
