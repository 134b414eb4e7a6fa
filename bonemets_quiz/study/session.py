"""A study session as plain logic: which question comes next, answering, undo. No terminal I/O.

Order within a study day: (re)learning cards that are due, then due reviews (up to the daily review
limit), then new questions (up to the daily new limit), then (re)learning cards due within the
learn-ahead window. Siblings (questions from the same fact) are buried for the rest of the day once
one of them was studied, unless they are being (re)learned.

Cram mode practises every selected question once, in a shuffled order, saving nothing; a question
rated Again comes back a few questions later in the same sitting, until it is rated otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from ..deck.question import Question
from ..records import Record
from .scheduling import (
    CardState,
    Rating,
    Scheduler,
    Settings,
    Status,
    checked_now,
    day_bounds,
    is_due,
)
from .store.store import DayLog, Store, UndoRefused

if TYPE_CHECKING:  # made after the first question: imported then
    from .outcomes import LimitReached, Outcome, Undone


class Summary:
    """What this sitting did (cram answers included)."""

    def __init__(self) -> None:
        self.answered = 0
        self.ratings: Counter[Rating] = Counter()


# In cram mode a question rated Again comes back after this many other questions (or last).
CRAM_AGAIN_GAP = 3


class Remaining(Record):
    """What is left today: (re)learning due now, reviews, new, and (re)learning due later today."""

    learning: int
    review: int
    new: int
    later: int = 0


class StudyQueue:
    """Today's queue over the selected questions, from card states and the day's log. Pure."""

    def __init__(
        self,
        questions: Sequence[Question],
        cards: dict[str, CardState],
        day: DayLog,
        settings: Settings,
        day_end: datetime,
    ) -> None:
        self.questions = {q.id: q for q in questions}
        self.cards = {qid: card for qid, card in cards.items() if qid in self.questions}
        self.settings = settings
        self.day_end = day_end
        self.new_done, self.reviews_done = day.new_done, day.reviews_done
        self.siblings = set(day.siblings)
        self.first: str | None = None
        # a review can only become due today by undo, which builds a new queue: sort once
        reviews = [c for c in self.cards.values() if c.status is Status.REVIEW]
        self._reviews = [c.question_id for c in sorted(reviews, key=_due_order)]
        self._new = [q.id for q in questions if q.id not in self.cards]

    def card(self, question_id: str) -> CardState:
        return self.cards.get(question_id) or CardState(question_id)

    def _buried(self, question_id: str) -> bool:
        return self.questions[question_id].sibling_key in self.siblings

    def _learning(self, now: datetime, ahead: bool) -> list[CardState]:
        window = self.settings.learn_ahead if ahead else None
        return [
            c for c in self.cards.values() if c.in_learning and is_due(c, now, self.day_end, window)
        ]

    def _due_reviews(self) -> Iterator[str]:
        for qid in self._reviews:
            card = self.cards[qid]
            due = card.status is Status.REVIEW and is_due(card, self.day_end, self.day_end)
            if due and not self._buried(qid):
                yield qid

    def _new_questions(self) -> Iterator[str]:
        return (q for q in self._new if q not in self.cards and not self._buried(q))

    def _new_available(self) -> int:
        """How many new questions today could still bring: one per fact (the rest get buried)."""
        return len({self.questions[q].sibling_key for q in self._new_questions()})

    def next(self, now: datetime, limits: tuple[int, int]) -> Question | None:
        """The question to ask now, or None when today's work is done."""
        new_limit, review_limit = limits
        if self.first is not None:
            first, self.first = self.first, None
            return self.questions[first]
        learning = self._learning(now, ahead=False)
        if learning:
            return self.questions[min(learning, key=_due_order).question_id]
        qid = next(self._due_reviews(), None) if self.reviews_done < review_limit else None
        if qid is None and self.new_done < new_limit:
            qid = next(self._new_questions(), None)
        if qid is None:
            ahead = self._learning(now, ahead=True)
            qid = min(ahead, key=_due_order).question_id if ahead else None
        return self.questions[qid] if qid else None

    def remaining(self, now: datetime, limits: tuple[int, int]) -> Remaining:
        new_limit, review_limit = limits
        reviews = sum(1 for _ in self._due_reviews())
        new = self._new_available()
        due_now = len(self._learning(now, ahead=False))
        today = sum(
            1 for c in self.cards.values() if c.in_learning and c.due and c.due < self.day_end
        )
        return Remaining(
            learning=due_now,
            review=min(reviews, max(0, review_limit - self.reviews_done)),
            new=min(new, max(0, new_limit - self.new_done)),
            later=today - due_now,
        )

    def limits_reached(self, limits: tuple[int, int]) -> list[LimitReached]:
        """The daily limits now holding questions back (none when nothing waits beyond them)."""
        new_limit, review_limit = limits
        from .outcomes import LimitReached

        found = []
        for kind, limit, done, available in (
            ("review", review_limit, self.reviews_done, sum(1 for _ in self._due_reviews())),
            ("new", new_limit, self.new_done, self._new_available()),
        ):
            waiting = available - max(0, limit - done)
            if waiting > 0:
                found.append(LimitReached(kind, limit, done, waiting))
        return found

    def answered(self, question: Question, before: CardState, after: CardState) -> None:
        self.cards[question.id] = after
        self.new_done += before.status is Status.NEW
        self.reviews_done += before.status is Status.REVIEW
        self.siblings.add(question.sibling_key)


