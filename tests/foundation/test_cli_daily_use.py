"""The commands as a newcomer meets them (issue 16.12-16.15): whole times, refused options,
notes that say what they did, output that fits the terminal."""
from __future__ import annotations

import json
import re

import pytest

from tests.foundation.test_import_cli import run


@pytest.mark.slow
def test_import_reports_the_whole_time_with_enrichment_on_its_own_line(tmp_path):
    """16.12: "0.00 s" when the command took seconds loading spaCy and enriching."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Merkel in Paris\n\nAngela Merkel met Emmanuel Macron in Paris on Monday.\n")
    out = run("import", str(folder), "--library", str(tmp_path / "l.db"), env={"COLUMNS": "80"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert lines[0].startswith("imported 1,") and "stored in" in lines[0]
    enrich = re.fullmatch(r"enriched 1 articles \((\d+) mentions\) in ([\d.]+) s", lines[1])
    total = re.fullmatch(r"total ([\d.]+) s", lines[2])
    assert enrich and total, lines
    assert float(total.group(1)) >= float(enrich.group(2)) > 0.05  # spaCy's load counts
    again = json.loads(run("import", str(folder), "--library", str(tmp_path / "l.db"), "--json").stdout)
    assert again["total_seconds"] >= again["seconds"] and "enrichment" in again
