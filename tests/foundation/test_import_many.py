"""An import large enough to read and parse on worker processes (over importing.PARALLEL_MIN files)."""
from __future__ import annotations

from pathlib import Path

from store import importing, worker_pool
from store.library import Library


def test_import_through_the_workers_stores_every_file_once_with_bounded_work_in_flight(tmp_path: Path,
                                                                                        monkeypatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    n = importing.PARALLEL_MIN + importing.CHUNK * importing.AHEAD + 7  # more files than the tasks in flight
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(f"Story {i}\n\nBody of story number {i}.\n")
    (folder / "a00100.txt").write_bytes(b"")  # empty: reported, the rest goes on
    in_flight: list[int] = []
    real_pool = worker_pool.process_pool

    def counting_pool(*args, **kwargs):
        pool = real_pool(*args, **kwargs)
        submit, futures = pool.submit, []

        def counted(*a, **k):
            futures.append(submit(*a, **k))
            # parsed documents not yet taken by the store: what the import holds in memory
            in_flight.append(sum(1 for f in futures if not getattr(f, "taken", False)))
            f = futures[-1]
            real_result = f.result

            def result(*ra, **rk):
                f.taken = True
                return real_result(*ra, **rk)

            f.result = result
            return f

        pool.submit = counted
        return pool

    monkeypatch.setattr(worker_pool, "process_pool", counting_pool)
    with Library(tmp_path / "lib.db") as lib:
        report = lib.import_paths([str(folder)])
        titles = [t for (t,) in lib.db.conn.execute("SELECT title FROM articles ORDER BY id")]
    assert report.imported == n - 1
    assert report.failed == [(str(folder / "a00100.txt"), "empty file")]
    assert titles == [f"Story {i}" for i in range(n) if i != 100]  # stored in the order found
    assert len(in_flight) == -(-n // importing.CHUNK)
    assert max(in_flight) <= importing.AHEAD


def test_import_through_the_workers_again_finds_the_unchanged_and_updates_the_changed(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    n = importing.PARALLEL_MIN + 20
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(f"Story {i}\n\nBody of story number {i}.\n")
    with Library(tmp_path / "lib.db") as lib:
        first = lib.import_paths([str(folder)])
        (folder / "a00007.txt").write_text("Story 7\n\nA new body for story seven.\n")
        (folder / "extra.txt").write_text("Extra\n\nOne more story.\n")
        again = lib.import_paths([str(folder)])
        body = lib.db.conn.execute("SELECT body FROM articles WHERE path LIKE '%a00007.txt'").fetchone()[0]
        versions = lib.db.conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert (first.imported, first.updated, first.unchanged) == (n, 0, 0)
    assert (again.imported, again.updated, again.unchanged) == (1, 1, n - 1)
    assert body == "A new body for story seven." and versions == 1
    assert set(first.article_ids) < set(again.article_ids)  # the same articles, found by their path
