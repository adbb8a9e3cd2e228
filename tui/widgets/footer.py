"""The key footer: Textual's Footer look, with keys composed here from the screen's active
bindings, rebuilt only when the keys it would show have changed, and cut to the terminal's
width so what it shows is whole: keys that do not fit are left out, the least needed first,
and `?` (help, which lists them all) and the palette always stay. A status on the right says
where n/N is among a search's matches ("3/12")."""
from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label

# Actions whose keys give way first when the footer is too narrow (the rest go from the end).
GIVE_WAY = ("refresh", "star", "select", "panel('entities')", "search", "link")
KEEP = ("help",)


class Shown(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells the key takes: " key description "."""
        return cell_len(self.display) + 2 + (cell_len(self.description) + 1 if self.description else 0)


class FooterKey(Widget):
    """One key in the footer, drawn as Textual's footer draws its keys (and named alike, so the
    Footer's own rules for its keys apply); a click presses the key. The palette key is drawn
    compact, as Textual draws it: "^p palette"."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    FooterKey {
        width: auto; height: 1; text-wrap: nowrap; background: $footer-item-background;
        .footer-key--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer-key--description { color: $footer-description-foreground; background: $footer-description-background; }
        &:hover { color: $footer-key-foreground; background: $block-hover-background; }
        &.-disabled { text-style: dim; }
    }
    """

    def __init__(self, shown: Shown, classes: str = "", compact: bool = False) -> None:
        super().__init__(classes=classes + ("" if shown.enabled else " -disabled"))
        self.shown = shown
        self.compact = compact
        self.action = shown.action
        if shown.tooltip:
            self.tooltip = shown.tooltip

    def render(self) -> Text:
        key, description = self.shown.display, self.shown.description
        key, description = (key, f" {description}") if self.compact else (f" {key} ", f"{description} ")
        text = Text.assemble((key, self.get_component_rich_style("footer-key--key")))
        if self.shown.description:
            text.append(description, self.get_component_rich_style("footer-key--description"))
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self) -> None:
        if self.shown.enabled:
            self.app.simulate_key(self.shown.key)
        else:
            self.app.bell()


class KeysFooter(Footer):
    """Textual's Footer rebuilds all its keys each time the bindings may have changed: the
    reader's start-up asks five times in a row and every focus change twice, mostly for the
    very keys already shown. This one skips a rebuild that would show the same keys.
    margin's bindings have no groups, so each key stands alone."""

    _shown: tuple | None = None
    _ready = False  # the screen's bindings are known (Textual says so through bindings_changed)
    status = ""
    DEFAULT_CSS = "KeysFooter #footer-status { dock: right; width: auto; padding: 0 1; text-style: bold; }"

    def set_status(self, text: str) -> None:
        refit = cell_len(text) != cell_len(self.status)  # the keys beside it get more or less room
        self.status = text
        for label in self.query("#footer-status"):
            label.update(text)
            label.display = bool(text)
        if refit:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen) -> None:
        self._ready = True
        super().bindings_changed(screen)

    def _shown_of(self, binding: Binding, enabled: bool, tooltip: str) -> Shown:
        return Shown(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                     enabled, tooltip)

    def _keys(self) -> tuple:
        """What the footer shows: one key per action with `show`, the palette key, the room for them."""
        active = self.screen.active_bindings
        per_action: dict[str, Shown] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                per_action.setdefault(binding.action, self._shown_of(binding, enabled, tooltip))
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is None or not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            palette_key = None
        else:
            _, binding, enabled, _ = palette
            palette_key = self._shown_of(binding, enabled, binding.tooltip or binding.description)
        return tuple(per_action.values()), palette_key, self._width(), cell_len(self.status)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        # Nothing is composed until the bindings are ready: only a composed footer is on record.
        if not self._ready:
            self._shown = None
            return
        self._shown = self._keys()
        keys, palette, *_ = self._shown
        for shown in self._fit(list(keys), palette):
            yield FooterKey(shown)
        if palette is not None:
            yield FooterKey(palette, classes="-command-palette", compact=True)
        status = Label(self.status, id="footer-status", markup=False)
        status.display = bool(self.status)
        # Docked right like the palette key, the status sits just left of it: docked widgets
        # on one edge overlap, so it keeps the palette key's width free.
        status.styles.margin = (0, palette.width if palette is not None else 0, 0, 0)
        yield status

    def _fit(self, keys: list[Shown], palette: Shown | None) -> list[Shown]:
        fixed = [k for k in keys if k.action in KEEP] + ([palette] if palette else [])
        room = self._width() - sum(k.width + 1 for k in fixed) - (cell_len(self.status) + 2 if self.status else 0)
        optional = [k for k in keys if k.action not in KEEP]
        order = sorted(optional, key=lambda k: (GIVE_WAY.index(k.action) if k.action in GIVE_WAY
                                                else len(GIVE_WAY) + len(optional) - optional.index(k)))
        while optional and sum(k.width for k in optional) > room:
            optional.remove(order.pop(0))
        self.styles.grid_size_columns = len(optional) + len(fixed)
        return [k for k in keys if k in optional or k.action in KEEP]

    async def on_resize(self) -> None:
        await self.recompose()

    async def recompose(self) -> None:
        if self._shown is not None and self.is_attached and self._keys() == self._shown:
            return
        await super().recompose()
