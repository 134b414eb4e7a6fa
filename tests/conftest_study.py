"""Shared pieces for the study tests: a small deck, its bank, a store, time helpers.

Imported by the study tests (``from conftest_study import …``); pytest does not load it itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bonemets_quiz.bank_cache import Bank, build_bank
from bonemets_quiz.model import Question, QuestionKind
from bonemets_quiz.store import Store

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


def write_deck(directory: Path, text: str = DECK, name: str = "mini.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# Fixtures are registered under short names (``deck_path``, ``bank``, ``store``); tests import the
# ``*_fixture`` functions so that the names they use as arguments do not shadow an import.
@pytest.fixture(name="deck_path")
def deck_path_fixture(tmp_path: Path) -> Path:
    return write_deck(tmp_path)


@pytest.fixture(name="bank")
def bank_fixture(deck_path: Path) -> Bank:
    return build_bank([deck_path], 0)


@pytest.fixture(name="store")
def store_fixture(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "progress.sqlite3") as opened:
        yield opened


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
