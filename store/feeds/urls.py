"""Which URLs margin fetches or keeps: http and https only.

A feed must not reach the local disk (file:), smuggle content in (data:), or make margin
run anything (javascript:, exec:); a redirect to such a URL is refused the same way."""
from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def url_problem(url: str) -> str | None:
    """Why margin will not fetch this URL, or None when it is a usable http(s) URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"not an http(s) URL ({scheme + ':' if scheme else 'no scheme'}); refused"
    if not parts.hostname:
        return "URL has no host"
    return None

