"""Subscription lists: OPML (folders become tags) and newsboat `urls` files, both ways."""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from defusedxml import ElementTree

from store.errors import MarginError
from store.feeds.urls import url_problem

# margin's own outline attributes (full text) live in this namespace, as OPML 2.0 allows;
# other readers ignore them.
MARGIN_NS = "https://github.com/margin-reader/margin/opml"


@dataclass
class Subscription:
    url: str
    title: str | None = None
    tags: list[str] = field(default_factory=list)
    hidden: bool = False
    fulltext: str = "off"  # off | on | auto (store/fulltext)
    fulltext_threshold: int | None = None


@dataclass
class ListReport:
    subscriptions: list[Subscription] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (line or item, reason)
    queries: list[tuple[str, str]] = field(default_factory=list)  # newsboat `query:` feeds: (line, url word)


def read_opml(data: bytes) -> ListReport:
    try:
        root = ElementTree.fromstring(data)
    except Exception as exc:  # defusedxml raises its own classes for hostile XML
        raise MarginError(f"not an OPML file ({type(exc).__name__}: {exc})") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise MarginError("not an OPML file (no <opml><body>)")
    report = ListReport()

    def walk(node, tags: list[str]) -> None:
        for outline in node.findall("outline"):
            url = outline.get("xmlUrl") or outline.get("xmlurl")
            title = outline.get("title") or outline.get("text")
            if url and url_problem(url.strip()):
                report.problems.append((url.strip()[:200], url_problem(url.strip())))
            elif url:
                extra = [t.strip() for t in (outline.get("category") or "").replace("/", ",").split(",") if t.strip()]
                sub = Subscription(url.strip(), title, [*tags, *extra])
                mode = (outline.get(f"{{{MARGIN_NS}}}fulltext") or "off").strip().lower()
                threshold = (outline.get(f"{{{MARGIN_NS}}}fulltextThreshold") or "").strip()
                if mode in ("on", "auto"):
                    sub.fulltext = mode
                    sub.fulltext_threshold = int(threshold) if threshold.isdigit() and int(threshold) > 0 else None
                elif mode != "off":
                    report.problems.append((url.strip(), f"margin:fulltext={mode!r} is not on, off or auto; left off"))
                report.subscriptions.append(sub)
            else:
                walk(outline, [*tags, title] if title else tags)

    walk(body, [])
    return report


def write_opml(subs: list[Subscription]) -> str:
    folders: dict[str, list[Subscription]] = {}
    loose = []
    for s in subs:
        (folders.setdefault(s.tags[0], []) if s.tags else loose).append(s)

    def line(s: Subscription, indent: str, extra_tags: list[str]) -> str:
        cat = f" category={quoteattr(','.join(extra_tags))}" if extra_tags else ""
        t = quoteattr(s.title or s.url)
        full = f' margin:fulltext="{s.fulltext}"' if s.fulltext != "off" else ""
        if s.fulltext == "auto" and s.fulltext_threshold:
            full += f' margin:fulltextThreshold="{int(s.fulltext_threshold)}"'
        return f'{indent}<outline type="rss" text={t} title={t} xmlUrl={quoteattr(s.url)}{cat}{full}/>'

    ns = f" xmlns:margin={quoteattr(MARGIN_NS)}" if any(s.fulltext != "off" for s in subs) else ""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<opml version="2.0"{ns}>',
           "  <head><title>margin subscriptions</title></head>", "  <body>"]
    for folder, items in folders.items():
        out.append(f"    <outline text={quoteattr(folder)} title={quoteattr(folder)}>")
        out += [line(s, "      ", s.tags[1:]) for s in items]
        out.append("    </outline>")
    out += [line(s, "    ", []) for s in loose]
    out += ["  </body>", "</opml>", ""]
    return "\n".join(out)


def read_urls(text: str) -> ListReport:
    report = ListReport()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line)
        except ValueError as exc:
            report.problems.append((f"line {number}", f"cannot read ({exc})"))
            continue
        url = words[0]
        if url.startswith("query:"):
            report.queries.append((f"line {number}", url))  # become saved searches (store/search/newsboat.py)
            continue
        if url.startswith(("exec:", "filter:")):
            report.problems.append((f"line {number}", f"{url.split(':')[0]}: feeds run commands; refused"))
            continue
        if url_problem(url):
            report.problems.append((f"line {number}", url_problem(url)))
            continue
        sub = Subscription(url)
        for word in words[1:]:
            if word.startswith("~"):
                sub.title = word[1:]
            elif word.startswith("!"):
                sub.hidden = True
                if word[1:]:
                    sub.tags.append(word[1:])
            else:
                sub.tags.append(word)
        report.subscriptions.append(sub)
    return report


def _urls_word(word: str) -> str:
    if any(ch.isspace() for ch in word) or '"' in word or "'" in word:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def write_urls(subs: list[Subscription]) -> str:
    lines = []
    for s in subs:
        words = [s.url, *s.tags] + (["~" + s.title] if s.title else []) + (["!"] if s.hidden else [])
        lines.append(" ".join(_urls_word(w) for w in words))
    return "\n".join(lines) + ("\n" if lines else "")
