"""`margin import` on what a directory can hold besides text files (issue 19.7, 19.11): FIFOs,
unreadable files and subdirectories, symlink loops, binary and empty files. Each gets one
line naming it and the reason, nothing waits forever, and the rest of the batch is imported."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hostile.procs import ENV, MARGIN, as_unprivileged


def run(*args: str, unprivileged: bool = False) -> subprocess.CompletedProcess:
    # A FIFO read would block forever: the timeout turns that hang into a failure.
    drop = as_unprivileged if unprivileged and os.geteuid() == 0 else None
    return subprocess.run([*MARGIN, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=60,
                          preexec_fn=drop)


def errors(res: subprocess.CompletedProcess) -> dict[str, str]:
    out = {}
    for line in res.stderr.splitlines():
        assert line.startswith("margin: "), line
        name, _, reason = line[len("margin: "):].partition(": ")
        out[Path(name).name] = reason
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "good.txt").write_text("A good story\n\nIt has text.\n")
    (d / "sub" / "also.txt").write_text("Another story\n\nMore text.\n")
    os.mkfifo(d / "pipe.txt")
    os.mkfifo(d / "sub" / "deep-pipe.txt")
    (d / "loop.txt").symlink_to(d / "loop.txt")
    (d / "sub" / "back").symlink_to(d)  # a directory loop
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text("  \n\n \t\n")
    return d


def test_fifos_loops_binary_and_empty_files_are_reported_and_the_rest_imported(folder, tmp_path):
    res = run("import", str(folder), "--library", str(tmp_path / "l.db"), "--no-enrich", "--json")
    assert res.returncode == 1
    summary = json.loads(res.stdout)
    assert summary["imported"] == 2
    reasons = errors(res)
    assert "FIFO" in reasons["pipe.txt"] and "FIFO" in reasons["deep-pipe.txt"]
    assert "symlink loop" in reasons["loop.txt"]
    assert "binary" in reasons["binary.txt"]
    assert reasons["empty.txt"] == "empty file" and reasons["blank.txt"] == "empty file"
    assert len(summary["failed"]) == 6  # the directory loop is walked once, not reported as an error


def test_a_fifo_named_directly_is_skipped(folder, tmp_path):
    res = run("import", str(folder / "pipe.txt"), str(folder / "good.txt"),
              "--library", str(tmp_path / "l.db"), "--no-enrich", "--json")
    assert res.returncode == 1
    assert "not a regular file" in errors(res)["pipe.txt"]
    assert json.loads(res.stdout)["imported"] == 1


def test_unreadable_files_and_subdirectories_are_reported(tmp_path):
    d = tmp_path / "in"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "hidden.txt").write_text("Hidden\n\nNot reachable.\n")
    (d / "good.txt").write_text("A good story\n\nIt has text.\n")
    (d / "secret.txt").write_text("Secret\n\nNo read permission.\n")
    for p in (d, d / "good.txt"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    (d / "secret.txt").chmod(0o000)
    (d / "locked").chmod(0o000)
    try:
        res = run("import", str(d), "--library", str(tmp_path / "l.db"), "--no-enrich", "--json",
                  unprivileged=True)
    finally:
        (d / "locked").chmod(0o755)  # so pytest can remove it
    assert res.returncode == 1, res.stderr
    reasons = errors(res)
    assert reasons["secret.txt"] == "permission denied"
    assert reasons["locked"] == "directory not searched: permission denied"
    assert json.loads(res.stdout)["imported"] == 1
