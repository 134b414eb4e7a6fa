"""The bank cache's key follows every module that shapes the bank, found from their imports;
it shares the loader's file finding and the bank's selection instead of copying them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bonemets_quiz
from bonemets_quiz.bank import cache as bank_cache
from bonemets_quiz.deck.paths import builtin_deck
from bonemets_quiz.deck.question import select

PACKAGE = Path(bonemets_quiz.__file__).parent
SAMPLE = Path(__file__).parent / "data" / "sample-deck.yaml"
BUILD = f"""
import sys
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.bank.generate import generate_bank
generate_bank(load_decks([{str(SAMPLE)!r}]))
for name, module in sorted(sys.modules.items()):
    if name.startswith("bonemets_quiz") and getattr(module, "__file__", None):
        print(module.__file__)
"""


def test_the_key_covers_every_module_that_loading_and_generating_import() -> None:
    # -P: the package the tests import (installed in CI), not the checkout in the working directory
    run = subprocess.run(
        [sys.executable, "-P", "-c", BUILD], capture_output=True, text=True, check=True
    )
    used = {str(Path(f).relative_to(PACKAGE)) for f in run.stdout.split()} - {"__init__.py"}
    assert used <= set(bank_cache.bank_sources())


@pytest.mark.parametrize(
    "module", ["deck/yaml_fast.py", "deck/fact_kinds.py", "bank/lint/items.py"]
)
def test_a_changed_module_the_bank_depends_on_rebuilds_the_cache(
    module: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = str(tmp_path / "cache")
    first = bank_cache.load_bank([str(SAMPLE)], 0, cache)
    builds: list[object] = []
    real = bank_cache.build_bank

    def counted(*args: object, **kwargs: object) -> bank_cache.Bank:
        builds.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bank_cache, "build_bank", counted)
    assert bank_cache.load_bank([str(SAMPLE)], 0, cache).questions == first.questions
    assert builds == []  # a cache hit
    path = PACKAGE / module
    stat = path.stat()
    try:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        again = bank_cache.load_bank([str(SAMPLE)], 0, cache)
    finally:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert len(builds) == 1 and again.fingerprint != first.fingerprint


def test_the_cache_hit_path_loads_no_yaml(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    bank_cache.load_bank([str(SAMPLE)], 0, cache)
    code = (
        "import sys; from bonemets_quiz.bank.cache import load_bank; "
        f"load_bank([{str(SAMPLE)!r}], 0, {cache!r}); "
        "assert 'yaml' not in sys.modules and 'bonemets_quiz.deck.loader' not in sys.modules"
    )
    run = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_bank_select_and_builtin_deck_are_the_shared_ones(tmp_path: Path) -> None:
    bank = bank_cache.load_bank([], 0, str(tmp_path / "cache"))
    assert bank_cache.builtin_deck is builtin_deck
    assert bank.decks[0].path == str(builtin_deck())
    some = bank.select(["symptoms"], ["cloze"])
    assert some and some == select(bank.questions, ["symptoms"], ["cloze"])


def test_every_question_comes_back_whole_from_the_caches_plain_form() -> None:
    from conftest_study import make_question

    from bonemets_quiz.deck.image import Image
    from bonemets_quiz.deck.model import Question, QuestionKind

    pictured = make_question(
        "d/f/multiple_choice",
        options=("a", "b"),
        correct_option=1,
        vocabulary=(("bone", "bones"),),
        image=Image("x.png", "an X-ray", "/decks/x.png", "/decks", "Plain film", "CC0", "answer"),
    )
    questions = [*bank_cache.load_bank([str(SAMPLE)], 0).questions, pictured]
    for question in questions:
        again = Question.from_fields(question.to_fields())
        assert again == question and type(again.kind) is QuestionKind
    with pytest.raises(ValueError, match="a question has 23 fields, not 3"):
        Question.from_fields(("d/f/basic", "d", "f"))
