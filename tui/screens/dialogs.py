"""Small modals: a yes/no confirmation and the fuzzy article picker for user links (L)."""
from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Label(Text(self.question))
            yield Label(Text("y: yes   n: no", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class LinkPicker(ModalScreen[int | None]):
    """Type to find an article (search as you type); enter picks it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel"),
                Binding("down", "focus_list", "Results", show=False, id="picker.down")]

    def __init__(self, find: Callable[[str], list[tuple[int, str]]], exclude: int) -> None:
        super().__init__()
        self.find = find
        self.exclude = exclude

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(Text("Link this article to… (type to search, enter to pick)"))
            yield Input(placeholder="words from the title or text", id="picker-input")
            yield OptionList(id="picker-results")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        results = self.query_one("#picker-results", OptionList)
        results.clear_options()
        for art_id, title in self.find(text):
            if art_id != self.exclude:
                results.add_option(Option(Text(title or "(untitled)"), id=str(art_id)))
        if results.option_count:
            results.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#picker-results", OptionList)
        if results.highlighted is not None:
            self.dismiss(int(results.get_option_at_index(results.highlighted).id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_focus_list(self) -> None:
        self.query_one("#picker-results", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptLine(ModalScreen[str | None]):
    """One line of input (a saved search's name, the pipe-to command): enter gives it,
    escape gives None. With `required`, an empty answer is not taken."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", *, placeholder: str = "", verb: str = "run",
                 required: bool = False, max_length: int = 0) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.verb = verb
        self.required = required
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(Text(self.question))
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input", max_length=self.max_length)
            yield Label(Text(f"enter: {self.verb}   escape: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.required and not event.value.strip():
            return
        self.dismiss(event.value.strip() if self.required else event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
