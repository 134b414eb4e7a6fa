"""What grading needs from the whole deck, attached to each typed question when the bank is built.

- ``vocabulary``: the concepts (term and forms) that the question's answers name, so "uncommon"
  passes where the key says "rare" when the deck declares them one concept;
- ``also_true`` of a contrast's reversed questions ("A or B: which one …?"): the parts of the
  right term that tell it from the other ("primary" for "primary bone cancer", never "bone");
- ``near_misses``: the deck's other terms (vocabulary forms, defined terms and aliases, list items,
  distractors) that lie within typo distance of a word of the answers: a typo must not turn the
  key into another term the deck teaches.

Linear in the deck: each distinct answer word is compared once, only with the deck's terms that
share its first letter (a typo keeps the first letter, see ``typo``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import product

from ..deck.model import Deck, Fact, FactKind, Question, QuestionKind
from ..study.grading.grade import Mode, answer_mode
from ..text.normalize import normalize
from ..text.typo import allowed_edits, inflection
from ..text.wordforms import stem, word_key

MAX_TERM_WORDS = 5  # a contrast term's parts are listed up to this length


def attach(deck: Deck, questions: Sequence[Question]) -> list[Question]:
    """The typed questions with their vocabulary, near misses and contrast parts."""
    table: dict[tuple[str, ...], int] = {}  # a form's word stems → its concept
    for number, concept in enumerate(deck.vocabulary):
        for phrase in _phrase_keys(concept.forms):
            table.setdefault(phrase, number)
    words = _Words()
    near = _NearMisses(_deck_terms(deck, words))
    contrasts = {f.id: f for f in deck.facts if f.kind is FactKind.CONTRAST}
    out: list[Question] = []
    for question in questions:
        if answer_mode(question) is not Mode.TYPE:  # chosen or revealed: nothing to match
            out.append(question)
            continue
        texts = _answer_texts(question)
        named = _named(table, [words.stems(t) for t in texts]) if table else set()
        groups = tuple(deck.vocabulary[n].grading_forms for n in sorted(named))
        own = {k for t in texts for k in words.keys(t)} | {
            k for forms in groups for f in forms for k in words.keys(f)
        }  # (normalize drops the ``~`` of within-forms)
        misses = tuple(sorted({word_key(t) for t in near.of(own)} - own))
        extra = _telling_apart(contrasts, question) or question.also_true
        if groups or misses or extra != question.also_true:
            question = question._replace(vocabulary=groups, near_misses=misses, also_true=extra)
        out.append(question)
    return out


class _Words:
    """Each text's normalised words (normalised once per deck), as keys or stems."""

    def __init__(self) -> None:
        self._words: dict[str, list[str]] = {}
        self._keys: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = normalize(text).split()
        return found

    def keys(self, text: str) -> list[str]:
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = [word_key(w) for w in self.words(text)]
        return found

    def stems(self, text: str) -> tuple[str, ...]:
        return tuple(stem(w) for w in self.words(text))


def _named(table: dict[tuple[str, ...], int], phrases: list[tuple[str, ...]]) -> set[int]:
    """The concepts whose forms occur in the phrases."""
    longest = max((len(p) for p in table), default=0)
    return {
        table[phrase[i : i + n]]
        for phrase in phrases
        for i in range(len(phrase))
        for n in range(1, min(longest, len(phrase) - i) + 1)
        if phrase[i : i + n] in table
    }


def _telling_apart(contrasts: dict[str, Fact], question: Question) -> tuple[str, ...]:
    """A contrast's "A or B: which one …?" is a choice of two: any part of the right term
    that has a word the other term lacks names it ("primary" for "primary bone cancer", not
    "bone")."""
    fact = contrasts.get(question.fact_id)
    if question.kind is not QuestionKind.REVERSED or fact is None:
        return ()
    this = normalize(question.answer).split()
    that = [normalize(side.term).split() for side in fact.sides]
    other = next((words for words in that if words != this), None)
    if other is None or len(this) > MAX_TERM_WORDS:
        return ()
    own = {stem(w) for w in this} - {stem(w) for w in other}
    parts = (
        " ".join(w for keep, w in zip(mask, this, strict=True) if keep)
        for mask in product((True, False), repeat=len(this))
    )
    return tuple(p for p in parts if p and p != " ".join(this) and own & set(map(stem, p.split())))


def _answer_texts(question: Question) -> list[str]:
    texts = [question.answer, *question.accepted, *question.also_true]
    for alternatives in question.item_alternatives or ():
        texts += alternatives
    texts += question.items or ()
    return [part for text in texts for part in text.split("|")]


def _phrase_keys(forms: Iterable[str]) -> list[tuple[str, ...]]:
    return [tuple(stem(w) for w in normalize(f).split()) for f in forms]


def _deck_terms(deck: Deck, words: _Words) -> set[str]:
    texts: list[str] = [f for c in deck.vocabulary for f in c.forms]
    for fact in deck.facts:
        texts += fact.distractors
        if fact.kind is FactKind.DEFINITION:
            texts += [fact.term, *fact.aliases]
        elif fact.kind is FactKind.LIST:
            texts += [a for item in fact.items for a in (item.text, *item.alternatives)]
            texts += fact.also_true
    return {w for t in texts for w in words.words(t) if len(w) >= 4 and w.isalpha()}


class _NearMisses:
    """Deck terms by first letter; each answer word's near misses computed once."""

    def __init__(self, terms: set[str]) -> None:
        self.by_letter: dict[str, list[str]] = defaultdict(list)
        for term in sorted(terms):
            self.by_letter[term[0]].append(term)
        self.cache: dict[str, set[str]] = {}

    def of(self, words: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for word in words:
            if word not in self.cache:
                self.cache[word] = self._compute(word)
            found |= self.cache[word]
        return found

    def _compute(self, word: str) -> set[str]:
        allowed = allowed_edits(word)
        if not allowed or not word.isalpha():
            return set()
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        bucket = [t for t in self.by_letter.get(word[0], ()) if abs(len(t) - len(word)) <= allowed]
        hits = process.extract(word, bucket, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        return {
            term for term, _, _ in hits if word_key(term) != word and not inflection(term, word)
        }
