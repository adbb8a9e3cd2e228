"""Notes soak: random edits to noted articles, each stored through the real re-import path.

Articles are plain-text files in a folder; every edit rewrites one file and imports it with
`Library.import_paths`, as `margin import` does, into a real SQLite library. The harness knows
where each noted passage went (every character of the new text remembers where it came from),
so after each import it checks what the issue promises, and a little more:

- no note is deleted;
- a note that says `anchored` or `relocated` stands on exactly its quote, a `changed` one on
  exactly the text it reports (`current_exact`);
- a note whose passage no edit touched is still on that passage, and a `changed` note whose
  new text no edit touched is still on that text (`misplaced` counts those that are not:
  another occurrence of the same words, or changed/orphaned without cause).

Shared by tests/notes/test_notes_soak.py (a short run) and tests/bench/bench_notes_soak.py.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from store.library import Library
from store.plaintext import parse_plaintext

SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "plaintext" / "menafn-russia-assad-isis.txt"
SEP = "\n\n"
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 3, 14
# Words that open metadata lines or trailers in plain text: a paragraph starting with one
# would be read as something else than body text, and the harness's expected body be wrong.
_AVOID = {"by", "date", "published", "updated", "author", "source", "byline", "copyright", "disclaimer",
          "legal", "all"}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")
_WORD = re.compile(r"[A-Za-z]+")

Piece = tuple[int, int] | str  # a slice of the old body, or new text


@dataclass
class TrackedNote:
    id: int
    article: int
    exact: str
    truth: tuple[int, int] | None  # where the passage is now; None once an edit touched it
    # a `changed` note stands on other text than its quote: where that text is now, None
    # once an edit touched it
    current: tuple[int, int] | None = None


@dataclass
class SoakReport:
    edits: int = 0
    rejected: int = 0  # edits the parser would store differently; drawn again
    notes_added: int = 0
    untouched: int = 0  # notes whose passage no edit touched, at the end
    deleted: int = 0
    mismatched: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)  # at the end
    placements: Counter = field(default_factory=Counter)  # every re-anchoring over the run

    def summary(self) -> str:
        return (f"{self.edits} edits ({self.rejected} redrawn), {self.notes_added} notes; final states "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.states.items()))
                + f"; deleted {self.deleted}, mismatched anchors {len(self.mismatched)}, "
                f"moved off an untouched passage {len(self.misplaced)}")


def _assemble(old: str, pieces: list[Piece]) -> tuple[str, list[int]]:
    """The new body, and for each old character its new offset (-1 when it was removed)."""
    where = [-1] * len(old)
    out, pos = [], 0
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            pos += len(piece)
        else:
            a, b = piece
            out.append(old[a:b])
            for k in range(a, b):
                where[k] = pos + k - a
            pos += b - a
    return "".join(out), where


def _follow(where: list[int], span: tuple[int, int] | None) -> tuple[int, int] | None:
    """The span's new place if all its characters survived, in order and together."""
    if span is None:
        return None
    s, e = span
    first = where[s]
    if first < 0 or any(where[k] != first + k - s for k in range(s, e)):
        return None
    return first, first + e - s


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for part in body.split(SEP):
        spans.append((pos, pos + len(part)))
        pos += len(part) + len(SEP)
    return spans


def _sentences(body: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    s, e = para
    spans, pos = [], s
    for m in _SENTENCE_BREAK.finditer(body, s, e):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, e))
    return spans


