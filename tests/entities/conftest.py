"""Entities tests: the real spaCy model, loaded once per test session (per xdist worker)."""
from __future__ import annotations

import json

import pytest

from store.document import Document
from store.entities.spacy_backend import SpacyExtractor, load_model
from tests.conftest import SEED, SEED_EXPECTED


@pytest.fixture(scope="session")
def extractor() -> SpacyExtractor:
    load_model()
    return SpacyExtractor()


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads(SEED_EXPECTED.read_text())


def store_text(lib, key: str, title: str, paragraphs: list[str] | str) -> int:
    """Store an article built from paragraphs (a str is split at blank lines)."""
    if isinstance(paragraphs, str):
        paragraphs = paragraphs.split("\n\n")
    doc = Document.from_parts(title, [("paragraph", p) for p in paragraphs])
    with lib.db.conn:
        return lib.store_document(key, doc, origin="text").id


def import_seed(lib) -> int:
    """The seed article through the plain-text importer (store/plaintext.py)."""
    report = lib.import_paths([SEED])
    assert not report.failed, report.failed
    return report.article_ids[0]
