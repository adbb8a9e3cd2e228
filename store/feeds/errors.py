"""Network failures in the user's words: "cannot reach host (no network?)", not
"ConnectError: [Errno -2] Name or service not known"."""
from __future__ import annotations

import errno
import socket

import httpx


def _cause_chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def plain_reason(exc: httpx.HTTPError, host: str | None = None) -> str:
    """One short phrase for a failed request, naming the host when known (the caller puts
    the feed's title before it)."""
    where = f"host {host}" if host else "host"
    causes = list(_cause_chain(exc))
    if isinstance(exc, httpx.ConnectTimeout):
        return f"{where} did not answer (timed out connecting)"
    if isinstance(exc, httpx.TimeoutException):
        return f"{where} stopped answering (timed out)"
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if any(isinstance(c, socket.gaierror) for c in causes) or "name or service not known" in text \
                or "nodename nor servname" in text or "temporary failure in name resolution" in text \
                or "errno -2" in text or "errno -3" in text or "getaddrinfo" in text:
            return "cannot reach host (no network?)"  # the feed's title is said with it
        if any(isinstance(c, ConnectionRefusedError) for c in causes) or "refused" in text \
                or f"errno {errno.ECONNREFUSED}" in text:
            return f"{where} refused the connection"
        if "ssl" in text or "certificate" in text or "tls" in text:
            return f"secure connection to {where} failed ({exc})"
        if "unreachable" in text:
            return f"cannot reach {where} (network unreachable)"
        return f"cannot connect to {where} ({exc})" if str(exc) else f"cannot connect to {where}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{where} broke off the connection"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) URL"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return f"the connection to {where} failed while talking" + (f" ({exc})" if str(exc) else "")
    detail = str(exc)
    return f"network error talking to {where}" + (f": {detail}" if detail else "")
