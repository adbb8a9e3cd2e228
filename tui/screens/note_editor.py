"""A small modal editor for a note: Markdown body, tags and colour. Returns a dict or None.

Typed text is never thrown away silently: `escape` asks before discarding it, and what the
editor holds is kept as a draft (store/notes/drafts.py) while typing, when the reader
closes, and after ctrl+s until the note is stored, so the same passage (or note) opens with
it next time."""
from __future__ import annotations

from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

DRAFT_DELAY = 0.5  # seconds typing rests before the draft is written
SHORT = 30  # terminal rows below which the editor drops its margins and shrinks the body


class NoteEditor(ModalScreen[dict | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(self, quote: str | None, *, body: str = "", tags: list[str] | None = None,
                 color: str | None = None, heading: str = "New note",
                 colours: tuple[str, ...] = ("yellow",), draft_key: str | None = None,
                 drafts: Any = None) -> None:
        super().__init__()
        self.quote = quote
        self.initial = (body, tags or [], color or "yellow")
        self.heading = heading
        self.colours = colours  # the library's palette
        self.draft_key = draft_key if drafts is not None else None
        self.drafts = drafts  # the library's Drafts (load / save / drop by key), or None
        self._settled = False  # saved or discarded: no draft to keep
        self._draft_timer = None
        self._restored = False
        self._latest: dict | None = None  # the editor's fields as last changed (kept for unmount)

    def compose(self) -> ComposeResult:
        body, tags, color = self.initial
        draft = self._load_draft()
        if draft:
            body, tags, color = draft.get("body", body), draft.get("tags", tags), draft.get("color", color)
            self._restored = True
        with Vertical(id="note-editor"):
            yield Label(Text(self.heading), id="note-editor-title")
            if self.quote:
                yield Static(Text(f"“{self.quote[:300]}”", style="italic"), id="note-quote")
            yield TextArea(body, language="markdown", id="note-body", soft_wrap=True)
            yield Input(" ".join(tags), placeholder="tags, separated by spaces", id="note-tags")
            with Horizontal(id="note-editor-buttons"):
                yield Select([(c, c) for c in self.colours], value=color if color in self.colours else self.colours[0],
                             allow_blank=False, id="note-color")
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        self.app.clear_notifications()  # the selection's key hints, over the buttons at 80x24
        self.query_one("#note-body", TextArea).focus()
        self.set_class(self.app.size.height < SHORT, "-short")
        if self._restored:
            self.notify("Your unsaved draft of this note is back.", timeout=4)

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < SHORT, "-short")

    # -- what the editor holds ----------------------------------------------------------
    def current(self) -> dict:
        body = self.query_one("#note-body", TextArea).text
        tags = [t.lstrip("#") for t in self.query_one("#note-tags", Input).value.split() if t.lstrip("#")]
        color = self.query_one("#note-color", Select).value
        return {"body": body, "tags": tags, "color": color}

    def changed(self, fields: dict | None = None) -> bool:
        body, tags, color = self.initial
        return (fields or self.current()) != {"body": body, "tags": [t.lstrip("#") for t in tags], "color": color}

    # -- drafts ---------------------------------------------------------------------------
    def _load_draft(self) -> dict | None:
        if self.draft_key is None:
            return None
        return self.drafts.load(self.draft_key)

    def _keep_draft(self) -> None:
        if self.draft_key is None or self._settled or not self.is_mounted:
            return
        try:
            if self.changed():
                self.drafts.save(self.draft_key, self.current())
            else:
                self.drafts.drop(self.draft_key)
        except OSError as exc:
            self.notify(f"Could not keep a draft of this note ({self.drafts.path}): {exc.strerror or exc}",
                        severity="warning", timeout=6)

    def _drop_draft(self) -> None:
        self._settled = True
        if self.draft_key is None:
            return
        with suppress(OSError):  # an old draft left behind only comes back as a suggestion
            self.drafts.drop(self.draft_key)

    def _schedule_draft(self) -> None:
        try:
            self._latest = self.current()
        except NoMatches:  # a field announcing its first value while the editor is composed
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._keep_draft)

    def on_text_area_changed(self) -> None:
        self._schedule_draft()

    def on_input_changed(self) -> None:
        self._schedule_draft()

    def on_select_changed(self) -> None:
        self._schedule_draft()

    def on_unmount(self) -> None:
        """The reader closing (ctrl+q) with the editor open: keep what was typed. The fields
        are gone by now, so what they held comes from the last change."""
        if not self._settled and self.draft_key is not None and self._latest is not None:
            try:
                if self.changed(self._latest):
                    self.drafts.save(self.draft_key, self._latest)
            except Exception:  # the app is going away: nowhere left to report it
                pass

    # -- actions ---------------------------------------------------------------------------
    def action_save(self) -> None:
        """The draft stays, holding what is saved, until the reader says the note is stored
        (`drafts.drop`): a write that fails, or waits on another program's lock while the
        reader is closed, loses nothing."""
        result = self.current()
        self._settled = True
        if self.draft_key is not None and self.changed(result):
            with suppress(OSError):  # said while typing (_keep_draft); the note is saved all the same
                self.drafts.save(self.draft_key, result)
        else:
            self._drop_draft()
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.changed():
            self._drop_draft()
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._drop_draft()
                self.dismiss(None)
            else:
                self.query_one("#note-body", TextArea).focus()

        from tui.screens.dialogs import Confirm

        self.app.push_screen(Confirm("Discard this note? What you typed will be lost."), answered)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()
