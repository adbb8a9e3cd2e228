"""The reader's start-up path stays light: heavy modules load when something needs them.

Each check runs in a fresh interpreter, since this test process has imported everything.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import build_parser, reader_args

ROOT = Path(__file__).resolve().parents[2]

# What `margin` does up to the reader's first paint (and the frame after it) on an existing
# library, then what of the heavy modules got imported on the way. (A new library runs its
# migrations first, with sqlite-utils: that is a one-off, not the reader's start.)
STARTUP = r"""
import asyncio, json, sys
from tui.cli import build_parser
from tui.app import make_app

build_parser().parse_args([])

async def main():
    app = make_app(sys.argv[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
heavy = ["spacy", "numpy", "sqlite_utils", "datasketch", "scipy", "httpx", "feedparser", "selectolax", "pygments",
         "markdown", "rich.progress", "rich.syntax", "importlib.metadata", "tui.screens.note_editor",
         "tui.screens.dialogs"]
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def run(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_reader_start_imports_none_of_the_heavy_modules(tmp_path: Path) -> None:
    library = str(tmp_path / "library.db")
    run(f"from store.library import Library; Library({library!r}).close(); print('made')")
    assert json.loads(run(STARTUP, library)) == []


@pytest.mark.parametrize("argv", [[], ["--library", "x.db"], ["--library=x.db"], ["--library", "demo"]])
def test_margin_alone_is_read_as_the_full_parser_reads_it(argv: list[str]) -> None:
    assert reader_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["--library"], ["--library", "-x"], ["--lib", "x.db"], ["demo"], ["--help"],
                                  ["--library", "x.db", "search", "word"], ["--version"]])
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert reader_args(argv) is None


def test_numpy_works_after_the_store_kept_it_out_of_sqlite_utils() -> None:
    """sqlite_utils is imported (on first use of its API) with numpy hidden; the duplicate
    detector (numpy, datasketch) and sqlite_utils itself must still work in the same process
    afterwards."""
    code = r"""
import sys
from store import Library
assert "numpy" not in sys.modules
from store.related import dedupe
sig = dedupe.signature(" ".join(f"word{i}" for i in range(40)))
assert sig is not None and dedupe.jaccard(sig, dedupe.from_blob(dedupe.to_blob(sig))) == 1.0
lib = Library(None)
lib.db["scratch"].insert({"n": int(sig[0])})
print(lib.db.execute("select count(*) from scratch").fetchone()[0])
"""
    assert run(code) == "1"
