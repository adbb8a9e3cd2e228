"""Feed failures in the user's words (issue 16.11): no "ConnectError: [Errno -2]"."""
from __future__ import annotations

import socket

import httpx

from store.feeds.errors import plain_reason
from store.feeds.http import Request, fetch


def test_a_name_that_does_not_resolve_reads_as_no_network():
    exc = httpx.ConnectError("[Errno -2] Name or service not known")
    assert plain_reason(exc, "harbourwire.net") == "cannot reach host (no network?)"
    exc = httpx.ConnectError("[Errno -3] Temporary failure in name resolution")
    assert plain_reason(exc, "harbourwire.net") == "cannot reach host (no network?)"


def test_other_failures_name_the_host_and_what_happened():
    assert plain_reason(httpx.ConnectTimeout("x"), "a.test") == "host a.test did not answer (timed out connecting)"
    assert plain_reason(httpx.ReadTimeout("x"), "a.test") == "host a.test stopped answering (timed out)"
    assert plain_reason(httpx.RemoteProtocolError("x"), "a.test") == "host a.test broke off the connection"
    assert "Error" not in plain_reason(httpx.ReadError(""), "a.test")


def test_a_closed_port_on_loopback_is_refused_in_plain_words():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [resp] = fetch([Request(0, f"http://127.0.0.1:{port}/feed.xml")])
    assert resp.error == "host 127.0.0.1 refused the connection"


def test_an_example_address_is_an_offline_example_and_never_looked_up():
    [resp] = fetch([Request(0, "https://harbourwire.example/rss.xml")])
    assert resp.error.startswith("an offline example feed")
