"""The user's key bindings: a `[keys]` table in the config file maps binding ids to keys.

    # ~/.config/margin/config.toml  (`margin config path` prints where)
    [keys]
    "view.next_entity" = "x"
    "reader.search" = "ctrl+f,slash"
"""
from __future__ import annotations

from pathlib import Path


def load_keymap(path: Path) -> tuple[dict[str, str], str | None]:
    """(binding id -> keys, problem or None). A broken file never stops the reader."""
    if not path.exists():
        return {}, None
    import tomllib  # only with a config file: most starts have none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, f"{path}: ignored ({exc})"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        return {}, f"{path}: [keys] must map binding ids to key names (strings); ignored"
    return dict(keys), None
