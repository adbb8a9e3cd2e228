"""Anchors (quote + context + position) and re-anchoring after the text changed.

After Hypothesis, with a floor (DESIGN §4). The diff between old and new text is
computed once per article, over word tokens (short sequences, so it stays fast on long
bodies), and every note is placed through it:

1. `anchored`: the quote lay in unchanged text and maps to the same words;
2. `relocated`: the quote was in text that the diff saw as removed, and the exact quote
   appears in text that is new in this version (a moved paragraph), nearest the expected
   place, prefix/suffix breaking ties. An occurrence that was already there is another
   passage, so an edited quote never jumps to it;
3. `changed`: the text that now stands where the quote stood is similar enough
   (score >= MIN_FUZZY_SCORE over quote, prefix and suffix);
4. `orphaned`: none of these; the note keeps its saved quote and is never deleted.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 32
EDGE_SLACK = 8  # characters around the mapped place where the exact quote still counts
MIN_FUZZY_SCORE = 0.6  # test_fuzzy_floor_rejects_a_rewritten_sentence (tests/notes/test_anchoring.py) holds it
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Placement:
    state: str  # anchored | relocated | changed | orphaned
    start: int | None
    end: int | None
    text: str | None  # the text now under the note (None when orphaned)


def make_anchor(body: str, start: int, end: int) -> Anchor:
    return Anchor(start, end, body[start:end], body[max(0, start - CONTEXT):start], body[end:end + CONTEXT])


def _tokens(text: str) -> tuple[list[str], list[int]]:
    toks, starts = [], []
    for m in _TOKENS.finditer(text):
        toks.append(m.group(0))
        starts.append(m.start())
    return toks, starts


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _token_ops(old: str, new: str, a0: int, b0: int) -> list[tuple]:
    """Character ops of a word-token diff of two (short) texts, shifted by (a0, b0)."""
    a, a_starts = _tokens(old)
    b, b_starts = _tokens(new)
    a_starts.append(len(old))
    b_starts.append(len(new))
    return [
        (a0 + a_starts[i1], a0 + a_starts[i2], b0 + b_starts[j1], b0 + b_starts[j2], tag == "equal")
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ]


class TextDiff:
    """Old -> new offset mapping. Paragraphs are diffed first (cheap, and a moved paragraph
    shows as removed + new text); only paragraphs that changed get a word-token diff, so
    the cost follows the size of the edit, not of the article."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        pa, pb = _paragraphs(old), _paragraphs(new)
        ta, tb = [old[s:e] for s, e in pa], [new[s:e] for s, e in pb]
        self.ops: list[tuple] = []
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
            a_lo = pa[i1][0] if i1 < len(pa) else len(old)
            a_hi = pa[i2 - 1][1] if i2 > i1 else a_lo
            b_lo = pb[j1][0] if j1 < len(pb) else len(new)
            b_hi = pb[j2 - 1][1] if j2 > j1 else b_lo
            if tag == "equal":
                self.ops.append((a_lo, a_hi, b_lo, b_hi, True))
            elif tag == "replace" and (a_hi - a_lo) + (b_hi - b_lo) < 20_000:
                self.ops.extend(_token_ops(old[a_lo:a_hi], new[b_lo:b_hi], a_lo, b_lo))
            else:
                self.ops.append((a_lo, a_hi, b_lo, b_hi, False))
        self.ops = [op for op in self.ops if op[1] > op[0] or op[3] > op[2]] or [(0, len(old), 0, len(new), old == new)]
        self._op_starts = [op[0] for op in self.ops]
        self.inserted = [(j1, j2) for _, _, j1, j2, eq in self.ops if not eq and j2 > j1]

    def _op(self, pos: int) -> tuple:
        i = bisect.bisect_right(self._op_starts, pos) - 1
        return self.ops[max(0, min(i, len(self.ops) - 1))]

    def exact(self, pos: int) -> int | None:
        """New offset of an old offset inside unchanged text, else None."""
        i1, i2, j1, _, equal = self._op(pos)
        return j1 + (pos - i1) if equal and i1 <= pos < i2 else None

    def near(self, pos: int) -> int:
        """New offset of an old offset, proportional inside edited regions."""
        if not self.ops:
            return 0
        i1, i2, j1, j2, equal = self._op(pos)
        if equal or i2 == i1:
            return min(j1 + (pos - i1), j2) if equal else j1
        return j1 + round((pos - i1) * (j2 - j1) / (i2 - i1))

    def untouched(self, start: int, end: int) -> bool:
        i1, i2, _, _, equal = self._op(start)
        return equal and i1 <= start and end <= i2

    def in_new_text(self, start: int, end: int) -> bool:
        return any(j1 <= start and end <= j2 for j1, j2 in self.inserted)


