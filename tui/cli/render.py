"""Articles as rich renderables for the terminal: content always as Text, never markup."""
from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.syntax import Syntax
from rich.text import Text


def meta_line(record: dict) -> Text:
    parts = [p for p in (record.get("source") or record.get("feed"), record.get("author"),
                         (record.get("published_at") or record.get("imported_at") or "")[:10]) if p]
    if record.get("aggregator"):
        parts.append(f"via {record['aggregator']}")
    return Text(" · ".join(parts), style="dim")


def render_article(record: dict) -> RenderableType:
    body = record["body"]
    items: list[RenderableType] = [Text(record["title"] or "(untitled)", style="bold"), meta_line(record)]
    if record.get("url"):
        items.append(Text(record["url"], style="dim underline"))
    items.append(Text(""))
    for block in record["blocks"]:
        text = body[block["start"]:block["end"]]
        kind = block["kind"]
        if kind == "heading":
            items.append(Text(text, style="bold underline"))
        elif kind == "quote":
            items.append(Padding(Text(text, style="italic"), (0, 0, 0, 4)))
        elif kind == "code":
            items.append(Syntax(text, block.get("lang") or "text", theme="ansi_dark", word_wrap=True))
        elif kind == "list_item":
            items.append(Padding(Text.assemble("• ", text), (0, 0, 0, 2)))
        else:
            items.append(Text(text))
        items.append(Text(""))
    return Group(*items)
