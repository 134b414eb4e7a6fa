"""Questions → CSV flashcards: question, answer, tags.

The first lines are Anki's file headers (``#separator:comma``, ``#html:false``,
``#tags column:3``), so Anki's File → Import maps the columns to a Basic note's Front, Back and
tags without questions asked, and shows deck text as text, never as HTML. There is no column
header row (Anki would import it as a note). Other flashcard apps read the plain rows: pass
``anki_headers=False`` (or delete the ``#`` lines) for apps that do not skip them. Every cell is
quoted, so no row starts with ``#`` (which Anki would take for a comment).

A multiple-choice question carries its options in the question cell (``A. …``) and the letter in
the answer; the clinical note follows the answer after a blank line.

Two guards on every cell, since a CSV file is opened by spreadsheets and by Anki:

- a cell starting with ``= + - @``, a tab or a carriage return would be run as a formula by a
  spreadsheet (CSV injection): it starts with an apostrophe instead (OWASP's advice), which
  spreadsheets hide and other apps show;
- Anki's own markup (``[sound:…]``, ``[anki:tts]``, ``[latex]``) would become audio or images
  on import: an invisible word joiner (U+2060) after its ``[`` keeps it text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..deck.model import Question, QuestionKind
from ..wording import option_letter
from .sanitize import inert_markup
from .tags import question_tags

ANKI_HEADERS = ("#separator:comma", "#html:false", "#tags column:3")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WORD_JOINER = "\u2060"


def safe_cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula and Anki shows as the text it is."""
    text = inert_markup(text, bracket="[" + WORD_JOINER)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def question_cell(question: Question) -> str:
    image = question.image
    if image is not None and image.side == "question":
        return f"{_question_text(question)}\n{image.label}"
    return _question_text(question)


def _question_text(question: Question) -> str:
    if question.kind is QuestionKind.MULTIPLE_CHOICE and question.options:
        options = "\n".join(f"{option_letter(i)}. {o}" for i, o in enumerate(question.options))
        return f"{question.prompt}\n{options}"
    return question.prompt


def answer_cell(question: Question) -> str:
    if question.kind is QuestionKind.MULTIPLE_CHOICE and question.correct_option is not None:
        answer = f"{option_letter(question.correct_option)}. {question.answer}"
    elif question.items:
        answer = "; ".join(question.items)
    else:
        answer = question.answer
    if question.image is not None and question.image.side == "answer":
        answer = f"{answer}\n{question.image.label}"
    return f"{answer}\n\n{question.note}" if question.note else answer


def tags_cell(question: Question) -> str:
    """The same tags as the Anki export: deck, topic and kind."""
    return " ".join(question_tags(question))


def render_csv(questions: Sequence[Question], anki_headers: bool = True) -> str:
    out = io.StringIO()
    if anki_headers:
        out.write("\n".join(ANKI_HEADERS) + "\n")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for question in questions:
        cells = (question_cell(question), answer_cell(question), tags_cell(question))
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
