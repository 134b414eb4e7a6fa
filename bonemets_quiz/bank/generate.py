"""Deck → questions. Deterministic for a deck and seed; ids come from fact id, kind and variant."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import overload

from ..deck import qid
from ..deck.cloze import BLANK, anki_cloze, deletions, fill_cloze
from ..deck.fact_kinds import spec_of
from ..deck.model import Deck, Fact, FactKind, ListItem, Question, QuestionKind
from ..deck.question import select as select  # re-exported: part of the public API
from ..gc_pause import without_gc
from ..text.normalize import normalize
from .vocabulary import attach as attach_vocabulary

K = QuestionKind
MC_OPTIONS = 4


@without_gc
def generate_bank(decks: Iterable[Deck], seed: int = 0, *, grading: bool = True) -> list[Question]:
    """Every question of every deck, in deck order then fact order; ``grading=False`` leaves out
    what only typed-answer grading reads (vocabulary, near misses): exporters never use it."""
    return [q for deck in decks for q in generate_questions(deck, seed, grading=grading)]


def generate_questions(deck: Deck, seed: int = 0, *, grading: bool = True) -> list[Question]:
    index = _DeckIndex(deck)
    questions = [q for fact in deck.facts for q in _FactQuestions(deck, fact, seed, index).all()]
    return attach_vocabulary(deck, questions) if grading else questions


def true_statement(fact: Fact) -> str | None:
    """The fact as one true sentence (the true side of true/false), where one can be made."""
    if fact.kind is FactKind.STATEMENT:
        return _sentence(fill_cloze(fact.text))
    if fact.kind is FactKind.DEFINITION:
        return _sentence(f"{fact.term} is {_clause(fact.definition)}")
    return None


def _clause(text: str) -> str:
    """Deck text to be embedded in a sentence: no trailing full stop or colon."""
    return text.strip().rstrip(".;:, ")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _capital(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."


class _DeckIndex:
    """Per category, its definitions' terms, once each (by normalised text), in deck order;
    normalised texts, each worked out once (a list's items are normalised for every item).

    Built once per deck, so that a definition's distractors cost as much in a category of
    thousands as in one of three (the terms were rescanned and renormalised for every fact).
    """

    def __init__(self, deck: Deck) -> None:
        self.normal: Callable[[str], str] = lru_cache(maxsize=None)(normalize)
        self.source = deck.source.citation()
        self.terms: dict[str, list[str]] = {}
        self.position: dict[str, dict[str, int]] = {}
        for fact in deck.facts:
            if fact.kind is FactKind.DEFINITION and fact.category:
                seen = self.position.setdefault(fact.category, {})
                key = self.normal(fact.term)
                if key and key not in seen:
                    seen[key] = len(seen)
                    self.terms.setdefault(fact.category, []).append(fact.term)

    def pool(self, category: str | None, head: list[str], banned: set[str]) -> Sequence[str]:
        """``head``, then the category's terms whose normalised text is not ``banned``."""
        if not category or category not in self.terms:
            return head
        seen = self.position[category]
        skipped = sorted(seen[key] for key in banned if key in seen)
        return _Pool(head, self.terms[category], skipped)


class _Pool(Sequence[str]):
    """``head + [t for i, t in enumerate(terms) if i not in skipped]`` without building it.

    ``random.sample`` reads only the length and the items it draws, so the options drawn from
    this are exactly those drawn from the list it stands for.
    """

    def __init__(self, head: list[str], terms: list[str], skipped: list[int]) -> None:
        self.head, self.terms, self.skipped = head, terms, skipped

    def __len__(self) -> int:
        return len(self.head) + len(self.terms) - len(self.skipped)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        if index < len(self.head):
            return self.head[index]
        position = index - len(self.head)
        for skipped in self.skipped:  # ascending: each one at or before the target shifts it
            if skipped > position:
                break
            position += 1
        return self.terms[position]


class _FactQuestions:
    """All questions one fact yields."""

    def __init__(self, deck: Deck, fact: Fact, seed: int, index: _DeckIndex) -> None:
        self.deck, self.fact, self.seed, self.index = deck, fact, seed, index

    def all(self) -> Iterator[Question]:
        yield from getattr(self, f"_{spec_of(self.fact.kind).name}")()  # one per kind
        yield from self._true_false()
        yield from self._authored()

    def _make(
        self, kind: QuestionKind, variant: str, prompt: str, answer: str, **extra: object
    ) -> Question:
        fact = self.fact
        deck = self.deck.id
        replaces = tuple(qid.make(deck, old, kind, variant) for old in fact.replaces)
        extra.setdefault("accepted", (answer,))
        extra.setdefault("image", fact.image)
        return Question(
            id=qid.make(deck, fact.id, kind, variant),
            deck_id=deck,
            fact_id=fact.id,
            kind=kind,
            variant=variant,
            topic=fact.topic,
            section=fact.section,
            prompt=prompt,
            answer=answer,
            note=fact.note,
            source=self.index.source,
            html=fact.html,
            replaces=replaces,
            **extra,  # type: ignore[arg-type]
        )

    def _choice(
        self,
        variant: str,
        prompt: str,
        answer: str,
        pool: Sequence[str],
        excluded: Iterable[str],
        category: str | None = None,
    ) -> Iterator[Question]:
        """A multiple-choice question when at least three safe distractors exist.

        Distractors come from ``pool``, then from the terms of ``category``'s definitions;
        never one that reads like the answer, an excluded text or an earlier distractor.
        """
        normal = self.index.normal
        banned = {normal(x) for x in (answer, *excluded)}
        head: list[str] = []
        for candidate in pool:
            key = normal(candidate)
            if key and key not in banned:
                banned.add(key)
                head.append(candidate)
        safe = self.index.pool(category, head, banned)
        if len(safe) < MC_OPTIONS - 1:
            return
        ident = qid.make(self.deck.id, self.fact.id, K.MULTIPLE_CHOICE, variant)
        rng = random.Random(f"{self.seed}:{ident}")
        options = [answer, *rng.sample(safe, MC_OPTIONS - 1)]
        rng.shuffle(options)
        yield self._make(
            K.MULTIPLE_CHOICE,
            variant,
            prompt,
            answer,
            options=tuple(options),
            correct_option=options.index(answer),
        )

    def _definition(self) -> Iterator[Question]:
        fact = self.fact
        accepted = (fact.term, *fact.aliases)
        yield self._make(K.BASIC, "", f"What is {_clause(fact.term)}?", _sentence(fact.definition))
        ask_term = f"Which term means: {_clause(fact.definition)}?"
        yield self._make(K.REVERSED, "", ask_term, fact.term, accepted=accepted)
        yield from self._choice(
            "term", ask_term, fact.term, fact.distractors, fact.aliases, fact.category
        )

    def _list(self) -> Iterator[Question]:
        fact, count = self.fact, len(self.fact.items)
        texts = tuple(item.text for item in fact.items)
        if fact.complete:
            recall = f"Name the {count} {_clause(fact.prompt)}."
        else:
            recall = (
                f"The source gives {count} examples of {_clause(fact.prompt)} "
                "(not a complete list). Name them."
            )
        yield self._make(
            K.LIST_RECALL,
            "",
            recall,
            "; ".join(texts),
            items=texts,
            item_alternatives=tuple(item.alternatives for item in fact.items),
            also_true=fact.also_true,
        )
        every_answer = [a for item in fact.items for a in (item.text, *item.alternatives)]
        for item in fact.items:
            yield self._list_cloze(item)
            yield from self._choice(
                item.id,
                f"Which of these is one of the {_clause(fact.prompt)}?",
                item.text,
                fact.distractors,
                every_answer,
            )

    def _list_cloze(self, item: ListItem) -> Question:
        """The list with one item hidden. On an open list the blank has many true answers:
        it asks for one more example, and any unlisted item the deck declares true counts."""
        fact = self.fact
        shown = [BLANK if other is item else other.text for other in fact.items]
        marked = [
            "{{c1::" + other.text + "}}" if other is item else other.text for other in fact.items
        ]
        label = _capital(_clause(fact.prompt))
        if fact.complete:
            prompt = f"{label}: {', '.join(shown)}."
            cloze = f"{label}: {', '.join(marked)}."
        else:
            ask = " Name one more example (the source's, or any other true one)."
            prompt = f"{label} (examples; not a complete list): {', '.join(shown)}.{ask}"
            cloze = f"{label} (examples; not a complete list): {', '.join(marked)}."
        return self._make(
            K.CLOZE,
            item.id,
            prompt,
            item.text,
            accepted=(item.text, *item.alternatives),
            also_true=fact.also_true,
            cloze=cloze,
        )

    def _statement(self) -> Iterator[Question]:
        text = self.fact.text
        for number, alternatives in enumerate(deletions(text), start=1):
            yield self._make(
                K.CLOZE,
                f"c{number}",
                _sentence(fill_cloze(text, number)),
                alternatives[0],
                accepted=alternatives,
                cloze=_sentence(anki_cloze(text, number, alternatives[0])),
            )

    def _contrast(self) -> Iterator[Question]:
        first, second = self.fact.sides
        yield self._make(
            K.BASIC,
            "",
            f"How does {first.term} differ from {second.term}?",
            f"{_capital(first.term)}: {_clause(first.description)}. "
            f"{_capital(second.term)}: {_clause(second.description)}.",
        )
        for number, side in enumerate(self.fact.sides, start=1):
            yield self._make(
                K.REVERSED,
                str(number),
                f"{_capital(first.term)} or {second.term}: which one {_clause(side.description)}?",
                side.term,
            )

    def _true_false(self) -> Iterator[Question]:
        if not self.fact.false_variants:
            return
        true_text = true_statement(self.fact)
        if true_text:
            yield self._make(
                K.TRUE_FALSE,
                "true",
                f"True or false: {true_text}",
                "True",
                options=("True", "False"),
                correct_option=0,
            )
        for number, variant in enumerate(self.fact.false_variants, start=1):
            yield self._make(
                K.TRUE_FALSE,
                f"false-{number}",
                f"True or false: {_sentence(variant)}",
                "False",
                options=("True", "False"),
                correct_option=1,
                accepted=("False",),
            )

    def _authored(self) -> Iterator[Question]:
        for authored in self.fact.questions:
            accepted = (authored.answer, *authored.alternatives)
            if authored.options:
                options = sorted([authored.answer, *authored.options], key=normalize)
                yield self._make(
                    K.MULTIPLE_CHOICE,
                    f"q-{authored.id}",
                    authored.prompt,
                    authored.answer,
                    options=tuple(options),
                    correct_option=options.index(authored.answer),
                    accepted=accepted,
                    image=authored.image or self.fact.image,
                )
            else:
                yield self._make(
                    K.BASIC,
                    f"q-{authored.id}",
                    authored.prompt,
                    authored.answer,
                    accepted=accepted,
                    image=authored.image or self.fact.image,
                )
