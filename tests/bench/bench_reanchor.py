"""Re-anchoring: 10,000 notes on 1,000 articles whose text is then edited and stored again.

    .venv/bin/python tests/bench/bench_reanchor.py
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.document import Document  # noqa: E402
from store.library import Library  # noqa: E402

WORDS = ["the", "minister", "said", "talks", "in", "moscow", "would", "go", "on", "while", "jets", "flew", "over", "syria", "and", "turkey", "closed", "its", "border", "to", "trucks", "carrying", "oil", "as", "rebels", "near", "aleppo", "fought", "army", "units"]


def article(rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))).capitalize() + "." for _ in range(8)]


def edit(rng: random.Random, paras: list[str]) -> list[str]:
    paras = list(paras)
    for _ in range(3):
        i = rng.randrange(len(paras))
        kind = rng.random()
        if kind < 0.4:  # a sentence added
            paras[i] = paras[i] + " A late update added this sentence."
        elif kind < 0.7:  # a typo fixed somewhere
            words = paras[i].split()
            j = rng.randrange(len(words))
            words[j] = words[j] + "s"
            paras[i] = " ".join(words)
        elif kind < 0.85:  # a paragraph moved
            paras.insert(rng.randrange(len(paras)), paras.pop(i))
        else:  # a paragraph removed
            paras.pop(i)
    return paras


def main() -> None:
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Path(tmp) / "bench.db")
        texts = {}
        with lib.db.conn:
            for n in range(1000):
                paras = article(rng)
                texts[n] = paras
                lib.store_document(f"bench:{n}", Document.from_parts(f"A{n}", [("paragraph", p) for p in paras]),
                                   origin="text")
        for art_id in range(1, 1001):
            body = lib.article(art_id)["body"]
            for _ in range(10):
                start = rng.randrange(0, len(body) - 40)
                lib.notes.add(art_id, start=start, end=start + rng.randint(8, 40), body="n")
        edited = {n: edit(rng, paras) for n, paras in texts.items()}
        docs = {n: Document.from_parts(f"A{n}", [("paragraph", p) for p in paras]) for n, paras in edited.items()}
        started = time.perf_counter()
        with lib.db.conn:
            for n, doc in docs.items():
                lib.store_document(f"bench:{n}", doc, origin="text")
        seconds = time.perf_counter() - started
        states = Counter(r[0] for r in lib.db.conn.execute("SELECT state FROM notes"))
        print("10,000 notes on 1,000 edited articles (re-anchored inside the import transaction)")
        print(f"  {seconds:.2f} s including storing the new texts: {10_000 / seconds:,.0f} notes/s")
        print("  " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
        lib.close()


if __name__ == "__main__":
    main()
