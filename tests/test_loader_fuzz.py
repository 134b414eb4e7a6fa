"""Hostile input: whatever bytes or YAML the loader is fed, only DeckError ever escapes."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import parse_deck
from bonemets_quiz.deck.yaml_nodes import read_text
from bonemets_quiz.errors import DeckError

SAMPLE = (Path(__file__).parent / "data" / "sample-deck.yaml").read_text()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["no", "yes", "on", "1.10", "2021-04-19", "~", "{{x}}", "a {{b}} c", "<<"]),
)
keys = st.sampled_from(
    [
        "deck",
        "topics",
        "facts",
        "id",
        "kind",
        "topic",
        "section",
        "term",
        "definition",
        "items",
        "text",
        "sides",
        "prompt",
        "title",
        "description",
        "source",
        "format",
        "note",
        "replaces",
        "distractors",
        "questions",
        "answer",
        "options",
        "complete",
        "html",
        "aliases",
        "x",
    ]
)
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=30,
)


def _only_domain_errors(text: str) -> None:
    try:
        parse_deck(text, "fuzz.yaml")
    except DeckError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert str(problem).startswith("fuzz.yaml")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_random_yaml_structures(tree: object) -> None:
    _only_domain_errors(yaml.safe_dump(tree, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    _only_domain_errors(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(SAMPLE) - 1), st.integers(0, 40), st.text(max_size=8))
def test_mutated_valid_deck(start: int, length: int, insert: str) -> None:
    _only_domain_errors(SAMPLE[:start] + insert + SAMPLE[start + length :])


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path_factory: object, data: bytes) -> None:
    path = Path(str(tmp_path_factory.mktemp("fuzz"))) / "deck.yaml"  # type: ignore[attr-defined]
    path.write_bytes(data)
    with contextlib.suppress(DeckError):  # unreadable bytes are a DeckError too
        _only_domain_errors(read_text(path))


code_points = st.one_of(st.integers(0xD780, 0xE080), st.integers(0x20, 0x10FFFF))
escapes = st.lists(code_points, min_size=1, max_size=4).map(
    lambda cps: "".join(f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}" for c in cps)
)


@settings(max_examples=300, deadline=None)
@given(escapes, escapes)
def test_escaped_code_points_load_as_text_or_a_located_problem(term: str, definition: str) -> None:
    """Surrogate escapes (issue 8): whatever loads can be printed and saved as UTF-8."""
    fact = (
        "  - id: fuzz-fact\n    kind: definition\n    topic: basics\n    section: Fuzz\n"
        f'    term: "a{term}"\n    definition: "b {definition}"\n'
    )
    text = SAMPLE.replace("facts:\n", "facts:\n" + fact, 1)
    try:
        deck = parse_deck(text, "fuzz.yaml")
    except DeckError as exc:
        for problem in exc.problems:
            assert str(problem).startswith("fuzz.yaml:")
            str(problem).encode("utf-8")  # the message itself is printable
        return
    for question in generate_bank([deck]):
        json.dumps(question.to_dict(), ensure_ascii=False).encode("utf-8")
