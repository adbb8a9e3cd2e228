"""What a search returns: one SearchHit per article, its snippet as plain text plus
highlight spans (never markup), so any front end can style the matched words safely."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

HL_OPEN, HL_CLOSE = "\x02", "\x03"  # control characters never occur in stored text
_MARKERS = re.compile(f"([{HL_OPEN}{HL_CLOSE}])")


@dataclass
class SearchHit:
    id: int
    title: str
    source: str | None
    published_at: str | None
    sort_at: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    read: bool = False
    starred: bool = False
    has_note: bool = False
    feed_id: int | None = None
    also_in: list[dict] = field(default_factory=list)  # duplicates folded into this hit: {"id", "source"}

    def to_json(self) -> dict:
        # BM25 of words in most articles is tiny (FTS5 floors their IDF): keep 6 significant
        # digits rather than decimals, or every score would print as 0.
        return {
            "id": self.id, "title": self.title, "source": self.source,
            "published_at": self.published_at, "score": float(f"{self.score:.6g}"),
            "snippet": self.snippet, "also_in": self.also_in,
        }


def split_highlights(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Turn FTS5 snippet markers into plain text plus (start, end) spans."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, start = 0, None
    # Piece by piece, not character by character: a Python step per character is paid for
    # every preview the reader's list shows before its first paint.
    for piece in _MARKERS.split(marked):
        if piece == HL_OPEN:
            start = pos
        elif piece == HL_CLOSE:
            if start is not None and pos > start:
                spans.append((start, pos))
            start = None
        elif piece:
            out.append(piece)
            pos += len(piece)
    return "".join(out), spans
