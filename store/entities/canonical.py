"""Clean model spans and give every mention its canonical name within one article.

- spans lose edge punctuation and quotes, a leading "the", a possessive "'s" and
  trailing lower-case words ("RIA news agency" -> "RIA"); what is left must hold a
  capital letter and a letter, or it is not a name;
- a later short form of a person's full name means that person (`Putin` -> `Vladimir
  Putin`), even where the model called the short form an organisation;
- one name keeps one kind in one article: the kind most of its mentions were given.
Across the library the name's key (store.names.name_key) decides identity, so case
and diacritics variants share one entity.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from functools import lru_cache

from store.entities.protocol import Found, Span
from store.names import name_key as _name_key

# The same few hundred names come back in every article: their keys are cached.
name_key = lru_cache(maxsize=1 << 16)(_name_key)

_LEADING_THE = re.compile(r"(?i)the\s+")
_POSSESSIVE = re.compile(r"['’]s$")
# "non-ISIS", "anti-Assad": a lower-case prefix glued to a name is not part of it.
_PREFIX = re.compile(r"(?:non|anti|pro|ex|post|pre|mid|neo|pan)-(?=[A-Z])")
# Name particles that may start a name in lower case ("von der Leyen", "al-Sisi").
_PARTICLES = frozenset(["von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "al", "el",
                        "bin", "ibn", "ben", "dos", "das"])
_NUMBER = re.compile(r"\d+(?:[-–:./,]\d+)*")
DESIGNATION = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{0,2}-\d{1,4}[A-Z]?(?![\w-])")


# A name ending in an abbreviation keeps its period: initials ("U.S.", "A.F.C.") and the
# suffixes of personal and company names.
_ABBREVIATION = re.compile(
    r"(?:(?<![\w.])(?:[A-Za-z]\.){2,}|(?<!\w)(?:Jr|Sr|Inc|Ltd|Co|Corp|Bros|Plc|Cie)\.)$")


def _is_edge(ch: str) -> bool:
    return not ch.isalnum()


def clean_span(text: str, start: int, end: int, kind: str) -> tuple[int, int] | None:
    """Trim a span to the name it holds; None if nothing name-like is left.

    `text` is what the model read (casing.model_text), so casing decisions see a
    shouted headline in the article's own casing."""
    piece = text[start:end]
    if "\n" in piece:  # a span never crosses a line: keep the part with most letters
        best = max(piece.split("\n"), key=lambda p: sum(c.isalpha() for c in p))
        start += piece.index(best)
        end = start + len(best)
    for _ in range(3):  # the edits expose one another ("the “Islamic State”'s")
        while start < end and _is_edge(text[start]):
            start += 1
        while end > start and _is_edge(text[end - 1]):
            if text[end - 1] == "." and _ABBREVIATION.search(text, start, end):
                break  # "U.S.", "D.C.", "Jr.": the period is part of the name
            end -= 1
        m = _LEADING_THE.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
        m = _POSSESSIVE.search(text[start:end])
        if m and end - start > 2:
            end = start + m.start()
        m = _PREFIX.match(text, start, end)
        if m:
            start = m.end()
        if kind != "other":
            start, end = _drop_lowercase_edges(text, start, end)
    piece = text[start:end]
    if end - start < 2 or not any(c.isupper() for c in piece) or not any(c.isalpha() for c in piece):
        return None
    return start, end


def _drop_lowercase_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """'RIA news agency' -> 'RIA', 'stun City' -> 'City', 'Manchester City 2-1' ->
    'Manchester City': a name neither starts nor ends in lower-case common words, nor
    ends in a score or a number (kind `other` keeps them: "iPhone 16", "Windows 11")."""
    words = list(re.finditer(r"\S+", text[start:end]))

    def common(w: str) -> bool:
        return w.isalpha() and w.islower()

    while len(words) > 1 and (common(words[-1].group(0)) or _NUMBER.fullmatch(words[-1].group(0))):
        words.pop()
    while len(words) > 1 and common(words[0].group(0)) and words[0].group(0) not in _PARTICLES:
        words.pop(0)
    if not words:
        return start, end
    return start + words[0].start(), start + words[-1].end()


