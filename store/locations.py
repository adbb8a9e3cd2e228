"""Where margin keeps its files: one module owns every path."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs import PlatformDirs

APP = "margin"


def _user_file(folder: Callable[[PlatformDirs], str], name: str, env: str | None = None) -> Path:
    """`name` in one of the platform's folders for this user, unless the environment
    variable `env` names the file itself."""
    if env and os.environ.get(env):
        return Path(os.environ[env]).expanduser()
    import platformdirs  # only when a path is asked for: its import is start-up time

    return Path(folder(platformdirs.PlatformDirs(APP))) / name


def default_library_path() -> Path:
    return _user_file(lambda d: d.user_data_dir, "library.db", env="MARGIN_LIBRARY")


def config_path() -> Path:
    return _user_file(lambda d: d.user_config_dir, "config.toml")


def demo_scratch_dir() -> Path:
    return _user_file(lambda d: d.user_cache_dir, "demo")


def error_log_path() -> Path:
    """Where unexpected errors are written with their traceback (`MARGIN_LOG` overrides it)."""
    return _user_file(lambda d: d.user_log_dir, "margin.log", env="MARGIN_LOG")


def drafts_path() -> Path:
    """Unsaved note drafts (store/notes/drafts.py)."""
    return _user_file(lambda d: d.user_data_dir, "drafts.json")
