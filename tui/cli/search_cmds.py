"""`margin search QUERY [--limit N] [--json]`."""
from __future__ import annotations

import argparse

from rich.text import Text

from store.errors import QueryError
from tui.cli.output import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, console, error, open_library, print_json


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="ranked search (query language: see README)")
    p.add_argument("query", nargs="+", metavar="QUERY",
                   help="words, \"phrases\", a OR b, -word, title: source: @Name #tag is:unread since:7d …"
                        " ('' lists the newest)")
    p.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_search)

    s = sub.add_parser("searches", parents=[common], help="saved searches: list, add NAME QUERY, remove NAME")
    s.add_argument("--json", action="store_true")
    ssub = s.add_subparsers(dest="searches_command", metavar="ACTION")
    a = ssub.add_parser("add", parents=[common], help="save QUERY under NAME")
    a.add_argument("name", metavar="NAME")
    a.add_argument("query", nargs="+", metavar="QUERY")
    a.add_argument("--replace", action="store_true", help="replace a saved search of that name")
    a.set_defaults(handler=cmd_searches_add)
    r = ssub.add_parser("remove", parents=[common], help="forget the saved search NAME")
    r.add_argument("name", metavar="NAME")
    r.set_defaults(handler=cmd_searches_remove)
    s.set_defaults(handler=cmd_searches)


_FLAGS = ("--json", "-h", "--help")
_VALUED = ("--limit", "--library")


def rewrite_argv(argv: list[str]) -> list[str]:
    """`margin search syria -aleppo`: a query word may start with '-' (an exclusion), so
    everything after `search` (or `searches add`) that is not one of its options goes
    behind `--`."""
    for i, arg in enumerate(argv):
        if i > 0 and argv[i - 1] == "--library":
            continue  # a library file may be called "search"
        if arg == "search":
            return _behind_dashes(argv, i, _FLAGS, _VALUED)
        if arg == "searches" and "add" in argv[i + 1:]:
            # `margin searches add NAME syria -aleppo`: the saved query may hold exclusions too
            return _behind_dashes(argv, argv.index("add", i + 1), ("--replace", "-h", "--help"), ("--library",))
        if not arg.startswith("-"):
            return argv  # another subcommand
    return argv


def _behind_dashes(argv: list[str], at: int, flags: tuple[str, ...], valued: tuple[str, ...]) -> list[str]:
    options, words, j = [], [], at + 1
    while j < len(argv):
        a = argv[j]
        if a == "--":
            words += argv[j + 1:]
            break
        if a in flags or a.startswith(tuple(v + "=" for v in valued)):
            options.append(a)
        elif a in valued and j + 1 < len(argv):
            options += [a, argv[j + 1]]
            j += 1
        else:
            words.append(a)
        j += 1
    return [*argv[:at + 1], *options, *(["--", *words] if words else [])]


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
            show_bad_part(query, exc)
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


def marked_query(query: str, exc: QueryError) -> tuple[Text, str]:
    """The query coloured by the query lexer with the bad part marked, and a caret line
    under it (for terminals without colour)."""
    from store.document import clean_inline
    from store.library import Library

    shown = clean_inline(query).replace("\t", " ")
    if len(shown) != len(query):  # cleaning changed the columns: mark the cleaned text plainly
        shown = "".join(" " if not ch.isprintable() else ch for ch in query)
    text = Text(shown)
    for start, end, token in Library.query_tokens(shown):
        style = _TOKEN_STYLES.get(token)
        if style:
            text.stylize(style, start, end)
    start, end = Library.query_error_span(shown, exc.column)
    text.stylize("bold white on red", start, min(end, len(shown)) or start + 1)
    return text, " " * start + "^" * max(min(end, len(shown) + 1) - start, 1)


_TOKEN_STYLES = {
    "Token.Keyword": "bold cyan", "Token.Name.Entity": "#ff9e64", "Token.Name.Tag": "#9ece6a",
    "Token.Literal.Date": "magenta", "Token.Keyword.Constant": "cyan", "Token.Name.Other": "italic",
    "Token.Literal.String.Double": "yellow", "Token.Operator.Word": "bold blue",
    "Token.Operator": "bold red", "Token.Error": "bold white on red",
}


def show_bad_part(query: str, exc: QueryError) -> None:
    from tui.cli.output import err_console

    if len(query) > 400:
        return  # a pasted page is not worth echoing; the message names the column
    text, carets = marked_query(query, exc)
    prefix = "  "
    err_console.print(Text(prefix).append_text(text), soft_wrap=True)
    err_console.print(prefix + carets, soft_wrap=True)


def cmd_searches(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        saved = lib.saved_searches()
    if args.json:
        print_json([s.to_json() for s in saved])
        return EXIT_OK
    if not saved:
        console.print("no saved searches (add one: margin searches add NAME QUERY)")
    width = max((len(s.name) for s in saved), default=0)
    for s in saved:
        line = Text(f"{s.name:<{width}}  ", style="bold")
        line.append(s.query)
        if s.error:
            line.append(f"  ⚠ {s.error}", style="red")
        else:
            line.append(f"  {s.unread} unread / {s.total}", style="dim")
        console.print(line, soft_wrap=True)
    return EXIT_OK


def cmd_searches_add(args: argparse.Namespace) -> int:
    from store.errors import MarginError

    query = " ".join(args.query)
    with open_library(args) as lib:
        try:
            saved = lib.save_search(args.name, query, replace=args.replace)
        except QueryError as exc:
            error(f"query: {exc}")
            show_bad_part(query, exc)
            return EXIT_USAGE
        except MarginError as exc:
            error(str(exc))
            return EXIT_USAGE
    console.print(Text(f"saved {saved.name!r}: {saved.query}"))
    return EXIT_OK


def cmd_searches_remove(args: argparse.Namespace) -> int:
    from store.errors import NotFound

    with open_library(args) as lib:
        try:
            lib.remove_saved_search(args.name)
        except NotFound as exc:
            error(str(exc))
            return EXIT_PARTIAL
    console.print(Text(f"removed {args.name!r}"))
    return EXIT_OK
