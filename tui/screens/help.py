"""`?`: the keymap."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("j / k", "move down / up (list, article, panels)"),
    ("enter", "open the article; on an entity: its page; in a panel: follow"),
    ("q / escape", "back (article → list; q on the list quits)"),
    ("backspace", "back along the reading trail"),
    ("J / K", "next / previous article"),
    ("/", "search (query language: see README)"),
    ("n / N", "next / previous search match in the article"),
    ("ctrl+p", "command palette"),
    ("r", "refresh feeds (in the background)"),
    ("s / u", "star / toggle unread"),
    ("[ / ]", "previous / next entity"),
    ("{ / }", "previous / next paragraph"),
    ("v", "start a selection; then w word, S sentence, p paragraph"),
    ("a", "annotate the selection or the current sentence"),
    ("e / l / m", "entities / related / notes panel"),
    ("L", "link this article to another (fuzzy finder)"),
    ("F", "fetch the whole article from its web page"),
    ("?", "this help"),
]
LEGEND = [("person", "bold, orange"), ("place", "italic, cyan"), ("org", "bold italic, purple"),
          ("other", "green"), ("noted passage", "underlined, note in the margin")]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        keys = Table(title="Keys", show_header=False, box=None, padding=(0, 2))
        for key, what in KEYS:
            keys.add_row(Text(key, style="bold"), Text(what))
        legend = Table(title="Highlights", show_header=False, box=None, padding=(0, 2))
        for what, how in LEGEND:
            legend.add_row(Text(what, style="bold"), Text(how))
        with VerticalScroll(id="help"):
            yield Static(keys)
            yield Static(legend)

    def action_dismiss(self) -> None:
        self.dismiss(None)
