"""A study session: order, daily limits, sibling burying, study days, undo, cram, leeches, stats."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest_study import LONDON, NEW_YORK, NOW, make_question

from bonemets_quiz.bank.cache import Bank
from bonemets_quiz.deck.model import Question
from bonemets_quiz.study import stats
from bonemets_quiz.study.scheduling import CardState, Rating, Settings, Status
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.store import Store, UndoRefused

PLAIN = Settings(fuzz=False)


def facts(count: int) -> list[Question]:
    """One question per fact: no siblings."""
    return [make_question(f"d/f{n}/basic") for n in range(count)]


def session(store: Store, questions: list[Question], now: datetime, **options: object) -> Session:
    store.sync(questions, now)
    options.setdefault("settings", PLAIN)
    return Session(store, questions, LONDON, now, seed=1, **options)  # type: ignore[arg-type]


def put(store: Store, card: CardState) -> None:
    """Give a question a schedule (its log row dated at the card's last review)."""
    with store.transaction():
        store.record(CardState(card.question_id), card, Rating.GOOD)


def review_card(qid: str, due: datetime, last: datetime | None = None) -> CardState:
    return CardState(qid, Status.REVIEW, None, 5.0, 5.0, due, last or due - timedelta(days=5), 3)


def drain(s: Session, now: datetime, rating: Rating = Rating.GOOD, limit: int = 200) -> list[str]:
    asked = []
    while (q := s.next(now)) is not None and len(asked) < limit:
        asked.append(q.id)
        s.answer(q, rating, now)
    return asked


def test_order_is_learning_then_due_reviews_then_new(store: Store) -> None:
    qs = facts(7)
    store.sync(qs, NOW)
    put(store, review_card("d/f0/basic", NOW + timedelta(hours=6)))  # due later today
    put(store, review_card("d/f1/basic", NOW - timedelta(days=2)))  # overdue
    put(store, review_card("d/f2/basic", NOW + timedelta(days=1)))  # tomorrow: not due
    learning = CardState("d/f3/basic", Status.LEARNING, 1, 2.0, 5.0, NOW - timedelta(minutes=1))
    put(store, learning._replace(last_review=NOW - timedelta(days=1)))
    s = session(store, qs, NOW)
    assert s.remaining(NOW) == (1, 2, 3, 0)
    asked = [q.id for q in iter(lambda: _answer_next(s), None)][:6]
    assert asked[:6] == [
        "d/f3/basic",  # (re)learning that is due
        "d/f1/basic",  # then reviews, the longest overdue first
        "d/f0/basic",
        "d/f4/basic",  # then new questions in deck order
        "d/f5/basic",
        "d/f6/basic",
    ]


def _answer_next(s: Session) -> Question | None:
    question = s.next(NOW)
    if question is not None:
        s.answer(question, Rating.EASY, NOW)
    return question


def test_daily_new_limit_holds_across_sessions_until_the_next_day(store: Store) -> None:
    qs = facts(5)
    s = session(store, qs, NOW, settings=Settings(fuzz=False, new_per_day=2))
    asked = drain(s, NOW)
    assert set(asked) == {"d/f0/basic", "d/f1/basic"}  # learning steps repeat them, no third
    later = session(store, qs, NOW + timedelta(hours=3), settings=Settings(new_per_day=2))
    assert later.remaining(NOW + timedelta(hours=3)).new == 0
    tomorrow = NOW + timedelta(days=1)
    assert (
        session(store, qs, tomorrow, settings=Settings(new_per_day=2)).remaining(tomorrow).new == 2
    )
    override = session(store, qs, NOW + timedelta(hours=3), new_limit=4)
    assert override.remaining(NOW + timedelta(hours=3)).new == 2  # 4 a day, 2 done today


def test_daily_review_limit(store: Store) -> None:
    qs = facts(5)
    store.sync(qs, NOW)
    for q in qs:
        put(store, review_card(q.id, NOW - timedelta(hours=1)))
    s = session(store, qs, NOW, review_limit=3)
    assert len(drain(s, NOW)) == 3
    again = session(store, qs, NOW + timedelta(hours=1), review_limit=3)
    assert again.next(NOW + timedelta(hours=1)) is None  # the limit is per study day


def test_siblings_are_buried_for_the_day(store: Store, bank: Bank) -> None:
    s = session(store, list(bank.questions), NOW)
    asked = drain(s, NOW)
    per_fact: dict[str, set[str]] = {}
    for qid in asked:
        per_fact.setdefault(qid.split("/")[1], set()).add(qid)
    assert set(per_fact) == {"mets", "primaries", "rare", "versus"}
    assert all(len(ids) == 1 for ids in per_fact.values()), per_fact
    tomorrow = NOW + timedelta(days=1)
    next_day = session(store, list(bank.questions), tomorrow)
    fresh = drain(next_day, tomorrow)
    new_siblings = {q for q in fresh if q.startswith("mini/mets/")} - per_fact["mets"]
    assert len(new_siblings) == 1  # one more question of the fact, a different one


def test_a_sibling_being_relearned_is_not_buried(store: Store, bank: Bank) -> None:
    questions = list(bank.questions)
    store.sync(questions, NOW)
    earlier = NOW - timedelta(hours=2)
    put(store, review_card("mini/mets/reversed", NOW, NOW - timedelta(days=3)))
    relearning = CardState(
        "mini/mets/basic", Status.RELEARNING, 0, 1.0, 7.0, NOW - timedelta(minutes=5), earlier, 4, 1
    )
    with store.transaction():  # relearned since this morning: a sibling was studied today
        store.record(review_card("mini/mets/basic", earlier), relearning, Rating.AGAIN)
    s = session(store, questions, NOW)
    assert s.next(NOW).id == "mini/mets/basic"  # type: ignore[union-attr]
    s.answer(s.next(NOW), Rating.GOOD, NOW)  # type: ignore[arg-type]
    asked = drain(s, NOW)
    assert not any(q.startswith("mini/mets/") for q in asked)  # the due review waits a day


def test_the_day_starts_at_4_am_local_time(store: Store) -> None:
    qs = facts(4)
    settings = Settings(fuzz=False, new_per_day=1)
    night = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)  # 03:30 in London (GMT)
    s = session(store, qs, night, settings=settings)
    s.answer(s.next(night), Rating.EASY, night)  # type: ignore[arg-type]
    for minute, expected in ((20, 0), (29, 0), (30, 1), (90, 1)):
        now = night + timedelta(minutes=minute)
        assert session(store, qs, now, settings=settings).remaining(now).new == expected, minute


