"""Precision@5 of same-topic neighbours: text-only, entity-only and the blend.

The labelled corpus is the demo content (six stories, six articles each; the topic is the
folder of a plain-text article or the category in its feed URL), built into a fresh
library with real enrichment by `tui.demo.build`. Run:

    .venv/bin/python tests/bench/eval_related.py [--weights 0,0.25,0.5,0.75,1]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.library import Library  # noqa: E402
from store.related import linker  # noqa: E402
from store.related.dedupe import from_blob  # noqa: E402

TOPICS = ("climate-summit", "rail-strike", "chip-export-controls", "football-transfer", "volcano-eruption",
          "central-bank-rates")


def topic_of(path: str | None, url: str | None) -> str | None:
    for topic in TOPICS:
        if topic in (path or "") or topic in (url or ""):
            return topic
    return None


def precision_at_5(lib: Library, w_entity: float) -> float:
    conn = lib.db.conn
    labels = {i: topic_of(p, u) for i, p, u in conn.execute("SELECT id, path, url FROM articles")}
    old = linker.CANDIDATES, linker.RELATED_MIN
    linker.CANDIDATES, linker.RELATED_MIN = 10_000, -1.0
    try:
        scores = []
        for art, label in labels.items():
            vector = dict(conn.execute("SELECT term, weight FROM related_terms WHERE article_id = ?", (art,)))
            blob = conn.execute("SELECT minhash FROM related_state WHERE article_id = ?", (art,)).fetchone()[0]
            ranked = linker.score_article(conn, art, vector, from_blob(blob), w_entity=w_entity)
            ranked = sorted(ranked, key=lambda s: -s.score)[:5]
            if ranked:
                scores.append(sum(labels.get(s.dst) == label for s in ranked) / 5)
        return sum(scores) / len(scores)
    finally:
        linker.CANDIDATES, linker.RELATED_MIN = old


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default="0,0.25,0.4,0.5,0.6,0.75,1")
    args = parser.parse_args()
    from tui.demo.build import build

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "eval.db"
        build(path)
        with Library(path) as lib:
            n = lib.db.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            print(f"corpus: {n} articles in {len(TOPICS)} topics (demo content)")
            for w in (float(x) for x in args.weights.split(",")):
                name = "text only" if w == 0 else "entities only" if w == 1 else f"blend w_entity={w}"
                print(f"  precision@5 {name:<22} {precision_at_5(lib, w):.3f}")


if __name__ == "__main__":
    main()
