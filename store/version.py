"""margin's version: the one place it is written (pyproject.toml reads it from here).

A constant rather than importlib.metadata, whose import would be paid by every
fetch (the User-Agent names the version) and by `--version`."""

VERSION = "0.1.0"
