"""Unsaved note drafts: what the note editor held when the reader closed, kept until the
note is saved or the draft is discarded. One small JSON file; a draft is keyed by the
library and the passage (or note) it is about."""
from __future__ import annotations

import json
import os
from pathlib import Path


def _read(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no file yet, or a damaged one: drafts are a convenience, never a blocker
    return data if isinstance(data, dict) else {}


def _write(path: Path, drafts: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(drafts, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)  # a reader closing mid-write never leaves half a file


def load_draft(path: Path, key: str) -> dict | None:
    draft = _read(path).get(key)
    return draft if isinstance(draft, dict) else None


def save_draft(path: Path, key: str, draft: dict) -> None:
    drafts = _read(path)
    drafts[key] = draft
    _write(path, drafts)


def drop_draft(path: Path, key: str) -> None:
    drafts = _read(path)
    if drafts.pop(key, None) is not None:
        _write(path, drafts)
