"""A simulated class for the class report's tests and benchmark: learners with KNOWN abilities
answer questions of the built-in deck with KNOWN difficulties, scheduled by the real scheduler and
written by the real log writer (``review_log.write_jsonl``), one JSON Lines log per learner.

The model (a Rasch-like one): a learner of ability ``a`` knows a question of difficulty ``b`` at
the first try with probability ``sigmoid(a - b)``, and at later reviews with
``sigmoid(a - b + 1 + 0.4 × successes so far)``. A learner who knows picks the key (or types it);
one who does not guesses an option at random (or types a wrong answer). Two questions are broken
on purpose:

- WRONG KEY (a multiple-choice question): the truly right answer is one of the options the deck
  calls a distractor; learners who know pick it, so the key marks them wrong, while guessers hit
  the key by chance;
- GIVEN AWAY (a typed question): right nearly always, whatever the learner knows.

Everything is drawn from one seeded generator; times are injected (``START``, ``NOW``).
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.deck.model import Deck, Question, QuestionKind
from bonemets_quiz.progress.review_log import LogRecord, write_jsonl
from bonemets_quiz.study.grading.grade import Mode, answer_mode
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NOW = START + timedelta(days=30)
FACTS = 10  # the built-in deck's first facts: 36 questions, several per fact (siblings)
WRONG_KEY_FACT = "spine-most-common-site"  # its multiple-choice question gets the wrong key
GIVEN_AWAY_FACT = "bone-modifying-drugs"  # its first cloze is answered right by everyone
NEW_PER_DAY = 8
GIVEN_AWAY_RIGHT = 0.97
ABILITY_SD = 1.5
MISLED = 0.75  # good distractors attract: a learner who does not know mostly picks one
EASIEST, HARDEST = -1.5, 2.5  # the honest questions' difficulties, evenly spread
WRONG_TYPED = ("no idea", "bone", "")


@dataclass(frozen=True)
class SimClass:
    decks: list[Deck]
    questions: list[Question]  # the questions studied
    logs: list[Path]
    abilities: dict[str, float]  # learner (file stem) → ability
    difficulties: dict[str, float]  # question id → difficulty (honest questions only)
    wrong_key: str  # question id
    given_away: str  # question id


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def studied_questions(decks: Sequence[Deck]) -> list[Question]:
    facts = [fact.id for fact in decks[0].facts[:FACTS]]
    return [q for q in generate_bank(decks, 0) if q.fact_id in facts]


def simulate(
    folder: Path,
    *,
    learners: int = 60,
    seed: int = 7,
    now: datetime = NOW,
    reviews: int | None = None,
    facts: int = FACTS,
) -> SimClass:
    """Write ``learners`` logs into ``folder`` (``learner-NN.jsonl``); at most ``reviews`` each."""
    rng = random.Random(seed)
    decks = load_decks([])
    ids = [fact.id for fact in decks[0].facts[:facts]]
    questions = [q for q in generate_bank(decks, 0) if q.fact_id in ids]
    wrong_key = next(
        q.id
        for q in questions
        if q.fact_id == WRONG_KEY_FACT and q.kind is QuestionKind.MULTIPLE_CHOICE
    )
    given_away = next(
        q.id for q in questions if q.fact_id == GIVEN_AWAY_FACT and answer_mode(q) is Mode.TYPE
    )
    honest = [q.id for q in questions if q.id not in (wrong_key, given_away)]
    step = (HARDEST - EASIEST) / (len(honest) - 1)
    spread = [EASIEST + step * n for n in range(len(honest))]
    rng.shuffle(spread)
    difficulties = dict(zip(honest, spread, strict=True))
    difficulties_all = {**difficulties, wrong_key: -0.5, given_away: 0.0}
    model = _Model(questions, difficulties_all, wrong_key, given_away)
    folder.mkdir(parents=True, exist_ok=True)
    abilities: dict[str, float] = {}
    logs: list[Path] = []
    for n in range(learners):
        name = f"learner-{n:03d}"
        ability = abilities[name] = rng.gauss(0.0, ABILITY_SD)
        records = _learner(model, ability, rng, now, reviews, seed * 1000 + n)
        path = folder / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            write_jsonl(out, records, [decks[0].id], now)
        logs.append(path)
    return SimClass(decks, questions, logs, abilities, difficulties, wrong_key, given_away)


class _Model:
    def __init__(
        self,
        questions: Sequence[Question],
        difficulties: dict[str, float],
        wrong_key: str,
        given_away: str,
    ) -> None:
        self.questions = list(questions)
        self.difficulties = difficulties
        self.wrong_key = wrong_key
        self.given_away = given_away
        q = next(q for q in questions if q.id == wrong_key)
        self.true_option = next(i for i in range(len(q.options or ())) if i != q.correct_option)

    def answer(
        self, q: Question, ability: float, successes: int, first: bool, rng: random.Random
    ) -> tuple[bool, str, str]:
        """(right by the key, what the learner answered, the verdict)."""
        if q.id == self.given_away:
            right = rng.random() < GIVEN_AWAY_RIGHT
            return right, q.answer if right else rng.choice(WRONG_TYPED), _verdict(right)
        boost = 0.0 if first else 1.0 + 0.4 * successes
        knows = rng.random() < sigmoid(ability - self.difficulties[q.id] + boost)
        mode = answer_mode(q)
        if mode is Mode.CHOOSE:
            options = q.options or ()
            key = q.correct_option if q.correct_option is not None else 0
            if knows:
                chosen = self.true_option if q.id == self.wrong_key else key
            elif rng.random() < MISLED:
                chosen = rng.choice([n for n in range(len(options)) if n != key])
            else:
                chosen = rng.randrange(len(options))
            right = chosen == key
            return right, options[chosen], _verdict(right)
        if mode is Mode.TYPE:
            typed = q.answer if knows else rng.choice(WRONG_TYPED)
            return knows, typed, _verdict(knows)
        return knows, "", "revealed"


def _verdict(right: bool) -> str:
    return "right" if right else "wrong"


def _learner(
    model: _Model,
    ability: float,
    rng: random.Random,
    now: datetime,
    budget: int | None,
    seed: int,
) -> list[LogRecord]:
    """One learner's reviews: new questions ``NEW_PER_DAY`` a day, then whenever due."""
    scheduler = Scheduler(Settings(), seed)
    start = START + timedelta(days=rng.randrange(10))
    order = list(model.questions)
    rng.shuffle(order)
    queue = [(start + timedelta(days=n // NEW_PER_DAY, minutes=n), n) for n in range(len(order))]
    heapq.heapify(queue)
    cards = {q.id: CardState(q.id) for q in order}
    successes = dict.fromkeys(cards, 0)
    records: list[LogRecord] = []
    while queue and (budget is None or len(records) < budget):
        when, n = heapq.heappop(queue)
        if when > now:
            break
        q = order[n]
        before = cards[q.id]
        right, answer, verdict = model.answer(q, ability, successes[q.id], before.reps == 0, rng)
        rating = Rating.GOOD if right else Rating.AGAIN
        after = scheduler.review(before, rating, when)
        successes[q.id] += right
        cards[q.id] = after
        duration = rng.randrange(2000, 20000)
        records.append(
            LogRecord(q.id, "", when, rating, duration, answer, verdict, seed, before, after)
        )
        due = after.due or when
        heapq.heappush(queue, (due + timedelta(minutes=rng.randrange(0, 360)), n))
    return records
