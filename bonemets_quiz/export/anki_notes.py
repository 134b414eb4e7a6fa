"""Questions → Anki note contents (note type, escaped fields, tags). Pure: no genanki, no I/O."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..deck.model import Question, QuestionKind
from ..errors import UsageError
from ..gc_pause import without_gc
from ..wording import option_letter
from .anki_ids import guid_key
from .anki_media import with_picture
from .anki_templates import NoteKind
from .sanitize import escape_text, field_html
from .tags import question_tags

RETIRED_TAG = "retired"
# Anki never changes cards it already holds and drops suspension unless "Import any learning
# progress" is ticked, so a retired note also says so on the card itself.
RETIRED_BANNER = (
    '<div class="retired">Retired: this question is no longer in the deck. '
    "Suspend or delete this note.</div>"
)
_TAG_OK = re.compile(r"^[^\s\"]+$")
# The answer side labels the note "Clinical note"; a deck that repeats the label loses the repeat.
_NOTE_LABEL = re.compile(r"^\s*clinical note\s*:\s*", re.IGNORECASE)
K = QuestionKind


@dataclass(frozen=True)
class NoteSpec:
    """One Anki note: which note type, its fields as HTML, where it goes and how it is tagged."""

    kind: NoteKind
    fields: tuple[str, ...]
    guid_key: tuple[str, str]
    deck_id: str
    topic: str
    tags: tuple[str, ...]
    suspended: bool = False


def check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """User tags as given, or a ``UsageError`` naming the first one Anki cannot hold."""
    checked = tuple(tags)
    for tag in checked:
        if not _TAG_OK.match(tag):
            raise UsageError(
                f"tag {tag!r} cannot be used in Anki — use letters, digits, '-', '_' or '::' "
                "(no spaces or quotes)"
            )
    return checked


@without_gc
def note_specs(
    questions: Sequence[Question],
    retired: Sequence[Question] = (),
    tags: Iterable[str] = (),
    pictures: Mapping[str, str] | None = None,
) -> list[NoteSpec]:
    """Live questions, then retired ones (suspended) whose note is not already a live one.

    ``pictures``: media names by picture path (``anki_media.collect_media``).
    """
    extra = check_tags(tags)
    specs = [note_spec(q, extra, pictures=pictures) for q in questions]
    seen = {spec.guid_key for spec in specs}
    for question in retired:
        spec = note_spec(question, (*extra, RETIRED_TAG), suspended=True)
        if spec.guid_key not in seen:
            seen.add(spec.guid_key)
            specs.append(spec)
    return specs


def note_spec(
    question: Question,
    tags: Sequence[str] = (),
    suspended: bool = False,
    pictures: Mapping[str, str] | None = None,
) -> NoteSpec:
    """A live question's note, or (``suspended``) a retired one's, with a banner on its card."""
    kind, fields = _fields(question)
    if question.image is not None and pictures:
        fields = with_picture(kind, fields, question, pictures)
    if suspended:
        fields = (RETIRED_BANNER + fields[0], *fields[1:])
    all_tags = (*question_tags(question), *tags)
    return NoteSpec(
        kind=kind,
        fields=fields,
        guid_key=guid_key(question),
        deck_id=question.deck_id,
        topic=question.topic,
        tags=tuple(dict.fromkeys(all_tags)),
        suspended=suspended,
    )


def _fields(q: Question) -> tuple[NoteKind, tuple[str, ...]]:
    text = _Fields(q)
    common = (text.note, text.source, escape_text(q.id))
    if q.kind is K.CLOZE and q.cloze:
        return NoteKind.CLOZE, (text.html(q.cloze), *common)
    if q.kind in (K.MULTIPLE_CHOICE, K.TRUE_FALSE) and q.options and q.correct_option is not None:
        return NoteKind.CHOICE, (*text.choice(q.options, q.correct_option), *common)
    if q.kind is K.REVERSED:
        others = [a for a in q.accepted if a != q.answer]
        alternatives = ", ".join(text.html(a) for a in others)
        return NoteKind.TYPE_IN, (text.html(q.prompt), text.html(q.answer), alternatives, *common)
    return NoteKind.BASIC, (text.html(q.prompt), text.answer(), *common)


@functools.lru_cache(maxsize=1024)
def _source_html(section: str, citation: str) -> str:
    """The Source field: the article section and the citation (shared by many questions)."""
    parts = []
    if section:
        parts.append(f'<span class="section">{escape_text(section)}</span>')
    if citation:
        parts.append(f'<span class="citation">{escape_text(citation)}</span>')
    return " · ".join(parts)


class _Fields:
    """Field HTML for one question: everything escaped unless the question is marked ``html``."""

    def __init__(self, question: Question) -> None:
        self.q = question

    def html(self, text: str) -> str:
        return field_html(text, self.q.html)

    @property
    def note(self) -> str:
        return self.html(_NOTE_LABEL.sub("", self.q.note)) if self.q.note else ""

    @property
    def source(self) -> str:
        return _source_html(self.q.section, self.q.source)

    def answer(self) -> str:
        if self.q.kind is K.LIST_RECALL and self.q.items:
            items = "".join(f"<li>{self.html(item)}</li>" for item in self.q.items)
            return f'<ul class="items">{items}</ul>'
        return self.html(self.q.answer)

    def choice(self, options: Sequence[str], correct: int) -> tuple[str, str, str]:
        """(Question with its lettered options, the answer as ``B. text``, correct position)."""
        items = "".join(f"<li>{self.html(option)}</li>" for option in options)
        question = (
            f'<div class="prompt">{self.html(self.q.prompt)}</div><ol class="options">{items}</ol>'
        )
        answer = f"{option_letter(correct)}. {self.html(options[correct])}"
        return question, answer, str(correct + 1)
