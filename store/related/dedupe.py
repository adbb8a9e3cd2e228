"""Near-duplicates: MinHash over word shingles, banded for LSH lookups in SQLite."""
from __future__ import annotations

import hashlib

import numpy as np

from store.related.terms import _WORD

NUM_PERM = 64
BANDS, ROWS = 16, 4  # 16 x 4 = 64: pairs above ~0.5 Jaccard share a band with high probability
SHINGLE = 4
DUPLICATE_JACCARD = 0.5


def signature(body: str) -> np.ndarray | None:
    tokens = [m.group(0).lower() for m in _WORD.finditer(body)]
    if len(tokens) < SHINGLE * 2:
        return None  # too short to call anything a duplicate of it
    from datasketch import MinHash  # imports scipy (~0.3 s): only the linker pays for it

    mh = MinHash(num_perm=NUM_PERM, seed=7)
    mh.update_batch([" ".join(tokens[i:i + SHINGLE]).encode() for i in range(len(tokens) - SHINGLE + 1)])
    return mh.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[tuple[int, int]]:
    out = []
    for b in range(BANDS):
        chunk = sig[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append((b, int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")))
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def to_blob(sig: np.ndarray | None) -> bytes | None:
    return None if sig is None else sig.tobytes()


def from_blob(blob: bytes | None) -> np.ndarray | None:
    return None if blob is None else np.frombuffer(blob, dtype=np.uint64)
