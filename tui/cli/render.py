"""Articles for the terminal: content always as Text, never markup; wrapped to the
terminal with hanging indents (quotes, list items), never padded with trailing spaces,
and one line per paragraph when piped."""
from __future__ import annotations

from rich.text import Text

from store.document import strip_controls
from tui.cli.output import console, print_hanging


def meta_line(record: dict) -> Text:
    parts = [p for p in (record.get("source") or record.get("feed"), record.get("author"),
                         (record.get("published_at") or record.get("imported_at") or "")[:10]) if p]
    if record.get("aggregator"):
        parts.append(f"via {record['aggregator']}")
    page = record.get("fulltext")
    if page and page["state"] == "failed" and not page["has_full_text"]:
        parts.append(strip_controls(page["reason"] or ""))  # why the whole article is not here, as the reader says
    return Text(" · ".join(p for p in parts if p), style="dim")


def print_article(record: dict) -> None:
    body = record["body"]
    print_hanging("", Text(record["title"] or "(untitled)", style="bold"))
    print_hanging("", meta_line(record))
    if record.get("url"):
        print_hanging("", Text(record["url"], style="dim underline"))
    for block in record["blocks"]:
        console.print()
        text = body[block["start"]:block["end"]]
        kind = block["kind"]
        if kind == "heading":
            print_hanging("", Text(text, style="bold underline"))
        elif kind == "quote":
            print_hanging("    ", Text(text, style="italic"))
        elif kind == "code":
            from rich.syntax import Syntax  # pygments: only articles with code pay for it

            code = Syntax(text, block.get("lang") or "text", theme="ansi_dark").highlight(text)
            code.rstrip()
            for line in code.split("\n", allow_blank=True):
                console.print(Text("    ") + line, soft_wrap=True)  # code keeps its lines
        elif kind == "list_item":
            print_hanging("  • ", Text(text))
        else:
            print_hanging("", Text(text))
