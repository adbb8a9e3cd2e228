"""Every test here logs unexpected errors into its own temporary directory, never the user's."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def error_log(tmp_path, monkeypatch):
    path = tmp_path / "log" / "margin.log"
    monkeypatch.setenv("MARGIN_LOG", str(path))
    return path
