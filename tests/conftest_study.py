"""Shared pieces for the study tests: a small deck, time helpers, questions made by hand.

Imported by the study tests (``from conftest_study import …``); pytest does not load it itself.
The fixtures built on ``DECK`` (``deck_path``, ``bank``, ``questions``, ``store``) are in
``conftest.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bonemets_quiz.bank.cache import Bank
from bonemets_quiz.deck.model import Question, QuestionKind

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

DECK = """\
format: 1
deck:
  id: mini
  title: Mini deck
  description: A tiny deck for tests.
  source:
    title: "A test article"
topics:
  - id: basics
    title: Basics
  - id: causes
    title: Causes
facts:
  - id: mets
    kind: definition
    topic: basics
    section: What is it?
    term: bone metastasis
    definition: cancer that started elsewhere and has spread to bone
    aliases: [bone mets]
    distractors: [osteoporosis, osteoarthritis, gout]
    note: "Clinical note: it keeps the name of its primary cancer."
    false_variants: [Bone metastasis is cancer that starts in the bone itself.]
  - id: primaries
    kind: list
    topic: causes
    section: Which cancers spread to bone?
    prompt: cancers that commonly spread to bone
    items:
      - prostate cancer
      - breast cancer
      - text: lung cancer
        alternatives: [lung]
      - kidney cancer
  - id: rare
    kind: statement
    topic: basics
    section: What is it?
    text: Cancers that start in bone itself are {{rare|uncommon}}.
  - id: versus
    kind: contrast
    topic: basics
    section: What is it?
    sides:
      - term: bone metastasis
        description: starts in another organ and spreads to bone
      - term: primary bone cancer
        description: starts in the bone itself
"""


def by_id(bank: Bank, suffix: str) -> Question:
    """The question whose id ends with ``suffix`` (e.g. ``"mets/reversed"``)."""
    (found,) = [q for q in bank.questions if q.id.endswith(suffix)]
    return found


def make_question(qid: str = "d/f/basic", **fields: object) -> Question:
    deck, fact, kind, *variant = qid.split("/")
    values: dict[str, object] = dict(
        id=qid,
        deck_id=deck,
        fact_id=fact,
        kind=QuestionKind(kind),
        variant=variant[0] if variant else "",
        topic="t",
        section="S",
        prompt=f"prompt of {qid}",
        answer="answer",
    )
    values.update(fields)
    return Question(**values)  # type: ignore[arg-type]
