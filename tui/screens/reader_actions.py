"""What the reader does to an article: star, unread, notes, links, entity pages, refresh.

A mixin of ReaderScreen so the screen module stays about layout and navigation. Its
message handlers go by name (`on_<widget>_<message>`): `@on` only registers on classes
Textual builds itself, and this mixin is not one. Dialogs and the note editor are imported
when first opened: they are not on the way to the reader's first paint.
"""
from __future__ import annotations

import asyncio
from contextlib import suppress
from pathlib import Path

from textual import work
from textual.worker import get_current_worker

from store.errors import MarginError
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.panels import EntityPanel, NotesPanel

NOTE_WAIT_SAID_AFTER = 1.0  # seconds a note write may wait (another program's lock) before the reader says so


def failure_messages(failed: list[tuple[str, str]], *, most: int = 3) -> list[str]:
    """One toast a failed feed, but one for all the feeds that failed the same way when
    there are more than `most` of them (offline, twenty feeds would each say "no network")."""
    by_reason: dict[str, list[str]] = {}
    for feed, reason in failed:
        by_reason.setdefault(reason, []).append(feed)
    out = []
    for reason, feeds in by_reason.items():
        if len(feeds) > most:
            out.append(f"{', '.join(feeds[:2])} and {len(feeds) - 2} more feeds: {reason}")
        else:
            out.extend(f"{feed}: {reason}" for feed in feeds)
    return out


async def start_enrich(library: Path) -> asyncio.subprocess.Process:
    """`margin enrich --json` in a child process that dies with this one, even when this one
    is killed with SIGKILL (tui/cli's PARENT_ENV): a reader killed mid-refresh must not
    leave it holding the library."""
    import os
    import sys

    from tui.cli import PARENT_ENV

    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tui", "enrich", "--json", "--library", str(library),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, PARENT_ENV: str(os.getpid())})


