"""Fixtures every area's tests share: a real library file, the shared fixtures folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from store.library import Library

ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
SEED = SHARED_FIXTURES / "plaintext" / "menafn-russia-assad-isis.txt"
SEED_EXPECTED = SHARED_FIXTURES / "plaintext" / "menafn-russia-assad-isis.expected.json"


@pytest.fixture
def shared_fixtures() -> Path:
    if not SHARED_FIXTURES.is_dir():
        pytest.fail(f"shared fixtures missing at {SHARED_FIXTURES}")
    return SHARED_FIXTURES


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def lib(library_path: Path):
    """A real SQLite library file in WAL mode, migrated."""
    library = Library(library_path)
    yield library
    library.close()