# Lower-case words that may stand inside a name ("Bank of England", "Institute for
# Human Rights", "Charles de Gaulle"); any other lower-case word inside a span is a
# verb or descriptor the model swallowed ("Fabius told RTL").
_JOINERS = _PARTICLES | frozenset(["of", "and", "for", "the", "on", "upon", "in", "at", "to", "y", "e", "et", "und",
                                   "des", "du", "zu", "am", "au", "aux"])


def split_inner(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'Fabius told RTL' -> 'Fabius', 'RTL': a span cut at an inner lower-case word that
    cannot belong to a name; each side must still hold a capital letter."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for i in range(1, len(words) - 1):
        w = words[i].group(0)
        if w.isalpha() and w.islower() and w not in _JOINERS:
            left = (start, start + words[i - 1].end())
            right = (start + words[i + 1].start(), end)
            return [p for p in (left, right) if any(c.isupper() for c in text[p[0]:p[1]])]
    return [(start, end)]


def clean_spans(text: str, spans: list[Span], offset: int = 0, seen: str | None = None) -> list[Found]:
    """Model spans over `text` (a body chunk at `offset`) as Found mentions; `seen` is
    the model's view of the same chunk (same length), used for casing decisions."""
    out = []
    seen = text if seen is None else seen
    for sp in spans:
        kind = sp.kind
        cleaned = clean_span(seen, sp.start, sp.end, kind)
        if cleaned is None:
            continue
        parts = split_inner(seen, *cleaned) if kind != "other" else [cleaned]
        for n, (s, e) in enumerate(parts):
            surface = text[s:e]
            k = kind if n == 0 else "other"  # what follows the verb is named, of unknown kind
            if DESIGNATION.fullmatch(surface) or (k == "person" and any(c.isdigit() for c in surface)):
                k = "other"  # "S-400", "SA-21 Growler": equipment, not an organisation or a person
            out.append(Found(s + offset, e + offset, surface, " ".join(surface.split()), k, sp.label))
    return out


def link_short_forms(found: list[Found]) -> None:
    """A lone surname (or any tail of a full name) means the person named in full."""
    # tail of a full name's key tokens -> [(start, full-name mention)], in text order
    tails: dict[tuple[str, ...], list[tuple[int, Found]]] = defaultdict(list)
    for f in found:
        toks = tuple(name_key(f.name).split())
        if f.kind == "person" and len(toks) >= 2:
            for i in range(1, len(toks)):
                tails[toks[i:]].append((f.start, f))
    if not tails:
        return
    for f in found:
        if f.kind == "other":
            continue
        matches = tails.get(tuple(name_key(f.name).split()))
        if not matches:
            continue
        at = bisect.bisect_left(matches, f.start, key=lambda m: m[0])
        if at:
            target = matches[at - 1][1]
        elif len({name_key(m[1].name) for m in matches}) == 1 and f.kind != "place":
            target = matches[0][1]
        else:
            continue  # a place named before the person ("Washington") stays a place
        f.name, f.kind = target.name, "person"


def vote_kinds(found: list[Found]) -> None:
    """Each name gets the kind its mentions in this article give most weight to: a
    mention counts its evidence, and twice more where its context names the kind
    ("in Brittany", "Mr Toby"); ties go to the first mention's kind."""
    kinds: dict[str, Counter] = defaultdict(Counter)
    first: dict[str, str] = {}
    for f in found:
        key = name_key(f.name)
        kinds[key][f.kind] += f.evidence
        if f.cue:
            kinds[key][f.cue] += 2.0
        first.setdefault(key, f.kind)
    for f in found:
        key = name_key(f.name)
        counts = kinds[key]
        top = max(counts.values())
        best = [k for k, n in counts.items() if n >= top - 1e-9]
        f.kind = first[key] if first[key] in best else best[0]


def unify_names(found: list[Found]) -> None:
    """Within one article, one key gets one display name: the first full form seen."""
    names: dict[str, str] = {}
    for f in found:
        f.name = names.setdefault(name_key(f.name), f.name)
