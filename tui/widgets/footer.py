"""The key footer: Textual's, rebuilt only when the keys it would show have changed, and cut
to the terminal's width so what it shows is whole: keys that do not fit are left out, the
least needed first, and `?` (help, which lists them all) and the palette always stay. A
status on the right says where n/N is among a search's matches ("3/12")."""
from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer, Label
from textual.widgets._footer import FooterKey

# Actions whose keys give way first when the footer is too narrow (the rest go from the end).
GIVE_WAY = ("refresh", "star", "select", "panel('entities')", "search", "link")
KEEP = ("help",)


def key_width(key: FooterKey) -> int:
    """Cells a (non-compact) footer key takes: " key description "."""
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys each time the bindings may have changed: the
    reader's start-up asks five times in a row and every focus change twice, mostly for the
    very keys already shown. This one skips a rebuild that would show the same keys."""

    _shown: tuple | None = None
    status = ""
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

    def _keys(self) -> tuple:
        """What the footer shows: the bindings with `show`, their state, and the palette key."""
        active = self.screen.active_bindings
        shown = tuple((binding, enabled, tooltip) for _, binding, enabled, tooltip in active.values() if binding.show)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, palette[1:] if palette else None, self.show_command_palette, self._width()

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        # Nothing is composed until the bindings are ready: only a composed footer is on record.
        self._shown = self._keys() if keys else None
        yield from self._fit(keys)
        if keys:
            status = Label(self.status, id="footer-status", markup=False)
            status.display = bool(self.status)
            yield status
            self.call_after_refresh(self._place_status)

    def _fit(self, keys: list) -> list:
        if not all(isinstance(k, FooterKey) for k in keys):
            return keys  # grouped keys: left as Textual lays them out
        fixed = [k for k in keys if k.has_class("-command-palette") or k.action in KEEP]
        room = self._width() - sum(key_width(k) + 1 for k in fixed) - (cell_len(self.status) + 2 if self.status else 0)
        optional = [k for k in keys if k not in fixed]
        order = sorted(optional, key=lambda k: (GIVE_WAY.index(k.action) if k.action in GIVE_WAY
                                                else len(GIVE_WAY) + len(optional) - optional.index(k)))
        while optional and sum(key_width(k) for k in optional) > room:
            optional.remove(order.pop(0))
        self.styles.grid_size_columns = len(optional) + len(fixed)
        return [k for k in keys if k in optional or k in fixed]

    async def on_resize(self) -> None:
        await self.recompose()
        self._place_status()

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._keys() == self._shown:
            return
        await super().recompose()
