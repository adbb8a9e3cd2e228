"""What the reader sends out of itself: `o` the browser, `y` the clipboard, `|` a shell
command, and the links panel (`f`). A mixin of ReaderScreen, like ArticleActions.

Every child process runs in a worker: a browser or command that fails says so in a message,
one that never exits leaves the reader's keys working and can be stopped.
"""
from __future__ import annotations

from textual import work

from tui.links.browser import open_in_browser, shorten
from tui.widgets.article_view import ArticleView
from tui.widgets.panels import LinksPanel


class LinkActions:
    pipe_command: str = ""  # remembered until the reader closes, as newsboat's pipe-to does

    def _article_url(self) -> str | None:
        if (art := self._target()) is None:
            return None
        url = self.lib.article(art).get("url")
        if not url:
            self.notify("This article has no URL (it was imported from a file).", severity="warning", timeout=4)
        return url

    # -- browser ------------------------------------------------------------------------
    def action_open_browser(self) -> None:
        if url := self._article_url():
            self.open_url(url)

    def open_url(self, url: str) -> None:
        from tui.links.article_links import refusal

        if why := refusal(url):  # said at once, and nothing is started
            self.notify(f"Not opened: {why} ({shorten(url)}).", severity="warning", timeout=6)
            return
        self.notify(f"Opening {shorten(url)}", timeout=2)
        self._browse(url)

    @work(group="browser", description="Opening the browser", exit_on_error=False)
    async def _browse(self, url: str) -> None:
        if problem := await open_in_browser(url):
            self.notify(problem, severity="error", timeout=8)

    # -- clipboard ----------------------------------------------------------------------
    def action_copy_url(self) -> None:
        if url := self._article_url():
            self.copy_text(url, "the URL")

    def copy_text(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)  # OSC 52: the terminal's clipboard, also over ssh
        self._system_copy(text, what)

    @work(thread=True, group="clipboard", description="Copying", exit_on_error=False)
    def _system_copy(self, text: str, what: str) -> None:
        from tui.links.clipboard import system_copy

        tool, problem = system_copy(text)
        if tool:
            message, severity = f"Copied {what} (terminal clipboard and {tool}).", "information"
        elif problem:
            message, severity = f"Copied {what} to the terminal clipboard only: {problem}.", "warning"
        else:
            message, severity = (f"Copied {what} to the terminal clipboard (OSC 52); no system clipboard tool "
                                 "(wl-copy, xclip, xsel, pbcopy) was found, so it is there only if your terminal "
                                 "takes OSC 52.", "warning")
        self.app.call_from_thread(self.notify, message, severity=severity, timeout=5)

    # -- pipe-to ------------------------------------------------------------------------
    def action_pipe(self) -> None:
        from tui.screens.dialogs import Confirm, PromptLine

        running = [w for w in self.workers if w.group == "pipe" and w.is_running]
        if running:
            def stop(yes: bool) -> None:
                if yes:
                    for worker in running:
                        worker.cancel()
                    self.notify("Stopped.", timeout=2)

            self.app.push_screen(Confirm(f"`{shorten(self.pipe_command)}` is still running. Stop it?"), stop)
            return
        if (text := self._pipe_text()) is None:
            return

        def run(command: str | None) -> None:
            if command and command.strip():
                self.pipe_command = command.strip()
                self.notify(f"Running `{shorten(self.pipe_command)}` (| again to stop it)", timeout=3)
                self._pipe(self.pipe_command, text)

        self.app.push_screen(PromptLine("Pipe the article to a shell command:", self.pipe_command,
                                        placeholder="e.g. wc -w, or: cat > ~/article.txt"), run)

    def _pipe_text(self) -> str | None:
        view = self.query_one(ArticleView)
        if view.data is None:
            return None
        if view.selection is not None:
            return view.data.body[view.selection[0]:view.selection[1]]
        return f"{view.data.title}\n\n{view.data.body}\n"

    @work(group="pipe", description="Piping the article", exit_on_error=False)
    async def _pipe(self, command: str, text: str) -> None:
        from tui.links.pipe import pipe_to

        try:
            result = await pipe_to(command, text)
        except OSError as exc:
            self.notify(f"`{shorten(command)}` could not start: {exc.strerror or exc}", severity="error", timeout=8)
            return
        out, err = result.out.strip(), result.err.strip()
        if result.status == 0:
            tail = "\n".join(out.splitlines()[-6:])
            self.notify(tail or f"`{shorten(command)}` finished.", title=f"| {shorten(command, 40)}", timeout=6)
        else:
            reason = (err.splitlines() or out.splitlines() or [""])[-1]
            self.notify(f"`{shorten(command)}` exited with status {result.status}"
                        + (f": {shorten(reason, 100)}" if reason else ""), severity="error", timeout=8)

    # -- links panel ----------------------------------------------------------------------
    def on_links_panel_followed(self, event: LinksPanel.Followed) -> None:
        if not event.browser and (art := self.lib.article_with_url(event.url)) is not None:
            if self.current_id is not None:
                self.trail.append(self.current_id)
            self.open_article(art, focus=False)
            return
        self.open_url(event.url)

    def on_links_panel_copied(self, event: LinksPanel.Copied) -> None:
        self.copy_text(event.url, "the link")

    def on_links_panel_entity_chosen(self, event: LinksPanel.EntityChosen) -> None:
        self.open_entity(event.name)
