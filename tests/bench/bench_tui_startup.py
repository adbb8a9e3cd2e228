"""Reader start-up: time to first paint and max RSS with libraries of 1k / 10k / 100k articles
(synthetic, the search benchmark's generator, cached in /tmp).

Each run is the real `margin` command in a pseudo-terminal of 120 x 40: the clock starts
before the process is spawned and stops when the title of the list's first row has been
written to the terminal, so process start, imports, opening the library, the first layout
and the terminal output are all inside the figure. (A headless `run_test` never renders to
a terminal at all, which is why it is not used here.) Then 200 x j and G are typed and timed
until the last row's title is on screen; ctrl+q quits and the child's max RSS is read from
its rusage. spaCy must not be imported: the child notes at exit whether it was.

margin's own modules are byte-compiled first (`compileall`, as `pip install` does): with
PYTHONDONTWRITEBYTECODE set, as on this machine, an editable install would otherwise compile
them from source at every start (~0.05 s), which no installed margin does.

    .venv/bin/python tests/bench/bench_tui_startup.py [--sizes 1000,10000,100000] [--runs 5]

A one-widget Textual app is timed the same way in turns with margin (the baseline line).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

WIDTH, HEIGHT = 120, 40
TIMEOUT = 60.0

# The child: `margin --library PATH` exactly as the console script runs it, plus one line
# that writes a file at exit if spaCy was ever imported.
CHILD = r"""
import atexit, sys
def _report():
    if "spacy" in sys.modules:
        open(sys.argv[-1] + ".spacy", "w").close()
atexit.register(_report)
sys.argv = ["margin", "--library", sys.argv[-1]]
from tui.cli import main
main()
"""


# The baseline, run in turns with margin in the same terminal: the smallest Textual app, one
# widget of text. What margin adds to it is the part margin controls; the rest moves with
# how fast the machine is that hour (`import textual.app` alone went from 0.28 to 0.35 s).
BASELINE = r"""
from textual.app import App
from textual.widgets import Static
class One(App):
    def compose(self):
        yield Static("baseline " + "ready")
One().run()
"""


def run_baseline() -> float:
    t0 = time.perf_counter()
    with Terminal([sys.executable, "-c", BASELINE]) as term:
        term.wait_for(b"baseline ready")
        return time.perf_counter() - t0


def _titles(path: Path) -> tuple[str, str]:
    """Titles of the first and last row of the unfiltered list (newest first)."""
    from store.library import Library

    with Library(path) as lib:
        total = lib.count("")
        first = lib.search("", limit=1)[0].title
        last = lib.search("", limit=1, offset=total - 1)[0].title
    return first, last


def _marker(title: str) -> bytes:
    return title.replace("\n", " ")[:20].encode()  # rows are cut to the column width


class Terminal:
    """A child process on a pseudo-terminal, with its output collected as it arrives."""

    def __init__(self, argv: list[str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     cwd=HERE.parents[1], start_new_session=True)
        os.close(slave)
        self.output = bytearray()

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        # a run that failed half-way must not leave its reader behind: started in a session of
        # its own, the closed terminal is not its controlling one and sends it no SIGHUP (two
        # such readers ran on for 90 minutes at ~40 % CPU each)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1

    def wait_for(self, marker: bytes, since: int = 0) -> None:
        deadline = time.monotonic() + TIMEOUT
        while marker not in self.output[since:]:
            if time.monotonic() > deadline or os.waitpid(self.proc.pid, os.WNOHANG)[0]:
                raise RuntimeError(f"{marker!r} never reached the terminal; output ends "
                                   f"{bytes(self.output[-400:])!r}")
            self._read(0.5)

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):  # the child closed the terminal
                self.output += os.read(self.master, 1 << 16)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def quit(self):
        """ctrl+q, reading on so the child never blocks on a full terminal; its rusage."""
        self.type(b"\x11")
        deadline = time.monotonic() + TIMEOUT
        try:
            while time.monotonic() < deadline:
                self._read(0.05)
                done, _, usage = os.wait4(self.proc.pid, os.WNOHANG)
                if done:
                    return usage
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise RuntimeError("the reader did not quit on ctrl+q")
        finally:
            os.close(self.master)
            self.master = -1


def run(path: Path) -> dict:
    first, last = _titles(path)
    flag = Path(f"{path}.spacy")
    flag.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with Terminal([sys.executable, "-c", CHILD, str(path)]) as term:
        term.wait_for(_marker(first))
        first_paint = time.perf_counter() - t0
        mark = len(term.output)
        t1 = time.perf_counter()
        term.type(b"j" * 200 + b"G")
        term.wait_for(_marker(last), since=mark)
        scrolled = time.perf_counter() - t1
        usage = term.quit()
    with sqlite3.connect(path) as conn:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {"first_paint": first_paint, "scroll_200_and_end": scrolled, "articles": total,
            "max_rss_mb": usage.ru_maxrss / 1024, "spacy_imported": flag.exists()}


def main() -> None:
    import statistics

    from bench_search import build, cached

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="runs per size, taken in turns across sizes")
    args = parser.parse_args()
    root = HERE.parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "tui"), str(root / "store")],
                   check=True, stdout=subprocess.DEVNULL)
    paths = [Path(f"/tmp/margin-bench-search-{int(x)}.db") for x in args.sizes.split(",")]
    for path, n in zip(paths, (int(x) for x in args.sizes.split(",")), strict=False):
        if not cached(path, n):
            build(path, n)
    results: dict[Path, list[dict]] = {p: [] for p in paths}
    baseline: list[float] = []
    for _ in range(args.runs):
        baseline.append(run_baseline())
        for path in paths:
            results[path].append(run(path))
    print(f"{args.runs} runs per size, medians (min-max); load {os.getloadavg()[0]:.1f}")
    base = statistics.median(baseline)
    print(f"one-widget Textual app, same terminal: first paint {base:.2f} s ({min(baseline):.2f}-{max(baseline):.2f})")
    for _path, rs in results.items():
        paint = sorted(r["first_paint"] for r in rs)
        scroll = statistics.median(r["scroll_200_and_end"] for r in rs)
        print(f"{rs[0]['articles']:>7,} articles: first paint {statistics.median(paint):.2f} s"
              f" ({paint[0]:.2f}-{paint[-1]:.2f}, process start included; baseline"
              f" +{statistics.median(paint) - base:.2f} s), 200 x j + G {scroll:.2f} s,"
              f" max RSS {max(r['max_rss_mb'] for r in rs):.0f} MB,"
              f" spaCy imported: {any(r['spacy_imported'] for r in rs)}")


if __name__ == "__main__":
    main()
