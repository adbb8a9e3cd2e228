"""Split long bodies into model-sized chunks at paragraph boundaries, keeping offsets.

The small model's memory grows with the text it is given, and one 1 MB body would
also starve the other worker, so bodies are cut into chunks of at most `max_chars`
at blank lines (then single newlines, then spaces); each chunk carries its offset."""
from __future__ import annotations

MAX_CHARS = 20_000


def chunks(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """[(offset, piece)] covering `text` in order; text[offset:offset+len(piece)] == piece."""
    if not text.strip():
        return []
    out: list[tuple[int, str]] = []
    _split(text, 0, max_chars, ("\n\n", "\n", ". ", " "), out)
    return [(off, piece) for off, piece in out if piece.strip()]


def _split(text: str, base: int, limit: int, seps: tuple[str, ...], out: list) -> None:
    if len(text) <= limit:
        out.append((base, text))
        return
    if not seps:  # no separator left: a hard cut (one enormous "word")
        for i in range(0, len(text), limit):
            out.append((base + i, text[i:i + limit]))
        return
    sep, rest = seps[0], seps[1:]
    start = 0
    while start < len(text):
        if len(text) - start <= limit:
            out.append((base + start, text[start:]))
            return
        cut = text.rfind(sep, start, start + limit)
        if cut <= start:  # no separator inside the window: try finer separators on it
            end = text.find(sep, start + limit)
            end = len(text) if end < 0 else end
            _split(text[start:end], base + start, limit, rest, out)
            start = end
            continue
        cut += len(sep)
        out.append((base + start, text[start:cut]))
        start = cut
