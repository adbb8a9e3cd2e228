"""What the reader does to an article: star, unread, notes, links, entity pages, refresh.

A mixin of ReaderScreen so the screen module stays about layout and navigation. Its
message handlers go by name (`on_<widget>_<message>`): `@on` only registers on classes
Textual builds itself, and this mixin is not one. Dialogs and the note editor are imported
when first opened: they are not on the way to the reader's first paint.
"""
from __future__ import annotations

from textual import work
from textual.worker import get_current_worker

from store.errors import MarginError
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.panels import EntityPanel, NotesPanel


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


class ArticleActions:
    # -- state ------------------------------------------------------------------------
    def _target(self) -> int | None:
        return self.current_id if self.current_id is not None else self.query_one(ArticleList).current_id

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
    def on_article_view_annotate_requested(self, event: ArticleView.AnnotateRequested) -> None:
        view = self.query_one(ArticleView)
        quote = view.data.body[event.start:event.end]

        def saved(result: dict | None) -> None:
            view.cancel_selection()
            if result is None:
                return
            try:
                self.lib.notes.add(event.article_id, start=event.start, end=event.end, body=result["body"],
                                   tags=result["tags"], color=result["color"])
            except MarginError as exc:
                self.notify(str(exc), severity="error")
                return
            self.reload_article()
            self.notify("Note saved.", timeout=2)

        from tui.screens.note_editor import NoteEditor

        place = self._draft_place(f"article {event.article_id} {event.start}-{event.end}")
        self.app.push_screen(NoteEditor(quote, **place), saved)

    def _draft_place(self, what: str) -> dict:
        """The note editor's palette, and where it keeps an unsaved draft of `what`."""
        return {"colours": self.lib.note_colours, "draft_key": what, "drafts": self.lib.drafts}

    def _note(self, note_id: int) -> dict | None:
        return next((n for n in self.query_one(ArticleView).data.notes if n["id"] == note_id), None)

    def on_notes_panel_edit_requested(self, event: NotesPanel.EditRequested) -> None:
        note = self._note(event.note_id)
        if note is None:
            return

        def saved(result: dict | None) -> None:
            if result is not None:
                self.lib.notes.edit(event.note_id, body=result["body"], tags=result["tags"], color=result["color"])
                self.reload_article()

        from tui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(note.get("exact"), body=note.get("body") or "", tags=note.get("tags"),
                                        color=note.get("color"), heading="Edit note",
                                        **self._draft_place(f"note {event.note_id}")), saved)

    def on_notes_panel_delete_requested(self, event: NotesPanel.DeleteRequested) -> None:
        def answered(yes: bool) -> None:
            if yes:
                self.lib.notes.delete(event.note_id)
                self.reload_article()

        from tui.screens.dialogs import Confirm

        self.app.push_screen(Confirm("Delete this note? It cannot be undone."), answered)

    def on_notes_panel_jump(self, event: NotesPanel.Jump) -> None:
        note = self._note(event.note_id)
        if note and note.get("start") is not None:
            view = self.query_one(ArticleView)
            view.cursor = note["start"]
            view._reveal(note["start"])

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
        if not hasattr(self.lib.feeds, "fetch"):
            self.notify("Feeds are not available in this build.", severity="warning")
            return
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

    def refresh_done(self, report) -> None:
        self.query("#refresh-bar").set(display=False)
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
        import asyncio
        import json
        import sys

        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tui", "enrich", "--json",
            "--library", str(self.app.lib.path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
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
