"""Document-level consistency: what one article says about a name holds all through it.

The small model labels each occurrence on its own, so it misses a name in a headline in
capitals or a table of names that it found in running text, and calls one name two
things. Each rule here is switchable (RULES) so the harness can measure it alone.
"""
from __future__ import annotations

import re

from store.entities import canonical
from store.entities.casing import is_shouting
from store.entities.gazetteer import gazetteer
from store.entities.protocol import Found, Span
from store.entities.vote import PROPAGATED, mark_cues
from store.names import name_key

# The rules the enricher runs; tests/bench/eval_entities.py measures each one.
ALL_RULES = (
    "clean", "split_of", "short_forms", "vote", "propagate", "surnames", "designations",
    "coordination", "sports", "gazetteer", "library_vote",
)
RULES = frozenset(ALL_RULES)

# Capitalised words that are names only sometimes: never spread by propagation.
_AMBIGUOUS = frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "the", "a", "an", "i",
     "he", "she", "it", "we", "they", "mr", "mrs", "ms", "dr", "president", "minister"]
)
# Model designations: S-400, Su-24, F-16, MH-17, A-10C (weapons, aircraft, flights).
_DESIGNATION = canonical.DESIGNATION


class _Taken:
    """Which characters are already inside a mention: O(length) checks, so a 1 MB body
    with tens of thousands of mentions stays linear."""

    def __init__(self, size: int, found: list[Found] = ()) -> None:
        self.mask = bytearray(size)
        for f in found:
            self.add(f.start, f.end)

    def add(self, s: int, e: int) -> None:
        self.mask[s:e] = b"\x01" * (e - s)

    def overlaps(self, s: int, e: int) -> bool:
        return any(self.mask[s:e])


def propagate(
    body: str, found: list[Found], *, in_title: bool = False, surnames: bool = True
) -> list[Found]:
    """Every other occurrence of a name found in this article is a mention of it too;
    in lines written in capitals the match ignores case ("PUTIN" in a headline).
    With in_title, `body` is the title and `found` the body's mentions."""
    forms: dict[str, Found] = {}
    for f in found:
        if len(f.text) >= 3 and f.text.casefold() not in _AMBIGUOUS:
            forms.setdefault(f.text, f)
    if surnames:  # news names a person in full once, then by surname alone
        for f in found:
            parts = f.text.split()
            if f.kind == "person" and len(parts) >= 2 and f.name == f.text:
                last = parts[-1]
                if len(last) >= 3 and last[0].isupper() and last.casefold() not in _AMBIGUOUS:
                    forms.setdefault(last, f)
    if not forms:
        return []
    taken = _Taken(len(body), () if in_title else found)
    shouted = _shouted_lines(body)
    upper = body.upper() if shouted else ""
    if len(upper) != len(body):  # upper-casing changed lengths (ß -> SS): no loose matching
        shouted = []
    added: list[Found] = []
    for form in sorted(forms, key=len, reverse=True):  # longest first: "Putin" inside "Vladimir Putin"
        src = forms[form]
        hits = list(_occurrences(body, form, 0, len(body)))
        big = form.upper()
        for a, b in shouted:
            hits.extend(_occurrences(upper, big, a, b))
        for s in hits:
            e = s + len(form)
            if taken.overlaps(s, e):
                continue
            added.append(Found(s, e, body[s:e], src.name, src.kind, src.label, in_title, PROPAGATED))
            taken.add(s, e)
    added.sort(key=lambda f: f.start)
    return added


def _shouted_lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if is_shouting(m.group(0))]


def _occurrences(text: str, form: str, start: int, end: int):
    """Starts of `form` in text[start:end] standing as a word, or as part of a compound
    ("anti-ISIS", "US-led"), never inside a longer word."""
    n = len(form)
    i = text.find(form, start, end)
    while i >= 0:
        j = i + n
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        left = not (before.isalnum() or before in "_-") or (
            before == "-" and i >= 2 and text[i - 2].islower())
        right = not (after.isalnum() or after in "_-") or (
            after == "-" and j + 1 < len(text) and text[j + 1].islower())
        if left and right:
            yield i
        i = text.find(form, i + 1, end)


_PERSON_OF = re.compile(
    r"(?P<a>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,2}) of (?P<b>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})"
)
# Words that make "A of B" an institution or a title, never "person of country".
_INSTITUTION = frozenset(
    ["bank", "university", "ministry", "department", "party", "council", "church", "house", "museum", "institute",
     "college", "school", "court", "army", "board", "office", "bureau", "commission", "association", "league",
     "federation", "union", "republic", "kingdom", "state", "states", "isle", "gulf", "sea", "lake", "mount", "cape",
     "bay", "port", "city", "duke", "king", "queen", "prince", "princess", "archbishop", "bishop", "secretary",
     "minister", "president", "governor", "mayor", "chancellor", "lord", "lady", "earl", "emir", "sultan", "chamber",
     "society", "company", "group", "bureau", "agency", "centre", "center", "forces", "force", "corps", "hospital",
     "foundation", "fund", "order", "club"]
)


