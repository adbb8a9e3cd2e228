"""Run `margin` on a pseudo-terminal of a given width: what a user sees in an 80-column window."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def run_on_tty(*args: str, columns: int = 80, env: dict | None = None, timeout: float = 60) -> str:
    """The command's output as the terminal got it (styles included), CRLF turned into LF."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    full_env = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color", **(env or {})}
    full_env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-c", "from tui.cli import entry; entry()", *args],
                            stdin=child, stdout=child, stderr=subprocess.PIPE, env=full_env)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=timeout)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def visible(output: str) -> list[str]:
    """The lines as they show on screen: escape sequences removed."""
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output).split("\n")
