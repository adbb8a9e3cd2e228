"""The house rules CI enforces, as tests, so the README's one test command checks them too:
ruff's findings (pyproject.toml [tool.ruff]) and the import contracts ([tool.importlinter]:
store never imports tui, textual or rich; widgets never touch the library; screens only
through the façade)."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name) or name


def test_ruff_finds_nothing():
    out = subprocess.run([tool("ruff"), "check", "--no-cache", "store", "tui", "tests"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_import_contracts_are_kept():
    out = subprocess.run([tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert "BROKEN" not in out.stdout
