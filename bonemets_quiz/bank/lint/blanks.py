"""Item-writing checks on open blanks: clozes whose blank has several true answers (another
item of a list, or any example of an open one) and that accept only one of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import islice

from ...deck.model import Deck, Fact, FactKind, Question, QuestionKind
from ...errors import Problem
from ...text.normalize import normalize
from .places import Places, warn
from .words import content, word_set

# A sentence that singles one thing out ("the most common site") has one right answer.
SINGLES_OUT = word_set("most least commonest best worst main only first-line")
OTHERS_TRIED = 3  # other items of an open list graded against a cloze (keeps the check linear)

ItemIndex = dict[str, list[tuple[Fact, str, str]]]
LONGEST_ITEM = 8  # words: longer runs of a sentence are not looked up as list items


def _list_items(deck: Deck) -> ItemIndex:
    """Normalised item texts and alternatives → (list fact, item id, item text) having them."""
    index: ItemIndex = defaultdict(list)
    for fact in deck.facts:
        if fact.kind is FactKind.LIST:
            for item in fact.items:
                for text in {normalize(t) for t in (item.text, *item.alternatives)}:
                    index[text].append((fact, item.id, item.text))
    return index


def _items_named(words: list[str], index: ItemIndex) -> Iterator[tuple[Fact, str, str]]:
    """List items that a sentence names: every run of up to LONGEST_ITEM words, looked up."""
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + LONGEST_ITEM) + 1):
            yield from index.get(" ".join(words[start:end]), ())


def open_blanks(deck: Deck, questions: Sequence[Question], places: Places) -> Iterator[Problem]:
    """Clozes whose blank has several true answers and that accept only one of them."""
    items = _list_items(deck)
    for q in questions:
        if q.kind is not QuestionKind.CLOZE:
            continue
        fact = places.facts[q.fact_id]
        if fact.kind is FactKind.LIST:
            found = _open_list_cloze(q, fact)
        elif fact.kind is FactKind.STATEMENT:
            found = _statement_on_list(q, items)
        else:
            found = None
        if found:
            message, hint = found
            yield warn(deck, places.at(q), f"cloze {q.id!r} {message}", hint)


def _open_list_cloze(q: Question, fact: Fact) -> tuple[str, str] | None:
    """A blank on an item of an incomplete list: any other item (or unlisted one) is true too.
    Fine once the question accepts the other items (a "one example" question). Items the prompt
    already shows are no answer to "name one more", so only the hidden ones are tried."""
    from ...study.grading.grade import Mode, Verdict, answer_mode, grade

    if fact.complete or answer_mode(q) is not Mode.TYPE:
        return None  # a revealed answer is judged by the learner, who knows other items count
    shown = f" {normalize(q.prompt)} "
    hidden = (
        item
        for item in fact.items
        if item.id != q.variant and f" {normalize(item.text)} " not in shown
    )
    others = islice(hidden, OTHERS_TRIED)
    for other in others:
        result = grade(q, other.text)
        if result is not None and result.verdict in (Verdict.WRONG, Verdict.PARTIAL):
            return (
                f"blanks one example of an open list ({fact.id!r}, `complete: false`), yet "
                f"marks another true example, {other.text!r}, wrong",
                "ask for one example and accept every listed item, or say `complete: true` if "
                "the source's list is whole",
            )
    return None


def _states_relation(sentence: str, fact: Fact) -> bool:
    """The sentence says what the list says of its items (most of the prompt's words)."""
    wanted = content(fact.prompt)
    return bool(wanted) and 2 * len(wanted & content(sentence)) >= len(wanted)


def _statement_on_list(q: Question, items: ItemIndex) -> tuple[str, str] | None:
    """A statement's blank on a list item, where the list's other items would fit as well."""
    words = normalize(q.prompt).split()
    if SINGLES_OUT & set(words):
        return None
    for answer in q.accepted or (q.answer,):
        for other, item_id, _ in items.get(normalize(answer), ()):
            named = [t for f, i, t in _items_named(words, items) if f is other and i != item_id]
            if not named and (other.complete or not _states_relation(q.prompt, other)):
                continue
            why = (
                f"names {named[0]!r}, another item of the same list"
                if named
                else "is one example of an open list"
            )
            return (
                f"blanks {answer!r}, an item of list {other.id!r}; the sentence {why}, so the "
                "list's other items would fit the blank too",
                "single the item out (e.g. 'the most common …'), blank another word, or accept "
                "every item of the list",
            )
    return None
