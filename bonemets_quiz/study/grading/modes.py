"""How a question is answered: chosen, typed, or revealed and rated (``grading``'s docstring).

Apart from ``grade`` (which re-exports it), so that ``study`` can ask its first question before
the verdicts and the grading of answers are imported.
"""

from __future__ import annotations

from enum import StrEnum

from ...deck.question import Question, QuestionKind

SHORT_WORDS = 4
SHORT_CHARS = 40


class Mode(StrEnum):
    CHOOSE = "choose"
    TYPE = "type"
    REVEAL = "reveal"


def answer_mode(question: Question) -> Mode:
    kind = question.kind
    if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE) and question.options:
        return Mode.CHOOSE
    if kind in (QuestionKind.REVERSED, QuestionKind.LIST_RECALL):
        return Mode.TYPE
    if kind is QuestionKind.CLOZE and _short(question.answer):
        return Mode.TYPE
    if kind is QuestionKind.BASIC and question.variant.startswith("q-") and _short(question.answer):
        return Mode.TYPE  # an authored question without options (``questions:`` in a deck)
    return Mode.REVEAL


def _short(answer: str) -> bool:
    return len(answer) <= SHORT_CHARS and len(answer.split()) <= SHORT_WORDS
