"""`margin search QUERY [--limit N] [--json]`."""
from __future__ import annotations

import argparse

from rich.text import Text

from store.errors import QueryError
from tui.cli.output import EXIT_OK, EXIT_USAGE, console, error, open_library, print_json


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="ranked search (query language: see README)")
    p.add_argument("query", nargs="+", metavar="QUERY")
    p.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)


def hit_text(hit) -> Text:
    """Title line, then source · date, then the snippet with matched words emphasised."""
    out = Text()
    out.append(f"{hit.id:>6}  ", style="dim")
    out.append(hit.title or "(untitled)", style="bold")
    meta = " · ".join(p for p in (hit.source, (hit.published_at or hit.sort_at or "")[:10]) if p)
    out.append(f"\n        {meta}", style="dim")
    snippet = Text(hit.snippet.replace("\n", " "))
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start, end)
    out.append("\n        ")
    out.append_text(snippet)
    return out


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit <= 0:
        error("--limit must be positive")
        return EXIT_USAGE
    query = " ".join(args.query)
    with open_library(args) as lib:
        try:
            hits = lib.search(query, limit=args.limit)
        except QueryError as exc:
            error(f"query: {exc}")
            return EXIT_USAGE
    if args.json:
        print_json([h.to_json() for h in hits])
        return EXIT_OK
    if not hits:
        console.print("no matches")
    for hit in hits:
        console.print(hit_text(hit))
        console.print()
    return EXIT_OK
