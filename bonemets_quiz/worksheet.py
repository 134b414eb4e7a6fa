"""A printable worksheet: which questions, in what order, and how each is laid out on paper.

Pure and deterministic for a seed; ``worksheet_md`` and ``worksheet_html`` turn it into text.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Deck, Question, QuestionKind

BLANK = "[...]"  # how generated cloze prompts mark the hidden words
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


def layout(number: int, q: Question) -> Item:
    """How one question is printed: blanks, choices, answer lines and its line in the key."""
    also = tuple(a for a in q.accepted if a != q.answer)
    if q.kind is K.MULTIPLE_CHOICE and q.options and q.correct_option is not None:
        letter = chr(ord("A") + q.correct_option)
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
    chosen = pick(questions, count, random.Random(f"worksheet:{seed}"))
    used = {q.deck_id for q in chosen}
    shown = [deck for deck in decks if deck.id in used] or list(decks)
    return Worksheet(
        title=title or " / ".join(deck.title for deck in shown),
        descriptions=tuple(dict.fromkeys(deck.description for deck in shown)),
        sources=tuple(dict.fromkeys(deck.source.citation() for deck in shown)),
        items=tuple(layout(n, q) for n, q in enumerate(chosen, start=1)),
        answers=answers,
        seed=seed,
    )
