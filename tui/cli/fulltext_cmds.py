"""`margin fulltext ID...` and the page pass that `margin fetch` runs after the feeds
(full text issue; `margin feeds fulltext` lives with the other feed commands)."""
from __future__ import annotations

import argparse
import sys

from tui.cli.output import EXIT_OK, EXIT_PARTIAL, error, open_library, print_json


def register(sub, common) -> None:
    p = sub.add_parser("fulltext", parents=[common], help="fetch articles' web pages now and keep their full text",
                       description="Fetch each article's page, extract the article and make it the current version "
                       "(the feed's text stays as an earlier version; notes are re-anchored).")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-enrich", action="store_true")
    p.set_defaults(handler=cmd_fulltext)


def fetch_pages(lib, article_ids: list[int] | None = None):
    """The page pass with a progress bar on stderr; one line per article that failed."""
    from tui.cli.progress import LazyBar

    with LazyBar("full text", eta=True) as bar:
        report = lib.fulltext.fetch(article_ids, progress=lambda done, total: bar.update(done, total))
    for art_id, title, reason in report.failed:
        error(f"article {art_id} ({title}): {reason}" if title else f"article {art_id}: {reason}")
    return report


def cmd_fulltext(args: argparse.Namespace) -> int:
    from tui.cli.enrich_cmds import enrich_after_store

    with open_library(args) as lib:
        report = fetch_pages(lib, args.ids)
        enrich_failures = enrich_after_store(lib, args) if report.article_ids else 0
    if args.json:
        print_json(report.to_json())
    else:
        sys.stdout.write(f"full text: {report.fetched} stored, {report.unchanged} unchanged,"
                         f" {len(report.failed)} failed ({report.seconds:.2f} s)\n")
    return EXIT_PARTIAL if report.failed or enrich_failures else EXIT_OK
