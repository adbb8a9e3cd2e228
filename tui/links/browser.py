"""Open a URL in the user's browser: `$BROWSER` when set (as Python's webbrowser reads it:
commands separated by the path separator, `%s` for the URL), else `webbrowser`'s choice.

Async, so the reader's worker waits on the child without holding a thread, and a browser
that never exits only costs a few seconds of waiting."""
from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import tempfile
import threading

from tui.links.article_links import refusal

SETTLE = 5.0  # seconds a $BROWSER command may take to fail; still running after it: a window is open
POLL = 0.05


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
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                    start_new_session=True)  # never reads the reader's keys, outlives it
        except OSError as exc:
            return f"{args[0]}: {exc.strerror or exc}"
        try:
            for _ in range(int(SETTLE / POLL)):
                if proc.poll() is not None:
                    break
                await asyncio.sleep(POLL)
        finally:
            if proc.returncode is None:
                # Still running (a browser window), or we were cancelled: someone must still
                # reap it when it ends, and that is not worth a worker.
                threading.Thread(target=proc.wait, daemon=True).start()
        if proc.returncode is None or proc.returncode == 0:
            return None
        err.seek(0)
        reason = (err.read(4096).decode(errors="replace").strip().splitlines() or [""])[-1]
    return f"{args[0]} exited with status {proc.returncode}" + (f": {shorten(reason, 80)}" if reason else "")


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
