"""Fetch article pages politely with the feed client (store/feeds/http.py: connection
limits, timeouts, size caps, User-Agent) plus a per-host delay, extract each page on a
thread while the others download, and hand every outcome to the store."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from store.document import clean_inline
from store.feeds import http
from store.fulltext.extract import ExtractFailure, content_type_problem, extract

if TYPE_CHECKING:
    from store.fulltext.store import FulltextReport, FulltextStore, PageJob, Progress

PAGE_MAX_BYTES = 5_000_000  # on the wire; an article page is rarely over 1 MB
PAGE_MAX_DECOMPRESSED = 10_000_000
PAGE_TIMEOUT = 20.0  # seconds for a whole page, redirects included
HOST_DELAY = 0.1  # seconds between request starts to one host (and at most 2 at once, as for feeds)
RETRY_STATUSES = {403, 408, 425, 429, 500, 502, 503, 504}  # worth another try later; 404/410/401 are not
_FINAL_ERRORS = ("not HTML", "too many redirects", "response larger", "decompressed body", "corrupt",
                 "invalid URL", "UnsupportedProtocol")


def _bad_address(url: str) -> str | None:
    if not url:
        return "the article has no web address"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        return f"not a web page address ({clean_inline(url)[:80]})"
    try:
        http.httpx.URL(url)
    except Exception:  # httpx.InvalidURL and the errors of the URL parser under it
        return f"not a valid web address ({clean_inline(url)[:80]})"
    return None


def fetch_pages(store: FulltextStore, jobs: list[PageJob], report: FulltextReport, *,
                progress: Progress | None = None, host_delay: float = HOST_DELAY,
                total_timeout: float = PAGE_TIMEOUT, max_bytes: int = PAGE_MAX_BYTES, **options) -> None:
    total, done = len(jobs), 0
    runnable = []
    for job in jobs:
        if problem := _bad_address(job.url):
            store.failed(job, problem, report)
            done += 1
        else:
            runnable.append(job)
    if progress is not None:
        progress(done, total)
    if not runnable:
        return
    by_id = {job.id: job for job in runnable}
    # Validators only when a full text is kept: a 304 for a page never read would say nothing.
    requests = [http.Request(j.id, j.url, j.etag if j.summary_hash else None,
                             j.last_modified if j.summary_hash else None) for j in runnable]
    # One extraction thread: lxml does most of its work outside the GIL, so the event loop
    # keeps downloading while a page is read, and extraction never takes both cores.
    executor = ThreadPoolExecutor(1, thread_name_prefix="margin-extract")

    async def on_done(resp: http.Response) -> None:
        nonlocal done
        job = by_id[resp.key]
        try:
            await _handle(store, job, resp, report, executor)
        except Exception as exc:  # one page must never stop the run; reported on that article
            store.failed(job, f"unexpected error ({type(exc).__name__}: {clean_inline(str(exc))[:120]})", report)
        done += 1
        if progress is not None:
            progress(done, total)

    try:
        http.fetch(requests, on_done=on_done, host_delay=host_delay, accept=content_type_problem,
                   max_bytes=max_bytes, max_decompressed=PAGE_MAX_DECOMPRESSED, total_timeout=total_timeout,
                   **options)
    finally:
        executor.shutdown(wait=True)


async def _handle(store: FulltextStore, job: PageJob, resp: http.Response, report: FulltextReport,
                  executor: ThreadPoolExecutor) -> None:
    if resp.error:
        final = resp.error.startswith(_FINAL_ERRORS)
        store.failed(job, clean_inline(resp.error), report, status=resp.status, retry=not final)
    elif resp.status == 304:
        store.not_modified(job, report)
    elif resp.status != 200:
        store.failed(job, f"HTTP {resp.status}", report, status=resp.status, retry=resp.status in RETRY_STATUSES)
    else:
        url = resp.final_url or job.url
        try:
            page = await asyncio.get_running_loop().run_in_executor(executor, extract, resp.body, resp.headers, url)
        except ExtractFailure as exc:
            store.failed(job, str(exc), report, status=200)
            return
        store.stored(job, page, resp.headers, url, report)