def test_the_day_starts_at_4_am_on_the_clock_change_day(store: Store) -> None:
    """Europe/London, 2026-03-29: at 01:00 GMT the clocks go to 02:00 BST; 4 a.m. is 03:00 UTC."""
    qs = facts(4)
    settings = Settings(fuzz=False, new_per_day=1)
    before = datetime(2026, 3, 29, 2, 50, tzinfo=UTC)  # 03:50 BST: still the 28th's study day
    s = session(store, qs, before, settings=settings)
    s.answer(s.next(before), Rating.EASY, before)  # type: ignore[arg-type]
    assert session(store, qs, before, settings=settings).remaining(before).new == 0
    after = datetime(2026, 3, 29, 3, 10, tzinfo=UTC)  # 04:10 BST (03:10 by the old offset)
    assert session(store, qs, after, settings=settings).remaining(after).new == 1


def test_the_day_start_hour_is_configurable(store: Store) -> None:
    qs = facts(3)
    settings = Settings(fuzz=False, new_per_day=1, day_start_hour=6)
    early = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)
    s = session(store, qs, early, settings=settings)
    s.answer(s.next(early), Rating.EASY, early)  # type: ignore[arg-type]
    five = early + timedelta(minutes=30)
    assert session(store, qs, five, settings=settings).remaining(five).new == 0
    six = early + timedelta(minutes=90)
    assert session(store, qs, six, settings=settings).remaining(six).new == 1


