"""`margin notes …` and `margin backup` / `margin restore`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.text import Text

from tui.cli.output import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, console, error, open_library, print_json


def register(sub, common) -> None:
    notes = sub.add_parser("notes", parents=[common], help="notes in the margin: list, add, edit, delete, export")
    actions = notes.add_subparsers(dest="notes_command", metavar="ACTION")

    p = actions.add_parser("list", parents=[common], help="notes, newest first (`margin notes [QUERY]`)")
    p.add_argument("query", nargs="*", metavar="QUERY", help="words to look for in notes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("add", parents=[common], help="anchor a note to a passage (or the whole article)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--quote", help="the exact passage of the body")
    p.add_argument("--occurrence", type=int, default=1, help="the Nth match of the quote (default 1)")
    p.add_argument("--start", type=int)
    p.add_argument("--end", type=int)
    p.add_argument("--body", default="", help="the note, Markdown; [[Name]] links an entity or article")
    p.add_argument("--tag", action="append", default=[], dest="tags")
    p.add_argument("--color")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("edit", parents=[common], help="change a note's body, tags or colour")
    p.add_argument("note_id", type=int, metavar="NOTE_ID")
    p.add_argument("--body")
    p.add_argument("--tag", action="append", dest="tags")
    p.add_argument("--color")
    p.set_defaults(handler=cmd_edit)

    p = actions.add_parser("delete", parents=[common], help="delete a note (only you ever do)")
    p.add_argument("note_id", type=int, metavar="NOTE_ID")
    p.set_defaults(handler=cmd_delete)

    p = actions.add_parser("events", parents=[common], help="how a note moved when its text changed")
    p.add_argument("note_id", type=int, metavar="NOTE_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_events)

    p = actions.add_parser("backlinks", parents=[common], help="notes that link to [[NAME]]")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backlinks)

    p = actions.add_parser("export", parents=[common], help="export notes as Markdown files or W3C annotations")
    p.add_argument("--format", choices=("markdown", "w3c"), default="markdown")
    p.add_argument("--out", help="folder for Markdown files / file for W3C JSON-LD (default: stdout for w3c)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("backup", parents=[common], help="all your data (notes, tags, feeds, rules, states) as one JSON file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--salvage", action="store_true",
                   help="from a damaged library: save every part that can still be read, name the others")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help="merge a backup into this library")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_restore)


NOTE_ACTIONS = ("list", "add", "edit", "delete", "events", "backlinks", "export", "-h", "--help")


def rewrite_argv(argv: list[str]) -> list[str]:
    """`margin notes [QUERY]` is `margin notes list [QUERY]`."""
    for i, arg in enumerate(argv):
        if arg == "notes":
            rest = [a for a in argv[i + 1:] if not a.startswith("--library")]
            if not rest or rest[0] not in NOTE_ACTIONS:
                return [*argv[:i + 1], "list", *argv[i + 1:]]
            return argv
        if not arg.startswith("-") and (i == 0 or argv[i - 1] != "--library"):
            return argv  # another subcommand
    return argv


def note_text(note) -> Text:
    out = Text()
    out.append(f"{note.id:>5} ", "dim")
    out.append(note.state, "italic red" if note.state == "orphaned" else "italic")
    if note.article_title:
        out.append(f"  {note.article_title}", "bold")
    if note.exact:
        out.append(f"\n      “{note.exact}”", "italic")
    if note.state == "changed" and note.current_exact:
        out.append(f"\n      now: “{note.current_exact}”", "dim")
    out.append("\n      " + (note.body or "(no text)"))
    if note.tags:
        out.append("  " + " ".join(f"#{t}" for t in note.tags), "dim")
    return out


def cmd_list(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        notes = lib.notes.list(" ".join(args.query))
    if args.json:
        print_json([n.to_json() for n in notes])
    else:
        for note in notes:
            console.print(note_text(note))
        if not notes:
            console.print("no notes")
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        note = lib.notes.add(args.id, quote=args.quote, occurrence=args.occurrence, start=args.start,
                             end=args.end, body=args.body, tags=args.tags, color=args.color)
    if args.json:
        print_json(note.to_json())
    else:
        console.print(f"note {note.id} added to article {note.article_id}")
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    body = args.body
    if body is None and args.tags is None and args.color is None:
        if sys.stdin.isatty():
            error("give --body, --tag or --color")
            return EXIT_USAGE
        body = sys.stdin.read()
    with open_library(args) as lib:
        note = lib.notes.edit(args.note_id, body=body, tags=args.tags, color=args.color)
    console.print(f"note {note.id} updated")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        lib.notes.delete(args.note_id)
    console.print(f"note {args.note_id} deleted")
    return EXIT_OK


def cmd_events(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        events = lib.notes.events(args.note_id)
    if args.json:
        print_json(events)
        return EXIT_OK
    for e in events:
        console.print(Text(f"{e['at']}  {e['old_state']} → {e['new_state']}  “{e['old_text']}” → “{e['new_text']}”"))
    return EXIT_OK


def cmd_backlinks(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        notes = lib.notes.backlinks(args.name)
    if args.json:
        print_json([n.to_json() for n in notes])
    else:
        for note in notes:
            console.print(note_text(note))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from store.notes.export import export_markdown, export_w3c

    with open_library(args) as lib:
        if args.format == "markdown":
            out = Path(args.out or "margin-notes")
            written = export_markdown(lib, out)
            console.print(f"wrote {len(written)} files to {out}")
        else:
            doc = export_w3c(lib)
            if args.out:
                import json

                Path(args.out).write_text(json.dumps(doc, ensure_ascii=False, indent=2))
            else:
                print_json(doc)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from store.backup import write_backup

    with open_library(args, salvage=args.salvage) as lib:
        counts = write_backup(lib, Path(args.file), salvage=args.salvage)
    unreadable = counts.pop("unreadable", {})
    console.print("backed up " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    for part, reason in unreadable.items():
        error(f"{part}: could not be read from the damaged library ({reason}); not in the backup")
    return EXIT_PARTIAL if unreadable else EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from store.backup import restore_backup

    with open_library(args) as lib:
        counts = restore_backup(lib, Path(args.file))
    waiting, there = counts.pop("links_waiting"), counts.pop("already_there")
    line = "restored " + (", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items() if v) or "nothing new")
    if waiting:
        line += f"; {waiting} links waiting for their articles (applied when they are imported)"
    if there:
        line += f"; {there} already in this library (kept)"
    console.print(line, markup=False, highlight=False)
    return EXIT_OK
