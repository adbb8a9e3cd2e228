"""`margin import`, `show`, `stats`, `schema`."""
from __future__ import annotations

import argparse
import time

from tui.cli.output import (
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    console,
    error,
    open_library,
    print_json,
)


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import plain-text articles (files, directories, - for stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, directory (recursive) or - for standard input")
    p.add_argument("--glob", default="*.txt", help="file pattern inside directories (default: *.txt)")
    p.add_argument("--max-bytes", type=int, default=5_000_000, help="skip files larger than this (default: 5 MB)")
    p.add_argument("--no-enrich", action="store_true", help="store only; leave entity extraction queued")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("show", parents=[common], help="print an article")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print the full record as JSON")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("stats", parents=[common], help="counts and the library path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("schema", parents=[common],
                       help="the library's tables and columns, what each holds, and its SQL views")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="also the columns of margin's internal tables")
    p.set_defaults(handler=cmd_schema)


def cmd_import(args: argparse.Namespace) -> int:
    if args.max_bytes <= 0:
        error("--max-bytes must be positive")
        return EXIT_USAGE
    from tui.cli.enrich_cmds import enrich_line, enrich_report_after_store
    from tui.cli.progress import LazyBar

    with open_library(args) as lib:
        started = time.perf_counter()
        with LazyBar("importing", "{task.fields[rate]:>7.0f} articles/s", rate=0.0) as bar:
            def progress(done: int, total: int, name: str) -> None:
                if done % 50 == 0 or done == total:
                    bar.update(done, total, rate=done / max(time.perf_counter() - started, 1e-6))

            report = lib.import_paths(
                args.paths, glob=args.glob, max_bytes=args.max_bytes, progress=progress
            )
        for name, reason in report.failed:
            error(f"{name}: {reason}")
        rate = report.total / max(report.seconds, 1e-6)
        if not args.json:  # before enrichment starts: it can take seconds (spaCy's model)
            console.print(
                f"imported {report.imported}, updated {report.updated}, "
                f"unchanged {report.unchanged}, failed {len(report.failed)} "
                f"(stored in {report.seconds:.2f} s, {rate:.0f} articles/s)"
            )
        enriched = enrich_report_after_store(lib, args) if report.article_ids else None
    from tui.cli import STARTED

    total = time.perf_counter() - STARTED  # the whole command: start-up, storing, enrichment
    if args.json:
        data = report.to_json()
        if enriched is not None:
            data["enrichment"] = {"enriched": enriched.enriched, "mentions": enriched.mentions,
                                  "failed": [{"id": i, "reason": r} for i, r in enriched.failed],
                                  "seconds": round(enriched.seconds, 3)}
        data["total_seconds"] = round(total, 3)
        print_json(data)
    else:
        if enriched is not None:
            console.print(enrich_line(enriched))
        console.print(f"total {total:.2f} s")
    return EXIT_PARTIAL if report.failed or (enriched is not None and enriched.failed) else EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        record = lib.record(args.id)
    if args.json:
        print_json(record)
    else:
        from tui.cli.render import print_article

        print_article(record)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        stats = lib.stats()
    if args.json:
        print_json(stats)
        return EXIT_OK
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        console.print(f"{key.replace('_', ' '):<{width}}  {value}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        tables, views = lib.schema()
    if args.json:
        print_json({"tables": [vars(t) for t in tables], "views": views, "library": str(lib.path)})
        return EXIT_OK
    for table in tables:
        console.print(f"{table.name}: {table.description}" + (" (internal)" if table.internal else ""))
        if table.internal and not args.all:
            continue
        width = max((len(c) for c, _, _ in table.columns), default=0)
        for column, kind, words in table.columns:
            console.print(f"  {column:<{width}}  {kind or '':<7} {words}".rstrip())
    console.print(f"views: {', '.join(views)}")
    return EXIT_OK
