"""Extraction on the fixture pages: the article is kept, the furniture around it dropped,
and the result is margin's Document (blocks, links) through store/html.py."""
from __future__ import annotations

import pytest

from store.fulltext.extract import ExtractFailure, decode, extract
from store.html import html_to_document
from tests.fulltext.conftest import ARTICLE_PAGES, expected, page_bytes


def _document(name: str):
    charset = "iso-8859-1" if name == "table-layout" else "utf-8"
    page = extract(page_bytes(name), {"content-type": f"text/html; charset={charset}"}, f"http://news.test/{name}")
    return page, html_to_document("t", page.html, base_url=f"http://news.test/{name}")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ARTICLE_PAGES)
def test_extraction_keeps_every_article_paragraph_and_drops_the_furniture(name):
    want = expected(name)
    _, doc = _document(name)
    body = _flat(doc.body)
    assert [p for p in want["paragraphs"] if _flat(p) not in body] == []
    assert [line for line in want["boilerplate"] if line in body] == []


def test_extraction_keeps_headings_quotes_lists_code_and_links():
    _, doc = _document("article-tag")
    kinds = {b.kind for b in doc.blocks}
    assert {"paragraph", "heading", "quote", "list_item"} <= kinds
    assert "http://news.test/conciliation" in doc.links
    _, code = _document("blog-code")
    block = next(b for b in code.blocks if b.kind == "code")
    assert "def record(counts, seconds):\n" in code.block_text(block)  # lines of code stay lines


def test_a_first_heading_that_repeats_the_title_is_not_kept_as_text():
    _, doc = _document("article-tag")
    assert not doc.body.startswith("Harbour cranes fall silent")
    _, table = _document("table-layout")
    assert "Town council approves new library budget" not in table.body


def test_page_metadata_is_read():
    page, _ = _document("article-tag")
    assert (page.title, page.author, page.published_at.date().isoformat()) == \
        ("Harbour cranes fall silent as dock workers walk out", "Mara Ellison", "2026-11-20")


def test_a_latin1_page_is_decoded_from_its_meta_charset():
    data = page_bytes("table-layout")
    assert "small café" in decode(data, {"content-type": "text/html"})


def test_a_marked_paywall_stub_is_reported_as_a_paywall():
    with pytest.raises(ExtractFailure, match="page is a paywall"):
        extract(page_bytes("paywall"), {"content-type": "text/html"}, "http://news.test/p")


@pytest.mark.parametrize("data, ctype, reason", [
    (b"%PDF-1.7\n...", "application/pdf", "not HTML (application/pdf)"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "not HTML (image/png)"),
    (b"%PDF-1.7\n...", "", "not HTML"),
    (b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>", "text/html",
     "no article text found on the page"),
    (b"<html><body>" + b"<div>" * 10_000 + b"<p>deep</p>" + b"</div>" * 10_000 + b"</body></html>", "text/html",
     "nested too deeply"),
])
def test_pages_without_an_article_give_a_reason(data, ctype, reason):
    with pytest.raises(ExtractFailure, match=reason.replace("(", r"\(").replace(")", r"\)")):
        extract(data, {"content-type": ctype}, "http://news.test/x")
