"""Grading chosen answers (multiple choice, true/false): the keys that name an option, the
labels and hint shown, and the grade of the option chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...deck.question import Question, QuestionKind
from ...text.normalize import normalize

if TYPE_CHECKING:
    from .verdicts import Grade

_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}


def choice_keys(question: Question) -> tuple[bool, bool]:
    """Whether options are chosen by number, and by letter. Not by number when an option is
    itself a number ('7', '5', '4', '3': typing 3 means the option '3'), not by letter when one is
    a single letter: such options are chosen by typing them."""
    names = [normalize(o) for o in question.options or ()]
    numbers = not any(n.replace(" ", "").isdigit() for n in names)
    letters = not any(len(n) == 1 and n.isalpha() for n in names)
    return numbers, letters


def choice_labels(question: Question) -> list[str]:
    """The label shown before each option: ``1/a``, or ``a`` or ``1`` alone (see choice_keys)."""
    numbers, letters = choice_keys(question)
    return [
        "/".join(
            key for key, allowed in ((str(n), numbers), (chr(ord("a") + n - 1), letters)) if allowed
        )
        for n in range(1, len(question.options or ()) + 1)
    ]


def choice_hint(question: Question) -> str:
    """How to answer: ``1–4 or a–d``, ``a–d, or the number itself``…"""
    if question.kind is QuestionKind.TRUE_FALSE:
        return "t/f"
    count = len(question.options or ())
    numbers, letters = choice_keys(question)
    by_number, by_letter = f"1–{count}", f"a–{chr(ord('a') + count - 1)}"
    if numbers and letters:
        return f"{by_number} or {by_letter}"
    if letters:
        return f"{by_letter}, or the number itself"
    if numbers:
        return f"{by_number}, or the letter itself"
    return "the option itself"


def parse_choice(question: Question, text: str) -> int | None:
    """The option index an answer names (option text, t/f/y/n, number, letter), else None."""
    options = question.options or ()
    raw = text.strip().lower().rstrip(".)")
    if question.kind is QuestionKind.TRUE_FALSE:
        wanted = "true" if raw in _TRUE else "false" if raw in _FALSE else None
        names = [normalize(o) for o in options]
        if wanted in names:
            return names.index(wanted)
    given = normalize(text)
    for index, option in enumerate(options):  # the text first: an option may be a number
        if given and normalize(option) == given:
            return index
    numbers, letters = choice_keys(question)
    if numbers and raw.isdigit() and 1 <= int(raw) <= len(options):
        return int(raw) - 1
    if letters and len(raw) == 1 and "a" <= raw < chr(ord("a") + len(options)):
        return ord(raw) - ord("a")
    return None


def grade_choice(question: Question, index: int) -> Grade:
    from .verdicts import Grade, Verdict  # the labels and hint come first, with the question

    options = question.options or ()
    correct = question.correct_option if question.correct_option is not None else -1
    if not 0 <= correct < len(options):
        return Grade(Verdict.RIGHT if index == correct else Verdict.WRONG, question.answer)
    label, expected = choice_labels(question)[correct].split("/")[0], options[correct]
    if label:
        expected = f"{label}. {expected}" if label.isdigit() else f"{label}) {expected}"
    return Grade(Verdict.RIGHT if index == correct else Verdict.WRONG, expected)
