"""Import a library while one of its optional dependencies is made unimportable.

Some libraries import an extra at import time only for a feature margin never uses, and
skip it when it is missing: sqlite-utils imports numpy (to map numpy scalars to column
types, ~0.1 s), httpx imports click for its command-line client (with pygments lexers and
rich syntax, ~25 ms). Hiding the extra while the library loads keeps it off every
command's start; importing the extra later, for its own sake, works as usual."""
from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_hiding(module: str, hidden: str) -> ModuleType:
    if module in sys.modules or hidden in sys.modules:
        return importlib.import_module(module)
    sys.modules[hidden] = None  # type: ignore[assignment]  # `import hidden` raises ImportError
    try:
        return importlib.import_module(module)
    finally:
        del sys.modules[hidden]