def split_person_of(body: str, found: list[Found]) -> list[Found]:
    """"Novak Djokovic of Serbia" read as one name: a two- or three-word name whose
    surname stands alone elsewhere in the article, "of", a place in the gazetteer
    ("Baseball Hall of Fame", "Bank of England" stay whole)."""
    out = []
    for f in found:
        m = _PERSON_OF.fullmatch(f.text)
        if f.kind not in ("org", "person") or m is None:
            out.append(f)
            continue
        a, b = m.group("a"), m.group("b")
        if any(w.casefold() in _INSTITUTION for w in a.split()) or not gazetteer().is_place(b):
            out.append(f)
            continue
        alone = re.compile(rf"(?<![\w-]){re.escape(a.split()[-1])}(?![\w-])")
        if not (alone.search(body, 0, f.start) or alone.search(body, f.end)):
            out.append(f)
            continue
        bs = f.start + m.start("b")
        out.append(Found(f.start, f.start + len(a), a, a, "person", "PERSON"))
        out.append(Found(bs, bs + len(b), b, b, "place", "GPE"))
    return out


_COORD = re.compile(r"\s*(?:,|and|or|&)\s*")


def coordination(body: str, found: list[Found]) -> None:
    """In "around Aleppo and Idlib" both are places: a name the model called a nationality
    or group (NORP) that is coordinated with a place takes the place's kind."""
    for a, b in zip(found, found[1:], strict=False):
        if not _COORD.fullmatch(body, a.end, b.start):
            continue
        for x, y in ((a, b), (b, a)):
            if x.label == "NORP" and y.kind == "place" and y.label != "NORP":
                x.kind = "place"


_SCORE = re.compile(r"(?<![\d.,:/-])\d{1,2} ?[-–] ?\d{1,2}(?![\d.,:/%-])")
_SPORT = re.compile(
    r"\b(?:beat|beats|beaten|drew|draw|defeat|defeated|win|won|lost|scored|scoring|goals?|league|cup"
    r"|season|match|coach|manager|striker|midfielder|goalkeeper|half-time|kick|title|points|fixture"
    r"|championship|tournament|semi-finals?|final)\b",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|from|to|near|across|around|into|of|outside|between)\s+)$", re.IGNORECASE
)
_MATCH_AT = re.compile(
    r"\b(?:lost|lose|loses|win|won|wins|drew|draw|victory|defeat|beaten|point)\s+at\s+$", re.IGNORECASE
)


_AT = re.compile(r"\bat\s+$", re.IGNORECASE)


# A row of a results table or a standings table: a name, then three or more numbers
# ("Barnsley 22 10 7 5 28 21 37", "Japan 2 1 0 1 3 4 3").
_TABLE_ROW = re.compile(r"^[^\W\d_][^\d\n]{1,40}?(?:[ \t]+\d{1,3}){3,}[ \t]*$", re.M)


def is_sports(body: str) -> bool:
    """Match reports and sports tables: a score (or two table rows) and several
    sporting words."""
    if len({w.lower() for w in _SPORT.findall(body)}) < 3:
        return False
    return bool(_SCORE.search(body)) or len(_TABLE_ROW.findall(body, 0, 200_000)) >= 2


_PLACE_LIST = re.compile(r"^\s*(?:,|\()\s*$")


def sports(body: str, found: list[Found]) -> None:
    """In a match report a town the model found is mostly its club ("Liverpool beat
    Newcastle", "lost at Brighton"). It stays a place after "in", "from", "near"...,
    after "at" unless a result precedes it, where a place qualifies it or it qualifies
    a place ("born in Houston , Texas"), and when it is a country (national teams are
    named as their country)."""
    if not is_sports(body):
        return
    gaz = gazetteer()
    places = [f for f in found if f.kind == "place"]
    for i, f in enumerate(found):
        # FAC: a stadium stays a place; a country is its national team, a place too.
        if f.kind != "place" or f.label == "FAC" or gaz.is_country(f.name):
            continue
        if _DATELINE_AFTER.match(body, f.end) and (f.start == 0 or body[f.start - 1] == "\n"):
            continue  # "LONDON 1996-08-31": where the report was filed
        before = body[max(0, f.start - 40):f.start]
        if _PLACE_BEFORE.search(before) or (_AT.search(before) and not _MATCH_AT.search(before)):
            continue
        prev = found[i - 1] if i else None
        nxt = found[i + 1] if i + 1 < len(found) else None
        if prev is not None and prev in places and _PLACE_LIST.match(body[prev.end:f.start]):
            continue
        if nxt is not None and nxt in places and _PLACE_LIST.match(body[f.end:nxt.start]):
            continue
        f.kind = "org"