def test_a_question_lapsing_eight_times_becomes_a_leech(store: Store) -> None:
    (question,) = facts(1)
    s = session(store, [question], NOW, new_limit=1)
    now, lapses, flagged = NOW, 0, []
    while lapses < 9:
        card = s.card(question)
        rating = Rating.AGAIN if card.status is Status.REVIEW else Rating.GOOD
        outcome = s.answer(question, rating, now)
        lapses = outcome.after.lapses
        if outcome.became_leech:
            flagged.append(lapses)
        now = outcome.after.due or now
    assert flagged == [8]
    figures = stats.compute(store, now, LONDON, PLAIN)
    assert figures["leeches"] == [question.id]
    assert figures["counts"]["leeches"] == 1  # type: ignore[index]


def test_undo_in_a_session_takes_back_answers_one_by_one(store: Store) -> None:
    qs = facts(3)
    s = session(store, qs, NOW)
    first = s.next(NOW)
    assert first is not None
    kept = s.answer(first, Rating.GOOD, NOW).after
    second = s.next(NOW)
    assert second is not None and second.id != first.id
    s.answer(second, Rating.AGAIN, NOW)
    undone = s.undo(NOW)
    assert undone is not None and undone.question == second and undone.rating is Rating.AGAIN
    assert store.card(second.id) == CardState(second.id)
    assert s.next(NOW) == second  # asked again next
    assert s.summary.answered == 1 and s.summary.ratings[Rating.AGAIN] == 0
    assert store.card(first.id) == kept
    assert s.undo(NOW).question == first  # type: ignore[union-attr]
    assert s.undo(NOW) is None
    assert store.reviews_total() == 0 and store.cards() == {}


def test_cram_practises_every_question_without_touching_the_schedule(store: Store) -> None:
    qs = facts(6)
    store.sync(qs, NOW)
    put(store, review_card("d/f2/basic", NOW + timedelta(days=30)))
    cards, total = store.cards(), store.reviews_total()
    s = session(store, qs, NOW, cram=True)
    ratings = [Rating.HARD, Rating.GOOD, Rating.EASY, Rating.GOOD, Rating.HARD, Rating.EASY]
    asked = []
    while (q := s.next(NOW)) is not None:
        asked.append(q.id)
        outcome = s.answer(q, ratings[len(asked) - 1], NOW)
        assert not outcome.saved and outcome.after == outcome.before  # nothing scheduled
    assert sorted(asked) == sorted(q.id for q in qs)
    assert store.cards() == cards and store.reviews_total() == total
    assert s.undo(NOW).question_id == asked[-1]  # type: ignore[union-attr]
    assert s.next(NOW).id == asked[-1]  # type: ignore[union-attr]
    assert s.summary.answered == 5


def test_cram_brings_a_question_rated_again_back_later_in_the_sitting(store: Store) -> None:
    """Finding 16: cram never repeated a question rated Again. It comes back a few questions
    later (or last), as often as it is rated Again, and nothing is saved."""
    qs = facts(6)
    s = session(store, qs, NOW, cram=True)
    first = s.next(NOW).id  # type: ignore[union-attr]
    asked: list[str] = []
    while (q := s.next(NOW)) is not None:
        again = q.id == first and asked.count(first) < 2  # forgotten twice, then known
        asked.append(q.id)
        s.answer(q, Rating.AGAIN if again else Rating.GOOD, NOW)
    assert asked.count(first) == 3  # Again, Again, then Good
    # three others in between, then only two are left: it comes last
    assert [n for n, qid in enumerate(asked) if qid == first] == [0, 4, 7]
    assert sorted(set(asked)) == sorted(q.id for q in qs) and len(asked) == 8
    assert store.reviews_total() == 0 and store.cards() == {}
    assert s.summary.ratings[Rating.AGAIN] == 2


