"""`margin enrich` and the enrichment pass that import/fetch run after storing (entities issue)."""
from __future__ import annotations


def register(sub, common) -> None:
    return None


def enrich_after_store(lib, args) -> int:
    """Run the enrichment queue after an import or fetch unless --no-enrich; returns failures."""
    return 0
