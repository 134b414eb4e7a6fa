"""A printable worksheet: which questions, in what order, and how each is laid out on paper.

Pure and deterministic for a seed; ``worksheet_md`` and ``worksheet_html`` turn it into text.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ...deck.cloze import BLANK
from ...deck.model import Deck, Question, QuestionKind
from ...text.normalize import normalize
from ...wording import option_letter, plural

ANSWER_MODES = ("end", "inline", "none")
K = QuestionKind


@dataclass(frozen=True)
class Item:
    """One numbered question as it is printed."""

    number: int
    question: Question
    parts: tuple[str, ...]  # the prompt, split where a blank is drawn
    choices: tuple[str, ...]  # multiple-choice options, or True/False
    lines: int  # answer lines to draw under the prompt (0: answered in place)
    key: str  # the answer as the key prints it, e.g. "B. femur"
    also: tuple[str, ...]  # other accepted answers

    @property
    def note(self) -> str | None:
        return self.question.note


@dataclass(frozen=True)
class Worksheet:
    title: str
    descriptions: tuple[str, ...]
    sources: tuple[str, ...]
    items: tuple[Item, ...]
    answers: str
    seed: int
    warnings: tuple[str, ...] = ()  # for the person printing it; never printed on the sheet


def pick(questions: Sequence[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` questions, at most one per fact while that is enough, in bank order.

    Questions of one fact are siblings and may give each other's answers away, so a second one
    of a fact is taken only when every fact has already given one. Within a fact, the kind
    least used so far is preferred, so a worksheet mixes kinds instead of echoing the bank.
    """
    groups: dict[str, list[Question]] = {}
    for question in questions:
        groups.setdefault(question.sibling_key, []).append(question)
    order = list(groups.values())
    rng.shuffle(order)
    for group in order:
        rng.shuffle(group)
    wanted = min(count, len(questions))
    chosen: list[Question] = []
    used: Counter[QuestionKind] = Counter()
    while len(chosen) < wanted:
        for group in order:
            if group and len(chosen) < wanted:
                best = min(group, key=lambda q: used[q.kind])  # first of the shuffled on ties
                group.remove(best)
                chosen.append(best)
                used[best.kind] += 1
    position = {q.id: i for i, q in enumerate(questions)}
    return sorted(chosen, key=lambda q: position[q.id])


class _Giveaways:
    """Which two questions must not stand next to each other: siblings (one fact), or two
    whose answer one is written in the other's prompt (a student reads it off the page)."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.prompt = {q.id: f" {normalize(q.prompt)} " for q in questions}
        self.answers = {q.id: self._answers(q) for q in questions}

    @staticmethod
    def _answers(q: Question) -> tuple[str, ...]:
        if q.kind is K.TRUE_FALSE:
            return ()  # "True" and "False" tell nothing about another question
        texts = q.items if q.items else q.accepted or (q.answer,)
        return tuple(f" {key} " for key in map(normalize, texts) if key)

    def __call__(self, a: Question | None, b: Question | None) -> bool:
        if a is None or b is None:
            return False
        if a.sibling_key == b.sibling_key:
            return True
        return any(x in self.prompt[b.id] for x in self.answers[a.id]) or any(
            x in self.prompt[a.id] for x in self.answers[b.id]
        )


def spread(questions: Sequence[Question]) -> tuple[list[Question], int]:
    """The questions in their order, except that none stands next to one it gives away.

    Each next question is the first remaining one that does not give away (or is not given
    away by) the one before; when every remaining one does, it goes into the first gap where
    it is clear of both neighbours. Returns the order and how many neighbours still give each
    other away (when a deck has too few facts to keep them apart).
    """
    gives = _Giveaways(questions)
    order: list[Question] = []
    remaining = list(questions)
    while remaining:
        last = order[-1] if order else None
        index = next((i for i, q in enumerate(remaining) if not gives(last, q)), None)
        if index is not None:
            order.append(remaining.pop(index))
            continue
        question = remaining.pop(0)
        gaps = (
            i
            for i in range(len(order))
            if not gives(order[i - 1] if i else None, question) and not gives(question, order[i])
        )
        order.insert(next(gaps, len(order)), question)
    clashes = sum(gives(a, b) for a, b in pairwise(order))
    return order, clashes


def _warnings(chosen: Sequence[Question], clashes: int) -> tuple[str, ...]:
    facts = len({q.sibling_key for q in chosen})
    out = []
    if facts < len(chosen):
        out.append(
            f"{len(chosen)} questions from {facts} facts: {len(chosen) - facts} are a second "
            "question of a fact, and may give away its other question's answer (at most "
            f"{facts} questions avoid it)"
        )
    if clashes:
        pairs = plural(clashes, "pair")
        out.append(
            f"{pairs} of neighbouring questions give each other away (too few questions to keep "
            "them apart)"
        )
    return tuple(out)


def layout(number: int, q: Question) -> Item:
    """How one question is printed: blanks, choices, answer lines and its line in the key."""
    also = tuple(a for a in q.accepted if a != q.answer)
    if q.kind is K.MULTIPLE_CHOICE and q.options and q.correct_option is not None:
        letter = option_letter(q.correct_option)
        return Item(number, q, (q.prompt,), q.options, 0, f"{letter}. {q.answer}", ())
    if q.kind is K.TRUE_FALSE:
        return Item(number, q, (q.prompt,), ("True", "False"), 0, q.answer, ())
    if q.kind is K.CLOZE and BLANK in q.prompt:
        return Item(number, q, tuple(q.prompt.split(BLANK)), (), 0, q.answer, also)
    if q.kind is K.LIST_RECALL:
        items = q.items or (q.answer,)
        return Item(number, q, (q.prompt,), (), len(items), "; ".join(items), ())
    lines = 1 if q.kind is K.REVERSED or q.variant.startswith("q-") else 3
    return Item(number, q, (q.prompt,), (), lines, q.answer, also)


def build_worksheet(
    decks: Sequence[Deck],
    questions: Sequence[Question],
    count: int,
    seed: int,
    answers: str = "end",
    title: str | None = None,
) -> Worksheet:
    if answers not in ANSWER_MODES:
        raise ValueError(f"answers must be one of {ANSWER_MODES}")
    chosen, clashes = spread(pick(questions, count, random.Random(f"worksheet:{seed}")))
    used = {q.deck_id for q in chosen}
    shown = [deck for deck in decks if deck.id in used] or list(decks)
    return Worksheet(
        title=title or " / ".join(deck.title for deck in shown),
        descriptions=tuple(dict.fromkeys(deck.description for deck in shown)),
        sources=tuple(dict.fromkeys(deck.source.citation() for deck in shown)),
        items=tuple(layout(n, q) for n, q in enumerate(chosen, start=1)),
        answers=answers,
        seed=seed,
        warnings=_warnings(chosen, clashes),
    )
