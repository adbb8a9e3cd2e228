"""`margin notes …` and `margin backup` / `margin restore`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.text import Text

from tui.cli.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    console,
    error,
    open_library,
    print_hanging,
    print_json,
)


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
    p.add_argument("--color", help="yellow, green, blue, red or purple (default yellow)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("edit", parents=[common], help="change a note's body, tags or colour")
    p.add_argument("note_id", type=int, metavar="NOTE_ID")
    p.add_argument("--body")
    p.add_argument("--tag", action="append", dest="tags")
    p.add_argument("--color", help="yellow, green, blue, red or purple")
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

    p = sub.add_parser("backup", parents=[common],
                       help="all your data (notes, tags, feeds, rules, states) as one JSON file")
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


def print_note(note) -> None:
    """A note: id, state and article on the first line, then quote, body and tags under it."""
    head = Text()
    head.append(f"{note.id:>5} ", "dim")
    head.append(note.state, "italic red" if note.state == "orphaned" else "italic")
    print_hanging(head, Text(f"  {note.article_title}", "bold") if note.article_title else Text(""), indent=6)
    if note.exact:
        print_hanging(" " * 6, Text(f"“{note.exact}”", "italic"))
    if note.state == "changed" and note.current_exact:
        print_hanging(" " * 6, Text(f"now: “{note.current_exact}”", "dim"))
    body = Text(note.body or "(no text)")
    if note.tags:
        body.append("  " + " ".join(f"#{t}" for t in note.tags), "dim")
    print_hanging(" " * 6, body)


def cmd_list(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        notes = lib.notes.list(" ".join(args.query))
    if args.json:
        print_json([n.to_json() for n in notes])
    else:
        for note in notes:
            print_note(note)
        if not notes:
            console.print("no notes")
    return EXIT_OK


def _colour_ok(args: argparse.Namespace) -> bool:
    """--color names a palette colour; anything else is a usage error listing the choices."""
    from store.errors import MarginError
    from store.notes.store import check_colour

    try:
        args.color = check_colour(args.color)
    except MarginError as exc:
        error(f"--color: {exc}")
        return False
    return True


def cmd_add(args: argparse.Namespace) -> int:
    if not _colour_ok(args):
        return EXIT_USAGE
    from store.notes.store import occurrences

    with open_library(args) as lib:
        note = lib.notes.add(args.id, quote=args.quote, occurrence=args.occurrence, start=args.start,
                             end=args.end, body=args.body, tags=args.tags, color=args.color)
        found = occurrences(lib.article(args.id)["body"], note.exact) if args.quote is not None else 1
    if found > 1:  # said, not silently decided: the user may have meant another one
        error(f"warning: the quote occurs {found} times in article {args.id}; note {note.id} is on occurrence "
              f"{args.occurrence} (at {note.start}..{note.end}); choose another with --occurrence N (1..{found})")
    if args.json:
        data = note.to_json()
        if args.quote is not None:
            data["occurrence"], data["occurrences"] = args.occurrence, found
        print_json(data)
    else:
        console.print(f"note {note.id} added to article {note.article_id}"
                      + (f" (occurrence {args.occurrence} of {found})" if found > 1 else ""))
    return EXIT_OK


def cmd_edit(args: argparse.Namespace) -> int:
    if not _colour_ok(args):
        return EXIT_USAGE
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


def event_text(e: dict) -> Text:
    """One line per event: when, what, and the passage it concerns."""
    out = Text(f"{e['at'][:19].replace('T', ' ')}  ")
    reason = e.get("reason") or ""
    if reason == "created":
        out.append("created", "bold")
        where = f" at {e['new_start']}..{e['new_end']}" if e.get("new_start") is not None else " (whole article)"
        out.append(where)
        if e.get("new_text"):
            out.append(f"  “{e['new_text']}”", "italic")
    elif reason.startswith("edited"):
        out.append("edited", "bold")
        out.append(reason.removeprefix("edited"))
    else:
        out.append(reason or "moved", "bold")
        out.append(f"  {e['old_state'] or '-'} → {e['new_state']}")
        if e.get("old_text") or e.get("new_text"):
            out.append(f"  “{e.get('old_text') or ''}” → “{e.get('new_text') or ''}”", "italic")
    return out


def cmd_events(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        events = lib.notes.events(args.note_id)
    if args.json:
        print_json(events)
        return EXIT_OK
    for e in events:
        print_hanging("", event_text(e), indent=21)
    return EXIT_OK


def cmd_backlinks(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        notes = lib.notes.backlinks(args.name)
    if args.json:
        print_json([n.to_json() for n in notes])
    else:
        for note in notes:
            print_note(note)
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
