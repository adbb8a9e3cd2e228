"""An OptionList that answers the reader's movement keys (j/k, g/G) as well as the arrows.

The sidebar, the side panels and the palette's results are all this list, so one set of
keys moves everywhere and a user's keymap for `nav.*` applies to all of them at once."""
from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList

NAV_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("g", "first", "Top", show=False, id="nav.top"),
    Binding("G", "last", "Bottom", show=False, id="nav.bottom"),
]


class NavList(OptionList):
    BINDINGS = NAV_BINDINGS
