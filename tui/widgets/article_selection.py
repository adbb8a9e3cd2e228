"""The article view's keyboard selection: `v` selects the word at the reading cursor, `w`, `S`
and `p` extend it by word, sentence and paragraph, and `a` asks to annotate it (or, with
nothing selected, the sentence at the cursor). A mixin of ArticleView: it works on the view's
laid-out blocks and posts the view's messages."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tui.widgets.text_layout import sentence_bounds

if TYPE_CHECKING:
    from tui.widgets.article_view import ArticleData
    from tui.widgets.text_layout import BlockLines

WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


class SelectionKeys:
    data: ArticleData | None
    cursor: int
    selection: tuple[int, int] | None
    _blocks: list[BlockLines]

    def _word_at(self, offset: int) -> tuple[int, int]:
        body = self.data.body
        for m in WORD.finditer(body, max(offset - 40, 0)):
            if m.end() > offset:
                return m.start(), m.end()
        return offset, min(offset + 1, len(body))

    def action_select(self) -> None:
        if not self.data or not self.data.body:
            return
        if self.selection is not None:
            self.cancel_selection()
            return
        self.selection = self._word_at(self.cursor)
        self._restyle(self.selection[0])
        self.notify("Selecting: w word, S sentence, p paragraph, a annotate, v or escape cancel", timeout=4)

    def cancel_selection(self) -> None:
        old = self.selection
        self.selection = None
        if old:
            self._restyle(old[0], old[1])

    def action_extend(self, unit: str) -> None:
        if self.selection is None or not self.data:
            return
        start, end = self.selection
        body = self.data.body
        i = self._block_at(max(end - 1, start))
        block = self._blocks[i] if i is not None else None
        if unit == "word":
            m = WORD.search(body, end)
            new_end = m.end() if m else len(body)
        elif unit == "sentence" and block is not None:
            nxt = min(end + 1, block.end)
            new_end = sentence_bounds(body, nxt if nxt < block.end else end - 1, block.start, block.end)[1]
            if new_end <= end and i + 1 < len(self._blocks):
                nb = self._blocks[i + 1]
                new_end = sentence_bounds(body, nb.start, nb.start, nb.end)[1]
        else:
            new_end = block.end if block is not None and block.end > end else (
                self._blocks[i + 1].end if i is not None and i + 1 < len(self._blocks) else end)
        self.selection = (start, max(new_end, end))
        self._restyle(start, end, self.selection[1] - 1)
        self.reveal(self.selection[1])

    def action_annotate(self) -> None:
        if not self.data or not self.data.body:
            return
        if self.selection is not None:
            start, end = self.selection
        else:
            i = self._block_at(self.cursor)
            block = self._blocks[i]
            start, end = sentence_bounds(self.data.body, max(self.cursor, block.start), block.start, block.end)
        self.post_message(self.AnnotateRequested(self.data.id, start, end))
