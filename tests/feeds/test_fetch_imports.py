"""Fetching starts light: httpx's own command-line client (click, pygments, rich.syntax) is not loaded."""
from __future__ import annotations

import json
import subprocess
import sys

CODE = r"""
import json, sys
import store.feeds.http as http
loaded = sorted(m for m in ("click", "pygments", "rich.syntax") if m in sys.modules)
import click  # still importable afterwards, for whatever needs it
print(json.dumps({"loaded": loaded, "client": http.httpx.AsyncClient.__name__, "click": click.__name__}))
"""


def test_importing_the_fetcher_leaves_out_httpx_command_line_client():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {"loaded": [], "client": "AsyncClient", "click": "click"}