def _containing(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (_, e) in enumerate(spans):
        if pos <= e:
            return i
    return len(spans) - 1


class Soak:
    def __init__(self, lib: Library, folder: Path, *, seed: int, articles: int = 4, notes_each: int = 6) -> None:
        self.lib, self.folder, self.rng = lib, folder, random.Random(seed)
        self.report = SoakReport()
        seed_doc = parse_plaintext(SEED_TEXT.read_text(encoding="utf-8"))
        self.vocabulary = sorted({w for w in _WORD.findall(seed_doc.body) if len(w) > 1} - _AVOID)
        self.vocabulary = [w for w in self.vocabulary if w.lower() not in _AVOID]
        paragraphs = seed_doc.body.split(SEP)
        self.files: dict[int, Path] = {}
        self.titles: dict[int, str] = {}
        self.bodies: dict[int, str] = {}
        self.notes: list[TrackedNote] = []
        for n in range(articles):
            # the real article first; the others reorder its paragraphs and add new ones, so
            # names and phrases repeat as they do in news
            paras = list(paragraphs) if n == 0 else self.rng.sample(paragraphs, len(paragraphs))[:8] + [
                self._paragraph() for _ in range(3)]
            title = f"Soak article {n}: {seed_doc.title}"
            path = folder / f"article-{n}.txt"
            path.write_text(title + SEP + SEP.join(paras) + "\n", encoding="utf-8")
            report = lib.import_paths([str(path)])
            assert not report.failed, report.failed
            art = report.article_ids[0]
            self.files[art], self.titles[art] = path, title
            self.bodies[art] = lib.article(art)["body"]
            assert self.bodies[art] == SEP.join(paras), "the harness's articles must store as written"
            for _ in range(notes_each):
                self.add_note(art)

    # -- text to insert ------------------------------------------------------------------
    def _sentence(self) -> str:
        words = [self.rng.choice(self.vocabulary) for _ in range(self.rng.randint(5, 16))]
        return words[0][:1].upper() + words[0][1:] + " " + " ".join(words[1:]) + "."

    def _paragraph(self) -> str:
        return " ".join(self._sentence() for _ in range(self.rng.randint(1, 3)))

    # -- notes ---------------------------------------------------------------------------
    def add_note(self, art: int) -> None:
        body, rng = self.bodies[art], self.rng
        paras = _paragraphs(body)
        kind = rng.random()
        if kind < 0.2:  # a whole sentence
            s, e = rng.choice(_sentences(body, rng.choice(paras)))
        elif kind < 0.3 and len(paras) > 1:  # across a paragraph break
            i = rng.randrange(len(paras) - 1)
            ends = [m.start() for m in _WORD.finditer(body, paras[i][0], paras[i][1])]
            starts = [m.end() for m in _WORD.finditer(body, paras[i + 1][0], paras[i + 1][1])]
            s, e = ends[-min(len(ends), rng.randint(1, 4))], starts[min(len(starts), rng.randint(1, 4)) - 1]
        else:  # one word to a phrase of a few words
            words = list(_WORD.finditer(body))
            i = rng.randrange(len(words))
            j = min(len(words) - 1, i + rng.choice((0, 0, 1, 2, 3, 5)))
            s, e = words[i].start(), words[j].end()
            if body.find(SEP, s, e) >= 0:
                e = body.find(SEP, s, e)
        note = self.lib.notes.add(art, start=s, end=e, body=f"soak note {len(self.notes) + 1}")
        assert (note.start, note.end, note.exact) == (s, e, body[s:e])
        self.notes.append(TrackedNote(note.id, art, body[s:e], (s, e)))
        self.report.notes_added += 1

    # -- edits ---------------------------------------------------------------------------
    def _target(self, art: int) -> int:
        """Where to edit: often in or right beside a noted passage, else anywhere."""
        body, rng = self.bodies[art], self.rng
        live = [n for n in self.notes if n.article == art and n.truth is not None]
        if live and rng.random() < 0.5:
            s, e = rng.choice(live).truth
            return max(0, min(len(body) - 1, rng.choice((s - 1, s, rng.randrange(s, e), e - 1, e))))
        return rng.randrange(len(body))

    def _draw_edit(self, body: str, pos: int) -> tuple[str, list[Piece]]:
        rng, end = self.rng, len(body)
        paras = _paragraphs(body)
        i = _containing(paras, pos)
        ps, pe = paras[i]
        sentences = _sentences(body, paras[i])
        kinds = ["char replace", "char insert", "char delete", "word insert", "word delete", "word replace",
                 "sentence insert", "sentence delete", "sentence replace", "paragraph replace"]
        if len(paras) < MAX_PARAGRAPHS:
            kinds += ["paragraph insert"]
        if len(paras) < MAX_PARAGRAPHS and len(sentences) > 1:
            kinds += ["paragraph split"]
        if len(paras) > MIN_PARAGRAPHS:
            kinds += ["paragraph delete", "paragraph move", "paragraph merge"]
        kind = rng.choice(kinds)
        words = [m for m in _WORD.finditer(body, ps, pe)]
        word = min(words, key=lambda m: abs(m.start() - pos)) if words else None
        if kind.startswith("char") and word is not None:
            j = rng.randrange(word.start(), word.end())
            letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
            if kind == "char replace":
                if letter == body[j].lower():
                    letter = "x" if letter != "x" else "q"
                return kind, [(0, j), letter.upper() if body[j].isupper() else letter, (j + 1, end)]
            if kind == "char insert":
                return kind, [(0, j), letter, (j, end)]
            if word.end() - word.start() > 1:
                return kind, [(0, j), (j + 1, end)]
        if kind.startswith("word") and word is not None:
            if kind == "word insert":
                return kind, [(0, word.start()), rng.choice(self.vocabulary).lower() + " ", (word.start(), end)]
            if kind == "word replace":
                return kind, [(0, word.start()), rng.choice(self.vocabulary), (word.end(), end)]
            if body[word.end():word.end() + 1] == " ":
                return kind, [(0, word.start()), (word.end() + 1, end)]
        if kind.startswith("sentence"):
            k = _containing(sentences, pos)
            ss, se = sentences[k]
            if kind == "sentence insert":
                if rng.random() < 0.5:
                    return kind, [(0, ss), self._sentence() + " ", (ss, end)]
                return kind, [(0, pe), " " + self._sentence(), (pe, end)]
            if kind == "sentence replace":
                return kind, [(0, ss), self._sentence(), (se, end)]
            if len(sentences) > 1:
                if k + 1 < len(sentences):
                    return kind, [(0, ss), (sentences[k + 1][0], end)]
                return kind, [(0, sentences[k - 1][1]), (se, end)]
        if kind == "paragraph insert":
            at = rng.choice((ps, pe))
            if at == pe:
                return kind, [(0, pe), SEP + self._paragraph(), (pe, end)]
            return kind, [(0, ps), self._paragraph() + SEP, (ps, end)]
        if kind == "paragraph replace":
            return kind, [(0, ps), self._paragraph(), (pe, end)]
        if kind == "paragraph delete":
            if i + 1 < len(paras):
                return kind, [(0, ps), (paras[i + 1][0], end)]
            return kind, [(0, paras[i - 1][1]), (pe, end)]
        if kind == "paragraph split":
            k = rng.randrange(1, len(sentences))
            return kind, [(0, sentences[k - 1][1]), SEP, (sentences[k][0], end)]
        if kind == "paragraph merge":
            k = i if i + 1 < len(paras) else i - 1
            return kind, [(0, paras[k][1]), " ", (paras[k + 1][0], end)]
        if kind == "paragraph move":
            order = [k for k in range(len(paras)) if k != i]
            order.insert(rng.choice([k for k in range(len(paras)) if k != i]), i)
            pieces: list[Piece] = []
            for n, k in enumerate(order):
                if n:
                    # the old separator when the neighbours were neighbours, else a new one
                    pieces.append((paras[k - 1][1], paras[k][0]) if order[n - 1] == k - 1 else SEP)
                pieces.append(paras[k])
            return kind, pieces
        return "", []

    def edit(self) -> None:
        art = self.rng.choice(sorted(self.files))
        old = self.bodies[art]
        while True:
            kind, pieces = self._draw_edit(old, self._target(art))
            if not pieces:
                continue
            new, where = _assemble(old, pieces)
            text = self.titles[art] + SEP + new + "\n"
            # Only edits whose text the importer stores as written: the harness must know the body.
            doc = parse_plaintext(text)
            if new != old and doc.body == new and doc.title == self.titles[art]:
                break
            self.report.rejected += 1
        self.files[art].write_text(text, encoding="utf-8")
        report = self.lib.import_paths([str(self.files[art])])
        assert not report.failed, report.failed
        assert report.article_ids == [art], "a re-import of the same file updates the same article"
        stored = self.lib.article(art)["body"]
        assert stored == new, f"edit {self.report.edits + 1} ({kind}) was stored differently"
        self.bodies[art] = new
        self.report.edits += 1
        self.report.kinds[kind] += 1
        for note in self.notes:
            if note.article == art:
                note.truth = _follow(where, note.truth)
                note.current = _follow(where, note.current)
        self.check(art, kind)
        # keep noted passages to edit: a new note now and then, on any article
        if self.rng.random() < 0.3:
            self.add_note(self.rng.choice(sorted(self.files)))

    # -- the promises --------------------------------------------------------------------
    def check(self, art: int, kind: str) -> None:
        step = f"edit {self.report.edits} ({kind}) on article {art}"
        body = self.bodies[art]
        stored = {n.id: n for n in self.lib.notes.for_article(art)}
        for tracked in (t for t in self.notes if t.article == art):
            note = stored.get(tracked.id)
            if note is None:
                self.report.deleted += 1
                self.report.mismatched.append(f"{step}: note {tracked.id} is gone")
                continue
            under = body[note.start:note.end] if note.start is not None else None
            if note.state in ("anchored", "relocated") and under != note.exact:
                self.report.mismatched.append(
                    f"{step}: note {note.id} is {note.state} on {under!r}, its quote is {note.exact!r}")
            elif note.state == "changed" and (not under or under != note.current_exact):
                self.report.mismatched.append(
                    f"{step}: note {note.id} is changed on {under!r} but reports {note.current_exact!r}")
            elif note.state not in ("anchored", "relocated", "changed", "orphaned"):
                self.report.mismatched.append(f"{step}: note {note.id} has state {note.state!r}")
            if tracked.current is not None and (note.state != "changed" or (note.start, note.end) != tracked.current):
                self.report.misplaced.append(
                    f"{step}: note {note.id} changed to {body[slice(*tracked.current)]!r} at {tracked.current},"
                    f" untouched since, is now {note.state} at {(note.start, note.end)}")
            tracked.current = (note.start, note.end) if note.state == "changed" else None
            if tracked.truth is not None and (note.state not in ("anchored", "relocated")
                                              or (note.start, note.end) != tracked.truth):
                self.report.misplaced.append(
                    f"{step}: note {note.id} on {tracked.exact!r} at {tracked.truth}, untouched, is now "
                    f"{note.state} at {(note.start, note.end)}")
                tracked.truth = None  # counted once; it is wherever re-anchoring put it now

    def finish(self) -> SoakReport:
        conn = self.lib.db.conn
        total = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
        self.report.deleted = max(self.report.deleted, self.report.notes_added - total)
        self.report.untouched = sum(n.truth is not None for n in self.notes)
        self.report.states = Counter(dict(conn.execute("SELECT state, count(*) FROM notes GROUP BY state")))
        self.report.placements = Counter(dict(conn.execute(
            "SELECT new_state, count(*) FROM note_events WHERE reason = 'text changed' GROUP BY new_state")))
        return self.report


def run_soak(library_path: Path, folder: Path, *, edits: int, seed: int) -> SoakReport:
    with Library(library_path) as lib:
        soak = Soak(lib, folder, seed=seed)
        for _ in range(edits):
            soak.edit()
        return soak.finish()
