"""The cloze grammar has one model-level home: generating and linting need no YAML."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bonemets_quiz.deck.cloze import BLANK, anki_cloze, deletions, fill_cloze, grammar_problem


@pytest.mark.parametrize("module", ["bonemets_quiz.bank.generate", "bonemets_quiz.bank.lint.lint"])
def test_generating_and_linting_load_no_yaml(module: str) -> None:
    code = f"import {module}, sys; assert 'yaml' not in sys.modules, sorted(sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_fill_and_blank() -> None:
    text = "Bone mets are {{common|frequent}} in {{breast}} cancer"
    assert deletions(text) == [("common", "frequent"), ("breast",)]
    assert fill_cloze(text) == "Bone mets are common in breast cancer"
    assert fill_cloze(text, 2) == f"Bone mets are common in {BLANK} cancer"
    assert anki_cloze(text, 1, "common") == "Bone mets are {{c1::common}} in breast cancer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no deletion", "a statement needs at least one {{cloze}} deletion"),
        ("an {{ | }} one", "a {{cloze}} deletion is empty"),
        ("{{a}} and }} b", "unbalanced {{ }} in text"),
        ("{{a::b}}", "a {{cloze}} deletion cannot contain ::"),
    ],
)
def test_grammar_problems(text: str, message: str) -> None:
    problem = grammar_problem(text)
    assert problem is not None and problem[0] == message
    assert grammar_problem("are {{rare}}") is None
