"""Notes soak: 1,000 random edits to noted articles through the real re-import path.

    .venv/bin/python tests/bench/bench_notes_soak.py [EDITS] [SEED]

Prints what happened to the notes; deleted and mismatched anchors must be 0 (exit 1 otherwise).
The harness is tests/notes/soak.py; tests/notes/test_notes_soak.py runs a short version.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.notes.soak import run_soak  # noqa: E402


def main() -> int:
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 19
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = run_soak(Path(tmp) / "soak.db", Path(tmp), edits=edits, seed=seed)
        seconds = time.perf_counter() - started
    states = report.states
    print(f"notes soak: {report.edits} random edits (seed {seed}) on 4 noted articles, each re-imported from its file")
    print(f"  {seconds:.1f} s; edits by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report.kinds.items())))
    print(f"  {report.notes_added} notes made along the way; at the end: kept (anchored) {states['anchored']}, "
          f"relocated {states['relocated']}, changed {states['changed']}, orphaned {states['orphaned']}")
    print(f"  {report.untouched} notes on a passage no edit touched, {report.notes_added - report.untouched} on one "
          "that edits changed or removed (half the edits aim at noted passages)")
    print("  re-anchorings that moved or changed a note: "
          + ", ".join(f"{k} {v}" for k, v in sorted(report.placements.items())))
    print(f"  deleted {report.deleted}; mismatched anchors {len(report.mismatched)}; "
          f"notes moved off a passage no edit touched {len(report.misplaced)}")
    for line in (report.mismatched + report.misplaced)[:20]:
        print("   ", line)
    return 0 if report.deleted == 0 and not report.mismatched and not report.misplaced else 1


if __name__ == "__main__":
    sys.exit(main())
