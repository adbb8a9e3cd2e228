"""The key footer: Textual's, rebuilt only when the keys it would show have changed."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Label


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys each time the bindings may have changed: the
    reader's start-up asks five times in a row and every focus change twice, ~20 ms a
    rebuild, mostly for the very keys already shown. This one skips a rebuild that would
    show the same keys."""

    _shown: tuple | None = None
    status = ""  # right-aligned: where n/N is among the search's matches ("3/12")
    DEFAULT_CSS = "KeysFooter #footer-status { dock: right; width: auto; padding: 0 1; text-style: bold; }"

    def set_status(self, text: str) -> None:
        self.status = text
        for label in self.query("#footer-status"):
            label.update(text)
            label.display = bool(text)
        self._place_status()

    def _place_status(self) -> None:
        """Docked right like the palette key, the status sits just left of it (docked
        widgets on one edge overlap, so it keeps the palette key's width free)."""
        palette = self.query(".-command-palette")
        width = palette.first().outer_size.width if palette else 0
        for label in self.query("#footer-status"):
            label.styles.margin = (0, width, 0, 0)

    def on_resize(self) -> None:
        self._place_status()

    def _keys(self) -> tuple:
        """What the footer shows: the bindings with `show`, their state, and the palette key."""
        active = self.screen.active_bindings
        shown = tuple((binding, enabled, tooltip) for _, binding, enabled, tooltip in active.values() if binding.show)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, palette[1:] if palette else None, self.show_command_palette

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # Nothing is composed until the bindings are ready: only a composed footer is on record.
        self._shown = self._keys() if keys else None
        yield from keys
        if keys:
            status = Label(self.status, id="footer-status", markup=False)
            status.display = bool(self.status)
            yield status
            self.call_after_refresh(self._place_status)

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._keys() == self._shown:
            return
        await super().recompose()
