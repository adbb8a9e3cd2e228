"""The reader's search line: an Input that colours the query as it is typed (the query
language's Pygments lexer, through the façade), walks history with up/down, finds in it
with ctrl+r, and completes with tab. It never touches the library: the screen hands it
the history and answers its completion requests."""
from __future__ import annotations

from collections.abc import Callable

from rich.highlighter import Highlighter
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

# Token type names (Pygments') -> how they look; each also differs in weight or slant,
# so the query still reads in monochrome.
TOKEN_STYLES = {
    "Token.Keyword": Style(color="#7dcfff", bold=True),
    "Token.Name.Entity": Style(color="#ff9e64", bold=True),
    "Token.Name.Tag": Style(color="#9ece6a", bold=True),
    "Token.Literal.Date": Style(color="#bb9af7"),
    "Token.Keyword.Constant": Style(color="#7dcfff"),
    "Token.Name.Other": Style(italic=True),
    "Token.Literal.String.Double": Style(color="#e0af68"),
    "Token.Operator.Word": Style(color="#7aa2f7", bold=True),
    "Token.Operator": Style(color="#f7768e", bold=True),
    "Token.Error": Style(color="#ffffff", bgcolor="#a3303f", bold=True),
}


class QueryHighlighter(Highlighter):
    def __init__(self, tokens: Callable[[str], list[tuple[int, int, str]]]) -> None:
        self.tokens = tokens

    def highlight(self, text: Text) -> None:
        plain = text.plain
        if len(plain) > 4000:
            return  # a pasted page: colouring it is no help and costs every keystroke
        for start, end, token in self.tokens(plain):
            style = TOKEN_STYLES.get(token)
            if style is not None:
                text.stylize(style, start, end)


class SearchLine(Input):
    BINDINGS = [
        Binding("up", "history(1)", "Older query", show=False, id="search.older"),
        Binding("down", "history(-1)", "Newer query", show=False, id="search.newer"),
        Binding("ctrl+r", "find_history", "Find in history", show=False, id="search.find_history"),
        Binding("tab", "complete", "Complete", show=False, id="search.complete"),
    ]

    class CompletionRequested(Message):
        def __init__(self, line: SearchLine, value: str, cursor: int) -> None:
            super().__init__()
            self.line = line
            self.value = value
            self.cursor = cursor

    class Hint(Message):
        """Text for the line under the search line (candidates, history search)."""

        def __init__(self, text: Text | None) -> None:
            super().__init__()
            self.text = text

    def __init__(self, tokens: Callable[[str], list[tuple[int, int, str]]], **kwargs) -> None:
        super().__init__(highlighter=QueryHighlighter(tokens), select_on_focus=False, **kwargs)
        self.history: list[str] = []
        self._history_at = -1  # -1: the draft being typed
        self._draft = ""
        self._needle: str | None = None  # ctrl+r: what is looked for
        self._found: list[str] = []
        self._found_at = 0
        self._candidates: list = []
        self._candidate_at = 0
        self._applied: tuple[int, str] | None = None  # (start, text) of the completion shown

    # -- history -----------------------------------------------------------------------
    def set_history(self, queries: list[str]) -> None:
        self.history = queries
        self._history_at = -1

    def _show(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)

    def action_history(self, direction: int) -> None:
        if not self.history:
            return
        if self._history_at == -1:
            self._draft = self.value
        at = max(-1, min(len(self.history) - 1, self._history_at + direction))
        if at == self._history_at:
            return
        self._history_at = at
        self._quiet_history = True
        self._show(self._draft if at == -1 else self.history[at])
        self.post_message(self.Hint(Text(f"history {at + 1}/{len(self.history)}", style="dim") if at >= 0 else None))

    def action_find_history(self) -> None:
        """Like a shell's ctrl+r: each press shows the next older query containing what
        was typed before the first press."""
        if self._needle is None:
            self._needle = self.value
            needle = self._needle.casefold()
            self._found = [q for q in self.history if needle in q.casefold() and q != self.value]
            self._found_at = -1
        if not self._found:
            self.post_message(self.Hint(Text(f"history: nothing contains “{self._needle}”", style="dim")))
            return
        self._found_at = (self._found_at + 1) % len(self._found)
        needle = self._needle
        self._keep_needle = True
        self._show(self._found[self._found_at])
        hint = Text("history search: ", style="dim")
        hint.append(needle or "(everything)", style="bold")
        hint.append(f"  {self._found_at + 1}/{len(self._found)}  ctrl+r older", style="dim")
        self.post_message(self.Hint(hint))

    # -- completion --------------------------------------------------------------------
    def action_complete(self) -> None:
        if self._candidates and self._applied is not None:
            start, text = self._applied
            if self.value[start:start + len(text)] == text and self.cursor_position == start + len(text):
                self._candidate_at = (self._candidate_at + 1) % len(self._candidates)
                self._apply(start, start + len(text))
                return
        self.post_message(self.CompletionRequested(self, self.value, self.cursor_position))

    def offer(self, candidates: list) -> None:
        """The screen's answer to CompletionRequested: apply the first, list them all."""
        self._candidates, self._candidate_at = candidates, 0
        if not candidates:
            self._applied = None
            self.post_message(self.Hint(Text("no completions", style="dim")))
            return
        self._apply(candidates[0].start, candidates[0].end)

    def _apply(self, start: int, end: int) -> None:
        chosen = self._candidates[self._candidate_at]
        value = self.value[:start] + chosen.text + self.value[end:]
        self._applied = (start, chosen.text)
        self._keep_candidates = True
        self.value = value
        self.cursor_position = start + len(chosen.text)
        hint = Text()
        for i, c in enumerate(self._candidates):
            if i:
                hint.append("  ")
            hint.append(c.label, style="bold reverse" if i == self._candidate_at else "bold")
            if c.detail:
                hint.append(f" {c.detail}", style="dim")
        if len(self._candidates) > 1:
            hint.append("   tab: next", style="dim")
        self.post_message(self.Hint(hint))

    # -- typing ------------------------------------------------------------------------
    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        # Typing (not a recall or a completion) starts history and completion afresh.
        if not getattr(self, "_quiet_history", False):
            self._history_at = -1
        if not getattr(self, "_keep_needle", False):
            self._needle = None
        if not getattr(self, "_keep_candidates", False):
            self._candidates, self._applied = [], None
        self._quiet_history = self._keep_needle = self._keep_candidates = False

    def _on_paste(self, event: events.Paste) -> None:
        """A pasted paragraph is one query: its lines joined, not only the first."""
        if event.text:
            text = " ".join(event.text.split())
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
