"""The system clipboard, for terminals that ignore OSC 52: the first tool found that fits the
session (Wayland, X11, macOS, WSL). The reader sends OSC 52 as well, through Textual."""
from __future__ import annotations

import os
import shutil
import subprocess

TOOLS = [
    ("wl-copy", [], "WAYLAND_DISPLAY"),
    ("xclip", ["-selection", "clipboard"], "DISPLAY"),
    ("xsel", ["--clipboard", "--input"], "DISPLAY"),
    ("pbcopy", [], None),
    ("clip.exe", [], None),
]


def system_copy(text: str) -> tuple[str | None, str | None]:
    """(the tool that took the text, or None; a problem, or None). Blocking: run in a worker."""
    for tool, args, needs in TOOLS:
        path = shutil.which(tool)
        if path is None or (needs and not os.environ.get(needs)):
            continue
        try:
            # stdout to /dev/null: xclip stays alive to serve the selection, holding a pipe would hang us
            subprocess.run([path, *args], input=text.encode(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=3, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            return None, f"{tool} failed ({exc.__class__.__name__})"
        return tool, None
    return None, None
