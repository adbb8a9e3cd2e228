"""Where margin keeps its files: one module owns every path."""
from __future__ import annotations

import os
from pathlib import Path

APP = "margin"


def default_library_path() -> Path:
    env = os.environ.get("MARGIN_LIBRARY")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no path was given: its import is start-up time

    return Path(platformdirs.user_data_dir(APP)) / "library.db"


def config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def demo_scratch_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP)) / "demo"


def error_log_path() -> Path:
    """Where unexpected errors are written with their traceback (`MARGIN_LOG` overrides it)."""
    env = os.environ.get("MARGIN_LOG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir(APP)) / "margin.log"


def drafts_path() -> Path:
    """Unsaved note drafts (store/notes/drafts.py)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP)) / "drafts.json"
