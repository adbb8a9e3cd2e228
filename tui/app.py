"""The margin App: thin. Screens, global bindings, one place that reports worker errors."""
from __future__ import annotations

import gc
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from store.library import Library
from tui.commands import ActionCommands, LibraryCommands


class MarginApp(App):
    CSS_PATH = "margin.tcss"
    TITLE = "margin"
    COMMANDS = App.COMMANDS | {ActionCommands, LibraryCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(self, library: Library, *, demo: bool = False) -> None:
        super().__init__()
        self.lib = library
        self.demo = demo
        self.messages: deque[str] = deque(maxlen=200)  # what was notified, newest last
        self._config_problems: list[str] = []
        self.keymap: dict[str, str] = {}  # the user's [keys]: binding id -> keys
        # Star and read marks on their way to the library (see save_flag).
        self.pending_flags: dict[tuple[int, str], bool] = {}
        self._writer: Library | None = None
        self._write_lock = threading.Lock()  # held by the one thread that runs queued writes
        self._write_queue: deque[Callable[[Library], None]] = deque()
        self._queue_lock = threading.Lock()
        if demo:
            self.sub_title = "demo library (a scratch copy)"

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:
        self.messages.append(f"{title}: {message}" if title else message)
        kwargs.setdefault("markup", False)  # messages quote feed titles and errors: text, never markup
        super().notify(message, title=title, **kwargs)

    def get_default_screen(self) -> Screen:
        """The reader is the bottom screen. Pushed from on_mount instead, its first frame
        was rendered inside Textual's start-up batch, thrown away and rendered again."""
        from store.locations import config_path
        from tui.keymap import load_config
        from tui.screens.reader import ReaderScreen

        config = load_config(config_path())
        self._config_problems = list(config.problems)
        if config.keys:  # before the screen exists, so its footer shows the user's keys at once
            self.set_keymap(config.keys)
        self.keymap = dict(config.keys)
        if config.theme is not None:
            if config.theme in self.available_themes:
                self.theme = config.theme
            else:
                self._config_problems.append(
                    f"{config_path()}: theme {config.theme!r} is not a theme; choose one of: "
                    + ", ".join(sorted(self.available_themes)))
        return ReaderScreen()

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's own hint is Rich markup ("Press [b]ctrl+q[/b]"), and notifications
        here are plain text, so it showed the tags."""
        keys = [key for key, active in self.active_bindings.items() if active.binding.action in ("quit", "app.quit")]
        if keys:
            self.notify(f"Press {keys[0]} to quit margin (q on the list does too).", title="Do you want to quit?")

    def first_frame_shown(self) -> None:
        """Called by the reader once its first frame is on screen."""
        if not gc.isenabled():  # `margin` paused the collector for start-up (tui/cli/app_cmds.py)
            gc.freeze()  # start-up's objects live as long as the reader: never walk them again
            gc.enable()

    def on_mount(self) -> None:
        for problem in self._config_problems:
            self.notify(problem, severity="warning", timeout=8)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from tui.commands import MarginPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(MarginPalette(id="--command-palette"))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker is reported: a notification, the app goes on."""
        if event.state == WorkerState.ERROR:
            from store.error_log import record

            worker = event.worker
            log = record(worker.error, f"reader worker {worker.name}")
            self.notify(f"{worker.description or worker.name} failed: {worker.error}"
                        + (f" (details in {log})" if log else ""),
                        title="Error", severity="error", timeout=8)
            from tui.screens.reader_actions import ArticleActions

            if worker.group == "refresh" and isinstance(worker.node, ArticleActions):
                worker.node.refresh_stopped()

    def _handle_exception(self, error: Exception) -> None:
        # Textual's one hook for an error that ends the app: keep its traceback in the log too.
        from store.error_log import record

        record(error, "reader")
        super()._handle_exception(error)

    # -- key-driven writes ----------------------------------------------------------------
    def flag(self, article_id: int, name: str) -> bool:
        """An article's `read` or `starred`, counting a mark still on its way to the library."""
        key = (article_id, name)
        return self.pending_flags[key] if key in self.pending_flags else bool(self.lib.article(article_id)[name])

    def save_flag(self, article_id: int, name: str, value: bool) -> None:
        """Write a read or star mark (the article and its copies) in a thread, on a connection
        of its own: while another process (an import, `margin enrich`) holds the library's
        write lock, a write waits up to the 30 s busy timeout, and in the UI thread every key
        waited with it."""
        if self.lib.path is None:  # an in-memory library has no second connection
            getattr(self.lib, f"set_{name}")(article_id, value, group=True)
            return
        self.pending_flags[(article_id, name)] = value
        self._queue_write(partial(self._write_flag, article_id, name, value), "Saving")

    def _queue_write(self, job: Callable[[Library], None], description: str) -> None:
        with self._queue_lock:
            self._write_queue.append(job)
        self.run_worker(self._run_writes, thread=True, group="writes", description=description,
                        exit_on_error=False)

    def _run_writes(self) -> None:
        """Run the queued writes, oldest first, on the writes' own connection. One thread at a
        time does, so they land in the order of the keys (threads waiting on a lock are not
        woken in order: a star and its undo were written the wrong way round)."""
        with self._write_lock:
            while True:
                with self._queue_lock:
                    if not self._write_queue:
                        return
                    job = self._write_queue.popleft()
                if self._writer is None:
                    self._writer = Library(self.lib.path)
                job(self._writer)

    def _write_flag(self, article_id: int, name: str, value: bool, writer: Library) -> None:
        getattr(writer, f"set_{name}")(article_id, value, group=True)
        self.call_from_thread(self._flag_saved, article_id, name, value)

    def write_later(self, write: Callable[[Library], Any], *, done: Callable[[Any], None],
                    failed: Callable[[str], None], description: str = "Saving") -> None:
        """Run a key-driven write (a note saved, edited or deleted) off the UI thread, as
        save_flag does and in the same queue: `write` gets the writes' own connection, then
        `done` its result in the UI thread, or `failed` a one-line reason."""
        if self.lib.path is None:  # an in-memory library has no second connection
            try:
                result = write(self.lib)
            except Exception as exc:
                failed(self._write_failure(exc))
                return
            done(result)
            return
        self._queue_write(partial(self._write_and_say, write, done, failed), description)

    def _write_and_say(self, write: Callable[[Library], Any], done: Callable[[Any], None],
                       failed: Callable[[str], None], writer: Library) -> None:
        try:
            result = write(writer)
        except Exception as exc:
            self.call_from_thread(failed, self._write_failure(exc))
            return
        self.call_from_thread(done, result)

    @staticmethod
    def _write_failure(exc: Exception) -> str:
        from store.errors import MarginError

        if isinstance(exc, MarginError):
            return str(exc)
        from store.error_log import record

        log = record(exc, "reader write")
        return f"{type(exc).__name__}: {exc}" + (f" (details in {log})" if log else "")

    def _flag_saved(self, article_id: int, name: str, value: bool) -> None:
        if self.pending_flags.get((article_id, name)) == value:
            del self.pending_flags[(article_id, name)]
        from tui.screens.reader import ReaderScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                screen.counts_changed()  # the sidebar counts now include it

    def on_unmount(self) -> None:
        # A write still waiting on another program's lock keeps its connection: closing it
        # under that thread crashed the process (a segfault in sqlite3). The write ends within
        # the busy timeout, and the process exits after it.
        if self._write_lock.acquire(blocking=False):
            try:
                if self._writer is not None:
                    self._writer.close()
                    self._writer = None
            finally:
                self._write_lock.release()
        self.lib.close()


def make_app(library_path: str | Path | None, *, demo: bool = False) -> MarginApp:
    """The one factory: `margin`, `margin demo` and the tests build the app here.

    Opening the library happens here, before Textual starts, so a bad library is a
    clear one-line error and exit 2 rather than a crash inside the UI."""
    return MarginApp(Library(library_path), demo=demo)
