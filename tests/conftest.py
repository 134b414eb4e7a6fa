"""Fixtures shared by the test modules.

Every test gets its own user data directory, so nothing is written in the real home. The study
fixtures are built on the small deck of ``conftest_study`` (``DECK``):

- ``deck_path``: that deck written in the test's ``tmp_path``;
- ``bank``: its bank (questions and fingerprint), as ``build_bank`` makes it;
- ``questions``: its questions, built once per test module;
- ``store``: an open, empty progress store in the test's ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_study import DECK
from deck_files import write_deck
from hypothesis import HealthCheck, settings

from bonemets_quiz.bank.cache import Bank, build_bank
from bonemets_quiz.deck.model import Question
from bonemets_quiz.study.store.store import Store

# No test may depend on the machine's speed or on chance: Hypothesis gets no deadline per example
# and no health check on slow generation (a busy machine fails both), and the same examples
# every run.
settings.register_profile(
    "bonemets", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("bonemets")


@pytest.fixture(autouse=True)
def _own_user_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    return write_deck(tmp_path, DECK)


@pytest.fixture
def bank(deck_path: Path) -> Bank:
    return build_bank([deck_path], 0)


@pytest.fixture(scope="module")
def questions(tmp_path_factory: pytest.TempPathFactory) -> list[Question]:
    return list(build_bank([write_deck(tmp_path_factory.mktemp("deck"), DECK)], 0).questions)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "progress.sqlite3") as opened:
        yield opened
