"""margin against bare spaCy on a small labelled sample of real text (tests/fixtures/ner)."""
from __future__ import annotations

import json
from collections import Counter

from store.entities.spacy_backend import load_model
from tests.conftest import FIXTURES
from tests.entities.conftest import store_text

SAMPLE = FIXTURES / "ner" / "wikigold-sample.jsonl"
KIND_LABEL = {"person": "PER", "place": "LOC", "org": "ORG", "other": "MISC"}
BARE_LABEL = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG"}
CORE = {"PER", "LOC", "ORG"}


def prf(gold: list[set], pred: list[set]) -> tuple[float, float, float]:
    c = Counter()
    for g, p in zip(gold, pred, strict=False):
        g = {s for s in g if s[2] in CORE}
        p = {s for s in p if s[2] in CORE}
        c["tp"] += len(g & p)
        c["fp"] += len(p - g)
        c["fn"] += len(g - p)
    p = c["tp"] / (c["tp"] + c["fp"])
    r = c["tp"] / (c["tp"] + c["fn"])
    return p, r, 2 * p * r / (p + r)


def test_margin_beats_bare_spacy_on_a_labelled_wikipedia_sample(lib, extractor):
    docs = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    gold = [{(s, e, label) for s, e, label in d["spans"]} for d in docs]
    texts = [d["text"] for d in docs]
    nlp = load_model()
    bare = [{(e.start_char, e.end_char, BARE_LABEL[e.label_]) for e in doc.ents if e.label_ in BARE_LABEL}
            for doc in nlp.pipe(texts)]
    ids = [store_text(lib, d["id"], "", [d["text"]]) for d in docs]
    assert [lib.article(i)["body"] for i in ids] == texts  # offsets comparable as they are
    lib.enrich(extractor=extractor)
    ours = [{(m["start"], m["end"], KIND_LABEL[m["kind"]]) for m in lib.record(i)["mentions"]} for i in ids]
    bp, br, bf = prf(gold, bare)
    mp, mr, mf = prf(gold, ours)
    assert mp > bp and mr > br, ((bp, br), (mp, mr))
    assert mf >= bf + 0.05, (bf, mf)
