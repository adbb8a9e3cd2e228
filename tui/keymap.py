"""The user's config file: key bindings and the theme.

    # ~/.config/margin/config.toml  (`margin config path` prints where)
    theme = "textual-light"          # any Textual theme; default "textual-dark"

    [keys]                           # binding id -> keys (comma-separated)
    "view.next_entity" = "x"
    "reader.search" = "ctrl+f,slash"

A broken file, an unknown key or theme never stops the reader: it says what was ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_THEME = "textual-dark"
KNOWN = {"keys", "theme"}


@dataclass
class Config:
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problems: list[str] = field(default_factory=list)


def load_config(path: Path) -> Config:
    if not path.exists():
        return Config()
    import tomllib  # only with a config file: most starts have none

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(problems=[f"{path}: ignored ({exc})"])
    config = Config()
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        config.problems.append(f"{path}: [keys] must map binding ids to key names (strings); ignored")
    else:
        config.keys = dict(keys)
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        config.problems.append(f"{path}: theme must be a theme's name (a string); ignored")
    else:
        config.theme = theme
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        config.problems.append(f"{path}: unknown setting{'s' if len(unknown) > 1 else ''} "
                               f"{', '.join(unknown)} ignored (known: {', '.join(sorted(KNOWN))})")
    return config
