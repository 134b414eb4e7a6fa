"""Grading typed answers and lists, by the rules of ``answers``, ``given_words`` and
``list_answers`` (see ``grading``'s docstring); those modules are imported on the first typed
answer, not on the way to the first question."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ...deck.question import Question, QuestionKind
from ...wording import plural
from .verdicts import Grade, ItemResult, Verdict

if TYPE_CHECKING:
    from .answers import Match


def accepted_answers(question: Question) -> list[str]:
    """Every accepted answer, ``a|b`` alternatives split out."""
    return _alternatives([question.answer, *question.accepted])


def _alternatives(texts: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        for part in text.split("|"):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return seen


def split_list(given: str, known: Sequence[str] = ()) -> list[str]:
    """A typed list → its answers (see ``list_answers``)."""
    from .list_answers import split_list

    return split_list(given, known)


def match_text(
    given: str, accepted: Sequence[str], vocabulary: tuple[tuple[str, ...], ...] = ()
) -> Verdict:
    """RIGHT when the answer equals an accepted one (see ``answers``), ALMOST within a typo."""
    from .answers import match

    return Verdict(match(given, _alternatives(accepted), vocabulary).verdict)


def close_enough(given: str, expected: str) -> bool:
    """Whether ``given`` is a typo of ``expected`` (see ``typo``)."""
    from .answers import match

    return match(given, [expected]).verdict == Verdict.ALMOST


def edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance with adjacent swaps counted as one edit; at most ``cap + 1``."""
    from rapidfuzz.distance import OSA

    return min(OSA.distance(a, b, score_cutoff=cap + 1), cap + 1)


def grade_text(question: Question, given: str) -> Grade:
    if question.kind is QuestionKind.LIST_RECALL and question.items:
        return grade_list(question, given)
    from .answers import match

    accepted = accepted_answers(question)
    result = match(
        given, [*accepted, *question.also_true], question.vocabulary, question.near_misses
    )
    if result.verdict == Verdict.WRONG:
        result = _each_accepted(question, given, accepted) or result
    if result.verdict == Verdict.WRONG:
        from .given_words import class_context, with_class_noun

        targets = [*accepted, *question.also_true]
        context = class_context(question.prompt, targets)
        result = with_class_noun(given, targets, context, question.vocabulary) or result
    if result.verdict == Verdict.WRONG and question.kind is QuestionKind.CLOZE:
        result = _echo(question, given, accepted) or _placed(question, given) or result
    if result.verdict == Verdict.WRONG and question.kind is QuestionKind.CLOZE:
        from .answers import in_context

        result = in_context(given, accepted, question.prompt, question.vocabulary) or result
    why = result.why
    if result.verdict != Verdict.WRONG and result.target not in accepted:
        why += (
            " — enough to tell the two apart"
            if question.kind is QuestionKind.REVERSED
            else " — a true example the deck declares, though not the one hidden"
        )
    return Grade(Verdict(result.verdict), question.answer, explanation=_one_line(why))


def _echo(question: Question, given: str, accepted: list[str]) -> Match | None:
    """A cloze answer that repeats the words around the blank, graded without them."""
    from .answers import Match, match
    from .given_words import without_echo

    rest = without_echo(given, question.prompt)
    if rest is None:
        return None
    found = match(rest, [*accepted, *question.also_true], question.vocabulary, question.near_misses)
    if found.verdict == Verdict.WRONG:
        return None
    return Match(found.verdict, f"{found.why} (the words around the blank repeated)", found.target)


def _placed(question: Question, given: str) -> Match | None:
    """A true example the deck declares, placed in the body ("numbness in the legs"): as true
    as the example, on an open list. Never for the key itself, whose place the question sets
    ("calcium in the urine" is not "calcium in the blood")."""
    from .answers import Match, match

    head, found, _ = given.partition(" in ")
    if not found or not question.also_true:
        return None
    result = match(head, question.also_true, question.vocabulary, question.near_misses)
    if result.verdict != Verdict.RIGHT:
        return None
    return Match(result.verdict, f"{result.why}, placed in the body", result.target)


def _each_accepted(question: Question, given: str, accepted: list[str]) -> Match | None:
    """Two accepted answers given together ("inflammation and swelling"): graded as the weaker
    of them; any part that is not accepted makes the whole wrong."""
    from .answers import Match, match

    parts = split_list(given, accepted)
    if len(parts) < 2:
        return None
    found = [match(p, accepted, question.vocabulary, question.near_misses) for p in parts]
    if any(m.verdict == Verdict.WRONG for m in found):
        return None
    weakest = next((m for m in found if m.verdict == Verdict.ALMOST), found[0])
    why = "each part is accepted: " + "; ".join(m.why for m in found)
    return Match(weakest.verdict, why, weakest.target)


def grade_list(question: Question, given: str) -> Grade:
    """Item by item: each item is matched by at most one of the learner's answers."""
    from .list_answers import match_list

    outcome = match_list(question, given)
    found = dict(outcome.found)
    items = question.items or ()
    results = tuple(
        ItemResult(item, Verdict(found[n][0]), found[n][1])
        if n in found
        else ItemResult(item, Verdict.WRONG)
        for n, item in enumerate(items)
    )
    hits = [r for r in results if r.verdict is not Verdict.WRONG]
    # on an incomplete list, a declared true example stands in for a source item not given
    stand_ins = min(len(outcome.true_extra), len(results) - len(hits))
    if outcome.extra and hits:
        verdict = Verdict.PARTIAL  # wrong extras: never a clean pass (rated Hard at best)
    elif len(hits) + stand_ins == len(results):
        # another true example for a source item is knowledge, not the card's exact list: Hard
        exact = not stand_ins and all(r.verdict is Verdict.RIGHT for r in hits)
        verdict = Verdict.RIGHT if exact else Verdict.ALMOST
    else:
        verdict = Verdict.PARTIAL if hits or stand_ins else Verdict.WRONG
    explanation = f"{len(hits)} of {len(items)} items"
    if stand_ins:
        explanation += f" and {plural(stand_ins, 'other true example')} in their place"
    if outcome.notes:
        explanation += ": " + "; ".join(outcome.notes)
    return Grade(
        verdict,
        "; ".join(items),
        results,
        tuple(outcome.extra),
        _one_line(explanation),
        tuple(outcome.true_extra),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
