"""`margin enrich`, `margin entities ...`, `margin entity NAME`, and spaCy staying lazy."""
from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

from tests.entities.conftest import store_text
from tui.cli import main
from tui.cli.enrich_cmds import enrich_after_store

NEWS = "Vladimir Putin met Francois Hollande in Moscow. Putin said Russia would help."


def run(capsys, *argv) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.fixture
def stored(lib, library_path, extractor):
    art = store_text(lib, "one", "Putin and Hollande", NEWS)
    return library_path, art


def test_enrich_then_entities_and_entity(stored, capsys):
    path, art = stored
    code, out, err = run(capsys, "enrich", "--library", str(path), "--json")
    assert code == 0, err
    assert json.loads(out)["enriched"] == 1
    code, out, _ = run(capsys, "entities", "--library", str(path), "--json", "--kind", "person")
    rows = json.loads(out)
    assert {r["name"] for r in rows} >= {"Vladimir Putin", "Francois Hollande"}
    assert set(rows[0]) == {"id", "name", "kind", "articles", "mentions"}
    code, out, _ = run(capsys, "entity", "putin", "--library", str(path), "--json")
    ent = json.loads(out)
    assert ent["name"] == "Vladimir Putin" and ent["articles"][0]["id"] == art
    code, out, _ = run(capsys, "entity", "Putin", "--library", str(path))
    assert code == 0 and "Vladimir Putin" in out and "Putin and Hollande" in out
    code, out, _ = run(capsys, "entities", "--library", str(path))
    assert code == 0 and "Vladimir Putin" in out


def test_corrections_from_the_command_line(stored, capsys):
    path, _ = stored
    run(capsys, "enrich", "--library", str(path))
    assert run(capsys, "entities", "merge", "Vladimir Putin", "Russia", "--library", str(path))[0] == 0
    assert run(capsys, "entities", "rename", "Moscow", "Moskva", "--library", str(path))[0] == 0
    assert run(capsys, "entities", "kind", "Moskva", "other", "--library", str(path))[0] == 0
    assert run(capsys, "entities", "hide", "Francois Hollande", "--library", str(path))[0] == 0
    _, out, _ = run(capsys, "entities", "--json", "--library", str(path))
    assert {(r["name"], r["kind"]) for r in json.loads(out)} == {("Vladimir Putin", "person"), ("Moskva", "other")}
    assert run(capsys, "entities", "unhide", "Hollande", "--library", str(path))[0] == 0
    code, _, err = run(capsys, "entity", "Nobody", "--library", str(path))
    assert code == 1 and err.strip() == "margin: no entity named 'Nobody'"
    code, _, err = run(capsys, "entities", "kind", "Moskva", "planet", "--library", str(path))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_enrich_reports_nothing_to_do_and_after_store_respects_no_enrich(lib, stored, capsys):
    path, art = stored
    assert enrich_after_store(lib, SimpleNamespace(no_enrich=True)) == 0
    assert lib.stats()["enrich_pending"] == 1
    assert enrich_after_store(lib, SimpleNamespace(no_enrich=False)) == 0
    assert lib.stats()["enrich_pending"] == 0 and lib.record(art)["mentions"]
    code, out, _ = run(capsys, "enrich", "--library", str(path))
    assert code == 0 and out.startswith("enriched 0 articles")


def test_search_and_show_never_import_spacy(stored, extractor):
    path, art = stored
    code = (
        "import sys\n"
        "from store.library import Library\n"
        "import tui.cli\n"
        f"lib = Library({str(path)!r})\n"
        f"lib.record({art}); lib.stats(); lib.entities.list(); lib.entities.mentions_for({art})\n"
        "tui.cli.build_parser()\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
