"""The sidebar of views, feeds and saved searches: `b` shows or hides it, its counts follow
reading once the keys rest, and choosing an entry lists what its query finds. A mixin of
ReaderScreen, like ArticleActions.
"""
from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

COUNTS_DELAY = 0.3  # the sidebar's counts follow read/star changes once keys come to rest


class SidebarActions:
    def action_toggle_sidebar(self) -> None:
        """Show or hide the sidebar. Wide: it takes its column or gives it up. Narrow or while
        reading (no room for a column): it opens over the list and closes when left."""
        sidebar = self.query_one("#sidebar")
        if self.has_class("-narrow") or self.has_class("-reading"):
            opening = not self.has_class("-sidebar-overlay")
            self.set_class(opening, "-sidebar-overlay")
            if opening:
                sidebar.focus()
            else:
                self._leave_sidebar()
        else:
            hiding = not self.has_class("-sidebar-hidden")
            self.set_class(hiding, "-sidebar-hidden")
            if hiding and sidebar.has_focus:
                self.query_one(ArticleList).focus()
            elif not hiding:
                sidebar.focus()

    def _leave_sidebar(self) -> None:
        if self.has_class("-reading"):
            self.query_one(ArticleView).focus()
        else:
            self.query_one(ArticleList).focus()

    def load_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar", OptionList)
        highlighted = sidebar.highlighted
        sidebar.clear_options()
        section = None
        self._sidebar_entries = []
        for entry in self.lib.sidebar():
            if entry.section != section and entry.section != "views":
                sidebar.add_option(Option(Text(entry.section.upper(), style="dim bold"), disabled=True))
                self._sidebar_entries.append(None)
            section = entry.section
            label = Text(entry.label[:17])
            if entry.error:  # a saved search that no longer parses: shown, and editable
                label = Text("⚠ " + entry.label[:15], style="#f7768e")
                reason = entry.error if len(entry.error) <= 40 else entry.error[:39] + "…"  # whole when opened
                label.append("\n  " + reason, style="dim #f7768e")
            elif entry.unread:
                label.append(f" {entry.unread}", style="bold #7aa2f7")
                label.append(f"/{entry.total}", style="dim")
            else:
                label.append(f" {entry.total}", style="dim")
            sidebar.add_option(Option(label, id=f"e{len(sidebar.options)}"))
            self._sidebar_entries.append(entry)
        if highlighted is not None and highlighted < sidebar.option_count:
            sidebar.highlighted = highlighted
        elif sidebar.option_count:
            sidebar.highlighted = 0  # "All articles": j/k start from the view that is shown

    def counts_changed(self) -> None:
        """Recount the sidebar soon: its nine counts read the whole library, so reading
        with j/J through a list recounts once, when the keys stop, not at every article."""
        if self._counts is not None:
            self._counts.stop()
        self._counts = self.set_timer(COUNTS_DELAY, self.load_sidebar)

    def sidebar_entry(self, index: int):
        """The SidebarEntry at an option index (None for a section heading)."""
        return self._sidebar_entries[index] if 0 <= index < len(self._sidebar_entries) else None

    def sidebar_chosen(self, index: int) -> None:
        """The entry at `index` was chosen (ReaderScreen's `@on` handler calls this: `@on`
        registers only on Textual's own classes, not on a mixin)."""
        entry = self.sidebar_entry(index)
        if entry is None:
            return
        if entry.error:  # open it in the search line, with its error, to be mended (ctrl+s saves)
            self._saved_name = entry.label
            self.action_search()
            self.query_one("#search").value = entry.query
            return
        self._saved_name = entry.label if entry.section == "searches" else None
        self.show_query(entry.query)