class ArticleActions:
    # -- state ------------------------------------------------------------------------
    def _target(self) -> int | None:
        """The article a key acts on: in the list, the one under the cursor (the preview
        follows it only once the keys rest, so `j` then `s` must not star the one before)."""
        articles = self.query_one(ArticleList)
        if articles.has_focus and articles.current_id is not None:
            return articles.current_id
        return self.current_id if self.current_id is not None else articles.current_id

    def action_star(self) -> None:
        if (art := self._target()) is None:
            return
        starred = not self.app.flag(art, "starred")
        self.app.save_flag(art, "starred", starred)  # the row stands for its copies too
        self.query_one(ArticleList).update_row(self.lib.duplicate_group(art), starred=starred)
        self.counts_changed()
        self.notify("Starred." if starred else "Unstarred.", timeout=2)

    def action_toggle_unread(self) -> None:
        if (art := self._target()) is None:
            return
        read = not self.app.flag(art, "read")
        self.app.save_flag(art, "read", read)
        self.query_one(ArticleList).update_row(self.lib.duplicate_group(art), read=read)
        self.counts_changed()

    def reload_article(self) -> None:
        if self.current_id is not None:
            self.show_article(self.current_id, mark_read=False)
            self.query_one(ArticleList).update_row(
                self.current_id, has_note=bool(self.query_one(ArticleView).data.notes))

    # -- notes ------------------------------------------------------------------------
    # Notes are written off the UI thread (app.write_later): another program's write lock
    # (an import, `margin enrich`) holds a write up to the 30 s busy timeout. The editor's
    # draft stays until the note is stored, and the view follows when the write lands.
    def on_article_view_annotate_requested(self, event: ArticleView.AnnotateRequested) -> None:
        view = self.query_one(ArticleView)
        quote = view.data.body[event.start:event.end]
        art, draft_key = event.article_id, f"article {event.article_id} {event.start}-{event.end}"

        def saved(result: dict | None) -> None:
            view.cancel_selection()
            if result is not None:
                self._write_note(
                    lambda lib: lib.notes.add(art, start=event.start, end=event.end, body=result["body"],
                                              tags=result["tags"], color=result["color"]),
                    art, draft_key, "Note saved.", "Could not save the note", "annotate this passage again")

        from tui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(quote, **self._draft_place(draft_key)), saved)

    def _write_note(self, write, article_id: int, draft_key: str | None, said: str, failure: str,
                    again: str = "") -> None:
        landed = False

        def done(_result: object) -> None:
            nonlocal landed
            landed = True
            if draft_key is not None and self.lib.drafts is not None:
                with suppress(OSError):
                    self.lib.drafts.drop(draft_key)
            self._note_landed(article_id)
            if said:
                self.notify(said, timeout=2)

        def failed(reason: str) -> None:
            nonlocal landed
            landed = True
            kept = f"; what you typed is kept: {again} to get it back" if draft_key and again else ""
            self.notify(f"{failure}: {reason}{kept}", severity="error", timeout=10)

        def waiting() -> None:
            if not landed:
                self.notify("Saving: another program is writing to the library; the note is stored when it is done.",
                            timeout=4)

        self.app.write_later(write, done=done, failed=failed, description="Saving the note")
        self.set_timer(NOTE_WAIT_SAID_AFTER, waiting)

    def _note_landed(self, article_id: int) -> None:
        if article_id == self.current_id:
            self.reload_article()
        else:  # the reader moved on while the note waited: its row still gets the mark
            self.query_one(ArticleList).update_row(article_id, has_note=bool(self.lib.notes.for_article(article_id)))

    def _draft_place(self, what: str) -> dict:
        """The note editor's palette, and where it keeps an unsaved draft of `what`."""
        return {"colours": self.lib.note_colours, "draft_key": what, "drafts": self.lib.drafts}

    def _note(self, note_id: int) -> dict | None:
        return next((n for n in self.query_one(ArticleView).data.notes if n["id"] == note_id), None)

    def on_notes_panel_edit_requested(self, event: NotesPanel.EditRequested) -> None:
        note = self._note(event.note_id)
        if note is None:
            return
        art, draft_key = self.current_id, f"note {event.note_id}"

        def saved(result: dict | None) -> None:
            if result is not None:
                self._write_note(
                    lambda lib: lib.notes.edit(event.note_id, body=result["body"], tags=result["tags"],
                                               color=result["color"]),
                    art, draft_key, "", "Could not save the note", "edit the note again")

        from tui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(note.get("exact"), body=note.get("body") or "", tags=note.get("tags"),
                                        color=note.get("color"), heading="Edit note",
                                        **self._draft_place(draft_key)), saved)

    def on_notes_panel_delete_requested(self, event: NotesPanel.DeleteRequested) -> None:
        art = self.current_id

        def answered(yes: bool) -> None:
            if yes:
                self._write_note(lambda lib: lib.notes.delete(event.note_id), art, None, "",
                                 "Could not delete the note")

        from tui.screens.dialogs import Confirm

        self.app.push_screen(Confirm("Delete this note? It cannot be undone."), answered)

    def on_notes_panel_jump(self, event: NotesPanel.Jump) -> None:
        note = self._note(event.note_id)
        if note and note.get("start") is not None:
            view = self.query_one(ArticleView)
            view.cursor = note["start"]
            view.reveal(note["start"])

    # -- entities & links ---------------------------------------------------------------
    def on_article_view_entity_chosen(self, event: ArticleView.EntityChosen) -> None:
        self.open_entity(event.name)

    def on_entity_panel_chosen(self, event: EntityPanel.Chosen) -> None:
        self.open_entity(event.name)

    def action_open_entity(self, name: str) -> None:
        """A click on a note's [[name]] (the margin's links carry this action)."""
        self.open_entity(name)

    def open_entity(self, name: str) -> None:
        from tui.screens.entity import EntityScreen

        def chosen(article_id: int | None) -> None:
            if article_id is not None:
                if self.current_id is not None:
                    self.trail.append(self.current_id)
                self.open_article(article_id)

        self.app.push_screen(EntityScreen(name), chosen)

    def action_link(self) -> None:
        source = self.current_id
        if source is None:
            return

        def find(text: str) -> list[tuple[int, str]]:
            try:
                return [(h.id, h.title) for h in self.lib.search(text, limit=30)]
            except MarginError:
                return []

        def picked(target: int | None) -> None:
            if target is None:
                return
            try:
                self.lib.related.link(source, target)
            except (MarginError, AttributeError) as exc:
                self.notify(f"Could not link: {exc}", severity="error")
                return
            self.notify("Linked.", timeout=2)
            self.refresh_panel()

        from tui.screens.dialogs import LinkPicker

        self.app.push_screen(LinkPicker(find, source), picked)

    # -- refresh ------------------------------------------------------------------------
    async def action_refresh(self) -> None:
        if self.app.demo:
            self.notify("The demo's feeds are offline examples: there is nothing to fetch. "
                        "In your own library (`margin`), r fetches your feeds.", title="Demo", timeout=8)
            return
        if not self.query("#refresh-bar"):  # mounted when first used: it is not part of start-up
            from textual.containers import Horizontal
            from textual.widgets import Label, ProgressBar

            await self.mount(Horizontal(Label("Refreshing feeds", id="refresh-label"),
                                        ProgressBar(id="refresh-progress", show_eta=False), id="refresh-bar"),
                             before="Footer")
        self.query_one("#refresh-label").update("Refreshing feeds")  # the page pass renames it
        self.query_one("#refresh-bar").display = True
        self.refresh_feeds()

    @work(thread=True, exclusive=True, group="refresh", description="Refreshing feeds", exit_on_error=False)
    def refresh_feeds(self) -> None:
        from store.library import Library

        worker = get_current_worker()
        bar = self.query_one("#refresh-progress")

        def progress(done: int, total: int, *_: object) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(bar.update, total=total, progress=done)

        with Library(self.app.lib.path) as own:  # a connection of this thread's own
            report = own.feeds.fetch(progress=progress)
            if own.fulltext.pending():  # new entries of full-text feeds: their pages, same bar
                self.app.call_from_thread(self.query_one("#refresh-label").update, "Fetching whole articles")
                report.fulltext = own.fulltext.fetch(progress=progress)
        self.app.call_from_thread(self.refresh_done, report)

    def refresh_stopped(self) -> None:
        """The refresh ended (done or failed): its bar goes."""
        self.query("#refresh-bar").set(display=False)

    def refresh_done(self, report) -> None:
        self.refresh_stopped()
        for message in failure_messages(getattr(report, "failed", [])):
            self.notify(message, title="Feed failed", severity="error", timeout=8)
        if pages := getattr(report, "fulltext", None):
            for _, title, reason in pages.failed[:3]:  # every one is also on its article's meta line
                self.notify(f"{title}: {reason}", title="Whole article", severity="warning", timeout=6)
            if len(pages.failed) > 3:
                self.notify(f"{len(pages.failed) - 3} more pages could not be extracted.", timeout=6)
        new = getattr(report, "new", 0)
        self.notify(f"{new} new article{'' if new == 1 else 's'}.", timeout=3)
        self.load_sidebar()
        self.query_one(ArticleList).reload()
        pages_in = bool(getattr(report, "fulltext", None) and report.fulltext.fetched)
        if (new or getattr(report, "updated", 0) or pages_in) and self.app.lib.path is not None:
            self.enrich_new()

    @work(exclusive=True, group="enrich", description="Finding entities and related articles", exit_on_error=False)
    async def enrich_new(self) -> None:
        """`margin enrich` for what the refresh brought, in its own process: spaCy's import and
        model take seconds of CPU (and hundreds of MB) that would hold this process's GIL and
        stall keys if run in a thread here. Interrupted, it resumes at the next refresh."""
        import json

        proc = await start_enrich(self.app.lib.path)
        try:
            out, err = await proc.communicate()
        finally:
            if proc.returncode is None:  # the worker was cancelled (the app is closing)
                proc.terminate()
        try:
            report = json.loads(out)
        except ValueError:
            reason = (err.decode(errors="replace").strip().splitlines() or ["no report"])[-1]
            self.notify(f"Finding entities failed: {reason}", severity="error", timeout=8)
            return
        done = report["enriched"]
        message = f"Entities and related articles found for {done} article{'' if done == 1 else 's'}."
        if report["failed"]:
            message += f" {len(report['failed'])} failed (see `margin enrich`)."
        self.notify(message, timeout=3)
        self.reload_article()
        self.refresh_panel()
