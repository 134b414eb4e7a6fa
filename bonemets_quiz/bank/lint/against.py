"""``validate --against OLD``: question ids that changed between two versions of a deck.

A learner's progress (and an Anki note) hangs on a question id. An id that disappears loses it
unless the new fact says ``replaces: old-id``; an id that stays but now asks something else
(list items reordered, a cloze added in front) silently hands progress to the wrong question.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from ...deck.fact_kinds import spec_of
from ...deck.locate import Locator
from ...deck.model import Deck, Fact, FactKind, Question, QuestionKind
from ...deck.qid import renamed
from ...errors import Problem
from ...text.normalize import normalize
from ...text.similar import best_match

SAME_CONTENT = 0.6  # similarity of two facts' texts above which a new fact looks like a renamed one


def check_against(
    old: Deck,
    new: Deck,
    old_questions: Sequence[Question],
    new_questions: Sequence[Question],
    where: Locator | None = None,
    old_where: Locator | None = None,
) -> list[Problem]:
    """Problems with ``new`` as a successor of ``old`` (the same deck, edited)."""
    where, old_where = where or Locator(), old_where or Locator()
    if old.id != new.id:
        return [
            Problem(
                new.path,
                *where.deck_id(),
                f"deck id changed from {old.id!r} to {new.id!r}: every question id changes and "
                "learners lose their progress",
                f"keep `id: {old.id}`",
                "error",
            )
        ]
    problems = [
        *_renamed_or_removed(old, new, old_questions, where, old_where),
        *_changed_kind(old, new, where),
        *_questions_that_moved(old, new, old_questions, new_questions, where),
        *_stale_replaces(old, new, where),
        *_oldest_first(old, new, where),
    ]
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.message))


def _signature(fact: Fact) -> str:
    """A fact's teaching content as text, for telling a renamed fact from a new one."""
    return normalize(" ".join(spec_of(fact.kind).content(fact)))


class _Added:
    """The facts new in a deck, by kind, with their signatures worked out once."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.facts: dict[FactKind, list[Fact]] = {}
        self.signatures: dict[FactKind, list[str]] = {}
        for fact in facts:
            self.facts.setdefault(fact.kind, []).append(fact)
            self.signatures.setdefault(fact.kind, []).append(_signature(fact))

    def look_alike(self, gone: Fact) -> Fact | None:
        """The added fact of the same kind most like ``gone`` (the last of equals), if any is
        alike enough."""
        signatures = self.signatures.get(gone.kind, [])
        index = best_match(_signature(gone), signatures, SAME_CONTENT)
        return None if index is None else self.facts[gone.kind][index]


def _renamed_or_removed(
    old: Deck, new: Deck, old_questions: Sequence[Question], where: Locator, old_where: Locator
) -> Iterator[Problem]:
    new_ids = {fact.id for fact in new.facts}
    replaced = {old_id for fact in new.facts for old_id in fact.replaces}
    old_ids = {fact.id for fact in old.facts}
    added = _Added([fact for fact in new.facts if fact.id not in old_ids and not fact.replaces])
    counts = Counter(q.fact_id for q in old_questions)
    for fact in old.facts:
        if fact.id in new_ids or fact.id in replaced or fact.id in new.retired:
            continue
        count = counts[fact.id]
        twin = added.look_alike(fact)
        if twin is not None:
            yield Problem(
                new.path,
                *where.fact(twin, "id"),
                f"fact {twin.id!r} looks like {fact.id!r} renamed: learners lose progress on "
                f"{count} question(s)",
                f"add `replaces: {fact.id}` to fact {twin.id!r}, or keep the old id",
                "error",
            )
        else:
            yield Problem(
                old.path,
                *old_where.fact(fact),
                f"fact {fact.id!r} was removed: its {count} question(s) will be retired (their "
                "progress is kept, but they are no longer asked)",
                f"if it was renamed, add `replaces: {fact.id}` to the new fact; if it was removed "
                f"on purpose, list it under the deck's `retired:`",
                "warning",
            )


def _changed_kind(old: Deck, new: Deck, where: Locator) -> Iterator[Problem]:
    old_facts = {fact.id: fact for fact in old.facts}
    for fact in new.facts:
        before = old_facts.get(fact.id)
        if before is not None and before.kind is not fact.kind:
            yield Problem(
                new.path,
                *where.fact(fact, "kind"),
                f"fact {fact.id!r} changed kind from {before.kind.value} to {fact.kind.value}: "
                "its question ids change and progress is lost",
                "give the new fact a new id with `replaces: " + fact.id + "`, or keep the kind",
                "error",
            )


def _content(q: Question) -> str:
    """What a question asks for: its answer, or for true/false (answers repeat) its statement."""
    return normalize(q.prompt if q.kind is QuestionKind.TRUE_FALSE else q.answer)


def _questions_that_moved(
    old: Deck,
    new: Deck,
    old_questions: Sequence[Question],
    new_questions: Sequence[Question],
    where: Locator,
) -> Iterator[Problem]:
    """Same id, but what it asked now sits under another id of the fact: items shifted."""
    renames = {old_id: fact.id for fact in new.facts for old_id in fact.replaces}
    new_facts = {fact.id: fact for fact in new.facts}
    by_id = {q.id: q for q in new_questions}
    owner: dict[tuple[str, str, str], str] = {}
    for q in new_questions:
        owner.setdefault((q.fact_id, q.kind.value, _content(q)), q.id)
    for before in old_questions:
        now = by_id.get(renamed(before.id, renames))
        if now is None or before.kind is not now.kind or _content(before) == _content(now):
            continue
        elsewhere = owner.get((now.fact_id, now.kind.value, _content(before)))
        if elsewhere is None or elsewhere == now.id:
            continue  # reworded in place: the id still asks the same thing
        fact = new_facts[now.fact_id]
        key = spec_of(fact.kind).content_key
        if now.kind is QuestionKind.TRUE_FALSE:
            key = "false_variants"
        yield Problem(
            new.path,
            *where.fact(fact, key),
            f"question {now.id!r} now asks what {elsewhere!r} asks (it used to ask for "
            f"{before.answer!r}): progress follows the wrong question",
            "give list items explicit `id:`s; add new {{cloze}} deletions and false variants "
            "after the old ones",
            "error",
        )


def _stale_replaces(old: Deck, new: Deck, where: Locator) -> Iterator[Problem]:
    known = {fact.id for fact in old.facts} | {r for fact in old.facts for r in fact.replaces}
    for fact in new.facts:
        for index, old_id in enumerate(fact.replaces):
            if old_id not in known:
                yield Problem(
                    new.path,
                    *where.fact(fact, "replaces", index),
                    f"fact {fact.id!r} replaces {old_id!r}, which the old deck does not have",
                    "check the spelling of the old fact id",
                    "warning",
                )


def _oldest_first(old: Deck, new: Deck, where: Locator) -> Iterator[Problem]:
    """The first ``replaces`` entry names the Anki note (its GUID): it must stay the oldest id."""
    origin = {fact.id: (fact.replaces[0] if fact.replaces else fact.id) for fact in old.facts}
    for fact in new.facts:
        sources = [origin[i] for i in (fact.id, *fact.replaces) if i in origin]
        if not sources or not fact.replaces:
            continue
        if fact.replaces[0] != sources[0]:
            yield Problem(
                new.path,
                *where.fact(fact, "replaces", 0),
                f"fact {fact.id!r} must list its oldest id {sources[0]!r} first in `replaces:`",
                f"write `replaces: [{', '.join(dict.fromkeys([sources[0], *fact.replaces]))}]`"
                "; the first id keeps the Anki notes and the history",
                "error",
            )
