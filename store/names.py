"""One key for names, shared by entities, aliases, note links and `@Name` search."""
from __future__ import annotations

import unicodedata


def name_key(s: str) -> str:
    """NFKD, combining marks stripped, casefolded, whitespace collapsed: 'Françoís  HOLLANDE' -> 'francois hollande'."""
    decomposed = unicodedata.normalize("NFKD", s or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