def test_undoing_again_in_cram_asks_that_question_next_and_only_once(store: Store) -> None:
    qs = facts(5)
    s = session(store, qs, NOW, cram=True)
    first = s.next(NOW)
    assert first is not None
    s.answer(first, Rating.AGAIN, NOW)
    assert s.remaining(NOW).new == 5  # four others, and the one to come back
    assert s.undo(NOW).question == first  # type: ignore[union-attr]
    assert s.next(NOW) == first and s.remaining(NOW).new == 5
    asked = [q for q in iter(lambda: _answer_next(s), None)]
    assert sorted(q.id for q in asked) == sorted(q.id for q in qs)


def test_a_clock_moved_backwards_mid_session_loses_and_duplicates_nothing(store: Store) -> None:
    qs = facts(4)
    s = session(store, qs, NOW)
    times = [NOW, NOW - timedelta(hours=10), NOW + timedelta(minutes=1), NOW - timedelta(days=2)]
    answered = []
    for when in times:
        question = s.next(when)
        assert question is not None
        outcome = s.answer(question, Rating.GOOD, when)
        assert outcome.after.due is not None and outcome.after.last_review is not None
        assert outcome.after.due > outcome.after.last_review
        answered.append(question.id)
    assert store.reviews_total() == 4
    assert set(store.cards()) == set(answered)
    assert all(c.reps == Counter(answered)[c.question_id] for c in store.cards().values())
    assert store.integrity() == "ok"


def test_a_changed_time_zone_keeps_every_card(store: Store, bank: Bank) -> None:
    questions = list(bank.questions)
    s = session(store, questions, NOW)
    drain(s, NOW)
    cards = store.cards()
    answered = store.reviews_total()
    later = NOW + timedelta(hours=1)
    moved = Session(store, questions, NEW_YORK, later, settings=PLAIN)
    assert (moved.day_start, moved.day_end) != (s.day_start, s.day_end)
    asked = drain(moved, later)
    assert set(store.cards()) == set(cards)  # nothing lost, nothing duplicated
    assert store.reviews_total() == answered + len(asked)
    assert all(qid in cards for qid in asked)  # only questions studied before, no new ones


def test_stats_figures(store: Store, tmp_path: Path) -> None:
    qs = facts(6)
    store.sync(qs, NOW - timedelta(days=40))
    scheduler_settings = Settings(fuzz=False)
    # reviews of learned cards on known days: 3 passed and 1 forgotten this week, 1 forgotten before
    history = [
        (0, Rating.GOOD, 1),
        (1, Rating.AGAIN, 2),
        (2, Rating.GOOD, 3),
        (3, Rating.HARD, 5),
        (4, Rating.AGAIN, 20),
    ]
    for n, rating, days_ago in history:
        when = NOW - timedelta(days=days_ago)
        before = review_card(f"d/f{n}/basic", when, when - timedelta(days=10))
        after = before._replace(
            due=NOW + timedelta(days=n), last_review=when, lapses=int(rating is Rating.AGAIN) * 8
        )
        with store.transaction():
            store.record(before, after, rating)
    store.sync(qs[:5], NOW)  # d/f5 retired
    figures = stats.compute(store, NOW, LONDON, scheduler_settings)
    assert figures["reviews_total"] == 5
    assert figures["counts"] == {"new": 0, "learning": 0, "review": 5, "retired": 1, "leeches": 2}
    assert figures["due_today"] == 1  # d/f0, due now
    forecast = [day["due"] for day in figures["forecast"]]  # type: ignore[union-attr]
    assert forecast[:6] == [1, 1, 1, 1, 1, 0] and len(forecast) == 14
    per_day = figures["reviews_per_day"]
    assert len(per_day) == 30 and sum(d["reviews"] for d in per_day) == 5  # type: ignore[union-attr]
    assert per_day[-2]["reviews"] == 1 and per_day[-1]["reviews"] == 0  # type: ignore[index]
    assert figures["retention"] == {
        "7d": {"reviews": 4, "passed": 3, "rate": 0.75},
        "30d": {"reviews": 5, "passed": 3, "rate": 0.6},
    }
    hardest = figures["hardest"]
    assert [h["id"] for h in hardest][:2] == ["d/f1/basic", "d/f4/basic"]  # type: ignore[index]
    assert figures["leeches"] == ["d/f1/basic", "d/f4/basic"]


