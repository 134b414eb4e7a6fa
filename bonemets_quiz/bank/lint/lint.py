"""Lint checks for a deck that already loads: what a careful reviewer would flag.

Pure: decks and questions in, ``Problem``s out (severity ``"error"`` or ``"warning"``).
Errors are mistakes that make a question wrong or unaskable; warnings are likely mistakes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from ...deck.cloze import CLOZE, fill_cloze
from ...deck.fact_kinds import spec_of
from ...deck.locate import Locator
from ...deck.model import Deck, Fact, FactKind, Question, QuestionKind
from ...errors import Problem
from ...gc_pause import without_gc
from ...text.normalize import normalize
from ...text.similar import could_reach, ratio
from ..generate import true_statement
from .images import alt_text_warnings
from .items import lint_items

NEAR_DUPLICATE = 0.9  # SequenceMatcher ratio of normalised prompts
MIN_CLOZE_CONTEXT = 2  # words a cloze must leave around its blank to be answerable
MC_DISTRACTORS = 3
# Prompts and answers are normalised by more than one check; a question's answer often recurs.
_normal = lru_cache(maxsize=1 << 16)(normalize)


@without_gc
def lint_deck(
    deck: Deck, questions: Sequence[Question], where: Locator | None = None
) -> list[Problem]:
    """Every lint problem of one deck, sorted by position."""
    where = where or Locator()
    problems = [*lint_errors(deck, where), *lint_warnings(deck, questions, where)]
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def lint_errors(deck: Deck, where: Locator | None = None) -> list[Problem]:
    """The error-level checks: a deck with any of these is refused by the loader itself."""
    where = where or Locator()
    problems = [
        *_missing_source(deck, where),
        *_distractors_that_are_answers(deck, where),
        *_empty_cloze_context(deck, where),
    ]
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


@without_gc
def lint_warnings(
    deck: Deck, questions: Sequence[Question], where: Locator | None = None
) -> list[Problem]:
    """The warning-level checks: likely mistakes that ``validate`` reports."""
    where = where or Locator()
    facts = {fact.id: fact for fact in deck.facts}
    problems = [
        *_unused_topics(deck, where),
        *_unused_distractors(deck, questions, where),
        *_answer_in_prompt(deck, questions, facts, where),
        *_duplicates(deck, questions, facts, where),
        *lint_items(deck, questions, where),
        *alt_text_warnings(deck, where),
    ]
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _problem(
    deck: Deck, at: tuple[int, int], message: str, hint: str, severity: str = "warning"
) -> Problem:
    return Problem(deck.path or "<deck>", at[0], at[1], message, hint, severity)


def _missing_source(deck: Deck, where: Locator) -> Iterator[Problem]:
    if not deck.source.title.strip():
        yield _problem(
            deck, where.deck_id(), "the deck names no source", "add `source: {title: …}`", "error"
        )
    for fact in deck.facts:
        if not fact.section.strip():
            yield _problem(
                deck,
                where.fact(fact),
                f"fact {fact.id!r} names no section of the source",
                "add `section:` with the heading it comes from",
                "error",
            )


def _unused_topics(deck: Deck, where: Locator) -> Iterator[Problem]:
    used = {fact.topic for fact in deck.facts}
    for topic in deck.topics:
        if topic.id not in used:
            yield _problem(
                deck,
                where.topic(topic.id),
                f"topic {topic.id!r} has no facts",
                "add facts with this `topic:` or remove the topic",
            )


def _answers_of(fact: Fact) -> set[str]:
    """Normalised texts that are right answers somewhere in this fact."""
    return {normalize(t) for t in spec_of(fact.kind).answers(fact)} - {""}


def _distractors_that_are_answers(deck: Deck, where: Locator) -> Iterator[Problem]:
    for fact in deck.facts:
        answers = _answers_of(fact) if fact.distractors else set()  # most facts have none
        for index, distractor in enumerate(fact.distractors):
            if normalize(distractor) in answers:
                yield _problem(
                    deck,
                    where.fact(fact, "distractors", index),
                    f"distractor {distractor!r} of fact {fact.id!r} is one of its right answers",
                    "a distractor must be wrong: remove it or replace it",
                    "error",
                )
        yield from _authored_options(deck, fact, where)
        yield from _false_variants(deck, fact, where)


def _authored_options(deck: Deck, fact: Fact, where: Locator) -> Iterator[Problem]:
    for index, question in enumerate(fact.questions):
        right = {normalize(t) for t in (question.answer, *question.alternatives)}
        for option in question.options:
            if normalize(option) in right:
                yield _problem(
                    deck,
                    where.fact(fact, "questions", index),
                    f"question {question.id!r} lists its answer {option!r} among the wrong options",
                    "remove it from `options` (the answer is added for you)",
                    "error",
                )


def _false_variants(deck: Deck, fact: Fact, where: Locator) -> Iterator[Problem]:
    if not fact.false_variants:  # most facts: no true sentence to build
        return
    true_text = true_statement(fact)
    true_texts = {normalize(true_text)} if true_text else set()
    for index, variant in enumerate(fact.false_variants):
        if normalize(variant) in true_texts:
            yield _problem(
                deck,
                where.fact(fact, "false_variants", index),
                f"false variant of fact {fact.id!r} says the same as the fact itself",
                "a false variant must be false: change its wording so it is wrong",
                "error",
            )


def _unused_distractors(
    deck: Deck, questions: Sequence[Question], where: Locator
) -> Iterator[Problem]:
    with_choice = {
        q.fact_id
        for q in questions
        if q.kind is QuestionKind.MULTIPLE_CHOICE and not q.variant.startswith("q-")
    }
    for fact in deck.facts:
        if fact.distractors and fact.kind in (FactKind.DEFINITION, FactKind.LIST):
            if fact.id not in with_choice:
                yield _problem(
                    deck,
                    where.fact(fact, "distractors"),
                    f"fact {fact.id!r} gets no multiple-choice question: fewer than "
                    f"{MC_DISTRACTORS} usable distractors",
                    f"give at least {MC_DISTRACTORS} distinct wrong answers",
                )
        elif fact.distractors:
            yield _problem(
                deck,
                where.fact(fact, "distractors"),
                f"distractors of {fact.kind.value} fact {fact.id!r} are never used",
                "only definition and list facts make multiple-choice questions; "
                "write a `questions:` entry with `options:` instead",
            )


def _empty_cloze_context(deck: Deck, where: Locator) -> Iterator[Problem]:
    for fact in deck.facts:
        if fact.kind is not FactKind.STATEMENT:
            continue
        for number, match in enumerate(CLOZE.finditer(fact.text), start=1):
            context = normalize(fill_cloze(fact.text, number, marker=" "))
            if len(context.split()) < MIN_CLOZE_CONTEXT:
                yield _problem(
                    deck,
                    where.fact(fact, "text"),
                    f"cloze {{{{{match.group(1)}}}}} of fact {fact.id!r} leaves nothing to ask: "
                    f"only {context or 'nothing'!r} is left around the blank",
                    "hide a few key words, not the whole sentence",
                    "error",
                )


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"  # what the regular expression \w matches


def _contains_word(haystack: str, needle: str) -> bool:
    """``needle`` in ``haystack`` as whole words (found by str.find: no regex to compile)."""
    if not needle:
        return False
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        if (start == 0 or not _is_word(haystack[start - 1])) and (
            end == len(haystack) or not _is_word(haystack[end])
        ):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _answer_in_prompt(
    deck: Deck, questions: Sequence[Question], facts: dict[str, Fact], where: Locator
) -> Iterator[Problem]:
    for q in questions:
        fact = facts.get(q.fact_id)
        if q.kind is QuestionKind.TRUE_FALSE or fact is None or fact.kind is FactKind.CONTRAST:
            continue  # true/false quotes its statement; a contrast names both sides on purpose
        prompt = _normal(q.prompt)
        answers: Iterable[str] = q.items if q.items else q.accepted or (q.answer,)
        for answer in answers:
            if _contains_word(prompt, _normal(answer)):
                yield _problem(
                    deck,
                    where.fact(fact),
                    f"question {q.id!r} gives its answer {answer!r} away in its prompt",
                    "reword the fact so the prompt does not contain the answer",
                )
                break


def _duplicates(
    deck: Deck, questions: Sequence[Question], facts: dict[str, Fact], where: Locator
) -> Iterator[Problem]:
    """Questions of different facts that ask the same, or nearly the same with the same answer."""
    first_by_prompt: dict[str, Question] = {}
    by_answer: dict[str, list[tuple[int, Question, str]]] = defaultdict(list)
    for index, q in enumerate(questions):
        prompt = _normal(q.prompt)
        earlier = first_by_prompt.setdefault(prompt, q)
        if earlier is not q and earlier.fact_id != q.fact_id:
            yield _duplicate(deck, q, earlier, facts, where, "asks the same as")
        elif earlier is q and q.kind is not QuestionKind.TRUE_FALSE:
            # true/false answers are all "True" or "False": too many to compare pairwise, and a
            # statement repeated in two facts already shows up through its cloze questions
            by_answer[_normal(q.answer)].append((index, q, prompt))
    for group in by_answer.values():
        for later, earlier in _near_pairs(group):
            yield _duplicate(deck, later, earlier, facts, where, "nearly duplicates")


def _near_pairs(
    group: list[tuple[int, Question, str]],
) -> Iterator[tuple[Question, Question]]:
    """(later, earlier) pairs of similar prompts; each later question reported once.

    Sorted by length, a prompt is compared only with the shorter ones close enough in length to
    reach the ratio at all, nearest first; of those, only the few ``could_reach`` lets through
    (found in C) go on to the character-count bound and the costly matcher.
    """
    entries = sorted(group, key=lambda e: len(e[2]))
    prompts = [e[2] for e in entries]
    lengths = [len(p) for p in prompts]
    counts: dict[int, Counter[str]] = {}
    reported: set[str] = set()
    bound = NEAR_DUPLICATE / (2 - NEAR_DUPLICATE)  # shortest/longest ratio that can still match
    for i, (index, q, prompt) in enumerate(entries):
        first = bisect_left(lengths, bound * len(prompt), 0, i)
        for j in reversed(could_reach(prompt, prompts[first:i], NEAR_DUPLICATE)):
            other_index, other, other_prompt = entries[first + j]
            if other.fact_id == q.fact_id:
                continue
            mine = counts.setdefault(i, Counter(prompt))
            theirs = counts.setdefault(first + j, Counter(other_prompt))
            common = sum((mine & theirs).values())
            if 2 * common < NEAR_DUPLICATE * (len(prompt) + len(other_prompt)):
                continue
            if ratio(prompt, other_prompt) < NEAR_DUPLICATE:
                continue
            later, earlier = (q, other) if index > other_index else (other, q)
            if later.id not in reported:
                reported.add(later.id)
                yield later, earlier


def _duplicate(
    deck: Deck, q: Question, earlier: Question, facts: dict[str, Fact], where: Locator, verb: str
) -> Problem:
    fact, other = facts[q.fact_id], facts[earlier.fact_id]
    return _problem(
        deck,
        where.fact(fact),
        f"question {q.id!r} {verb} {earlier.id!r} (fact on line {other.line})",
        "merge the two facts, or reword one so they teach different things",
    )
