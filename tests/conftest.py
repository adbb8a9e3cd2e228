"""Fixtures every area's tests share: a real library file, the fixtures kept in tests/fixtures/.

A user's clone has nothing beside it, so no test reads ../shared (benchmarks may)."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from store.library import Library

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "plaintext" / "menafn-russia-assad-isis.txt"
SEED_EXPECTED = FIXTURES / "plaintext" / "menafn-russia-assad-isis.expected.json"

# The suite passes whatever the user's environment: what would change margin's output or
# where it keeps files is taken out here (so the `margin` processes tests start inherit it
# too), and a test of such a setting (NO_COLOR, a narrow COLUMNS, a config file) sets it
# itself. Piped output is then one line per item, as CI sees it.
for _name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "MARGIN_LIBRARY", "MARGIN_LOG", "BROWSER"):
    os.environ.pop(_name, None)
_HOME = Path(tempfile.mkdtemp(prefix="margin-tests-"))
atexit.register(shutil.rmtree, _HOME, True)
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = str(_HOME / _name.lower())


def long_text(chars: int) -> str:
    """An article of at least `chars` characters: SEED's paragraphs, numbered, over and over."""
    paras = [p for p in SEED.read_text().split("\n\n") if len(p) > 80]
    out, size, i = [], 0, 0
    while size < chars:
        out.append(f"{paras[i % len(paras)]} (part {i})")
        size += len(out[-1]) + 2
        i += 1
    return "A very long article\n\n" + "\n\n".join(out)


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def lib(library_path: Path):
    """A real SQLite library file in WAL mode, migrated."""
    library = Library(library_path)
    yield library
    library.close()


# The fast lane, `pytest -m "not slow"`, leaves out what drives the real reader, the real
# spaCy model, killed processes and slow servers; those still run in the full suite.
TESTS = Path(__file__).resolve().parent
SLOW = ("tui/", "hostile/", "entities/", "fulltext/test_bad_pages.py", "feeds/test_concurrency.py",
        "feeds/test_fetching.py", "foundation/test_concurrent_imports.py", "foundation/test_import_cli.py",
        "foundation/test_cli_daily_use.py", "foundation/test_upgrades.py", "notes/test_anchoring.py",
        "backup/test_restore_cli.py", "fulltext/test_cli.py", "fulltext/test_reader_key.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(TESTS).as_posix().startswith(SLOW):
            item.add_marker(pytest.mark.slow)
