"""Duplicate groups and stories: connected components over strong links."""
from __future__ import annotations

from collections import Counter


def components(edges: list[tuple[int, int]]) -> list[list[int]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def label(conn, ids: list[int], top: int = 4) -> list[str]:
    """The entities most of the group's articles share."""
    marks = ",".join("?" * len(ids))
    counts: Counter = Counter()
    for name, n in conn.execute(
            f"SELECT e.name, count(DISTINCT m.article_id) FROM mentions m JOIN entities e ON e.id = m.entity_id"
            f" WHERE m.article_id IN ({marks}) AND e.hidden = 0 AND e.kind != 'other' GROUP BY e.id", ids):
        counts[name] = n
    return [name for name, _ in counts.most_common(top)]
