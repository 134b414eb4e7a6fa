"""Question ids have one owner (``qid``): it builds them, splits them, renames their fact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bonemets_quiz
from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.loading import load_deck
from bonemets_quiz.deck import qid
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.model import QuestionKind

PACKAGE = Path(bonemets_quiz.__file__).parent
# An id built or split by hand: ``f"{deck_id}/…"``, ``….split("/", 1)[0]``, ``"/".join(parts)``
BY_HAND = re.compile(
    r"""deck_?id\}/|deck\.id\}/|\.split\("/", 1\)\[0\]|question_id\.split\("/"\)"""
)
NOT_YET: set[str] = set()


def test_make_and_parse_round_trip() -> None:
    made = qid.make("bone", "pain", QuestionKind.CLOZE, "c2")
    assert made == "bone/pain/cloze/c2"
    assert qid.parse(made) == qid.QuestionId("bone", "pain", "cloze", "c2")
    assert qid.make("bone", "pain", QuestionKind.BASIC) == "bone/pain/basic"
    assert qid.parse("bone/pain/basic") == ("bone", "pain", "basic", "")
    assert str(qid.parse(made)) == made
    assert qid.deck_of(made) == "bone" and qid.fact_key("bone", "pain") == "bone/pain"


def test_renamed_moves_only_the_fact() -> None:
    renames = {"old": "new"}
    assert qid.renamed("d/old/list_recall", renames) == "d/new/list_recall"
    assert qid.renamed("d/old/cloze/old", renames) == "d/new/cloze/old"
    assert qid.renamed("d/other/cloze/old", renames) == "d/other/cloze/old"


def test_every_generated_id_is_what_qid_makes() -> None:
    for q in generate_questions(load_deck(builtin_deck_path())):
        assert q.id == qid.make(q.deck_id, q.fact_id, q.kind, q.variant)
        assert qid.parse(q.id) == (q.deck_id, q.fact_id, q.kind.value, q.variant)
        assert q.sibling_key == qid.fact_key(q.deck_id, q.fact_id)


MODULES = sorted(
    str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name not in {"qid.py", *NOT_YET}
)


@pytest.mark.parametrize("module", MODULES)
def test_no_module_builds_or_splits_ids_by_hand(module: str) -> None:
    found = [line for line in (PACKAGE / module).read_text().splitlines() if BY_HAND.search(line)]
    assert not found, f"{module}: use bonemets_quiz.deck.qid: {found}"
