"""`margin import/show/stats` as a user runs them: exit codes, one-line errors, nothing lost."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.library import Library
from tests.conftest import ROOT, SEED

MARGIN = [sys.executable, "-c", "from tui.cli import entry; entry()"]


def run(*args, stdin=None, env=None, cwd=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*MARGIN, *args], input=stdin, capture_output=True, env=full_env,
                          cwd=cwd or ROOT, timeout=60)


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("First story\n\nIt begins here.\n\nAnd ends here.\n")
    (folder / "sub" / "two.txt").write_text("Second story\n\nAnother text entirely.\n")
    (folder / "skip.md").write_text("Not matched\n\nby the default glob.\n")
    return folder


def test_import_directory_recursively_then_reimport_is_unchanged(tmp_path, articles):
    lib = tmp_path / "l.db"
    first = run("import", str(articles), "--library", str(lib), "--no-enrich", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["imported"] == 2
    again = run("--library", str(lib), "import", str(articles), "--no-enrich", "--json")
    summary = json.loads(again.stdout)
    assert (summary["imported"], summary["unchanged"]) == (0, 2)
    md = run("import", str(articles), "--glob", "*.md", "--library", str(lib), "--no-enrich", "--json")
    assert json.loads(md.stdout)["imported"] == 1


def test_changed_file_keeps_one_article_and_records_the_old_text(tmp_path, articles):
    lib_path = tmp_path / "l.db"
    run("import", str(articles / "one.txt"), "--library", str(lib_path), "--no-enrich")
    (articles / "one.txt").write_text("First story\n\nIt begins differently.\n\nAnd ends here.\n")
    out = run("import", str(articles / "one.txt"), "--library", str(lib_path), "--no-enrich", "--json")
    assert json.loads(out.stdout)["updated"] == 1
    with Library(lib_path) as lib:
        assert lib.stats()["articles"] == 1
        old = lib.db.conn.execute("SELECT body FROM article_versions").fetchall()
        assert old == [("It begins here.\n\nAnd ends here.",)]


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path):
    lib_path = tmp_path / "l.db"
    good = tmp_path / "good.txt"
    good.write_text("Good one\n\nFine text.\n")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    big.write_text("Big\n\n" + "word " * 3000)
    nodir = tmp_path / "nothing-here"
    nodir.mkdir()
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    missing = tmp_path / "missing.txt"
    out = run("import", str(good), str(binary), str(empty), str(big), str(nodir), str(broken),
              str(missing), "--max-bytes", "10000", "--library", str(lib_path), "--no-enrich")
    assert out.returncode == 1
    errors = out.stderr.decode().strip().splitlines()
    assert len(errors) == 6, errors
    assert "Traceback" not in out.stderr.decode()
    for path, reason in [(binary, "binary"), (empty, "empty"), (big, "size limit"),
                         (nodir, "no files matching"), (broken, "cannot read"), (missing, "no such file")]:
        assert any(str(path) in line and reason in line for line in errors), (path, errors)
    assert "imported 1" in out.stdout.decode()


def test_non_utf8_text_is_detected_not_dropped(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café crème à la française\n\nLe garçon a mangé. Très bien, déjà vu.\n".encode("cp1252"))
    lib_path = tmp_path / "l.db"
    assert run("import", str(path), "--library", str(lib_path), "--no-enrich").returncode == 0
    with Library(lib_path) as lib:
        assert lib.article(1)["title"] == "Café crème à la française"


def test_stdin_import_and_empty_stdin(tmp_path):
    lib_path = tmp_path / "l.db"
    ok = run("import", "-", "--library", str(lib_path), "--no-enrich", stdin=SEED.read_bytes())
    assert ok.returncode == 0
    empty = run("import", "-", "--library", str(lib_path), "--no-enrich", stdin=b"")
    assert empty.returncode == 1 and "standard input is empty" in empty.stderr.decode()


def test_library_option_before_after_and_from_environment(tmp_path):
    lib_path = tmp_path / "env.db"
    run("import", str(SEED), "--no-enrich", env={"MARGIN_LIBRARY": str(lib_path)})
    before = json.loads(run("--library", str(lib_path), "stats", "--json").stdout)
    after = json.loads(run("stats", "--json", "--library", str(lib_path)).stdout)
    assert before["articles"] == after["articles"] == 1
    assert before["unread"] == 1 and before["library"] == str(lib_path)


def test_show_json_contract_and_readable_text(tmp_path):
    lib_path = tmp_path / "l.db"
    run("import", str(SEED), "--library", str(lib_path), "--no-enrich")
    rec = json.loads(run("show", "1", "--json", "--library", str(lib_path)).stdout)
    for key in ("id", "title", "source", "aggregator", "author", "url", "path", "published_at",
                "imported_at", "body", "blocks", "trailer"):
        assert key in rec
    assert rec["path"] == str(SEED.resolve())
    assert all(rec["body"][b["start"]:b["end"]] for b in rec["blocks"])
    text = run("show", "1", "--library", str(lib_path), env={"COLUMNS": "60"}).stdout.decode()
    assert text.startswith("Russia tries to secure Assad's role")
    assert "Downing of the Russian Su-24" in text
    assert max(len(line) for line in text.splitlines()) <= 60
    missing = run("show", "99", "--library", str(lib_path))
    assert missing.returncode == 1 and "no article with id 99" in missing.stderr.decode()


def test_markup_and_escapes_in_content_are_printed_as_text(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_text("[bold red]Loud[/] \x1b[31mtitle\n\nBody with [link=x]markup[/link] and \x1b]0;t\x07 escapes.\n")
    lib_path = tmp_path / "l.db"
    run("import", str(path), "--library", str(lib_path), "--no-enrich")
    out = run("show", "1", "--library", str(lib_path)).stdout.decode()
    assert "[bold red]Loud[/] title" in out and "[link=x]markup[/link]" in out
    assert "\x1b" not in out


@pytest.mark.parametrize("content, words", [
    (b"this is not a database at all" * 10, "not a margin library"),
])
def test_unusable_library_exits_2_and_is_untouched(tmp_path, content, words):
    lib_path = tmp_path / "bad.db"
    lib_path.write_bytes(content)
    out = run("stats", "--library", str(lib_path))
    assert out.returncode == 2 and words in out.stderr.decode()
    assert lib_path.read_bytes() == content


def test_usage_errors_exit_2():
    assert run("import").returncode == 2
    assert run("search").returncode == 2


def test_store_never_imports_textual():
    code = ("import sys, store, store.library, store.search, store.importing, store.plaintext;"
            "from store.library import Library; lib = Library(None); lib.stats(); lib.search('x');"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    offenders = [p for p in Path(ROOT, "store").rglob("*.py")
                 if any(line.lstrip().startswith(("import textual", "from textual"))
                        for line in p.read_text().splitlines())]
    assert offenders == []


def test_version_is_the_installed_packages_version_and_named_in_the_user_agent():
    from importlib.metadata import version

    from store.feeds.http import user_agent

    out = subprocess.run([*MARGIN, "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"margin {version('margin')}"
    assert user_agent().startswith(f"margin/{version('margin')} ")
