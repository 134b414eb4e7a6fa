"""What learners answered: the option each chose, and the wrong answers they typed.

A chosen answer is logged as typed at the prompt (``2``, ``b``, ``t`` or the option's text);
``grading.parse_choice`` — the rule the quiz itself used — maps it back to an option. A typed
answer counts as wrong when the grader's logged verdict was ``wrong``; wrong answers are grouped
by their normalised text (case, accents, punctuation and articles aside), each group shown as
its most frequent spelling.
"""

from __future__ import annotations

from collections import Counter

from ..deck.question import Question
from ..records import Record
from ..study.grading.grade import parse_choice
from ..text.normalize import normalize
from .logs import Review
from .shape import OptionCount

WRONG = "wrong"


class Choices(Record):
    counts: list[int]  # per option: answers (every review) that chose it
    first: dict[str, int]  # learner → the option chosen at the first review


def choices(q: Question, histories: dict[str, list[Review]]) -> Choices:
    options = q.options or ()
    counts = [0] * len(options)
    first: dict[str, int] = {}
    memo: dict[str, int | None] = {}
    for name, history in histories.items():
        for n, review in enumerate(history):
            answer = review.answer
            index = memo[answer] if answer in memo else memo.setdefault(
                answer, parse_choice(q, answer) if answer else None
            )  # fmt: skip
            if index is None:
                continue
            counts[index] += 1
            if n == 0:
                first[name] = index
    return Choices(counts, first)


def option_counts(q: Question, picked: Choices) -> list[OptionCount]:
    return [
        {"text": text, "correct": n == q.correct_option, "chosen": picked.counts[n]}
        for n, text in enumerate(q.options or ())
    ]


class WrongTyped(Record):
    text: str  # the most frequent spelling
    key: str  # normalised
    answers: int
    learners: int


def wrong_typed(histories: dict[str, list[Review]]) -> tuple[int, list[WrongTyped]]:
    """How many answers were marked wrong, and the wrong answers typed (most frequent first)."""
    total = 0
    spellings: dict[str, Counter[str]] = {}
    who: dict[str, set[str]] = {}
    for name, history in histories.items():
        for review in history:
            if review.verdict != WRONG:
                continue
            total += 1
            key = normalize(review.answer)
            if not key:
                continue
            spellings.setdefault(key, Counter())[review.answer.strip()] += 1
            who.setdefault(key, set()).add(name)
    groups = [
        WrongTyped(forms.most_common(1)[0][0], key, forms.total(), len(who[key]))
        for key, forms in spellings.items()
    ]
    groups.sort(key=lambda g: (-g.answers, -g.learners, g.key))
    return total, groups
