"""Where margin keeps its files: one module owns every path."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "margin"


def default_library_path() -> Path:
    env = os.environ.get("MARGIN_LIBRARY")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP)) / "library.db"


def config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def demo_scratch_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP)) / "demo"
