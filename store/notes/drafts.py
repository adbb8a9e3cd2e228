"""Unsaved note drafts: what the note editor held when the reader closed, kept until the
note is saved or the draft is discarded. One small JSON file for every library; a draft is
keyed by its library and by what it is about (a passage, or a note being edited)."""
from __future__ import annotations

import json
import os
from pathlib import Path


class Drafts:
    def __init__(self, path: Path, scope: str) -> None:
        self.path = path
        self.scope = scope  # the library's path: the demo's drafts never show in your library

    def _key(self, what: str) -> str:
        return f"{self.scope} | {what}"

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # no file yet, or a damaged one: drafts are a convenience, never a blocker
        return data if isinstance(data, dict) else {}

    def _write(self, drafts: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(drafts, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)  # a reader closing mid-write never leaves half a file

    def load(self, what: str) -> dict | None:
        draft = self._read().get(self._key(what))
        return draft if isinstance(draft, dict) else None

    def save(self, what: str, draft: dict) -> None:
        """Raises OSError when the file cannot be written (the caller says so)."""
        drafts = self._read()
        drafts[self._key(what)] = draft
        self._write(drafts)

    def drop(self, what: str) -> None:
        drafts = self._read()
        if drafts.pop(self._key(what), None) is not None:
            self._write(drafts)
