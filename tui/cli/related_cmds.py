"""`margin related`, `link`, `unlink`, `duplicates`, `stories`."""
from __future__ import annotations

import argparse

from rich.text import Text

from tui.cli.output import EXIT_OK, console, open_library, print_hanging, print_json


def register(sub, common) -> None:
    p = sub.add_parser("related", parents=[common], help="articles related to this one, and why")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_related)

    p = sub.add_parser("link", parents=[common], help="your own cross-link between two articles")
    p.add_argument("a", type=int, metavar="A")
    p.add_argument("b", type=int, metavar="B")
    p.add_argument("--note", help="why they belong together")
    p.set_defaults(handler=cmd_link)

    p = sub.add_parser("unlink", parents=[common], help="remove a link; an automatic one never comes back")
    p.add_argument("a", type=int, metavar="A")
    p.add_argument("b", type=int, metavar="B")
    p.set_defaults(handler=cmd_unlink)

    p = sub.add_parser("duplicates", parents=[common], help="groups of near-duplicate articles")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_duplicates)

    p = sub.add_parser("stories", parents=[common], help="articles about the same event, grouped")
    p.add_argument("--since", help="only articles since (7d, 2w, 2015-11-01)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stories)

    p = sub.add_parser("relink", parents=[common], help="recompute every automatic link")
    p.set_defaults(handler=cmd_relink)


def reasons_text(reasons: dict) -> str:
    names = ", ".join(e["name"] for e in reasons.get("entities", []))
    words = ", ".join(reasons.get("terms", []))
    return "; ".join(p for p in (names, f"words: {words}" if words else "") if p)


def cmd_related(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        lib.article(args.id)
        items = lib.related.for_article(args.id, limit=args.limit)
    if args.json:
        print_json(items)
        return EXIT_OK
    if not items:
        console.print("nothing related yet (links are computed by `margin enrich`)")
    for item in items:
        head = Text()
        head.append(f"{item['score']:.2f} ", "dim")
        head.append(f"{item['kind']:<10} ", "cyan")
        head.append(f"{item['id']:>5}  ", "dim")
        print_hanging(head, Text(item["title"] or "(untitled)", "bold"))
        why = reasons_text(item["reasons"]) or item.get("note") or ""
        if why:
            print_hanging(" " * 18, Text(why, "dim"))
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        lib.related.link(args.a, args.b, note=args.note)
    console.print(f"linked {args.a} and {args.b}")
    return EXIT_OK


def cmd_unlink(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        removed = lib.related.unlink(args.a, args.b)
    console.print(f"unlinked {args.a} and {args.b}" + ("" if removed else " (there was no link; it stays blocked)"))
    return EXIT_OK


def cmd_duplicates(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        groups = lib.related.duplicates()
    if args.json:
        print_json(groups)
        return EXIT_OK
    for g in groups:
        print_hanging("", Text(g["title"] or "(untitled)", "bold"), indent=4)
        print_hanging("    ", Text(f"ids {', '.join(map(str, g['ids']))}; also in: "
                                   f"{', '.join(s or '?' for s in g['sources'])}", "dim"))
    if not groups:
        console.print("no duplicates")
    return EXIT_OK


def cmd_stories(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        stories = lib.related.stories(since=args.since)
    if args.json:
        print_json(stories)
        return EXIT_OK
    for s in stories:
        print_hanging("", Text(", ".join(s["label"]) or "(no shared entities)", "bold"), indent=4)
        for a in s["articles"]:
            print_hanging(f"    {a['date']}  {a['id']:>5}  ", Text(a["title"] or "(untitled)"))
    if not stories:
        console.print("no stories yet")
    return EXIT_OK


def cmd_relink(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        n = lib.related.relink_all()
    console.print(f"relinked {n} articles")
    return EXIT_OK
