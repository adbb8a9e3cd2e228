"""Related links on a labelled corpus, through margin's real pipeline.

The corpus is a folder with `labels.tsv` ("PATH<TAB>CATEGORY" per line, PATH relative to
the file) or that file itself; by default the shared Reuters dev set. The articles are
imported in batches (shuffled with a fixed seed, as news arrives mixed), each batch
enriched by the real queue (spaCy entities, links, relinking what the growth outdated);
then a copy of the library gets a full `relink`. Printed, for neighbours of the same
category:

- P@5 / P@10 of the links `margin related ID --limit N` shows, incremental and relinked,
  and the share of articles shown fewer than 5;
- margin's scorer over an exhaustive scan: text only, entity only, blends, the blend in use;
- plain TF-IDF (scikit-learn TfidfVectorizer, sublinear tf, English stop words, cosine over
  the whole bodies), the baseline to beat, on the same articles in the same run;
- candidate recall: articles whose true top 5 (exhaustive scan) the candidate generator finds;
- agreement of the incremental and relinked top-5 sets;
- near-duplicates: pairs with TF-IDF cosine >= 0.9, and how many are linked as duplicates.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tests/bench/eval_related.py [DIR|labels.tsv] [--batches 8] [--weights 0.1,0.2]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.library import Library
from store.related import linker
from store.related.candidates import duplicate_candidates, text_candidates

# ../shared beside the checkout (a worktree under /work/wt sits one level deeper)
DEFAULT = next((p / "shared" / "corpora" / "related" / "reuters" for p in Path(__file__).resolve().parents[2:5]
                if (p / "shared" / "corpora" / "related" / "reuters").is_dir()),
               Path("../shared/corpora/related/reuters"))


def read_labels(arg: Path) -> tuple[Path, list[tuple[Path, str]]]:
    tsv = arg / "labels.tsv" if arg.is_dir() else arg
    rows = [line.rstrip("\n").split("\t") for line in tsv.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tsv.parent, [((tsv.parent / p).resolve(), cat) for p, cat in rows]


def build_incremental(db: Path, files: list[Path], batches: int) -> float:
    started = time.perf_counter()
    size = -(-len(files) // batches)
    with Library(db) as lib:
        for i in range(0, len(files), size):
            lib.import_paths([str(f) for f in files[i:i + size]])
            report = lib.enrich()
            print(f"  batch {i // size + 1}: {report.enriched} enriched, {report.relinked} relinked for growth",
                  flush=True)
    return time.perf_counter() - started


def precision(ranked: dict[int, list[int]], labels: dict[int, str], k: int) -> float:
    """Share of the first k neighbours in the article's category; a missing neighbour counts
    as a miss, so showing fewer costs precision."""
    return float(np.mean([sum(labels.get(d) == labels[a] for d in r[:k]) / k for a, r in ranked.items()]))


def shown(lib: Library, ids: list[int], k: int) -> dict[int, list[int]]:
    return {a: [r["id"] for r in lib.related.for_article(a, limit=k)] for a in ids}


def exhaustive(lib: Library, ids: list[int], w_entity: float, k: int = 10) -> dict[int, list[int]]:
    conn, out, cache = lib.db.conn, {}, {}
    for a in ids:
        ix = linker.stored(conn, a)
        out[a] = [s.dst for s in linker.score_article(conn, a, ix, w_entity=w_entity, limit=k, candidates=ids,
                                                       floor=-1.0, cache=cache)]
    return out


def candidate_recall(lib: Library, ids: list[int], truth: dict[int, list[int]]) -> tuple[float, float]:
    conn, full, found = lib.db.conn, 0, 0
    for a in ids:
        ix = linker.stored(conn, a)
        cands = set(text_candidates(conn, a, ix.vector, linker.candidate_count(linker.MAX_LINKS)))
        if ix.sig is not None:
            cands |= set(duplicate_candidates(conn, a, ix.sig))
        top = truth[a][:5]
        full += set(top) <= cands
        found += len(set(top) & cands) / max(len(top), 1)
    return full / len(ids), found / len(ids)


def baseline(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, -1.0)
    return sim


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--batches", type=int, default=8, help="import batches for the incremental run")
    parser.add_argument("--weights", default="0.1,0.2", help="entity weights of the blends to measure")
    parser.add_argument("--seed", type=int, default=0, help="arrival order (shuffle seed)")
    parser.add_argument("--keep", type=Path, help="keep the incremental library here")
    parser.add_argument("--reuse", type=Path, help="an incremental library kept by --keep: skip the build")
    args = parser.parse_args()
    root, rows = read_labels(args.corpus)
    files = [p for p, _ in rows]
    random.Random(args.seed).shuffle(files)
    by_path = {str(p): c for p, c in rows}
    with tempfile.TemporaryDirectory() as tmp:
        inc, full = Path(tmp) / "incremental.db", Path(tmp) / "relinked.db"
        print(f"corpus: {root} ({len(rows)} articles, {len(set(by_path.values()))} categories)")
        if args.reuse:
            shutil.copy(args.reuse, inc)
        else:
            seconds = build_incremental(inc, files, args.batches)
            print(f"  import + enrich in {args.batches} batches: {seconds:.0f} s")
        if args.keep:
            shutil.copy(inc, args.keep)
        shutil.copy(inc, full)
        with Library(full) as lib:
            t = time.perf_counter()
            lib.related.relink_all()
            print(f"  full relink: {time.perf_counter() - t:.1f} s")
        with Library(inc) as inc_lib, Library(full) as lib:
            arts = lib.db.conn.execute("SELECT id, path, title, body FROM articles ORDER BY id").fetchall()
            ids = [a[0] for a in arts]
            labels = {a[0]: by_path[a[1]] for a in arts}
            shown_inc, shown_full = shown(inc_lib, ids, 10), shown(lib, ids, 10)
            texts = [a[3] for a in arts]
            sim = baseline(texts)
            base = {a: [ids[j] for j in np.argsort(-sim[i], kind="stable")[:10]] for i, a in enumerate(ids)}
            table = [("plain TF-IDF cosine (scikit-learn)", base),
                     ("margin: shown, incremental", shown_inc), ("margin: shown, after relink", shown_full)]
            truth = exhaustive(lib, ids, 0.0)
            table.append(("margin scorer, text only", truth))
            table.append(("margin scorer, entity only", exhaustive(lib, ids, 1.0)))
            for w in (float(x) for x in args.weights.split(",") if x):
                table.append((f"margin scorer, blend w_entity={w}", exhaustive(lib, ids, w)))
            in_use = "text only" if linker.W_ENTITY == 0 else f"blend w_entity={linker.W_ENTITY}"
            print(f"\n| ranking ({len(ids)} articles) | P@5 | P@10 |\n| --- | ---: | ---: |")
            for name, ranked in table:
                print(f"| {name} | {precision(ranked, labels, 5):.3f} | {precision(ranked, labels, 10):.3f} |")
            print(f"(the blend margin uses: {in_use})\n")
            fewer = sum(len(shown_inc[a]) < 5 for a in ids) / len(ids)
            fewer_full = sum(len(shown_full[a]) < 5 for a in ids) / len(ids)
            print(f"articles shown fewer than 5 related: {fewer:.1%} incremental, {fewer_full:.1%} relinked")
            recall, share = candidate_recall(lib, ids, truth)
            print(f"candidate recall (true top 5 all found): {recall:.2%} of articles ({share:.2%} of neighbours)")
            same = np.mean([set(shown_inc[a][:5]) == set(shown_full[a][:5]) for a in ids])
            overlap = np.mean([len(set(shown_inc[a][:5]) & set(shown_full[a][:5])) / max(len(shown_full[a][:5]), 1)
                               for a in ids])
            print(f"incremental vs relink: identical top-5 sets {same:.1%}, mean top-5 overlap {overlap:.1%}")
            pairs = {(ids[i], ids[j]) for i, j in zip(*np.nonzero(np.triu(sim, 1) >= 0.9))}
            dups = {(min(s, d), max(s, d)) for s, d in lib.db.conn.execute(
                "SELECT src, dst FROM links WHERE kind = 'duplicate'")}
            print(f"near-duplicates (TF-IDF cosine >= 0.9): {len(pairs)} pairs, {len(pairs & dups)} linked as"
                  f" duplicates, {len(dups - pairs)} other duplicate links")


if __name__ == "__main__":
    main()
