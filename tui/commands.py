"""Command palette (ctrl+p): every reader action by name."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

ACTIONS = [
    ("Search", "search", "Search the library (/)"),
    ("Refresh feeds", "refresh", "Fetch all feeds in the background (r)"),
    ("Star article", "star", "Star or unstar the article (s)"),
    ("Toggle unread", "toggle_unread", "Mark read or unread (u)"),
    ("Entities panel", "panel('entities')", "People, places, organisations in this article (e)"),
    ("Related panel", "panel('related')", "Related articles and why (l)"),
    ("Notes panel", "panel('notes')", "Your notes on this article (m)"),
    ("Link to another article", "link", "Add your own cross-link (L)"),
    ("Fetch the whole article", "fulltext", "Fetch the article's web page and show its full text (F)"),
    ("Back along the trail", "trail_back", "Return to the previous article (backspace)"),
    ("Next article", "next_article(1)", "J"),
    ("Previous article", "next_article(-1)", "K"),
]


class MarginCommands(Provider):
    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