def _due_order(card: CardState) -> tuple[datetime, str]:
    assert card.due is not None
    return card.due, card.question_id


class Session:
    """One sitting. Writes go to the store, one transaction per answer (none in cram mode)."""

    def __init__(
        self,
        store: Store,
        questions: Sequence[Question],
        zone: tzinfo,
        now: datetime,
        *,
        settings: Settings | None = None,
        seed: int = 0,
        cram: bool = False,
        new_limit: int | None = None,
        review_limit: int | None = None,
    ) -> None:
        self.store, self.zone, self.cram = store, zone, cram
        self.settings = settings or Settings()
        self._seed = seed
        self.limits = (
            self.settings.new_per_day if new_limit is None else new_limit,
            self.settings.reviews_per_day if review_limit is None else review_limit,
        )
        self.summary = Summary()
        self._scheduler: Scheduler | None = None
        # this session's answers, for undo: question id, rating, review id (None when cramming)
        self._history: list[tuple[str, Rating, int | None]] = []
        self._questions = list(questions)
        self._cram: list[str] = [q.id for q in questions] if cram else []
        if cram:
            import random

            random.Random(seed).shuffle(self._cram)
        self.queue = self._build_queue(now)

    @property
    def scheduler(self) -> Scheduler:
        if self._scheduler is None:  # fsrs loads on the first answer, not before the first question
            self._scheduler = Scheduler(self.settings, self._seed)
        return self._scheduler

    def _build_queue(self, now: datetime) -> StudyQueue:
        self.day_start, self.day_end = day_bounds(now, self.zone, self.settings.day_start_hour)
        return StudyQueue(
            self._questions,
            self.store.cards(),
            self.store.day_log(self.day_start, self.day_end),
            self.settings,
            self.day_end,
        )

    def next(self, now: datetime) -> Question | None:
        checked_now(now)
        if self.cram:
            return self.queue.questions[self._cram[0]] if self._cram else None
        if not self.day_start <= now < self.day_end:  # a new study day, or the clock moved
            first, self.queue = self.queue.first, self._build_queue(now)
            self.queue.first = first
        return self.queue.next(now, self.limits)

    def remaining(self, now: datetime) -> Remaining:
        checked_now(now)
        if self.cram:
            return Remaining(0, 0, len(self._cram))
        return self.queue.remaining(now, self.limits)

    def limits_reached(self) -> list[LimitReached]:
        """Daily limits holding questions back (``--new``, ``--limit`` raise them); none in cram."""
        return [] if self.cram else self.queue.limits_reached(self.limits)

    def card(self, question: Question) -> CardState:
        return self.queue.card(question.id)

    def options(self, question: Question, now: datetime) -> dict[Rating, CardState]:
        """The card after each possible rating (the intervals shown beside the choices)."""
        return self.scheduler.preview(self.card(question), now)

    def answer(
        self,
        question: Question,
        rating: Rating,
        now: datetime,
        verdict: str = "",
        duration_ms: int | None = None,
        given: str = "",
    ) -> Outcome:
        """Record one answer (committed before this returns), or only practise it when cramming:
        then nothing is scheduled (``after`` is ``before``) and Again brings it back later.

        ``verdict`` is the grader's, ``given`` what the learner typed or the option chosen."""
        checked_now(now)
        review_id = None
        if self.cram:
            before = after = self.card(question)
            self._cram.remove(question.id)
            if rating is Rating.AGAIN:
                self._cram.insert(min(CRAM_AGAIN_GAP, len(self._cram)), question.id)
        else:
            with self.store.transaction():
                before = self.store.card(question.id)  # fresh: another session may have saved
                after = self.scheduler.review(before, rating, now)
                review_id = self.store.record(
                    before, after, rating, verdict, duration_ms, given, self._seed
                )
            self.queue.answered(question, before, after)
        self._history.append((question.id, rating, review_id))
        self.summary.answered += 1
        self.summary.ratings[rating] += 1
        from .outcomes import Outcome

        leech = self.settings.leech_lapses
        return Outcome(
            question,
            rating,
            before,
            after,
            saved=not self.cram,
            became_leech=not self.cram and before.lapses < leech <= after.lapses,
        )

    def undo(self, now: datetime) -> Undone | None:
        """Take back this session's last answer (None when it has none); its question comes next.

        Only answers this session saved, each exactly: UndoRefused (and the answer stands, no
        longer offered for undo) when its question was answered again since, e.g. elsewhere.
        """
        from .outcomes import Undone

        checked_now(now)
        if not self._history:
            return None
        qid, rating, review_id = self._history.pop()
        if review_id is None:  # cram: nothing was saved
            if qid in self._cram:  # rated Again: waiting to come back, and now comes next
                self._cram.remove(qid)
            self._cram.insert(0, qid)
            self._forget(rating)
            return Undone(qid, self.queue.questions[qid], rating)
        try:
            self.store.undo_review(review_id)
        except UndoRefused as refused:
            refused.question_id = qid
            raise
        self._forget(rating)
        first = self.queue.first
        self.queue = self._build_queue(now)
        question = self.queue.questions.get(qid)
        self.queue.first = qid if question else first
        return Undone(qid, question, rating)

    def _forget(self, rating: Rating) -> None:
        self.summary.answered -= 1
        self.summary.ratings[rating] -= 1
