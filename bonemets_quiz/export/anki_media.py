"""Pictures in an Anki package: media files named by their content, and the HTML that shows them.

A picture's media name comes from a hash of its bytes (``image_files.media_name``): the same
picture is one file in Anki's media folder however often it is exported or used, and a changed
picture gets a new name, which changes its notes' fields, so Anki updates those notes (and only
those) in place. No note type gains a field (that would be a schema change Anki does not apply
to notes it already holds): a question-side picture follows the question in the first field; an
answer-side one goes in a field only the back shows: the Answer (basic and multiple choice), or
else the Source field, ahead of the citation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..deck.image import Image
from ..deck.image_files import media_name, read_image
from ..deck.question import Question
from ..errors import DeckError, Problem
from .anki_templates import NOTE_TYPES, NoteKind
from .sanitize import escape_text


@dataclass(frozen=True)
class Media:
    """Media names by picture path, and the files to put in the package (name, bytes)."""

    names: Mapping[str, str]
    files: tuple[tuple[str, bytes], ...]


def collect_media(questions: Iterable[Question]) -> Media:
    """Every picture the questions show, read once each (and checked again: files change)."""
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for question in questions:
        image = question.image
        if image is None or image.path in names:
            continue
        try:
            data, kind = read_image(image)
        except DeckError as refused:
            problems.extend(refused.problems)
            names[image.path] = ""
            continue
        name = media_name(data, kind)
        names[image.path] = name
        files.setdefault(name, data)
    if problems:
        raise DeckError(problems)
    return Media(names, tuple(sorted(files.items())))


def picture_html(image: Image, name: str) -> str:
    caption = f'<div class="caption">{escape_text(image.caption)}</div>' if image.caption else ""
    credit = f'<div class="credit">{escape_text(image.credit)}</div>' if image.credit else ""
    alt = escape_text(image.alt).replace("<br>", " ")
    return (
        f'<div class="picture"><img src="{escape_text(name)}" alt="{alt}">{caption}{credit}</div>'
    )


def with_picture(
    kind: NoteKind, fields: tuple[str, ...], question: Question, names: Mapping[str, str]
) -> tuple[str, ...]:
    """The note's fields with the question's picture on its side of the card."""
    image = question.image
    if image is None or not names.get(image.path):
        return fields
    html = picture_html(image, names[image.path])
    out = list(fields)
    if image.side == "question":
        out[0] = out[0] + html
    elif kind in (NoteKind.BASIC, NoteKind.CHOICE):
        out[1] = out[1] + html
    else:
        source = NOTE_TYPES[kind].fields.index("Source")
        out[source] = html + out[source]
    return tuple(out)
