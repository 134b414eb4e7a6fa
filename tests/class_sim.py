"""A simulated class for the class report's tests and benchmark: learners with KNOWN abilities
answer questions of a copy of the built-in deck with KNOWN difficulties, scheduled by the real
scheduler and written by the real log writer (``review_log.write_jsonl``), one JSON Lines log per
learner.

The model (a Rasch-like one): a learner of ability ``a`` knows a question of difficulty ``b`` at
the first try with probability ``sigmoid(a - b)``, and at later reviews with
``sigmoid(a - b + 1 + 0.4 × successes so far)``. A learner who knows picks the truly right option
(or types the answer); one who does not is mostly drawn to a wrong one, else guesses at random
(or types a wrong answer). Two questions are broken on purpose:

- WRONG KEY (a multiple-choice question): the copy of the deck the class studies
  (``SimClass.deck``, written into the folder; same deck id, so the same question ids) has the
  key of ``WRONG_KEY_FACT``'s question swapped with one of its distractors, as an author's slip
  would. The built-in deck is right (the spine is the commonest site), so learners who know pick
  the spine, which that copy's key marks wrong, while guessers hit the wrong key by chance;
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
WRONG_KEY = "the bones below the knee"  # the distractor the broken copy makes its key
DECK_FILE = "deck-with-a-wrong-key.yaml"
GIVEN_AWAY_FACT = "bone-modifying-drugs"  # its first cloze is answered right by everyone
NEW_PER_DAY = 8
GIVEN_AWAY_RIGHT = 0.97
ABILITY_SD = 1.5
MISLED = 0.75  # good distractors attract: a learner who does not know mostly picks one
EASIEST, HARDEST = -1.5, 2.5  # the honest questions' difficulties, evenly spread
WRONG_TYPED = ("no idea", "bone", "")


@dataclass(frozen=True)
class SimClass:
    deck: Path  # the deck file studied: the built-in deck with one wrong key
    decks: list[Deck]  # loaded from ``deck``
    questions: list[Question]  # the questions studied
    logs: list[Path]
    abilities: dict[str, float]  # learner (file stem) → ability
    difficulties: dict[str, float]  # question id → difficulty (honest questions only)
    wrong_key: str  # question id
    true_answer: str  # the wrong-key question's truly right option (the built-in deck's key)
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
    """Write the broken deck (``DECK_FILE``) and ``learners`` logs (``learner-NN.jsonl``; at most
    ``reviews`` each) into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    deck, true_answer = write_wrong_key_deck(folder / DECK_FILE)
    decks = load_decks([deck])
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
    model = _Model(questions, difficulties_all, {wrong_key: true_answer}, given_away)
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
    return SimClass(
        deck, decks, questions, logs, abilities, difficulties, wrong_key, true_answer, given_away
    )


def write_wrong_key_deck(path: Path) -> tuple[Path, str]:
    """A copy of the built-in deck whose ``WRONG_KEY_FACT`` question has ``WRONG_KEY`` as its
    key and the true answer among its distractors; (the file, the true answer)."""
    import yaml

    from bonemets_quiz.deck.loader import builtin_deck_path

    data = yaml.safe_load(builtin_deck_path().read_text(encoding="utf-8"))
    fact = next(f for f in data["facts"] if f["id"] == WRONG_KEY_FACT)
    question = next(q for q in fact["questions"] if q.get("options"))
    truth = question["answer"]
    question["options"] = [truth if o == WRONG_KEY else o for o in question["options"]]
    question["answer"] = WRONG_KEY
    question.pop("alternatives", None)  # they spell the true answer, not the wrong key
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path, truth


class _Model:
    def __init__(
        self,
        questions: Sequence[Question],
        difficulties: dict[str, float],
        truths: dict[str, str],
        given_away: str,
    ) -> None:
        self.questions = list(questions)
        self.difficulties = difficulties
        self.given_away = given_away
        # the truly right option of each multiple-choice question whose key is wrong
        self.truths = {
            q.id: (q.options or ()).index(truths[q.id]) for q in questions if q.id in truths
        }

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
            truth = self.truths.get(q.id, key)
            if knows:
                chosen = truth
            elif rng.random() < MISLED:
                chosen = rng.choice([n for n in range(len(options)) if n != truth])
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
