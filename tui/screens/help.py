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
    ("j / k", "move down / up (every list, panel and the article)"),
    ("g / G", "first / last (lists, panels, the article; tab into the palette's results first)"),
    ("tab / shift+tab", "sidebar → list → preview (reading: article ↔ panel)"),
    ("b", "show or hide the sidebar (over the list on narrow terminals)"),
    ("enter", "open the article; on an entity: its page; in a panel: follow"),
    ("q / escape", "back (article → list; q on the list quits)"),
    ("backspace", "back along the reading trail"),
    ("J / K", "next / previous article"),
    ("/", "search (query language: see README)"),
    ("n / N", "next / previous search match in the article"),
    ("ctrl+p", "command palette: every action with its key, every view, feed, tag and entity"),
    ("r", "refresh feeds (in the background)"),
    ("s / u", "star / toggle unread"),
    ("[ / ]", "previous / next entity"),
    ("{ / }", "previous / next paragraph"),
    ("v", "start a selection; then w word, S sentence, p paragraph"),
    ("a", "annotate the selection or the current sentence"),
    ("e / l / m / f", "entities / related / notes / links panel"),
    ("o", "open the article in the browser ($BROWSER); in the links panel: that link"),
    ("y", "copy the article's URL; in the links panel: that link"),
    ("|", "pipe the article (or the selection) to a shell command"),
    ("z", "fold / unfold long notes"),
    ("L", "link this article to another (fuzzy finder)"),
    ("F", "fetch the whole article from its web page"),
    ("?", "this help"),
]
LEGEND = [("person", "bold, orange"), ("place", "italic, cyan"), ("org", "bold italic, purple"),
          ("other", "green"), ("noted passage", "underlined, note in the margin")]


class HelpScroll(VerticalScroll):
    """The help text scrolls with the reader's keys."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k", "scroll_up", "Up", show=False, id="help.up"),
        Binding("g", "scroll_home", "Top", show=False, id="help.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="help.bottom"),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,enter", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        keys = Table(title="Keys", show_header=False, box=None, padding=(0, 2))
        for key, what in KEYS:
            keys.add_row(Text(key, style="bold"), Text(what))
        legend = Table(title="Highlights", show_header=False, box=None, padding=(0, 2))
        for what, how in LEGEND:
            legend.add_row(Text(what, style="bold"), Text(how))
        with HelpScroll(id="help"):
            yield Static(keys)
            yield Static(legend)

    def on_mount(self) -> None:
        self.query_one(HelpScroll).focus()

    def action_dismiss(self) -> None:
        self.dismiss(None)
