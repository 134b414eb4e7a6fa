"""Shared vocabulary has one owner each: no module spells it out by hand.

Each row: an idiom written by hand, and the one module allowed to write it (the helper the
others call).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bonemets_quiz
from bonemets_quiz.deck.model import QuestionKind
from bonemets_quiz.deck.question import Question
from bonemets_quiz.export.tags import question_tags
from bonemets_quiz.wording import noun, option_letter, plural

PACKAGE = Path(bonemets_quiz.__file__).parent
OWNERS = [
    (r"chr\((65|ord\(.A.\))", "wording.py"),  # option letters
    (
        r"""(== 1|!= 1|> 1) else ["']s["']|["']s["'] \* \(|else f?["']\{?\w*\}? ?\w+s["']""",
        "wording.py",
    ),
    (r"bonemets::(deck|topic|kind)::\{", "export/tags.py"),  # the tags of a question
    (r"unknown topic \{', '", "cli/common.py"),  # --topic naming no topic of the decks
    (r"""\.get\(["']store["']\)""", "cli/common.py"),  # where the progress store is
    (r"""\{\{\(\.\*\?\)\}\}|= ["']\[\.\.\.\]["']""", "deck/cloze.py"),  # cloze grammar, blank
]
MODULES = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py"))
NOT_YET = {"text/typo.py"}  # grading's words ("1 edit") stay with the grading branch


@pytest.mark.parametrize(("idiom", "owner"), OWNERS)
def test_one_module_owns_each_idiom(idiom: str, owner: str) -> None:
    pattern = re.compile(idiom)
    found = {
        module: line.strip()
        for module in MODULES
        if module != owner and module not in NOT_YET
        for line in (PACKAGE / module).read_text().splitlines()
        if pattern.search(line)
    }
    assert not found, f"use {owner}: {found}"


def test_wording() -> None:
    assert [option_letter(i) for i in range(4)] == ["A", "B", "C", "D"]
    assert [plural(n, "question") for n in (0, 1, 2)] == [
        "0 questions",
        "1 question",
        "2 questions",
    ]
    assert plural(1, "day", "days") == "1 day" and noun(1.5, "h", "h") == "h"


def test_question_tags() -> None:
    q = Question("d/f/basic", "d", "f", QuestionKind.BASIC, "", "pain", "s", "p", "a")
    assert question_tags(q) == (
        "bonemets::deck::d",
        "bonemets::topic::pain",
        "bonemets::kind::basic",
    )
