"""`margin entities [--kind K] [--json]`, its corrections, and `margin entity NAME`."""
from __future__ import annotations

from rich.text import Text

from store.entities.protocol import KINDS
from tui.cli.output import EXIT_OK, console, open_library, print_hanging, print_json


def register(sub, common) -> None:
    p = sub.add_parser("entities", parents=[common], help="people, places and organisations, most mentioned first")
    p.add_argument("--kind", choices=KINDS, help="only entities of this kind")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    for name, args, help_ in (
        ("merge", ("A", "B"), "B becomes an alias of A"),
        ("rename", ("OLD", "NEW"), "rename an entity"),
        ("kind", ("NAME", "KIND"), f"set an entity's kind ({', '.join(KINDS)})"),
        ("hide", ("NAME",), "hide a false positive (kept, never shown)"),
        ("unhide", ("NAME",), "show a hidden entity again"),
    ):
        a = acts.add_parser(name, parents=[common], help=help_)
        for arg in args:
            if arg == "KIND":
                a.add_argument("value", metavar=arg, choices=KINDS)
            else:
                a.add_argument(arg.lower(), metavar=arg)
        a.add_argument("--json", action="store_true", help="print the entity as JSON")
        a.set_defaults(handler=cmd_correct)
    e = sub.add_parser("entity", parents=[common], help="one entity: kind, aliases, articles, companions")
    e.add_argument("name", metavar="NAME")
    e.add_argument("--json", action="store_true", help="print JSON")
    e.set_defaults(handler=cmd_entity)


def cmd_list(args) -> int:
    with open_library(args) as lib:
        rows = lib.entities.list(kind=args.kind)
    if args.json:
        print_json(rows)
        return EXIT_OK
    from rich.table import Table

    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for col, justify in (("articles", "right"), ("mentions", "right"), ("kind", "left"), ("name", "left")):
        table.add_column(col, justify=justify)
    for r in rows:
        table.add_row(str(r["articles"]), str(r["mentions"]), r["kind"], Text(r["name"]))
    console.print(table)
    return EXIT_OK


def cmd_correct(args) -> int:
    with open_library(args) as lib:
        ents = lib.entities
        if args.action == "merge":
            shown = ents.merge(args.a, args.b)["name"]
            done = f"merged {args.b!r} into {shown!r}"
        elif args.action == "rename":
            shown = ents.rename(args.old, args.new)["name"]
            done = f"renamed {args.old!r} to {shown!r}"
        elif args.action == "kind":
            shown = ents.set_kind(args.name, args.value)["name"]
            done = f"{shown!r} is now a {args.value}"
        elif args.action == "hide":
            shown = ents.hide(args.name)
            done = f"hid {shown!r}"
        else:
            shown = ents.unhide(args.name)
            done = f"{shown!r} is shown again"
        if args.json:
            print_json(ents.get(shown) if args.action != "hide" else {"name": shown, "hidden": True})
        else:
            console.print(Text(done))
    return EXIT_OK


def cmd_entity(args) -> int:
    with open_library(args) as lib:
        ent = lib.entities.get(args.name)
    if args.json:
        print_json(ent)
        return EXIT_OK
    head = Text(ent["name"], style="bold")
    head.append(f"  {ent['kind']}", style="dim")
    print_hanging("", head, indent=2)
    if ent["aliases"]:
        print_hanging("also: ", ", ".join(ent["aliases"]))
    n = len(ent["articles"])
    print_hanging("", f"{ent['mentions']} mentions in {n} article{'s' if n != 1 else ''}")
    for a in ent["articles"]:
        print_hanging(f"  {a['id']:>6}  {(a['published_at'] or '')[:10]:<10}  ", a["title"] or "(untitled)")
    if ent["co_occurring"]:
        print_hanging("", "appears with:")
        for c in ent["co_occurring"]:
            print_hanging(f"  {c['articles']:>4}  {c['kind']:<6}  ", c["name"])
    return EXIT_OK
