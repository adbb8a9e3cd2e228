"""Export notes: Markdown files (one per article, Obsidian-ready) and W3C Web Annotation JSON-LD."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f]+')


def _articles_with_notes(lib) -> list[int]:
    return [r[0] for r in lib.db.conn.execute(
        "SELECT DISTINCT article_id FROM notes ORDER BY article_id")]


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings and lists are valid YAML


def safe_filename(title: str, article_id: int) -> str:
    stem = " ".join(_UNSAFE.sub(" ", title or "").split())[:80].strip(" .") or "untitled"
    return f"{stem} ({article_id}).md"


def article_markdown(lib, article_id: int) -> str:
    a = lib.article(article_id)
    notes = lib.notes.for_article(article_id)
    tags = sorted({t for n in notes for t in n.tags})
    front = ["---", f"title: {_yaml(a['title'])}", f"source: {_yaml(a['source'] or a.get('feed_title'))}",
             f"url: {_yaml(a['url'] or a['path'])}", f"date: {_yaml(a['published_at'] or a['imported_at'])}",
             f"tags: {_yaml(tags)}", f"margin_id: {article_id}", "---", "", f"# {a['title']}", ""]
    for n in notes:
        if n.exact:
            front += ["> " + line for line in n.exact.splitlines() or [""]]
            if n.state != "anchored":
                front.append(f"> *({n.state}{': now “' + n.current_exact + '”' if n.current_exact else ''})*")
            front.append("")
        front += [n.body or "", ""]
        if n.tags:
            front += [" ".join(f"#{t.replace(' ', '-')}" for t in n.tags), ""]
    return "\n".join(front).rstrip() + "\n"


def export_markdown(lib, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for article_id in _articles_with_notes(lib):
        title = lib.article(article_id)["title"]
        path = out / safe_filename(title, article_id)
        path.write_text(article_markdown(lib, article_id), encoding="utf-8")
        written.append(path)
    return written


def article_source(a: dict) -> str:
    if a["url"]:
        return a["url"]
    return "urn:margin:article:" + hashlib.sha256(a["key"].encode()).hexdigest()[:32]


def export_w3c(lib) -> dict:
    items = []
    for article_id in _articles_with_notes(lib):
        a = lib.article(article_id)
        for n in lib.notes.for_article(article_id):
            bodies = [{"type": "TextualBody", "value": n.body, "format": "text/markdown", "purpose": "commenting"}]
            bodies += [{"type": "TextualBody", "value": t, "purpose": "tagging"} for t in n.tags]
            target: dict = {"source": article_source(a)}
            if n.exact:
                target["selector"] = [
                    {"type": "TextQuoteSelector", "exact": n.exact, "prefix": n.prefix or "", "suffix": n.suffix or ""},
                ]
                if n.state != "orphaned" and n.start is not None:
                    target["selector"].append({"type": "TextPositionSelector", "start": n.start, "end": n.end})
            items.append({
                "id": f"urn:margin:note:{n.id}", "type": "Annotation", "motivation": "commenting",
                "created": n.created_at, "modified": n.updated_at, "body": bodies, "target": target,
            })
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
            "label": "margin notes", "total": len(items), "first": {"type": "AnnotationPage", "items": items}}
