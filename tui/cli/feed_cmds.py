"""`margin feeds add|list|remove|tag|rename|import|export` and `margin fetch`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.output import EXIT_OK, EXIT_PARTIAL, console, err_console, error, open_library, print_json


def register(sub, common) -> None:
    feeds = sub.add_parser("feeds", parents=[common], help="subscribe to, list and manage feeds")
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)

    p = actions.add_parser("add", parents=[common], help="subscribe to a feed or a page's feed and fetch it")
    p.add_argument("url", metavar="URL")
    p.add_argument("--tag", action="append", default=[], dest="tags")
    p.add_argument("--title")
    p.add_argument("--pick", type=int, help="which feed, when a page offers several")
    p.add_argument("--fulltext", choices=("on", "off", "auto"), default="off",
                   help="fetch each entry's web page for the whole article (auto: short entries only)")
    p.add_argument("--no-enrich", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("list", parents=[common], help="feeds with counts, last fetch and last error")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("remove", parents=[common], help="unsubscribe (articles with notes are kept)")
    p.add_argument("feed", metavar="ID|URL")
    p.add_argument("--yes", action="store_true", help="remove even though the feed has notes")
    p.set_defaults(handler=cmd_remove)

    p = actions.add_parser("tag", parents=[common], help="add (or --remove) tags on a feed")
    p.add_argument("feed", metavar="ID|URL")
    p.add_argument("tags", nargs="+", metavar="TAG")
    p.add_argument("--remove", action="store_true")
    p.set_defaults(handler=cmd_tag)

    p = actions.add_parser("rename", parents=[common], help="give a feed your own title")
    p.add_argument("feed", metavar="ID|URL")
    p.add_argument("title", metavar="TITLE")
    p.set_defaults(handler=cmd_rename)

    p = actions.add_parser("import", parents=[common], help="subscribe from an OPML or newsboat urls file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--fetch", action="store_true", help="fetch the new feeds at once")
    p.add_argument("--no-enrich", action="store_true")
    p.set_defaults(handler=cmd_import)

    p = actions.add_parser("export", parents=[common], help="print subscriptions as OPML or a newsboat urls file")
    p.add_argument("--format", choices=("opml", "urls"), default="opml")
    p.set_defaults(handler=cmd_export)

    p = actions.add_parser("fulltext", parents=[common], help="fetch the whole article for a feed's new entries",
                           description="on: every new entry's page is fetched; auto: only entries whose text is "
                           "shorter than --threshold characters (500 unless set); off: never.")
    p.add_argument("feed", metavar="ID|URL")
    p.add_argument("mode", choices=("on", "off", "auto"))
    p.add_argument("--threshold", type=int, metavar="N", help="auto: fetch entries shorter than N characters")
    p.set_defaults(handler=cmd_fulltext_mode)

    p = sub.add_parser("fetch", parents=[common], help="fetch all (or some) feeds")
    p.add_argument("feeds", nargs="*", metavar="FEED", help="feed ids, URLs or titles (default: all)")
    p.add_argument("--force", action="store_true", help="ignore caching hints and backoff")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-enrich", action="store_true")
    p.set_defaults(handler=cmd_fetch)


def _enrich(lib, args, report) -> int:
    from tui.cli.enrich_cmds import enrich_after_store

    return enrich_after_store(lib, args) if report.article_ids else 0


def run_fetch(lib, args, refs) -> tuple[object, int]:
    import gc

    from tui.cli.progress import LazyBar

    # Until its first requests are out a run only loads code (httpx, httpcore, anyio): the
    # collector would walk it for nothing. The first report comes at that moment
    # (FeedStore.fetch's first-wave hook); what is loaded by then lives until exit, frozen so
    # the full passes skip it (each pass walks all of it, and one landing as a response
    # arrives delays the next request; figures in tests/bench/README.md).
    gc.disable()
    collecting = [False]

    def collect_from_now_on() -> None:
        if not collecting[0]:
            collecting[0] = True
            gc.freeze()
            gc.enable()

    try:
        with LazyBar("fetching", "{task.fields[new]} new", new=0) as bar:
            def progress(done: int, total: int, new: int) -> None:
                collect_from_now_on()
                bar.update(done, total, new=new)

            report = lib.feeds.fetch(refs or None, force=getattr(args, "force", False), progress=progress)
    finally:
        collect_from_now_on()
    for feed, reason in report.failed:
        error(f"{feed}: {reason}")
    for feed, reason in report.warnings:
        error(f"warning: {feed}: {reason}")
    if lib.fulltext.pending():  # feeds with full text on: their new entries' pages, before enrichment
        from tui.cli.fulltext_cmds import fetch_pages

        report.fulltext = fetch_pages(lib)
        report.article_ids += [i for i in report.fulltext.article_ids if i not in report.article_ids]
    return report, _enrich(lib, args, report)


def cmd_fetch(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        report, enrich_failures = run_fetch(lib, args, args.feeds)
    pages = report.fulltext
    if args.json:
        print_json(report.to_json())
    else:
        # A line of numbers: written directly, since loading rich for it would be paid at the end of every run.
        full = f", full text {pages.fetched} (failed {len(pages.failed)})" if pages else ""
        sys.stdout.write(f"new {report.new}, updated {report.updated}, unchanged {report.unchanged}"
                         f" (not modified: {report.not_modified} feeds, skipped: {report.skipped}),"
                         f" failed {len(report.failed)}{full} ({report.seconds:.2f} s)\n")
    return EXIT_PARTIAL if report.failed or enrich_failures or (pages and pages.failed) else EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from rich.text import Text  # here, not at the top: `margin fetch` never needs it

    with open_library(args) as lib:
        first_article = lib.fulltext.next_article_id()
        result = lib.feeds.add(args.url, tags=args.tags, title=args.title, pick=args.pick)
        feed, report = result["feed"], result["report"]
        for name, reason in report.warnings:
            error(f"warning: {name}: {reason}")
        console.print(Text(f"subscribed to {feed['title'] or feed['url']} ({feed['url']}): {report.new} articles"))
        if args.fulltext != "off":
            from tui.cli.fulltext_cmds import fetch_pages

            lib.fulltext.set_mode(feed["id"], args.fulltext, from_id=first_article)
            report.fulltext = fetch_pages(lib)
            report.article_ids += report.fulltext.article_ids
        _enrich(lib, args, report)
    return EXIT_PARTIAL if report.fulltext and report.fulltext.failed else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from rich.text import Text

    with open_library(args) as lib:
        feeds = lib.feeds.list()
        modes = lib.fulltext.modes()
    for f in feeds:
        f["fulltext"], f["fulltext_threshold"] = modes[f["id"]]["fulltext"], modes[f["id"]]["threshold"]
    if args.json:
        print_json(feeds)
        return EXIT_OK
    for f in feeds:
        line = Text()
        line.append(f"{f['id']:>4}  ", "dim")
        line.append(f["title"] or "(untitled)", "bold")
        line.append(f"  {f['unread']}/{f['articles']} unread", "dim")
        if f["tags"]:
            line.append("  " + " ".join(f"#{t}" for t in f["tags"]), "cyan")
        if f["fulltext"] != "off":
            line.append(f"  full text {f['fulltext']}", "dim")
        line.append(f"\n      {f['url']}  last fetch {f['last_fetched_at'] or 'never'}", "dim")
        if f["last_error"]:
            line.append(f"\n      error: {f['last_error']}", "red")
        console.print(line)
    if not feeds:
        console.print("no feeds yet: `margin feeds add URL`")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from rich.text import Text

    with open_library(args) as lib:
        result = lib.feeds.remove(args.feed, yes=args.yes)
    console.print(Text(f"removed {result['feed']['title'] or result['feed']['url']}: {result['deleted_articles']}"
                       f" articles deleted, {result['kept_articles']} with notes kept"))
    for link in result["removed_user_links"]:
        note = f" ({link['note']})" if link["note"] else ""
        err_console.print(Text(f"margin: your link {link['src']} ↔ {link['dst']} went with the deleted article:"
                               f" {link['src_title']} ↔ {link['dst_title']}{note}"))
    return EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        tags = lib.feeds.tag(args.feed, args.tags, remove=args.remove)
    console.print("tags: " + (" ".join(tags) or "(none)"))
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    from rich.text import Text

    with open_library(args) as lib:
        lib.feeds.rename(args.feed, args.title)
    console.print(Text(f"renamed to {args.title}"))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        result = lib.feeds.import_file(Path(args.file))
        for where, reason in result["problems"]:
            error(f"{args.file}: {where}: {reason}")
        console.print(f"subscribed to {result['added']} feeds ({result['known']} already known)")
        for saved in result.get("searches", []):
            from rich.text import Text

            console.print(Text(f"saved search {saved['name']!r}: {saved['query']}"))
        failed = bool(result["problems"])
        if args.fetch and result["feed_ids"]:
            report, enrich_failures = run_fetch(lib, args, [str(i) for i in result["feed_ids"]])
            console.print(f"fetched: new {report.new}, failed {len(report.failed)}")
            failed = failed or bool(report.failed)
    return EXIT_PARTIAL if failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    with open_library(args) as lib:
        sys.stdout.write(lib.feeds.export(args.format))
    return EXIT_OK


def cmd_fulltext_mode(args: argparse.Namespace) -> int:
    from rich.text import Text

    with open_library(args) as lib:
        mode = lib.fulltext.set_mode(args.feed, args.mode, threshold=args.threshold)
        feed = lib.feeds.get(mode["feed_id"])
    detail = f" (entries shorter than {mode['threshold']} characters)" if mode["fulltext"] == "auto" else ""
    console.print(Text(f"full text {mode['fulltext']}{detail} for {feed['title'] or feed['url']}"))
    return EXIT_OK
