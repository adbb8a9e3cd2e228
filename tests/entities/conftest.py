"""Entities tests: the real spaCy model, loaded once per test session (per xdist worker)."""
from __future__ import annotations

import importlib.util
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
    """The seed article through the plain-text importer once it has landed
    (store/plaintext.py); until then a plain split of the fixture into title,
    paragraphs/headings and trailer, as the fixture's expected.json describes it."""
    if importlib.util.find_spec("store.plaintext") is not None and hasattr(lib, "import_paths"):
        report = lib.import_paths([SEED])
        assert not report.failed, report.failed
        return report.article_ids[0]
    text = SEED.read_text()
    title, rest = text.split("\n", 1)
    rest, trailer = rest.split("Legal Disclaimer:", 1)
    rest = rest.replace("(MENAFN- The Journal Of Turkish Weekly) ", "")
    parts = []
    for para in (p.strip() for p in rest.split("\n\n")):
        if para:
            heading = len(para) < 60 and para[-1] not in ".”\"!?"
            parts.append(("heading" if heading else "paragraph", para))
    doc = Document.from_parts(title, parts, source="The Journal Of Turkish Weekly",
                              aggregator="MENAFN", trailer="Legal Disclaimer:" + trailer)
    with lib.db.conn:
        return lib.store_document("seed", doc, origin="text").id