@pytest.mark.parametrize("rating", list(Rating))
def test_every_rating_is_saved_with_its_verdict(store: Store, rating: Rating) -> None:
    (question,) = facts(1)
    s = session(store, [question], NOW)
    s.answer(question, rating, NOW, "almost", 1500)
    (row,) = store.reviews_since(NOW - timedelta(minutes=1))
    assert (row.rating, row.verdict) == (rating, "almost")


def test_answers_stamped_in_the_future_do_not_count_against_today(store: Store) -> None:
    """A clock that jumped forward then came back: those answers belong to their own day (1.3)."""
    qs = facts(3)
    settings = Settings(fuzz=False, new_per_day=1)
    future = NOW + timedelta(days=5)
    s = session(store, qs, future, settings=settings)  # the clock is five days ahead
    s.answer(s.next(future), Rating.EASY, future)  # type: ignore[arg-type]
    today = session(store, qs, NOW, settings=settings)  # back to the right time
    assert today.remaining(NOW).new == 1
    day = store.day_log(today.day_start, today.day_end)
    assert (day.new_done, day.siblings) == (0, frozenset())
    assert session(store, qs, future, settings=settings).remaining(future).new == 0


def test_undo_takes_back_only_this_sessions_own_answers(store: Store) -> None:
    """Not the newest answer in the store: another session's, or an old one (finding 1.5)."""
    qs = facts(4)
    mine = session(store, qs, NOW)
    theirs = session(store, qs, NOW)  # a second terminal on the same store
    first = mine.next(NOW)
    assert first is not None
    mine.answer(first, Rating.GOOD, NOW)
    other = next(q for q in qs if q.id != first.id)
    kept = theirs.answer(other, Rating.EASY, NOW).after  # the newest row in the store
    undone = mine.undo(NOW)
    assert undone is not None and undone.question_id == first.id
    assert store.card(first.id) == CardState(first.id)
    assert store.card(other.id) == kept  # the other session's answer is untouched
    assert mine.undo(NOW) is None  # nothing more of mine


def test_undo_at_the_start_of_a_session_does_not_reach_into_old_answers(store: Store) -> None:
    qs = facts(2)
    old = session(store, qs, NOW - timedelta(days=9))
    question = old.next(NOW - timedelta(days=9))
    assert question is not None
    kept = old.answer(question, Rating.GOOD, NOW - timedelta(days=9)).after
    fresh = session(store, qs, NOW)
    assert fresh.undo(NOW) is None
    assert store.card(question.id) == kept and store.reviews_total() == 1


def test_undo_is_refused_when_the_question_was_answered_again_elsewhere(store: Store) -> None:
    qs = facts(1)
    mine, theirs = session(store, qs, NOW), session(store, qs, NOW)
    (question,) = qs
    mine.answer(question, Rating.GOOD, NOW)
    later = NOW + timedelta(minutes=11)
    kept = theirs.answer(question, Rating.GOOD, later).after
    with pytest.raises(UndoRefused, match="answered again") as refused:
        mine.undo(later)
    assert refused.value.question_id == question.id
    assert store.card(question.id) == kept and store.reviews_total() == 2
    assert mine.summary.answered == 1  # the answer stands
    assert mine.undo(later) is None  # and is no longer offered


