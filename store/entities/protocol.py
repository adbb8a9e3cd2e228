"""What an extractor must offer, and the small value types passed between the steps."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

KINDS = ("person", "place", "org", "other")

# Model labels margin keeps, and the kind each becomes. Numbers, dates, money, times,
# percentages, quantities and ordinals are not entities; LANGUAGE is dropped because in
# news it is mostly "English"/"Arabic" used as an adjective, which readers do not want lit.
# NORP, EVENT, PRODUCT, WORK_OF_ART and LAW are kept as `other`: groups such as "Kurds"
# and named things such as "S-400" are what a reader looks up (README: measured choice).
LABEL_KINDS = {
    "PERSON": "person",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "ORG": "org",
    "NORP": "other",
    "EVENT": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
    "LAW": "other",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A raw model span: offsets into the text handed to the extractor, and its label."""

    start: int
    end: int
    label: str

    @property
    def kind(self) -> str:
        return LABEL_KINDS[self.label]


@dataclass(slots=True)
class Found:
    """A cleaned mention in an article body on its way to storage.

    `name` is the canonical name (the entity), `text` the surface form at start:end."""

    start: int
    end: int
    text: str
    name: str
    kind: str
    label: str = ""
    in_title: bool = False
    evidence: float = 1.0  # weight in the library's kind vote (store/entities/vote.py)
    cue: str | None = None  # the kind the mention's context names, if any


@dataclass(frozen=True, slots=True)
class Mention:
    """A stored mention as the façade returns it (offsets into body, or title if in_title)."""

    start: int
    end: int
    text: str
    entity: str
    kind: str
    entity_id: int
    in_title: bool = False

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text,
                "entity": self.entity, "kind": self.kind}


class Extractor(Protocol):
    """A named entity recogniser. `extract` returns, for each text, its spans (labels
    from LABEL_KINDS only); it may raise, and the queue then isolates the bad text."""

    name: str
    version: str

    def extract(self, texts: Sequence[str]) -> list[list[Span]]: ...
