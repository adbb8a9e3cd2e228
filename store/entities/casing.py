"""What the model reads: the body with its capitals and table layout made readable.

Every change keeps the text's length, so offsets found in the model text point into
the body unchanged. The small model reads case as evidence: a headline in capitals
("LIVERPOOL STUN CITY LATE ON") is either missed or read as one long name, and a
dateline ("BRUSSELS —") is missed. Table rows ("Maria Santos    Labour    18,204") run
cells together into one name.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from store.entities.chunking import chunks

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# "BRUSSELS —", "AL-AIN , United Arab Emirates", "LONDON 1996-08-30": tokenised text
# has a space before the comma.
_DATELINE = re.compile(r"^([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+)*)(?= ?,| [—–-]| \(| \d{4}-\d\d-\d\d)", re.M)
_CELL_GAP = re.compile(r"(?<=\S)( {2,}|\t+)(?=\S)")


def is_shouting(line: str) -> bool:
    """A line written in capitals (a wire headline): at least 8 letters, 90% upper case."""
    if sum(c.islower() for c in line[:40]) > 4:  # ordinary prose: decided cheaply
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 8:
        return False
    return sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _vocabulary(text: str) -> dict[str, str]:
    """How each word is usually written in the article's ordinary (not shouted) lines."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for line in _LINE.findall(text):
        if not is_shouting(line):
            for w in _WORD.findall(line):
                seen[w.casefold()][w] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def _truecase(line: str, vocab: dict[str, str]) -> str:
    """A shouted line in the article's own casing: known words as the article writes them
    (LONDON -> London, NATO stays NATO), other words lower case."""

    def fix(m: re.Match) -> str:
        w = m.group(0)
        known = vocab.get(w.casefold())
        if known is not None and len(known) == len(w):
            return known
        low = w.lower()
        return low if len(low) == len(w) else w

    return _WORD.sub(fix, line)


def model_text(text: str) -> str:
    """The text the model reads; same length as `text`, so offsets carry over."""
    vocab: dict[str, str] | None = None

    def line_fix(m: re.Match) -> str:
        nonlocal vocab
        line = m.group(0)
        if is_shouting(line):
            if vocab is None:
                vocab = _vocabulary(text)
            line = _truecase(line, vocab)
        elif line.count("  ") >= 2 or "\t" in line:
            # Table cells: a run of spaces becomes a line break for the model, which then
            # never joins two cells into one name.
            line = _CELL_GAP.sub(lambda g: "\n" + g.group(1)[1:], line)
        return line

    out = _LINE.sub(line_fix, text)

    prose: dict[str, str] | None = None  # the vocabulary outside datelines

    def dateline(m: re.Match) -> str:
        nonlocal prose
        if prose is None:
            prose = _vocabulary(_DATELINE.sub(lambda d: " " * len(d.group(1)), text))
        words = m.group(1).split(" ")
        if all(prose.get(w.casefold()) == w for w in words):
            return m.group(1)  # "NATO ," opening a line: written so in the prose too
        return _titled(m.group(1))

    out = _DATELINE.sub(dateline, out)
    return out if len(out) == len(text) else text


def _titled(word: str) -> str:
    t = word.title()
    return t if len(t) == len(word) else word


def model_inputs(body: str, max_chars: int | None = None) -> list[tuple[int, str, str]]:
    """(offset, body chunk, model text of that chunk) for every chunk of the body."""
    prepared = model_text(body)
    pieces = chunks(body) if max_chars is None else chunks(body, max_chars)
    return [(off, piece, prepared[off:off + len(piece)]) for off, piece in pieces]
