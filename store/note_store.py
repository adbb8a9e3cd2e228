"""Placeholder sub-store: its issue replaces this with the real thing."""


class NoteStore:
    def __init__(self, library) -> None:
        self.lib = library
        self.db = library.db

    def record_part(self, article_id: int) -> dict:
        return {}

    def stats_part(self) -> dict:
        return {}

    def reanchor(self, article_id: int, old_body: str, new_body: str) -> None:
        return None
