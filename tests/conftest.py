"""Fixtures every area's tests share: a real library file, the fixtures kept in tests/fixtures/.

A user's clone has nothing beside it, so no test reads ../shared (benchmarks may)."""
from __future__ import annotations

from pathlib import Path

import pytest

from store.library import Library

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "plaintext" / "menafn-russia-assad-isis.txt"
SEED_EXPECTED = FIXTURES / "plaintext" / "menafn-russia-assad-isis.expected.json"


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def lib(library_path: Path):
    """A real SQLite library file in WAL mode, migrated."""
    library = Library(library_path)
    yield library
    library.close()
