"""A small modal editor for a note: Markdown body, tags and colour. Returns a dict or None."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

COLOURS = ["yellow", "green", "blue", "red", "purple"]


class NoteEditor(ModalScreen[dict | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="editor.save"),
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    def __init__(self, quote: str | None, *, body: str = "", tags: list[str] | None = None,
                 color: str | None = None, heading: str = "New note") -> None:
        super().__init__()
        self.quote = quote
        self.initial = (body, tags or [], color or "yellow")
        self.heading = heading

    def compose(self) -> ComposeResult:
        body, tags, color = self.initial
        with Vertical(id="note-editor"):
            yield Label(Text(self.heading), id="note-editor-title")
            if self.quote:
                yield Static(Text(f"“{self.quote[:300]}”", style="italic"), id="note-quote")
            yield TextArea(body, language="markdown", id="note-body", soft_wrap=True)
            yield Input(" ".join(tags), placeholder="tags, separated by spaces", id="note-tags")
            with Horizontal(id="note-editor-buttons"):
                yield Select([(c, c) for c in COLOURS], value=color if color in COLOURS else "yellow",
                             allow_blank=False, id="note-color")
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        self.query_one("#note-body", TextArea).focus()

    def action_save(self) -> None:
        body = self.query_one("#note-body", TextArea).text
        tags = [t.lstrip("#") for t in self.query_one("#note-tags", Input).value.split() if t.lstrip("#")]
        color = self.query_one("#note-color", Select).value
        self.dismiss({"body": body, "tags": tags, "color": color})

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()
