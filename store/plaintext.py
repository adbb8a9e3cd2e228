"""Plain-text articles -> Document.

Reads the shapes news corpora use: "title line, blank line, paragraphs", an optional
metadata block under the title (Date:, By, Source:), a wire marker such as
`(MENAFN- The Journal Of Turkish Weekly)` opening the first paragraph, short standalone
heading lines, hard-wrapped paragraphs, lists, quotes, indented code, and a boilerplate
trailer ("Legal Disclaimer: ...") that is kept apart from the body. Unknown shapes
degrade to: first non-empty line is the title, the rest paragraphs.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from store.document import Document, clean_inline, normalise_text

# "(MENAFN- Source Name)" / "(Reuters- ...)" at the start of the first paragraph.
_WIRE_MARKER = re.compile(r"^\((?P<agg>[A-Z][A-Za-z0-9&. ]{1,30}?)\s*-\s*(?P<src>[^()\n]{2,120})\)\s*")
_META_LINE = re.compile(
    r"^(?P<field>date|published|updated|by|author|source|byline)\s*[:]\s*(?P<value>.+)$", re.I
)
_BYLINE = re.compile(r"^(?i:by)\s+(?P<value>[A-Z][\w.'\- ]{1,80})$")
_TRAILER_START = re.compile(
    r"^(legal disclaimer:|disclaimer:|copyright ©|© ?\d{4}|all rights reserved\.?$)", re.I
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d{1,3}[.)])\s+")
_TERMINAL_PUNCT = tuple('.,;:!?…"”’)\'')
_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d %B %Y", "%B %d, %Y", "%b %d, %Y",
    "%d %b %Y", "%A, %B %d, %Y", "%d/%m/%Y",
)
# Only the last few chunks can start a trailer: a "Disclaimer:" mid-article is content.
_TRAILER_WINDOW = 4
_HEADING_MAX_CHARS = 90
_HEADING_MAX_WORDS = 12


def parse_date(value: str) -> datetime | None:
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        dt = None
    if dt is None:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is None:
        for fmt in _DATE_FORMATS:
            try:
                dt = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _chunks(text: str) -> list[list[str]]:
    """Groups of non-blank lines separated by blank lines (right-stripped, indentation kept)."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines; a hyphen at a line end before a lowercase letter is a word break."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not out:
            out = line
        elif out.endswith("-") and line[:1].islower() and not out.endswith(" -"):
            out += line
        else:
            out += " " + line
    return out


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    if not words or len(line) > _HEADING_MAX_CHARS or len(words) > _HEADING_MAX_WORDS:
        return False
    if line.startswith("#"):
        return True
    if line.endswith(_TERMINAL_PUNCT) or not (line[0].isupper() or line[0].isdigit()):
        return False
    # A heading is a phrase, not a sentence fragment split by a hard wrap.
    return not _LIST_ITEM.match(line)


def _block_parts(chunk: list[str], *, can_be_heading: bool) -> list[tuple]:
    if all(line.startswith(("    ", "\t")) for line in chunk):
        lines = [line[4:] if line.startswith("    ") else line[1:] for line in chunk]
        return [("code", "\n".join(lines))]
    if all(line.lstrip().startswith(">") for line in chunk):
        return [("quote", _join_wrapped([line.lstrip()[1:] for line in chunk]))]
    if all(_LIST_ITEM.match(line) or line.startswith((" ", "\t")) for line in chunk) and _LIST_ITEM.match(chunk[0]):
        items: list[list[str]] = []
        for line in chunk:
            if _LIST_ITEM.match(line):
                items.append([_LIST_ITEM.sub("", line, count=1)])
            else:
                items[-1].append(line)
        return [("list_item", _join_wrapped(item)) for item in items]
    if len(chunk) == 1 and can_be_heading and _looks_like_heading(chunk[0].strip()):
        return [("heading", chunk[0].strip().lstrip("#").strip())]
    return [("paragraph", _join_wrapped(chunk))]


def parse_plaintext(text: str) -> Document:
    """Read one plain-text article. Never raises on any str input."""
    chunks = _chunks(normalise_text(text))
    if not chunks:
        return Document.from_parts("", [])
    first = chunks.pop(0)
    title = clean_inline(first[0].lstrip("#"))
    if len(first) > 1:  # unknown shape: the rest of the first chunk is body text
        chunks.insert(0, first[1:])

    meta: dict = {}
    while chunks and all(_META_LINE.match(line.strip()) or _BYLINE.match(line.strip()) for line in chunks[0]):
        for line in chunks.pop(0):
            _read_meta(line.strip(), meta)

    trailer_at = None
    for i in range(max(0, len(chunks) - _TRAILER_WINDOW), len(chunks)):
        if _TRAILER_START.match(chunks[i][0].strip()):
            trailer_at = i
            break
    if trailer_at is not None:
        meta["trailer"] = "\n\n".join("\n".join(c) for c in chunks[trailer_at:])
        chunks = chunks[:trailer_at]

    parts: list[tuple] = []
    for i, chunk in enumerate(chunks):
        is_last = i == len(chunks) - 1
        parts.extend(_block_parts(chunk, can_be_heading=bool(parts) and not is_last))
    _read_wire_marker(parts, meta)
    return Document.from_parts(title, parts, **meta)


def _read_meta(line: str, meta: dict) -> None:
    match = _META_LINE.match(line)
    if match is None:
        byline = _BYLINE.match(line)
        if byline:
            meta["author"] = byline["value"].strip()
        return
    field, value = match["field"].lower(), match["value"].strip()
    if field in ("date", "published", "updated"):
        parsed = parse_date(value)
        if parsed is not None and "published_at" not in meta:
            meta["published_at"] = parsed
    elif field in ("by", "author", "byline"):
        meta["author"] = value
    elif field == "source":
        meta["source"] = value


def _read_wire_marker(parts: list[tuple], meta: dict) -> None:
    """Take `(AGGREGATOR- Source)` off the first paragraph into source/aggregator."""
    for i, part in enumerate(parts):
        if part[0] != "paragraph":
            continue
        match = _WIRE_MARKER.match(part[1])
        if match:
            meta.setdefault("aggregator", match["agg"].strip())
            meta.setdefault("source", match["src"].strip())
            parts[i] = ("paragraph", part[1][match.end():])
        return
