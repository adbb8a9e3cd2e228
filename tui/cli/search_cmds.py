"""`margin search QUERY [--limit N] [--json]`."""
from __future__ import annotations

import argparse

from rich.text import Text

from store.errors import QueryError
from tui.cli.output import EXIT_OK, EXIT_USAGE, console, error, open_library, print_json


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="ranked search (query language: see README)")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="words, \"phrases\", a OR b, -word, title: source: @Name #tag is:unread since:7d …"
                        " ('' lists the newest)")
    p.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)


_FLAGS = ("--json", "-h", "--help")
_VALUED = ("--limit", "--library")


def rewrite_argv(argv: list[str]) -> list[str]:
    """`margin search syria -aleppo`: a query word may start with '-' (an exclusion), so
    everything after `search` that is not one of its options goes behind `--`."""
    for i, arg in enumerate(argv):
        if i > 0 and argv[i - 1] == "--library":
            continue  # a library file may be called "search"
        if arg == "search":
            options, words, j = [], [], i + 1
            while j < len(argv):
                a = argv[j]
                if a == "--":
                    words += argv[j + 1:]
                    break
                if a in _FLAGS or a.startswith(tuple(v + "=" for v in _VALUED)):
                    options.append(a)
                elif a in _VALUED and j + 1 < len(argv):
                    options += [a, argv[j + 1]]
                    j += 1
                else:
                    words.append(a)
                j += 1
            return [*argv[:i + 1], *options, *(["--", *words] if words else [])]
        if not arg.startswith("-"):
            return argv  # another subcommand
    return argv


def hit_text(hit) -> tuple[Text, Text]:
    """The title line, and below it (to be indented) source · date, the duplicates folded
    into this hit, and the snippet with matched words emphasised."""
    head = Text()
    head.append(f"{hit.id:>6}  ", style="dim")
    head.append(hit.title or "(untitled)", style="bold")
    meta = " · ".join(p for p in (hit.source, (hit.published_at or hit.sort_at or "")[:10]) if p)
    if hit.also_in:
        meta += " · also in: " + ", ".join(f"{d['source'] or '?'} ({d['id']})" for d in hit.also_in)
    detail = Text(meta, style="dim")
    snippet = Text(hit.snippet.replace("\n", " "))
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start, end)
    detail.append("\n")
    detail.append_text(snippet)
    return head, detail


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
        head, detail = hit_text(hit)
        console.print(head)
        for line in detail.wrap(console, max(console.width - 8, 20)):  # wrapped lines keep the indent
            console.print(Text("        ").append_text(line), soft_wrap=True)
        console.print()
    return EXIT_OK
