"""Command palette (ctrl+p): every reader action with its key, and every named thing in the
library (views, feeds, sources, tags, entities) to jump to.

Actions come from the bindings themselves, so a key rebound in the config file shows as
rebound here. Named things come from `SOURCES`: adding a kind of thing to the palette is
one `Source` line there.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from tui.widgets.nav_list import NAV_BINDINGS

# Binding id -> the palette's name for it. Movement keys (j/k, pages) are left out: they are
# keys, not commands. A test checks every other binding of the reader is named here.
ACTION_NAMES = {
    "reader.search": "Search",
    "reader.back": "Back / quit",
    "reader.trail_back": "Back along the reading trail",
    "reader.next_article": "Next article",
    "reader.prev_article": "Previous article",
    "reader.star": "Star or unstar the article",
    "reader.unread": "Toggle unread",
    "reader.entities": "Entities panel",
    "reader.related": "Related panel",
    "reader.notes": "Notes panel",
    "reader.links": "Links panel",
    "reader.link": "Link this article to another",
    "reader.refresh": "Refresh feeds",
    "reader.sidebar": "Show or hide the sidebar",
    "reader.open_browser": "Open the article in the browser",
    "reader.copy_url": "Copy the article's URL",
    "reader.pipe": "Pipe the article to a command",
    "view.next_entity": "Next entity",
    "view.prev_entity": "Previous entity",
    "view.next_paragraph": "Next paragraph",
    "view.prev_paragraph": "Previous paragraph",
    "view.next_match": "Next search match",
    "view.prev_match": "Previous search match",
    "view.open_entity": "Open the entity's page",
    "view.select": "Start a selection",
    "view.extend_word": "Extend the selection by a word",
    "view.extend_sentence": "Extend the selection by a sentence",
    "view.extend_paragraph": "Extend the selection by a paragraph",
    "view.annotate": "Annotate the selection or sentence",
    "view.fold_notes": "Fold or unfold long notes",
    "reader.fulltext": "Fetch the whole article (its web page)",
    "reader.save_search": "Save the search",
    "reader.rename_saved": "Rename the saved search",
    "reader.delete_saved": "Delete the saved search",
    "reader.saved_up": "Move the saved search up",
    "reader.saved_down": "Move the saved search down",
    "app.help": "Help: all keys",
}
SKIPPED = {"reader.escape", "reader.focus_next", "reader.focus_previous", "list.open"}


def reader_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) for every binding the palette names: where is "screen", "view" or "app"."""
    from tui.app import MarginApp
    from tui.screens.reader import ReaderScreen
    from tui.widgets.article_view import ArticleView

    out = []
    for where, cls in (("screen", ReaderScreen), ("view", ArticleView), ("app", MarginApp)):
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding) and binding.id in ACTION_NAMES:
                out.append((where, binding))
    return out


def key_display(app, binding: Binding) -> str:
    """The keys as the user has them: their keymap's, else the default."""
    keys = getattr(app, "keymap", {}).get(binding.id, binding.key)
    return ", ".join(app.get_key_display(Binding(k.strip(), binding.action)) for k in keys.split(","))


def highlighted(matcher, candidate: str) -> Content:
    """The candidate with its matched letters marked, as text: Textual's `Matcher.highlight`
    reads the candidate as markup, and feed titles and entity names come from content."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets if score else ():
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ActionCommands(Provider):
    def _actions(self) -> Iterable[tuple[str, str, Callable]]:
        screen = self.screen
        run_view = getattr(screen, "run_view_action", None)
        for where, binding in reader_bindings():
            if where == "view" and run_view is None:
                continue
            if where == "screen" and not hasattr(screen, f"action_{binding.action.split('(')[0]}"):
                continue
            name = ACTION_NAMES[binding.id]
            help_text = escape(f"key: {key_display(self.app, binding)}")  # the palette reads help as markup
            if where == "view":
                run = partial(run_view, binding.action)
            elif where == "app":
                run = partial(self.app.run_action, binding.action)
            else:
                run = partial(screen.run_action, binding.action)
            yield name, help_text, run

    async def discover(self) -> Hits:
        for name, help_text, run in self._actions():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(matcher, name), run, help=help_text)


@dataclass
class Source:
    """One kind of named thing: a label for the palette, how to list the things (each a
    name and a detail line), and what choosing one does on the reader screen."""

    kind: str
    names: Callable[[object], Iterable[tuple[str, str]]]
    choose: Callable[[object, str], None]


def _sidebar_names(section: str) -> Callable[[object], Iterable[tuple[str, str]]]:
    def names(lib) -> Iterable[tuple[str, str]]:
        for entry in lib.sidebar():
            if entry.section == section:
                yield entry.label, f"{entry.unread} unread of {entry.total}" if entry.unread else f"{entry.total}"
    return names


def _sidebar_query(section: str) -> Callable[[object, str], None]:
    def choose(screen, label: str) -> None:
        entry = next((e for e in screen.lib.sidebar() if e.section == section and e.label == label), None)
        if entry is not None:
            screen.show_query(entry.query)
    return choose


def _entity_names(lib) -> Iterable[tuple[str, str]]:
    for e in lib.entities.list()[:5000]:  # the most mentioned first; a palette is no place for the long tail
        yield e["name"], f"{e['kind']} · {e['articles']} article{'' if e['articles'] == 1 else 's'}"


SOURCES = [
    Source("View", _sidebar_names("views"), _sidebar_query("views")),
    Source("Feed", _sidebar_names("feeds"), _sidebar_query("feeds")),
    Source("Source", _sidebar_names("sources"), _sidebar_query("sources")),
    Source("Tag", _sidebar_names("tags"), _sidebar_query("tags")),
    Source("Search", _sidebar_names("searches"), _sidebar_query("searches")),
    Source("Entity", _entity_names, lambda screen, name: screen.open_entity(name)),
]


class LibraryCommands(Provider):
    """Every name SOURCES lists, as "Kind: name"; only on the reader screen."""

    async def startup(self) -> None:
        self._things: list[tuple[str, str, Callable]] = []
        lib = getattr(self.app, "lib", None)
        if lib is None or not hasattr(self.screen, "show_query"):
            return
        for source in SOURCES:
            for name, detail in source.names(lib):
                self._things.append((f"{source.kind}: {name}", detail, partial(source.choose, self.screen, name)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, detail, run in self._things:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), run, text=title, help=escape(detail))


class MarginPalette(CommandPalette):
    """Textual's palette, whose results take the reader's keys: tab moves into them, then
    j/k/g/G move and enter runs; any other key goes back to the query."""

    BINDINGS = [Binding(b.key, f"nav('{a}')", b.description, show=False, id=f"palette.{b.id}")
                for b, a in zip(NAV_BINDINGS, ("cursor_down", "cursor_up", "first", "last"), strict=False)] + [
        Binding("tab", "results", "Results", show=False, id="palette.results"),
    ]

    def on_mount(self) -> None:
        self.query_one(CommandList).can_focus = True

    def action_results(self) -> None:
        results = self.query_one(CommandList)
        if results.option_count:
            if results.highlighted is None:
                results.highlighted = 0
            results.focus()

    def action_nav(self, action: str) -> None:
        if self.query_one(CommandList).has_focus:  # j/k are letters of the query while typing it
            self._action_command_list(action)

    def on_key(self, event) -> None:
        results = self.query_one(CommandList)
        if results.has_focus and event.is_printable and event.key not in {b.key for b in NAV_BINDINGS}:
            query = self.query_one("CommandInput")
            query.focus()
            query.insert_text_at_cursor(event.character)
            event.stop()