def _occurrences(text: str, quote: str, lo: int, hi: int) -> list[int]:
    out, pos = [], text.find(quote, lo, hi)
    while pos >= 0:
        out.append(pos)
        pos = text.find(quote, pos + 1, hi)
    return out


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(new: str, start: int, end: int, anchor: Anchor) -> float:
    before = new[max(0, start - len(anchor.prefix)):start]
    after = new[end:end + len(anchor.suffix)]
    return (_similarity(before, anchor.prefix) + _similarity(after, anchor.suffix)) / 2


def place(anchor: Anchor, diff: TextDiff) -> Placement:
    new = diff.new
    if not anchor.exact:
        return Placement("orphaned", None, None, None)
    # 1. unchanged text maps exactly
    if diff.untouched(anchor.start, anchor.end):
        s = diff.exact(anchor.start)
        if s is not None and new[s:s + len(anchor.exact)] == anchor.exact:
            return Placement("anchored", s, s + len(anchor.exact), anchor.exact)
    expected = diff.near(anchor.start)
    # 1b. edits that touch only the quote's edge tokens (a space removed beside it) move the
    # token boundaries, not the words: the quote standing right where it maps is anchored.
    # Both ends are tried: a repeated word can pull one end's mapping away, rarely both.
    for guess in (expected, diff.near(anchor.end) - len(anchor.exact)):
        lo = max(0, guess - EDGE_SLACK)
        near = _occurrences(new, anchor.exact, lo, guess + EDGE_SLACK + len(anchor.exact))
        if near:
            s = min(near, key=lambda p: abs(p - guess))
            return Placement("anchored" if s == expected else "relocated", s, s + len(anchor.exact), anchor.exact)
    # 2. the exact quote in text that is new in this version (moved passages)
    best = None
    pos = new.find(anchor.exact)
    while pos >= 0:
        end = pos + len(anchor.exact)
        if diff.in_new_text(pos, end):
            key = (-round(_context_score(new, pos, end, anchor), 2), abs(pos - expected))
            if best is None or key < best[0]:
                best = (key, pos)
        pos = new.find(anchor.exact, pos + 1)
    if best is not None:
        s = best[1]
        return Placement("relocated", s, s + len(anchor.exact), anchor.exact)
    # 2b. edits right beside the quote can make the diff align its words with other text, so
    # the mapping lands a little off: the quote standing word for word within its own length
    # (plus slack) of there is still the note's passage. Farther away, the same words are
    # another passage (a repeated name), and the note is not moved onto them.
    reach = len(anchor.exact) + 2 * EDGE_SLACK
    near = _occurrences(new, anchor.exact, max(0, expected - reach), expected + reach + len(anchor.exact))
    if near:
        s = min(near, key=lambda p: abs(p - expected))
        return Placement("relocated", s, s + len(anchor.exact), anchor.exact)
    # 3. what stands where the quote stood, if similar enough
    s, e = diff.near(anchor.start), diff.near(anchor.end)
    while s < e and new[s].isspace():
        s += 1
    while e > s and new[e - 1].isspace():
        e -= 1
    if e > s:
        candidate = new[s:e]
        score = 0.75 * _similarity(anchor.exact, candidate) + 0.25 * _context_score(new, s, e, anchor)
        if score >= MIN_FUZZY_SCORE:
            return Placement("changed", s, e, candidate)
    # 4. orphaned: the saved quote stays with the note
    return Placement("orphaned", None, None, None)


def place_changed(anchor: Anchor, current: str, diff: TextDiff) -> Placement:
    """Place a note that is already `changed`: it stands on `current` (at anchor.start..end),
    not on its quote. While that text survives, untouched or moved with its paragraph, the
    note follows it; once that text is edited again, the note is placed by its quote like any
    other, so it never drifts further from what the user quoted than one edit allows."""
    if current and diff.old[anchor.start:anchor.end] == current:
        p = place(make_anchor(diff.old, anchor.start, anchor.end), diff)
        if p.state in ("anchored", "relocated"):
            return Placement("anchored" if p.text == anchor.exact else "changed", p.start, p.end, p.text)
    return place(anchor, diff)


def place_by_quote(anchor: Anchor, new: str) -> Placement:
    """Place a note when the text it was made on is unknown (a backup without it): the quote
    where it was, else the occurrence whose context matches best, else orphaned."""
    if not anchor.exact:
        return Placement("orphaned", None, None, None)
    if new[anchor.start:anchor.end] == anchor.exact and _context_score(new, anchor.start, anchor.end, anchor) == 1.0:
        return Placement("anchored", anchor.start, anchor.end, anchor.exact)
    found = _occurrences(new, anchor.exact, 0, len(new))
    if not found:
        return Placement("orphaned", None, None, None)
    def fit(p: int) -> tuple[float, int]:
        return round(_context_score(new, p, p + len(anchor.exact), anchor), 2), -abs(p - anchor.start)

    s = max(found, key=fit)
    return Placement("relocated", s, s + len(anchor.exact), anchor.exact)
