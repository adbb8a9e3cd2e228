"""Where a query matches inside one article's body, for highlighting and n/N.

Words, prefixes and phrases are matched as the index matches them: SQLite's own porter
tokenizer stems the body and the query's terms (through a scratch FTS5 table and its
fts5vocab 'instance' view), so `talks` finds `talk` and `talked` exactly when the search did.
Mentions of an `@entity` and the passages of notes matched by `note:` are added."""
from __future__ import annotations

import re
import sqlite3

from store.errors import QueryError
from store.names import name_key
from store.search.compile import notes_match
from store.search.parser import Query, Term, parse

TOKENIZE = "porter unicode61 remove_diacritics 2"  # the articles index's (migration m0001)
# unicode61's token characters are letters, numbers and private-use characters
_TOKEN = re.compile(r"[^\W_]+")


def _ensure_probe(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'stem_probe'").fetchone():
        return
    conn.execute(f"CREATE VIRTUAL TABLE temp.stem_probe USING fts5(t, tokenize='{TOKENIZE}')")
    conn.execute("CREATE VIRTUAL TABLE temp.stem_probe_v USING fts5vocab(temp, stem_probe, instance)")


def stems(conn: sqlite3.Connection, texts: list[str]) -> list[list[str]]:
    """The index's tokens (stemmed, folded) of each text, in order."""
    _ensure_probe(conn)
    out: list[list[str]] = [[] for _ in texts]
    with conn:
        conn.executemany("INSERT INTO temp.stem_probe (rowid, t) VALUES (?, ?)",
                         [(i + 1, t) for i, t in enumerate(texts)])
        for doc, offset, term in conn.execute(
            "SELECT doc, offset, term FROM temp.stem_probe_v ORDER BY doc, offset"
        ):
            tokens = out[doc - 1]
            while len(tokens) < offset:
                tokens.append("")
            tokens.append(term)
        conn.execute("DELETE FROM temp.stem_probe")
    return out


def _body_terms(q: Query) -> list[Term]:
    return [t for group in q.groups for t in group if t.column is None]


def _term_spans(words: list[tuple[int, int]], body_stems: list[str], term: Term,
                term_stems: list[str]) -> list[tuple[int, int]]:
    if not term_stems:
        return []
    n, k, out = len(body_stems), len(term_stems), []
    for i in range(n - k + 1):
        ok = True
        for j in range(k):
            want, have = term_stems[j], body_stems[i + j]
            last = j == k - 1
            if not (have == want or (last and term.prefix and have.startswith(want))):
                ok = False
                break
        if ok:
            out.append((words[i][0], words[i + k - 1][1]))
    return out


def word_matches(conn: sqlite3.Connection, body: str, terms: list[Term]) -> list[tuple[int, int]]:
    if not terms or not body:
        return []
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(body)]
    body_stems, *term_stems = stems(conn, [body, *(t.text for t in terms)])
    if len(body_stems) != len(words):
        # The tokenizer cut the text differently from this module (rare scripts): fall back
        # to each token's own stem, which keeps every offset true.
        body_stems = [s[0] if s else "" for s in stems(conn, [body[a:b] for a, b in words])]
    out: list[tuple[int, int]] = []
    for term, ts in zip(terms, term_stems, strict=False):
        out += _term_spans(words, body_stems, term, ts)
    return out


def entity_matches(conn: sqlite3.Connection, article_id: int, q: Query) -> list[tuple[int, int]]:
    names = [f.value for f in q.filters if f.name == "entity"]
    kinds = [f.value for f in q.filters if f.name == "kind"]
    out: list[tuple[int, int]] = []
    for name in names:
        key = name_key(name)
        kind_sql = f" AND e.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        out += conn.execute(
            'SELECT m.start, m."end" FROM mentions m JOIN entities e ON e.id = m.entity_id'
            " WHERE m.article_id = ? AND m.in_title = 0 AND e.hidden = 0 AND (e.key = ? OR e.id IN"
            f" (SELECT entity_id FROM aliases WHERE alias_key = ?)){kind_sql}",
            [article_id, key, key, *kinds],
        ).fetchall()
    return out


def note_matches(conn: sqlite3.Connection, article_id: int, q: Query) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for f in q.filters:
        if f.name == "note":
            out += conn.execute(
                'SELECT start, "end" FROM notes WHERE article_id = ? AND start IS NOT NULL AND state != \'orphaned\''
                " AND id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)",
                (article_id, notes_match(f.value)),
            ).fetchall()
    return out


def article_matches(conn: sqlite3.Connection, article_id: int, body: str, query: str) -> list[tuple[int, int]]:
    """Every match of `query` in the body, in order, overlaps merged; [] for a bad query."""
    try:
        q = parse(query)
    except QueryError:
        return []
    spans = word_matches(conn, body, _body_terms(q))
    spans += entity_matches(conn, article_id, q) + note_matches(conn, article_id, q)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(body)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
