"""The side panels beside the article: related pieces (l), notes (m), entities (e).

Each is an OptionList fed plain data by the screen; choosing an option posts a message.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.nav_list import NavList
from tui.widgets.text_layout import KIND_STYLES, note_colour

KIND_LABELS = {"duplicate": "duplicate", "same-story": "same story", "related": "related", "user": "your link"}


class _Panel(NavList):
    title = ""

    def show_message(self, message: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(message, Style(italic=True, dim=True)), disabled=True))


class RelatedPanel(_Panel):
    title = "Related"

    class Followed(Message):
        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    def show_related(self, items: list[dict] | None) -> None:
        if items is None:
            self.show_message("Related links are not available in this library yet.")
            return
        if not items:
            self.show_message("Nothing related found yet.")
            return
        self.clear_options()
        for item in items:
            text = Text()
            text.append(f"[{KIND_LABELS.get(item['kind'], item['kind'])}] ", Style(color="#7aa2f7"))
            text.append(item["title"] or "(untitled)", Style(bold=True))
            reasons = item.get("reasons") or {}
            names = [e["name"] if isinstance(e, dict) else str(e) for e in reasons.get("entities", [])][:4]
            words = [t if isinstance(t, str) else str(t) for t in reasons.get("terms", [])][:4]
            why = ", ".join(names)
            if words:
                why += ("; " if why else "") + "words: " + ", ".join(words)
            if item.get("note"):
                why += ("; " if why else "") + item["note"]
            if why:
                text.append("\n  " + why, Style(dim=True))
            self.add_option(Option(text, id=str(item["id"])))
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Followed(int(event.option.id)))


class NotesPanel(_Panel):
    title = "Notes"
    BINDINGS = [
        Binding("e", "edit", "Edit note", id="notes.edit"),
        Binding("d,delete", "delete", "Delete note", id="notes.delete"),
    ]

    class Jump(Message):
        def __init__(self, note_id: int) -> None:
            super().__init__()
            self.note_id = note_id

    class EditRequested(Message):
        def __init__(self, note_id: int) -> None:
            super().__init__()
            self.note_id = note_id

    class DeleteRequested(Message):
        def __init__(self, note_id: int) -> None:
            super().__init__()
            self.note_id = note_id

    def show_notes(self, notes: list[dict]) -> None:
        if not notes:
            self.show_message("No notes on this article. Press v to select, a to annotate.")
            return
        self.clear_options()
        for n in notes:
            text = Text()
            text.append("✎ ", Style(color=note_colour(n)))
            text.append(n["state"], Style(italic=True, color="#f7768e" if n["state"] == "orphaned" else "#565f89"))
            if n.get("exact"):
                text.append(f"  “{n['exact'][:80]}”", Style(italic=True))
            if n["state"] == "changed" and n.get("current_exact"):
                text.append(f"\n  now: “{n['current_exact'][:80]}”", Style(dim=True))
            if n.get("body"):
                from tui.widgets.note_markdown import note_text

                text.append("\n")
                text.append_text(Text("\n").join(Text("  ") + line for line in note_text(n["body"]).split("\n")))
            else:
                text.append("\n  (no text)")
            if n.get("tags"):
                text.append("  " + " ".join(f"#{t}" for t in n["tags"]), Style(dim=True))
            self.add_option(Option(text, id=str(n["id"])))
        self.highlighted = 0

    def _current(self) -> int | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return int(option.id) if option.id else None

    def action_edit(self) -> None:
        if (note_id := self._current()) is not None:
            self.post_message(self.EditRequested(note_id))

    def action_delete(self) -> None:
        if (note_id := self._current()) is not None:
            self.post_message(self.DeleteRequested(note_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(int(event.option.id)))


class EntityPanel(_Panel):
    title = "Entities"

    class Chosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def show_entities(self, mentions: list) -> None:
        if not mentions:
            self.show_message("No entities yet: the enrichment queue has not reached this article.")
            return
        counts: dict[tuple[str, str], int] = {}
        for m in mentions:
            counts[(m.entity, m.kind)] = counts.get((m.entity, m.kind), 0) + 1
        self.clear_options()
        for (name, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0])):
            text = Text()
            text.append(name, KIND_STYLES.get(kind, KIND_STYLES["other"]))
            text.append(f"  {kind} ×{n}", Style(dim=True))
            self.add_option(Option(text, id=name))
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))


class LinksPanel(_Panel):
    """The article's links by number, then the [[names]] its notes link to. enter follows a
    link (into the library when the article is there, else the browser), o opens it in the
    browser, y copies it."""

    title = "Links"
    BINDINGS = [
        Binding("o", "open", "Open in browser", id="links.open"),
        Binding("y", "copy", "Copy link", id="links.copy"),
    ]

    class Followed(Message):
        def __init__(self, url: str, *, browser: bool = False) -> None:
            super().__init__()
            self.url = url
            self.browser = browser

    class Copied(Message):
        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    class EntityChosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def show_links(self, links: list, note_names: list[str]) -> None:
        if not links and not note_names:
            self.show_message("No links in this article.")
            return
        self.clear_options()
        self._targets: dict[str, tuple[str, str]] = {}
        room = max((self.scrollable_content_region.width or 36) - 3, 12)
        for link in links:
            text = Text()
            number = f"[{link.number}] "
            text.append(number, Style(color="#73daca", bold=True))
            width = room
            if link.text and link.text != link.url:
                text.append(link.text)
                text.append("\n  ")
            else:
                width = room + 2 - len(number)
            # one line per URL, cut at the end: a wrapped URL reads as two links
            url = link.url if len(link.url) <= width else link.url[: width - 1] + "…"
            text.append(url, Style(dim=True))
            if link.refusal:
                text.append(f"\n  ⚠ not opened: {link.refusal}", Style(color="#f7768e", italic=True))
            elif link.start is None:
                text.append("  (not in the text)", Style(dim=True, italic=True))
            self._targets[f"l{link.number}"] = ("url", link.url)
            self.add_option(Option(text, id=f"l{link.number}"))
        for i, name in enumerate(note_names):
            text = Text("[[", Style(dim=True))
            text.append(name, Style(color="#e0af68", bold=True))
            text.append("]]", Style(dim=True))
            text.append("  from your notes: entity page", Style(dim=True, italic=True))
            self._targets[f"n{i}"] = ("entity", name)
            self.add_option(Option(text, id=f"n{i}"))
        self.highlighted = 0

    def _current(self) -> tuple[str, str] | None:
        if self.highlighted is None:
            return None
        return getattr(self, "_targets", {}).get(self.get_option_at_index(self.highlighted).id or "")

    def action_open(self) -> None:
        if (target := self._current()) and target[0] == "url":
            self.post_message(self.Followed(target[1], browser=True))
        elif target:  # a [[name]] has no web page: its page is the entity's
            self.post_message(self.EntityChosen(target[1]))

    def action_copy(self) -> None:
        if (target := self._current()) and target[0] == "url":
            self.post_message(self.Copied(target[1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target and target[0] == "url":
            self.post_message(self.Followed(target[1]))
        elif target:
            self.post_message(self.EntityChosen(target[1]))
