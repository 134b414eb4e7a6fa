"""Questions → Moodle GIFT text (Question bank → Import → GIFT format).

How each kind becomes a Moodle question:

- multiple_choice → multiple choice (one right answer);
- true_false → true/false (the "True or false:" lead-in is dropped: Moodle shows the choices);
- reversed, cloze and authored questions without options → short answer, every accepted answer
  a right one (``{=a =b}``); a cloze blank sits in the sentence (GIFT's "missing word" form);
  in these answers ``->`` becomes ``→`` and ``*`` is escaped (Moodle's wildcard);
- basic and list_recall questions (a definition, a comparison, a list to recall) cannot be
  graded by matching a typed answer → essay questions, graded by the teacher, with the model
  answer as general feedback.

The clinical note becomes the general feedback, shown after answering. Every question is named
``::<question id>::`` and filed in the category ``<title>/<topic id>``. Text is plain
(``[plain]``), so nothing in a deck is read as HTML, except facts marked ``html: true``, whose
text goes through the same allow-list as the Anki export (``[html]``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..deck.cloze import BLANK
from ..deck.model import Question, QuestionKind

K = QuestionKind
TRUE_FALSE_LEAD = "True or false: "
_SPECIAL = re.compile(r"([~=#{}:])")
_WEIGHT = re.compile(r"^%-*[0-9]{1,2}\.?[0-9]*%")  # Moodle reads this as an answer's weight
ESSAY_KINDS = (K.BASIC, K.LIST_RECALL)


def gift_escape(text: str) -> str:
    """GIFT's escapes: a backslash before ``~ = # { } :`` and itself; line breaks as ``\\n``."""
    text = text.replace("\\", "\\\\").replace("\r", "")
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def is_essay(question: Question) -> bool:
    return question.kind in ESSAY_KINDS and not question.variant.startswith("q-")


class _Formatter:
    """Text of one question in its markup: plain (escaped by Moodle) or allow-listed HTML."""

    def __init__(self, question: Question) -> None:
        self.html = question.html
        self.marker = "[html]" if self.html else "[plain]"

    def text(self, text: str) -> str:
        if self.html:
            from .sanitize import sanitize_html

            text = sanitize_html(text)
        return gift_escape(text)

    def answer(self, text: str) -> str:
        """An answer; guarded so Moodle never reads its start as a format or a weight."""
        shown = self.text(text)
        return f"{self.marker}{shown}" if shown.startswith("[") else shown

    def typed(self, text: str) -> str:
        """A short-answer answer: compared with what a student types, so never markup."""
        if self.html:
            from .sanitize import sanitize_html

            text = html.unescape(re.sub(r"<[^>]*>", "", sanitize_html(text)))
        # "=… ->" would make it a matching question; "*" is Moodle's short-answer wildcard
        shown = gift_escape(text.replace("->", "→").replace("*", "\\*"))
        if shown.startswith("["):
            return f"[plain]{shown}"
        return f"%100%{shown}" if _WEIGHT.match(shown) else shown


def _feedback(question: Question, fmt: _Formatter) -> str:
    parts: list[str] = []
    if is_essay(question):
        if question.items:
            parts.append("Model answer:\n" + "\n".join(f"- {item}" for item in question.items))
        else:
            parts.append(f"Model answer: {question.answer}")
    if question.note:
        parts.append(question.note)
    return "####" + fmt.text("\n\n".join(parts)) if parts else ""


def _name(question: Question) -> str:
    return f"::{gift_escape(question.id)}::"


def _multiple_choice(q: Question, fmt: _Formatter) -> str:
    lines = [f"{_name(q)}{fmt.marker}{fmt.text(q.prompt)}{{"]
    for index, option in enumerate(q.options or ()):
        shown = fmt.answer(option)
        if index == q.correct_option:
            lines.append(f"\t={shown}")
        else:
            lines.append(f"\t~{'%0%' if _WEIGHT.match(shown) else ''}{shown}")
    feedback = _feedback(q, fmt)
    if feedback:
        lines.append(f"\t{feedback}")
    return "\n".join(lines) + "\n}"


def _true_false(q: Question, fmt: _Formatter) -> str:
    statement = q.prompt.removeprefix(TRUE_FALSE_LEAD)
    verdict = "TRUE" if q.answer == "True" else "FALSE"
    return f"{_name(q)}{fmt.marker}{fmt.text(statement)}{{{verdict}{_feedback(q, fmt)}}}"


def _short_answer(q: Question, fmt: _Formatter) -> str:
    accepted = dict.fromkeys(fmt.typed(a) for a in (q.answer, *q.accepted) if a.strip())
    block = "{" + " ".join(f"={a}" for a in accepted) + _feedback(q, fmt) + "}"
    before, blank, after = q.prompt.partition(BLANK)
    if q.kind is K.CLOZE and blank and after.strip() and BLANK not in after:
        return f"{_name(q)}{fmt.marker}{fmt.text(before)}{block}{fmt.text(after)}"
    return f"{_name(q)}{fmt.marker}{fmt.text(q.prompt)}{block}"


def _essay(q: Question, fmt: _Formatter) -> str:
    return f"{_name(q)}{fmt.marker}{fmt.text(q.prompt)}{{{_feedback(q, fmt)}}}"


def with_picture_text(question: Question) -> Question:
    """GIFT text carries no files: a picture becomes its words, on its side (the feedback
    for an answer-side picture)."""
    image = question.image
    if image is None:
        return question
    if image.side == "answer":
        note = f"{question.note}\n\n{image.label}" if question.note else image.label
        return question._replace(note=note)
    return question._replace(prompt=f"{question.prompt}\n{image.label}")


def render_question(question: Question) -> str:
    question = with_picture_text(question)
    fmt = _Formatter(question)
    if question.kind is K.MULTIPLE_CHOICE and question.options:
        return _multiple_choice(question, fmt)
    if question.kind is K.TRUE_FALSE:
        return _true_false(question, fmt)
    if is_essay(question):
        return _essay(question, fmt)
    return _short_answer(question, fmt)


def _category(title: str, topic: str) -> str:
    """``$CATEGORY:`` lines are not unescaped by Moodle; ``//`` is a literal slash in a name."""
    name = " ".join(title.replace("\\", "").split()).replace("/", "//") or "bonemets-quiz"
    return f"$CATEGORY: $course$/{name}/{topic}"


def render_gift(questions: Sequence[Question], title: str) -> str:
    one_line = " ".join(title.split())
    essays = sum(1 for q in questions if is_essay(q))
    blocks = [
        f"// {one_line}\n"
        f"// {len(questions)} questions from bonemets-quiz, {essays} of them essays graded by the "
        "teacher.\n// Moodle: Question bank → Import → GIFT format."
    ]
    category = None
    for question in questions:
        wanted = _category(title, question.topic)
        if wanted != category:
            blocks.append(wanted)
            category = wanted
        blocks.append(render_question(question))
    return "\n\n".join(blocks) + "\n"