def test_undo_is_refused_when_the_answer_was_already_taken_back(store: Store) -> None:
    qs = facts(1)
    s = session(store, qs, NOW)
    s.answer(qs[0], Rating.GOOD, NOW)
    assert store.undo_last() is not None  # `bonemets-quiz undo` from another terminal
    with pytest.raises(UndoRefused, match="already taken back"):
        s.undo(NOW)
    assert store.reviews_total() == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_interval_shown_for_each_rating_is_the_one_saved(store: Store, seed: int) -> None:
    """Preview and review draw the same fuzz (finding 2.1: shown 11 days, saved 12)."""
    (question,) = facts(1)
    store.sync([question], NOW)
    last = NOW - timedelta(days=30)
    put(store, CardState(question.id, Status.REVIEW, None, 40.0, 5.0, NOW, last, 5, 0))
    s = Session(store, [question], LONDON, NOW, settings=Settings(), seed=seed)
    shown = s.options(question, NOW)
    saved = {}
    for rating in Rating:
        saved[rating] = s.answer(question, rating, NOW).after
        s.undo(NOW)
    assert saved == shown
    assert shown[Rating.EASY].due - NOW > timedelta(days=30)  # type: ignore[operator]


def test_the_day_starts_at_4_am_on_the_autumn_clock_change_day(store: Store) -> None:
    """Europe/London, 2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT, so the study day
    of the 24th lasts 25 hours and the 25th's begins at 4 a.m. GMT, 04:00 UTC."""
    qs = facts(4)
    settings = Settings(fuzz=False, new_per_day=1)
    night = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, the first 01:30
    s = session(store, qs, night, settings=settings)
    assert s.day_end - s.day_start == timedelta(hours=25)
    s.answer(s.next(night), Rating.EASY, night)  # type: ignore[arg-type]
    for hour, minute, expected in ((1, 30, 0), (3, 10, 0), (3, 59, 0), (4, 0, 1), (4, 10, 1)):
        # 01:30 GMT (the second 01:30), 03:10 GMT (04:10 by the summer offset), …
        now = datetime(2026, 10, 25, hour, minute, tzinfo=UTC)
        left = session(store, qs, now, settings=settings).remaining(now)
        assert left.new == expected, (hour, minute)
    # the session left open through the change: nothing new until 4 a.m. GMT, then one more
    assert s.next(datetime(2026, 10, 25, 3, 10, tzinfo=UTC)) is None
    later = datetime(2026, 10, 25, 4, 10, tzinfo=UTC)
    assert s.next(later) is not None and s.day_end - s.day_start == timedelta(hours=24)


def test_a_naive_or_out_of_range_now_is_a_clear_value_error(store: Store) -> None:
    """Low finding: a naive datetime gave a TypeError deep inside; year 9999 an OverflowError."""
    from bonemets_quiz.study.scheduling import Scheduler, day_bounds, study_day

    qs = facts(2)
    naive, far = datetime(2026, 3, 10, 9, 0), datetime(9999, 12, 31, tzinfo=UTC)
    for bad, message in ((naive, "timezone-aware"), (far, "out of range")):
        with pytest.raises(ValueError, match=message):
            Session(store, qs, LONDON, bad, settings=PLAIN)
    s = session(store, qs, NOW)
    question = s.next(NOW)
    assert question is not None
    calls = [
        lambda when: s.next(when),
        lambda when: s.remaining(when),
        lambda when: s.options(question, when),
        lambda when: s.answer(question, Rating.GOOD, when),
        lambda when: s.undo(when),
        lambda when: Scheduler(PLAIN).review(CardState(question.id), Rating.EASY, when),
        lambda when: day_bounds(when, LONDON),
    ]
    for call in calls:
        for bad, message in ((naive, "timezone-aware"), (far, "out of range")):
            with pytest.raises(ValueError, match=message):
                call(bad)
    with pytest.raises(ValueError, match="timezone-aware"):
        study_day(naive, LONDON)
    with pytest.raises(ValueError, match="times of card d/f0/basic must be timezone-aware"):
        Scheduler(PLAIN).review(review_card("d/f0/basic", naive), Rating.GOOD, NOW)
    assert store.reviews_total() == 0  # nothing half-done
