"""An entity's page: every article that mentions it, newest first."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from store.errors import MarginError
from tui.screens.data import QuerySource
from tui.widgets.article_list import ArticleList
from tui.widgets.footer import KeysFooter
from tui.widgets.text_layout import KIND_STYLES


class EntityScreen(Screen[int | None]):
    BINDINGS = [Binding("escape,q,backspace", "close", "Back", id="entity.back")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.entity_name = name

    def compose(self) -> ComposeResult:
        yield Static(id="entity-head")
        yield ArticleList(id="entity-articles")
        yield KeysFooter()

    def on_mount(self) -> None:
        lib = self.app.lib
        head = Text()
        try:
            info = lib.entities.get(self.entity_name)
        except MarginError as exc:
            head.append(str(exc))
            info = None
        if info:
            head.append(info["name"], KIND_STYLES.get(info["kind"], KIND_STYLES["other"]))
            head.append(f"  {info['kind']}", "dim")
            if info.get("aliases"):
                head.append("\nalso: " + ", ".join(info["aliases"]), "dim")
            names = companion_names(info)
            if names:
                head.append("\nappears with: " + ", ".join(names), "dim")
        self.query_one("#entity-head", Static).update(head)
        name = info["name"] if info else self.entity_name
        articles = self.query_one(ArticleList)
        articles.set_source(QuerySource(lib, f'entity:"{name}" sort:date'))
        articles.focus()

    @on(ArticleList.Selected)
    def chosen(self, event: ArticleList.Selected) -> None:
        self.dismiss(event.article_id)

    def action_close(self) -> None:
        self.dismiss(None)


def companion_names(info: dict, limit: int = 8) -> list[str]:
    """Names the entity appears with, each once: the model may have filed one name under two
    kinds (two entities, e.g. a club as org and as person), which reads as a repeat."""
    names = dict.fromkeys(c["name"] for c in info.get("co_occurring") or [])
    return [n for n in names if n != info["name"]][:limit]
