"""The shape every source ends as: a normalised plain-text body plus blocks pointing into it.

Offsets are Python str indices (code points) into `body`, the unit the W3C Web
Annotation model uses; entities, notes and snippets all point into `body` by them.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

BLOCK_KINDS = ("paragraph", "heading", "quote", "code", "list_item")
PARAGRAPH_SEP = "\n\n"

# ECMA-48 escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL/ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), two-byte ESC sequences, and their 8-bit C1 forms.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]              # CSI
  | (?:\x1b\]|\x9d).*?(?:\x07|\x1b\\|\x9c)          # OSC, terminated
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f]).*?(?:\x1b\\|\x9c)  # DCS SOS PM APC
  | \x1b[@-Z\\-_]                                  # other two-byte sequences
  | \x1b[ -/]*[0-~]                                # nF / Fp / Fs
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE_START = re.compile("[\x1b\x90-\x9f]")
# Control characters (Unicode Cc) but newline and tab, and lone surrogates (Cs).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Bidi overrides/isolates can make text display differently from how it is stored.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)
# Anything the three passes below would change; clean text (nearly all of it) is scanned once.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# The same for ASCII text, as bytes: deleting them is 4x faster than the regex's scan.
_ASCII_UNSAFE = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters, keeping newlines and tabs."""
    if not text:
        return ""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_UNSAFE)) == len(raw):
            return text
    elif not _UNSAFE.search(text):
        return text
    if _ESCAPE_START.search(text):  # the full pattern is slow; most text has no escapes at all
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text.translate(_BIDI))


def clean_inline(text: str | None) -> str:
    """One-line metadata (titles, names): controls stripped, whitespace collapsed."""
    if not text:
        return ""
    return " ".join(strip_controls(text).split())


def normalise_text(text: str) -> str:
    """Newlines unified, BOM dropped, NFC, controls stripped: what every importer stores."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n")
    return strip_controls(unicodedata.normalize("NFC", text))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Block:
    kind: str
    start: int
    end: int
    lang: str | None = None  # for code blocks

    def to_json(self) -> dict:
        data: dict = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.lang:
            data["lang"] = self.lang
        return data

    @classmethod
    def from_json(cls, data: dict) -> Block:
        return cls(data["kind"], int(data["start"]), int(data["end"]), data.get("lang"))


@dataclass
class Document:
    title: str
    body: str
    blocks: list[Block]
    source: str | None = None
    aggregator: str | None = None
    author: str | None = None
    published_at: datetime | None = None  # timezone-aware UTC when known
    trailer: str | None = None
    url: str | None = None
    links: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)  # each link's anchor text, where known

    @classmethod
    def from_parts(
        cls, title: str, parts: Iterable[tuple[str, str] | tuple[str, str, str | None]], **meta
    ) -> Document:
        """Build body and block offsets from (kind, text[, lang]) parts, in order.

        Each part's text is cleaned; empty parts are dropped; blocks are joined by one
        blank line, so a block's offsets always slice `body` exactly.
        """
        pieces: list[str] = []
        blocks: list[Block] = []
        pos = 0
        for part in parts:
            kind, text = part[0], part[1]
            lang = part[2] if len(part) > 2 else None
            if kind not in BLOCK_KINDS:
                raise ValueError(f"unknown block kind {kind!r}")
            text = strip_controls(text)
            text = text.strip("\n") if kind == "code" else text.strip()
            if not text.strip():
                continue
            if pieces:
                pieces.append(PARAGRAPH_SEP)
                pos += len(PARAGRAPH_SEP)
            pieces.append(text)
            blocks.append(Block(kind, pos, pos + len(text), lang))
            pos += len(text)
        meta = {k: (clean_inline(v) or None) if isinstance(v, str) and k != "trailer" else v
                for k, v in meta.items()}
        if meta.get("trailer"):
            meta["trailer"] = strip_controls(meta["trailer"]).strip() or None
        return cls(title=clean_inline(title), body="".join(pieces), blocks=blocks, **meta)

    @property
    def body_hash(self) -> str:
        return text_hash(self.body)

    def block_text(self, block: Block) -> str:
        return self.body[block.start:block.end]


def links_json(doc: Document) -> str:
    """The `links` column: [{"url", "text"}]. Libraries from before anchor texts hold bare URL
    strings; `links_from_json` reads both."""
    texts = doc.link_texts + [""] * (len(doc.links) - len(doc.link_texts))
    return json.dumps([{"url": url, "text": text} for url, text in zip(doc.links, texts, strict=False)])


def links_from_json(raw: str | None) -> tuple[list[str], list[str]]:
    """(urls, anchor texts) from the `links` column; a text is "" where it is not known."""
    urls, texts = [], []
    for item in json.loads(raw or "[]"):
        if isinstance(item, dict):
            urls.append(str(item.get("url", "")))
            texts.append(str(item.get("text") or ""))
        else:
            urls.append(str(item))
            texts.append("")
    return urls, texts
