"""`margin import`, `search`, `show`, `stats` (foundation issue)."""


def register(sub, common) -> None:
    return None
