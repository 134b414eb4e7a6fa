"""Item-writing checks on the options of multiple-choice questions: wrong options of another
kind or category, the same wrong options on several questions, the key's position.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from math import exp, lgamma, log, log1p

from ...deck.fact_kinds import spec_of
from ...deck.locate import Locator
from ...deck.model import Deck, Fact, FactKind, Question, QuestionKind
from ...errors import Problem
from ...text.normalize import normalize
from ...wording import option_letter
from .places import Places, warn
from .words import content, head

SAME_SET = 3  # questions sharing one set of wrong options before it is a flaw
POSITION_ALPHA = 0.01  # binomial test of the key's position, Bonferroni-corrected


def wrong_options(question: Question) -> list[str]:
    options = question.options or ()
    return [o for i, o in enumerate(options) if i != question.correct_option]


def choice(question: Question) -> bool:
    return question.kind is QuestionKind.MULTIPLE_CHOICE and bool(question.options)


def _kind_words(fact: Fact) -> set[str]:
    """The kind the stem announces and every key carries ('cancer'), if the fact shows one."""
    if fact.kind is FactKind.DEFINITION:
        genus = head(fact.definition)
        heads = {head(form) for form in (fact.term, *fact.aliases)}
        return {genus} if genus and genus in heads else set()
    if fact.kind is FactKind.LIST:
        kinds = content(fact.prompt)
        for item in fact.items:
            kinds &= set().union(*(content(t) for t in (item.text, *item.alternatives)))
        return kinds
    return set()


def _answer_owners(deck: Deck) -> dict[str, Fact]:
    """Terms, aliases, list items and contrast terms, each with the first fact teaching it."""
    owners: dict[str, Fact] = {}
    for fact in deck.facts:
        for text in spec_of(fact.kind).terms(fact):
            owners.setdefault(normalize(text), fact)
    return owners


def _group(fact: Fact, other: Fact) -> tuple[str, str, str]:
    """What two facts are compared by: their categories when both have one, else their topics."""
    if fact.category and other.category:
        return "category", fact.category, other.category
    return "topic", fact.topic, other.topic


def off_category(deck: Deck, where: Locator) -> Iterator[Problem]:
    """Authored wrong options that are not of the key's kind (non-cancers for a cancer)."""
    owners = _answer_owners(deck)
    for fact in deck.facts:
        kinds = _kind_words(fact)
        for index, distractor in enumerate(fact.distractors):
            at = where.fact(fact, "distractors", index)
            yield from _outsider(deck, fact, distractor, kinds, owners, at)
        for index, authored in enumerate(fact.questions):
            if not authored.options:
                continue
            keys = [head(a) for a in (authored.answer, *authored.alternatives)]
            kinds = content(authored.prompt) & set(keys)
            at = where.fact(fact, "questions", index)
            for option in authored.options:
                yield from _outsider(deck, fact, option, kinds, owners, at)


def _outsider(
    deck: Deck,
    fact: Fact,
    distractor: str,
    kinds: set[str],
    owners: dict[str, Fact],
    at: tuple[int, int],
) -> Iterator[Problem]:
    if kinds and not kinds & content(distractor):
        kind = sorted(kinds)[0]
        yield warn(
            deck,
            at,
            f"wrong option {distractor!r} of fact {fact.id!r} is not a {kind}: the question and "
            f"its answer are about a {kind}, so it is ruled out without knowing the answer",
            f"offer a plausible {kind} that is clearly wrong here",
        )
        return
    other = owners.get(normalize(distractor))
    if other is None or other.id == fact.id:
        return
    by, mine, theirs = _group(fact, other)
    if mine != theirs:
        yield warn(
            deck,
            at,
            f"wrong option {distractor!r} of fact {fact.id!r} is taught by fact {other.id!r} "
            f"under {by} {theirs!r}, not {mine!r}: an option from another {by} is easy to rule out",
            f"offer a wrong answer of the same {by}",
        )


def repeated_option_sets(
    deck: Deck, questions: Sequence[Question], places: Places
) -> Iterator[Problem]:
    """The same wrong options on several questions: after one, the rest fall by elimination."""
    groups: dict[frozenset[str], list[Question]] = defaultdict(list)
    for q in questions:
        if choice(q):
            groups[frozenset(normalize(o) for o in wrong_options(q))].append(q)
    for group in groups.values():
        if len(group) < SAME_SET:
            continue
        first = group[0]
        shown = ", ".join(repr(o) for o in wrong_options(first))
        ids = ", ".join(q.id for q in group[:4]) + (" …" if len(group) > 4 else "")
        yield warn(
            deck,
            places.at(first),
            f"{len(group)} multiple-choice questions offer the same wrong options ({shown}): "
            f"{ids}; once they are known, the answers fall out by elimination",
            "give the fact more distractors than a question shows (each question picks "
            "3 of them), or write different options",
        )


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space (n may be in the thousands)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    logs = [
        lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) + i * log(p) + (n - i) * log1p(-p)
        for i in range(k, n + 1)
    ]
    top = max(logs)
    return min(1.0, exp(top) * sum(exp(x - top) for x in logs))


def key_position(deck: Deck, questions: Sequence[Question], where: Locator) -> Iterator[Problem]:
    """The right answer in one position far more often than chance (one-sided binomial test)."""
    by_size: dict[int, Counter[int]] = defaultdict(Counter)
    for q in questions:
        if choice(q) and q.correct_option is not None and len(q.options or ()) > 1:
            by_size[len(q.options or ())][q.correct_option] += 1
    for size, positions in sorted(by_size.items()):
        total = sum(positions.values())
        for position, count in sorted(positions.items()):
            p = min(1.0, size * binomial_tail(count, total, 1 / size))  # Bonferroni: any position
            if p < POSITION_ALPHA:
                yield warn(
                    deck,
                    where.deck_id(),
                    f"the right answer is option {option_letter(position)} in {count} of {total} "
                    f"multiple-choice questions with {size} options (chance: {total / size:.1f}; "
                    f"p = {p:.2g}): learners can guess by position",
                    "vary where the answer sits (authored options are sorted alphabetically: "
                    "vary the wording)",
                )
