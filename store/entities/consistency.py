"""Document-level consistency: what one article says about a name holds all through it.

The small model labels each occurrence on its own, so it misses a name in a headline in
capitals or a table of names that it found in running text, and calls one name two
things. Each rule here is switchable (RULES) so the harness can measure it alone.
"""
from __future__ import annotations

import re

from store.entities import canonical
from store.entities.chunking import is_shouting
from store.entities.protocol import Found, Span

# The rules the enricher runs; tests/bench/eval_entities.py measures each one.
ALL_RULES = ("clean", "short_forms", "vote", "propagate", "designations", "coordination")
RULES = frozenset(ALL_RULES)

# Capitalised words that are names only sometimes: never spread by propagation.
_AMBIGUOUS = frozenset(
    "january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday the a an i he she it we they"
    " mr mrs ms dr president minister".split()
)
# Model designations: S-400, Su-24, F-16, MH-17, A-10C (weapons, aircraft, flights).
_DESIGNATION = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,2}-\d{1,4}[A-Z]?(?![\w-])")


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


def propagate(body: str, found: list[Found], *, in_title: bool = False) -> list[Found]:
    """Every other occurrence of a name found in this article is a mention of it too;
    in lines written in capitals the match ignores case ("PUTIN" in a headline).
    With in_title, `body` is the title and `found` the body's mentions."""
    forms: dict[str, Found] = {}
    for f in found:
        if len(f.text) >= 3 and f.text.casefold() not in _AMBIGUOUS:
            forms.setdefault(f.text, f)
    if not forms:
        return []
    taken = [] if in_title else [(f.start, f.end) for f in found]
    alternation = "|".join(re.escape(t) for t in sorted(forms, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    folded = {t.casefold(): f for t, f in forms.items()}
    loose = re.compile(pattern.pattern, re.IGNORECASE)
    added: list[Found] = []
    pos = 0
    for line in body.split("\n"):
        rx = loose if is_shouting(line) else pattern
        for m in rx.finditer(line):
            s, e = pos + m.start(), pos + m.end()
            src = forms.get(m.group(0)) or folded.get(m.group(0).casefold())
            if src is None or _overlaps(taken, s, e):
                continue
            added.append(Found(s, e, body[s:e], src.name, src.kind, src.label, in_title))
            taken.append((s, e))
        pos += len(line) + 1
    return added


_COORD = re.compile(r"\s*(?:,|and|or|&)\s*")


def coordination(body: str, found: list[Found]) -> None:
    """In "around Aleppo and Idlib" both are places: a name the model called a nationality
    or group (NORP) that is coordinated with a place takes the place's kind."""
    for a, b in zip(found, found[1:]):
        if not _COORD.fullmatch(body, a.end, b.start):
            continue
        for x, y in ((a, b), (b, a)):
            if x.label == "NORP" and y.kind == "place" and y.label != "NORP":
                x.kind = "place"


def designations(body: str, found: list[Found]) -> list[Found]:
    """Model designations the small model rarely tags (S-400, Su-24) become `other`."""
    taken = [(f.start, f.end) for f in found]
    out = []
    for m in _DESIGNATION.finditer(body):
        if not _overlaps(taken, m.start(), m.end()):
            out.append(Found(m.start(), m.end(), m.group(0), m.group(0), "other", "PRODUCT"))
    return out


def title_mentions(title: str, found: list[Found]) -> list[Found]:
    """Names of the body found again in the title (offsets into the title). The title
    is never run through the model on its own: a dozen words give it no context."""
    if not title or not found:
        return []
    return propagate(title, found, in_title=True)


def article_mentions(
    body: str,
    chunk_spans: list[tuple[int, str, list[Span]]],
    title: str = "",
    rules: frozenset[str] = RULES,
) -> list[Found]:
    """The final mentions of one article: cleaned, canonical, consistent, in order.

    `chunk_spans` holds (offset, chunk text, model spans over that chunk)."""
    found: list[Found] = []
    for offset, text, spans in chunk_spans:
        if "clean" in rules:
            found.extend(canonical.clean_spans(text, spans, offset))
        else:
            found.extend(Found(s.start + offset, s.end + offset, text[s.start:s.end],
                               text[s.start:s.end], s.kind, s.label) for s in spans)
    if "designations" in rules:
        found.extend(designations(body, found))
    found.sort(key=lambda f: f.start)
    if "coordination" in rules:
        coordination(body, found)
    if "short_forms" in rules:
        canonical.link_short_forms(found)
    if "vote" in rules:
        canonical.vote_kinds(found)
    canonical.unify_names(found)
    if "propagate" in rules:
        found.extend(propagate(body, found))
        found.sort(key=lambda f: f.start)
    if "clean" in rules:
        found.extend(title_mentions(title, [f for f in found if not f.in_title]))
    return found
