"""Open a URL in the user's browser: `$BROWSER` when set (as Python's webbrowser reads it:
commands separated by the path separator, `%s` for the URL), else `webbrowser`'s choice.

Async, so the reader's worker can wait on the child without holding a thread, and a browser
that never exits only costs a few seconds of waiting."""
from __future__ import annotations

import asyncio
import os
import shlex

from tui.links.article_links import refusal

SETTLE = 5.0  # seconds a $BROWSER command may take to fail; still running after it: a window is open


async def open_in_browser(url: str, browser: str | None = None) -> str | None:
    """None when opened, else a one-line message saying why not."""
    if why := refusal(url):
        return f"Not opened: {why} ({shorten(url)})."
    browser = os.environ.get("BROWSER", "") if browser is None else browser
    if not browser.strip():
        import webbrowser

        try:
            opened = await asyncio.to_thread(webbrowser.open, url)
        except webbrowser.Error as exc:
            return f"Could not open a browser: {exc}."
        return None if opened else "No browser found: set $BROWSER to the command that opens a URL."
    failures = []
    for entry in filter(str.strip, browser.split(os.pathsep)):
        failure = await _run(entry, url)
        if failure is None:
            return None
        failures.append(failure)
    return "$BROWSER failed: " + "; ".join(failures)


async def _run(entry: str, url: str) -> str | None:
    try:
        args = shlex.split(entry)
    except ValueError as exc:
        return f"{entry!r}: {exc}"
    args = [a.replace("%s", url) for a in args] if "%s" in entry else [*args, url]
    try:
        proc = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)  # outlives the reader, never reads its keys
    except OSError as exc:
        return f"{args[0]}: {exc.strerror or exc}"
    try:
        _, err = await asyncio.wait_for(proc.communicate(), SETTLE)
    except asyncio.TimeoutError:
        return None  # still running: the browser is open (the reader does not wait on it)
    if proc.returncode == 0:
        return None
    reason = (err.decode(errors="replace").strip().splitlines() or [""])[-1]
    return f"{args[0]} exited with status {proc.returncode}" + (f": {shorten(reason, 80)}" if reason else "")


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
