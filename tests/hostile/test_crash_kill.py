"""SIGKILL at a random moment (issue 19, "Crashes"): a few runs of each command here;
tests/bench/bench_crash.py runs 50 and more."""
from __future__ import annotations

import json
import random

import pytest

from store.library import Library
from tests.feeds.conftest import Route, server  # noqa: F401
from tests.hostile.crash import (
    N_ENTRIES,
    N_FEEDS,
    N_FILES,
    check_after,
    committed_library,
    feed_xml,
    kill_at_random,
    make_files,
    rerun,
)


@pytest.mark.slow
def test_import_killed_at_random_moments_loses_nothing_and_completes(tmp_path):
    rng = random.Random(19)
    folder = make_files(tmp_path / "in")
    lib = tmp_path / "l.db"
    before = committed_library(lib, [])
    for _ in range(3):
        kill_at_random(["import", str(folder), "--no-enrich", "--library", str(lib)], rng, max_delay=3.0)
        before = check_after(lib, before)
    done = json.loads(rerun(["import", str(folder), "--no-enrich", "--json", "--library", str(lib)]).stdout)
    assert done["imported"] + done["unchanged"] + done["updated"] == N_FILES and not done["failed"]
    assert len(check_after(lib, before)["articles"]) == N_FILES + 2


@pytest.mark.slow
def test_fetch_killed_at_random_moments_loses_nothing_and_completes(tmp_path, server):  # noqa: F811
    rng = random.Random(17)
    for f in range(N_FEEDS):
        server.routes[f"/{f}.xml"] = Route(feed_xml(f), delay=0.2 * f)
    lib = tmp_path / "l.db"
    before = committed_library(lib, [server.url(f"/{f}.xml") for f in range(N_FEEDS)])
    for _ in range(3):
        kill_at_random(["fetch", "--force", "--no-enrich", "--library", str(lib)], rng, max_delay=2.0)
        before = check_after(lib, before)
    rerun(["fetch", "--force", "--no-enrich", "--library", str(lib)])
    assert len(check_after(lib, before)["articles"]) == N_FEEDS * N_ENTRIES + 2


@pytest.mark.slow
def test_enrich_killed_at_random_moments_loses_nothing_and_completes(tmp_path):
    rng = random.Random(11)
    folder = make_files(tmp_path / "in", 120)
    lib = tmp_path / "l.db"
    before = committed_library(lib, [])
    rerun(["import", str(folder), "--no-enrich", "--library", str(lib)])
    before = check_after(lib, before)
    for _ in range(2):
        kill_at_random(["enrich", "--library", str(lib)], rng, min_delay=2.0, max_delay=12.0)
        before = check_after(lib, before)
    rerun(["enrich", "--library", str(lib)])
    check_after(lib, before)
    with Library(lib) as opened:
        stats = opened.stats()
        assert opened.db.conn.execute(
            "SELECT count(*) FROM (SELECT article_id, start, end FROM mentions GROUP BY 1, 2, 3 HAVING count(*) > 1)"
        ).fetchone()[0] == 0
    assert stats["enrich_pending"] == 0
