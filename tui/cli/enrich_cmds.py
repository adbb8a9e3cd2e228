"""`margin enrich` and the enrichment pass that import/fetch run after storing (entities issue)."""
from __future__ import annotations

from tui.cli.output import EXIT_OK, EXIT_PARTIAL, console, error, open_library, print_json


def register(sub, common) -> None:
    p = sub.add_parser(
        "enrich", parents=[common], help="run the enrichment queue (entities, then related links)",
        description="Extract entities (then related links) for articles that are new, changed, "
        "or enriched by an older extractor. Resumable: interrupt it and run it again.",
    )
    p.add_argument("--limit", type=int, metavar="N", help="at most N articles this run")
    p.add_argument("--retry-failed", action="store_true", help="also retry articles that failed before")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_enrich)


def run_queue(lib, *, limit: int | None = None, retry_failed: bool = False):
    """The queue with a progress bar on stderr (shown only on a terminal)."""
    from tui.cli.progress import LazyBar

    with LazyBar("enriching", eta=True) as bar:
        def progress(done: int, total: int) -> None:
            bar.update(done, total)

        report = lib.enrich(progress=progress, limit=limit, retry_failed=retry_failed)
    for article_id, reason in report.failed:
        error(f"article {article_id}: entity extraction failed: {reason}")
    for article_id, what in report.capped:
        error(f"article {article_id}: too long to enrich whole (cost cap): {what}")
    return report


def cmd_enrich(args) -> int:
    with open_library(args) as lib:
        report = run_queue(lib, limit=args.limit, retry_failed=args.retry_failed)
    if args.json:
        print_json({
            "enriched": report.enriched,
            "failed": [{"id": i, "reason": r} for i, r in report.failed],
            "mentions": report.mentions,
            "capped": [{"id": i, "reason": r} for i, r in report.capped],
            "linked": report.linked,
            "remaining": report.remaining,
            "seconds": round(report.seconds, 3),
        })
    else:
        console.print(enrich_line(report))
    return EXIT_PARTIAL if report.failed else EXIT_OK


def enrich_after_store(lib, args) -> int:
    """Run the enrichment queue after an import or fetch unless --no-enrich; returns failures."""
    report = enrich_report_after_store(lib, args)
    return len(report.failed) if report is not None else 0


def enrich_report_after_store(lib, args):
    """The enrichment queue's report after storing, or None with --no-enrich."""
    if getattr(args, "no_enrich", False):
        return None
    return run_queue(lib)


def enrich_line(report) -> str:
    line = f"enriched {report.enriched} articles ({report.mentions} mentions) in {report.seconds:.2f} s"
    if report.linked:
        line += f", linked {report.linked} left unlinked before"
    if report.failed:
        line += f", {len(report.failed)} failed"
    if report.remaining:
        line += f", {report.remaining} still queued"
    return line
