"""Fact kinds are told apart in one registry (``fact_kinds``), not by switches in each module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bonemets_quiz
from bonemets_quiz.bank.generate import _FactQuestions
from bonemets_quiz.bank.loading import load_deck
from bonemets_quiz.deck.fact_fields import KindFieldsReader
from bonemets_quiz.deck.fact_kinds import KINDS, spec_of
from bonemets_quiz.deck.loader import KIND_FIELDS, builtin_deck_path
from bonemets_quiz.deck.model import FactKind

PACKAGE = Path(bonemets_quiz.__file__).parent
NOT_YET: set[str] = set()


def test_every_kind_has_a_spec_a_reader_and_a_generator() -> None:
    assert set(KINDS) == set(FactKind)
    for kind, spec in KINDS.items():
        assert spec.kind is kind and spec_of(kind) is spec
        assert callable(getattr(KindFieldsReader, f"{spec.name}_fields"))
        assert callable(getattr(_FactQuestions, f"_{spec.name}"))
        assert KIND_FIELDS[kind] == (spec.required, spec.optional)


def test_the_registry_answers_what_lint_asked_each_kind() -> None:
    facts = {fact.kind: fact for fact in load_deck(builtin_deck_path()).facts}
    assert spec_of(FactKind.CONTRAST).answers(facts[FactKind.CONTRAST]) == []
    listed = facts[FactKind.LIST]
    assert spec_of(FactKind.LIST).answers(listed)[0] == listed.items[0].text
    assert spec_of(FactKind.STATEMENT).content_key == "text"


@pytest.mark.parametrize(
    "module",
    sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name not in {"fact_kinds.py", "model.py", *NOT_YET}
    ),
)
def test_no_module_switches_on_the_kinds(module: str) -> None:
    """A function (or a table) naming three kinds or more is a switch on the kind."""
    tree = ast.parse((PACKAGE / module).read_text())
    places = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    places += [n for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))]
    switches = [
        getattr(place, "name", f"line {place.lineno}")
        for place in places
        if len(_kinds_named(place)) >= 3
    ]
    assert not switches, f"{module}: {switches} switch on the kind: use fact_kinds.KINDS"


def _kinds_named(tree: ast.AST) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "FactKind"
    }
