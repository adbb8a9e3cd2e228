"""AST -> parameterised SQL. The FTS5 MATCH string is built here from parsed terms only:
every term is double-quoted (embedded quotes doubled), so FTS5 syntax typed by a user
(NEAR(, *, AND, column filters) is always read as plain words."""
from __future__ import annotations

from dataclasses import dataclass, field

from store.names import name_key
from store.search.parser import Filter, Query, Term

# Title counts ten times the body; source and author in between (columns: title, body, source, author).
BM25 = "bm25(articles_fts, 10.0, 1.0, 3.0, 3.0)"


def fts_term(term: Term) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    if term.prefix:
        quoted += " *"
    return f"{term.column} : {quoted}" if term.column else quoted


def fts_match(groups: list[list[Term]], negated: list[Term]) -> str | None:
    parts = []
    for group in groups:
        alts = [fts_term(t) for t in group]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    if not parts:
        return None
    expr = " AND ".join(parts)
    for term in negated:
        expr = f"({expr}) NOT {fts_term(term)}"
    return expr


def notes_match(text: str) -> str:
    """Every word in the note's text or in the passage it quotes (tags are `#tag`'s job)."""
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    return "{body exact} : (" + " AND ".join('"' + w.replace('"', '""') + '"' for w in words) + ")"


@dataclass
class Compiled:
    match: str | None  # FTS5 MATCH for articles_fts, or None for filter-only queries
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    sort: str = "rank"
    # a prefix longer than the library's FTS5 prefix indexes is expanded from the term
    # list each time FTS5 is asked about it
    long_prefix: bool = False

    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


# Filters are id sets (`a.id IN (…)`), not per-row EXISTS: SQLite computes each set once,
# and a small set drives the query by primary key instead of a scan of every article.
_JSON = "CASE WHEN json_valid({col}) THEN {col} ELSE '[]' END"  # never a 'malformed JSON' error
_TAG_SQL = (
    "a.id IN (SELECT t.id FROM articles t, json_each(" + _JSON.format(col="t.tags") + ") j"
    " WHERE t.tags <> '[]' AND lower(j.value) = ?"
    " UNION SELECT t.id FROM articles t WHERE t.feed_id IN (SELECT f.id FROM feeds f, json_each("
    + _JSON.format(col="f.tags") + ") j WHERE lower(j.value) = ?)"
    " UNION SELECT n.article_id FROM notes n, json_each(" + _JSON.format(col="n.tags") + ") j"
    " WHERE lower(j.value) = ?)"
)
_ENTITY_SQL = (
    "a.id IN (SELECT m.article_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
    " WHERE e.hidden = 0 AND (e.key IN ({keys}) OR e.id IN"
    " (SELECT entity_id FROM aliases WHERE alias_key IN ({keys}))){kind})"
)
_STATE_SQL = {
    ("is", "unread"): "a.read = 0",
    ("is", "read"): "a.read = 1",
    ("is", "starred"): "a.starred = 1",
    ("is", "orphaned"): "a.id IN (SELECT n.article_id FROM notes n WHERE n.state = 'orphaned')",
    ("has", "note"): "a.id IN (SELECT n.article_id FROM notes n)",
}


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_sql(f: Filter, kinds: list[str]) -> tuple[str, list]:
    if f.name == "entity":
        kind_sql = f" AND e.kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        keys = list(dict.fromkeys([name_key(f.value), *map(name_key, f.also)]))
        marks = ",".join("?" * len(keys))
        return _ENTITY_SQL.format(kind=kind_sql, keys=marks), [*keys, *keys, *kinds]
    if f.name == "kind":
        return (
            "a.id IN (SELECT m.article_id FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE e.hidden = 0 AND e.kind = ?)", [f.value],
        )
    if f.name == "tag":
        tag = f.value.casefold()
        return _TAG_SQL, [tag, tag, tag]
    if f.name == "feed":
        like = _like(f.value)
        return (
            "a.feed_id IN (SELECT id FROM feeds WHERE title LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\')",
            [like, like],
        )
    if f.name == "note":
        return (
            "a.id IN (SELECT n.article_id FROM notes n WHERE n.id IN"
            " (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?))", [notes_match(f.value)],
        )
    if f.name == "since":
        return "a.sort_at >= ?", [f.value]
    if f.name == "before":
        return "a.sort_at < ?", [f.value]
    return _STATE_SQL[(f.name, f.value)], []


def compile_query(q: Query, longest_prefix_index: int = 3) -> Compiled:
    out = Compiled(match=fts_match(q.groups, q.negated), sort=q.sort,
                   long_prefix=any(t.prefix and len(t.text) > longest_prefix_index for g in q.groups for t in g))
    if out.match is None and q.negated:
        # Only exclusions: everything except what matches any of them.
        out.where.append("a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        out.params.append(" OR ".join(fts_term(t) for t in q.negated))
    kinds = [f.value for f in q.filters if f.name == "kind"]
    has_entity = any(f.name == "entity" for f in q.filters)
    for f in q.filters:
        if f.name == "kind" and has_entity:
            continue  # kind: narrows the @entity filters instead
        sql, params = _filter_sql(f, kinds)
        out.where.append(sql)
        out.params.extend(params)
    for f in q.negated_filters:
        sql, params = _filter_sql(f, [])
        out.where.append(f"NOT ({sql})")
        out.params.extend(params)
    return out
