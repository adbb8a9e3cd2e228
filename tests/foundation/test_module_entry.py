"""`python -m tui` is the `margin` command: the reader starts `margin enrich` that way."""
import subprocess
import sys

from store.version import VERSION


def test_python_m_tui_runs_the_margin_command(tmp_path):
    out = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert VERSION in out.stdout


def test_python_m_tui_reports_usage_errors_without_a_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "tui", "no-such-command"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
