"""When a feed is fetched next: after a success, when the server's max-age says; after a
failure, when its Retry-After says or after a backoff doubling from 5 minutes to a day.
Also records each fetch's outcome on the feed's row."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from store.db import now_iso

BACKOFF_BASE, BACKOFF_MAX = 300, 86_400  # seconds: 5 minutes doubling up to a day


def later(seconds: float) -> str:
    """The moment `seconds` from now. Every wait a server asks for (Retry-After, max-age) is
    capped at a day: a Retry-After date in 2099 must not silence a feed until 2099 (nor
    overflow a timedelta)."""
    seconds = min(max(seconds, 0), BACKOFF_MAX)
    return (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), None if it says nothing usable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max((parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds(), 0)
    except (TypeError, ValueError):
        return None


def max_age(cache_control: str | None) -> float | None:
    for part in (cache_control or "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().isdigit():
            return float(value)
    return None


def record_success(conn: sqlite3.Connection, feed_id: int, status: int, headers: dict) -> None:
    """The validators for the next conditional GET, and no fetch before max-age is over."""
    age = max_age(headers.get("cache-control"))
    with conn:
        conn.execute(
            "UPDATE feeds SET etag = ?, last_modified = ?, last_fetched_at = ?, last_status = ?, last_error = NULL,"
            " failures = 0, next_fetch_after = ? WHERE id = ?",
            (headers.get("etag"), headers.get("last-modified"), now_iso(), status,
             later(age) if age else None, feed_id))


def record_failure(conn: sqlite3.Connection, feed: dict, status: int | None, reason: str, *,
                   wait: float | None = None, disable: bool = False) -> None:
    """The failure, counted, and the next try after `wait` or the backoff for that count."""
    failures = feed["failures"] + 1
    wait = wait if wait is not None else min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX)
    with conn:
        conn.execute(
            "UPDATE feeds SET last_fetched_at = ?, last_status = ?, last_error = ?, failures = ?,"
            " next_fetch_after = ?, disabled = max(disabled, ?) WHERE id = ?",
            (now_iso(), status, reason, failures, later(wait), int(disable), feed["id"]))


def due(feeds: list[dict], named: bool, force: bool) -> tuple[list[dict], int]:
    """The feeds to fetch now, and how many wait. A disabled feed is fetched only when named;
    `force` skips the waiting, not the conditional GET."""
    now, fetch, skipped = now_iso(), [], 0
    for f in feeds:
        if f["disabled"] and not named or not force and f["next_fetch_after"] and f["next_fetch_after"] > now:
            skipped += 1
        else:
            fetch.append(f)
    return fetch, skipped
