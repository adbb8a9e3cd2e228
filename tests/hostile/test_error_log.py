"""Errors leave a trace (issue 17.8): the user sees one line naming the log; the log keeps
the traceback; `margin config path` shows where it is; the reader writes there too."""
from __future__ import annotations

import os
import subprocess

import pytest

from store.library import Library
from tests.conftest import ROOT
from tests.hostile.procs import MARGIN
from tests.tui.conftest import app, reader_library, reader_library_template  # noqa: F401
from tui.cli import main


def test_an_unexpected_error_is_one_line_naming_the_log_which_keeps_the_traceback(
        tmp_path, monkeypatch, capsys, error_log):
    def broken(self):
        raise RuntimeError("a bug in stats")

    monkeypatch.setattr(Library, "stats", broken)
    with pytest.raises(SystemExit) as done:
        main(["stats", "--library", str(tmp_path / "l.db")])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert err == f"margin: unexpected error: RuntimeError: a bug in stats (details in {error_log})\n"
    log = error_log.read_text()
    assert "Traceback (most recent call last)" in log and 'raise RuntimeError("a bug in stats")' in log
    assert "argv:" in log


def test_config_path_shows_the_config_file_and_the_log(error_log):
    env = {**os.environ, "MARGIN_LOG": str(error_log)}
    res = subprocess.run([*MARGIN, "config", "path"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    lines = res.stdout.splitlines()
    assert lines[0].endswith("config.toml") and lines[1] == str(error_log)
    res = subprocess.run([*MARGIN, "config", "log"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert res.stdout == f"{error_log}\n"


def test_the_default_log_is_in_the_platform_log_directory(monkeypatch):
    import platformdirs

    from store.locations import error_log_path

    monkeypatch.delenv("MARGIN_LOG")
    assert error_log_path().parent == __import__("pathlib").Path(platformdirs.user_log_dir("margin"))


async def test_a_failed_reader_worker_is_logged_with_its_traceback(app, error_log):  # noqa: F811
    def broken() -> None:
        raise ValueError("worker bug")

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        worker = app.run_worker(broken, thread=True, name="probe", exit_on_error=False)
        with pytest.raises(Exception, match="worker bug"):
            await worker.wait()
        await pilot.pause()
        assert any("details in" in m and str(error_log) in m for m in app.messages)
    log = error_log.read_text()
    assert "reader worker probe" in log and 'raise ValueError("worker bug")' in log