_DATELINE_AFTER = re.compile(r" ?,| \d{4}-\d\d-\d\d| [—–-] ")


def table_clubs(body: str, found: list[Found]) -> list[Found]:
    """The names that open the rows of a sports table ("Barnsley 4 4 0 0 10 3 12"), which
    the model often misses: a town in the gazetteer is its club, a country its team
    (a place, as in match reports); anything else is left to the model."""
    if not is_sports(body):
        return []
    gaz = gazetteer()
    taken = _Taken(len(body), found)
    out = []
    for m in _TABLE_ROW.finditer(body, 0, 200_000):
        name = re.match(r"[^\d]*?(?=\s+\d)", m.group(0))
        if name is None:
            continue
        text = name.group(0).strip(" \t.:")
        s = m.start() + m.group(0).index(text) if text else -1
        if not text or taken.overlaps(s, s + len(text)):
            continue
        if gaz.is_country(text):
            out.append(Found(s, s + len(text), text, text, "place", "GPE"))
        elif gaz.is_place(text):
            out.append(Found(s, s + len(text), text, text, "org", "ORG"))
    return out


def gazetteer_kinds(body: str, found: list[Found]) -> None:
    """A name the model called a person or an organisation that is, whole, a country,
    region or city in the gazetteer is a place ("Rhodesia", "Kingston"), unless the
    article says otherwise: it is the surname of a person named in it, or, for an
    organisation, the article is a match report (clubs are named after towns)."""
    gaz = gazetteer()
    surnames = {name_key(f.name).split()[-1] for f in found if f.kind == "person" and " " in f.name}
    sporty = None
    for f in found:
        if f.label not in ("PERSON", "ORG") or f.kind not in ("person", "org"):
            continue
        if not gaz.is_place(f.name) or name_key(f.name) in surnames:
            continue
        if f.kind == "org":
            if sporty is None:
                sporty = is_sports(body)
            if sporty:
                continue
        f.kind = "place"


def designations(body: str, found: list[Found]) -> list[Found]:
    """Model designations the small model rarely tags (S-400, Su-24) become `other`."""
    taken = _Taken(len(body), found)
    out = []
    for m in _DESIGNATION.finditer(body):
        if not taken.overlaps(m.start(), m.end()):
            out.append(Found(m.start(), m.end(), m.group(0), m.group(0), "other", "PRODUCT"))
    return out


def title_mentions(title: str, found: list[Found]) -> list[Found]:
    """Names of the body found again in the title (offsets into the title). The title
    is never run through the model on its own: a dozen words give it no context."""
    if not title or not found:
        return []
    return propagate(title, found, in_title=True, surnames="surnames" in RULES)


def article_mentions(
    body: str,
    chunk_spans: list[tuple[int, str, list[Span]]] | list[tuple[int, str, list[Span], str]],
    title: str = "",
    rules: frozenset[str] = RULES,
) -> list[Found]:
    """The final mentions of one article: cleaned, canonical, consistent, in order.

    `chunk_spans` holds (offset, chunk text, model spans over that chunk[, model text])."""
    found: list[Found] = []
    for offset, text, spans, *seen in chunk_spans:
        if "clean" in rules:
            found.extend(canonical.clean_spans(text, spans, offset, seen[0] if seen else None))
        else:
            found.extend(Found(s.start + offset, s.end + offset, text[s.start:s.end],
                               text[s.start:s.end], s.kind, s.label) for s in spans)
    if "split_of" in rules:
        found = split_person_of(body, found)
    if "designations" in rules:
        found.extend(designations(body, found))
    found.sort(key=lambda f: f.start)
    if "coordination" in rules:
        coordination(body, found)
    if "short_forms" in rules:
        canonical.link_short_forms(found)
    if "gazetteer" in rules:
        gazetteer_kinds(body, found)
    mark_cues(body, found)
    if "vote" in rules:
        canonical.vote_kinds(found)
    if "sports" in rules:  # after the vote: a town is a club or a place by its context
        sports(body, found)
        found.extend(table_clubs(body, found))
        found.sort(key=lambda f: f.start)
    canonical.unify_names(found)
    if "propagate" in rules:
        found.extend(propagate(body, found, surnames="surnames" in rules))
        found.sort(key=lambda f: f.start)
    if "clean" in rules:
        found.extend(title_mentions(title, [f for f in found if not f.in_title]))
    return found
