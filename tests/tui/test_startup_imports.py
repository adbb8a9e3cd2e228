"""The reader's start-up path stays light: heavy modules load when something needs them.

Each check runs in a fresh interpreter, since this test process has imported everything.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
