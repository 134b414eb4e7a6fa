"""Item-writing lint (issue 9 point 4): each check flags its flaw, located, with a fix hint,
and stays quiet on the fixed item. Every case runs through `validate --strict`, as an educator's
deck would."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.lint.items import binomial_tail, lint_items
from bonemets_quiz.bank.loading import load_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.model import Question, QuestionKind

HEAD = """\
format: 1
deck:
  id: items
  title: Items
  description: A deck for the item-writing lint tests.
  source:
    title: Lecture notes
topics:
  - id: cells
    title: Cells
  - id: tests
    title: Tests
facts:
  - id: anchor
    kind: statement
    topic: tests
    section: Notes
    text: Lecture notes are kept in the {{library}} of the school.
"""


def _statement(fid: str, text: str, false: str) -> str:
    return f"""
  - id: {fid}
    kind: statement
    topic: cells
    section: Notes
    text: "{text}"
    false_variants: ["{false}"]
"""


def _list(fid: str, prompt: str, items: list[str], distractors: list[str], complete: str) -> str:
    return f"""
  - id: {fid}
    kind: list
    topic: cells
    section: Notes
    prompt: {prompt}
    complete: {complete}
    items: {items}
    distractors: {distractors}
"""


def _authored(fid: str, prompt: str, answer: str, options: list[str]) -> str:
    return f"""
  - id: {fid}
    kind: statement
    topic: cells
    section: Notes
    text: Cells make up every {{{{tissue}}}} of the body.
    questions:
      - id: q
        prompt: "{prompt}"
        answer: "{answer}"
        options: {options}
"""


CANCERS = ["lung cancer", "breast cancer", "bowel cancer"]
TESTS = ["bone scan", "CT scan", "MRI scan", "PET scan"]

# name → (flawed facts, fixed facts, words of the warning, text on the line it must point at,
#         words every warning of that check has)
CASES: dict[str, tuple[str, str, str, str, str]] = {
    "absolute-word-only-in-false": (
        _statement(
            "osteoclast", "Osteoclasts {{break down}} bone.", "Osteoclasts never touch bone."
        ),
        _statement("osteoclast", "Osteoclasts {{break down}} bone.", "Osteoclasts build bone."),
        "uses the absolute word(s) 'never' 1 false vs 0 true",
        "false_variants",
        "absolute word",
    ),
    "list-distractor-not-of-the-stem-kind": (
        _list(
            "spreaders",
            "cancers that spread to bone",
            CANCERS,
            ["skin cancer", "osteoporosis", "brain cancer"],
            "true",
        ),
        _list(
            "spreaders",
            "cancers that spread to bone",
            CANCERS,
            ["skin cancer", "eye cancer", "brain cancer"],
            "true",
        ),
        "wrong option 'osteoporosis' of fact 'spreaders' is not a cancer",
        "osteoporosis",
        "is not a ",
    ),
    "definition-distractor-not-of-the-genus": (
        """
  - id: mets
    kind: definition
    topic: cells
    section: Notes
    term: bone metastasis
    definition: cancer that started elsewhere and has spread to bone
    aliases: [secondary bone cancer]
    distractors: [primary bone cancer, osteoarthritis, myeloma (a marrow cancer)]
""",
        """
  - id: mets
    kind: definition
    topic: cells
    section: Notes
    term: bone metastasis
    definition: cancer that started elsewhere and has spread to bone
    aliases: [secondary bone cancer]
    distractors: [primary bone cancer, bone marrow cancer, myeloma (a marrow cancer)]
""",
        "wrong option 'osteoarthritis' of fact 'mets' is not a cancer",
        "osteoarthritis",
        "is not a ",
    ),
    "distractor-from-another-topic": (
        """
  - id: scans
    kind: list
    topic: tests
    section: Notes
    prompt: scans
    items: [bone scan, CT scan]
  - id: osteoblast
    kind: definition
    topic: cells
    section: Notes
    term: osteoblast
    definition: a cell that builds new bone
    distractors: [osteoclast, bone scan, fibroblast]
""",
        """
  - id: scans
    kind: list
    topic: tests
    section: Notes
    prompt: scans
    items: [bone scan, CT scan]
  - id: osteoblast
    kind: definition
    topic: cells
    section: Notes
    term: osteoblast
    definition: a cell that builds new bone
    distractors: [osteoclast, chondrocyte, fibroblast]
""",
        "wrong option 'bone scan' of fact 'osteoblast' is taught by fact 'scans' under topic "
        "'tests', not 'cells'",
        "distractors: [osteoclast, bone scan",
        "is taught by fact",
    ),
    "authored-option-not-of-the-key-kind": (
        _authored(
            "which",
            "Which cancer spreads to bone most often?",
            "breast cancer",
            ["skin cancer", "asthma", "eye cancer"],
        ),
        _authored(
            "which",
            "Which cancer spreads to bone most often?",
            "breast cancer",
            ["skin cancer", "brain cancer", "eye cancer"],
        ),
        "wrong option 'asthma' of fact 'which' is not a cancer",
        "- id: q",
        "is not a ",
    ),
    "same-distractor-set-three-times": (
        _list(
            "scans",
            "tests for bone spread",
            TESTS[:3],
            ["eye test", "ear test", "gait test"],
            "true",
        ),
        _list(
            "scans",
            "tests for bone spread",
            TESTS[:3],
            [
                "eye test",
                "ear test",
                "gait test",
                "skin test",
                "sweat test",
                "nerve test",
                "heart test",
                "lung test",
            ],
            "true",
        ),
        "3 multiple-choice questions offer the same wrong options",
        "distractors:",
        "offer the same wrong options",
    ),
    "stem-word-echoed-only-by-the-key": (
        _authored(
            "echo",
            "Which test shows bone spread?",
            "bone scan",
            ["eye test", "ear test", "gait test"],
        ),
        _authored(
            "echo",
            "Which test shows bone spread?",
            "bone scan",
            ["bone density test", "ear test", "gait test"],
        ),
        "repeats the stem's word 'bone' in its answer 'bone scan' and in no wrong option",
        "- id: q",
        "repeats the stem's word",
    ),
    "a-or-an-before-the-blank-of-a-choice": (
        _authored(
            "article",
            "A cell that breaks down bone is an ___.",
            "osteoclast",
            ["fibroblast", "chondrocyte", "myocyte"],
        ),
        _authored(
            "article",
            "A cell that breaks down bone is a/an ___.",
            "osteoclast",
            ["fibroblast", "chondrocyte", "myocyte"],
        ),
        "ends its stem with 'an', which fits the answer and not every wrong option",
        "- id: q",
        "ends its stem with",
    ),
    "verb-after-the-blank-agrees-only-with-the-key": (
        _authored(
            "verb",
            "___ is the cell that lays down new bone.",
            "osteoblast",
            ["fibroblasts", "chondrocytes", "myocytes"],
        ),
        _authored(
            "verb",
            "___ is the cell that lays down new bone.",
            "osteoblast",
            ["fibroblast", "chondrocyte", "myocyte"],
        ),
        "has 'is' after the blank, which agrees with the answer and not every wrong option",
        "- id: q",
        "after the blank",
    ),
    "a-or-an-before-a-cloze-blank": (
        _statement("builder", "A cell that builds bone is an {{osteoblast}}.", "Osteoblasts eat."),
        _statement("builder", "A cell that builds bone is {{an osteoblast}}.", "Osteoblasts eat."),
        "has 'an' just before its blank",
        'text: "A cell that builds bone is an',
        "just before its blank",
    ),
    "statement-blank-on-an-open-list-item": (
        _list("signs", "signs of bone spread", ["bone pain", "fractures"], [], "true").replace(
            "complete: true", "complete: false"
        )
        + _statement("pain", "One sign of bone spread is {{bone pain}}.", "Pain is no sign."),
        _list("signs", "signs of bone spread", ["bone pain", "fractures"], [], "true").replace(
            "complete: true", "complete: false"
        )
        + _statement("pain", "The most common sign of bone spread is {{bone pain}}.", "It is no"),
        "blanks 'bone pain', an item of list 'signs'; the sentence is one example of an open list",
        'text: "One sign',
        "an item of list",
    ),
    "statement-blank-beside-a-sibling-item": (
        _list("spreaders", "cancers that spread to bone", CANCERS, [], "true")
        + _statement("pair", "Advanced {{lung cancer}} and breast cancer spread.", "They never"),
        _list("spreaders", "cancers that spread to bone", CANCERS, [], "true")
        + _statement("pair", "Lung cancer and breast cancer {{spread}} when advanced.", "Nope."),
        "blanks 'lung cancer', an item of list 'spreaders'; the sentence names 'breast cancer'",
        'text: "Advanced',
        "an item of list",
    ),
}


def _validate(tmp_path: Path, facts: str) -> tuple[Path, int, list[str]]:
    path = tmp_path / "deck.yaml"
    path.write_text(HEAD + facts, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--strict", str(path)])
    assert "Traceback" not in result.output
    return path, result.exit_code, result.output.splitlines()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_check_flags_its_flaw_where_it_is(tmp_path: Path, name: str) -> None:
    bad, _, words, marker, _ = CASES[name]
    path, code, lines = _validate(tmp_path, bad)
    hits = [x for x in lines if words in x]
    assert hits, "\n".join(lines)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if marker in text)
    where, _, rest = hits[0].partition(": warning: ")
    assert where.startswith(f"{path}:{line}:"), (hits[0], line)
    assert " — " in rest, "every warning says how to fix it"
    assert code == 1


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_fixed_item_passes_that_check(tmp_path: Path, name: str) -> None:
    _, good, _, _, check = CASES[name]
    _, _, lines = _validate(tmp_path, good)
    assert not [x for x in lines if check in x], "\n".join(lines)


def test_key_in_one_position_far_more_often_than_chance(tmp_path: Path) -> None:
    # authored options are sorted alphabetically: answers starting with 'a' always come first
    many = "".join(
        _authored(f"q{n}", f"Question number {n}?", f"a{n}nswer", [f"x{n}", f"y{n}", f"z{n}"])
        for n in range(12)
    )
    _, code, lines = _validate(tmp_path, many)
    assert code == 1
    hits = [x for x in lines if "the right answer is option A in 12 of 12" in x]
    assert hits and "p = " in hits[0] and ":3:7: warning" in hits[0], "\n".join(lines)
    varied = "".join(
        _authored(f"q{n}", f"Question number {n}?", f"{'amxz'[n % 4]}{n}", ["b", "n", "y"])
        for n in range(12)
    )
    _, _, lines = _validate(tmp_path, varied)
    assert not [x for x in lines if "the right answer is option" in x], "\n".join(lines)


def test_binomial_tail() -> None:
    assert binomial_tail(0, 10, 0.25) == 1.0
    assert binomial_tail(3, 3, 0.5) == pytest.approx(0.125)
    assert binomial_tail(2, 3, 0.5) == pytest.approx(0.5)
    assert binomial_tail(11, 10, 0.5) == 0.0
    assert 0 < binomial_tail(4000, 10_000, 0.25) < 1e-100  # large decks do not overflow


def test_absolute_words_used_as_often_in_true_statements_are_no_cue(tmp_path: Path) -> None:
    facts = _statement("a", "Osteoclasts {{always}} break down bone.", "Osteoclasts always build.")
    _, _, lines = _validate(tmp_path, facts)
    assert not [x for x in lines if "absolute word" in x], "\n".join(lines)


def _signs_cloze(q: Question) -> bool:
    return q.fact_id == "signs" and q.kind is QuestionKind.CLOZE


OPEN_LIST = _list(
    "signs", "signs of bone spread", ["bone pain", "fractures", "high calcium"], [], "false"
)


def test_a_cloze_that_hides_the_other_items_of_an_open_list_is_flagged(tmp_path: Path) -> None:
    """A blank on one example of an open list, with the other examples out of sight, has several
    true answers: the check flags it unless the question accepts them."""
    path = tmp_path / "deck.yaml"
    path.write_text(HEAD + OPEN_LIST, encoding="utf-8")
    deck = load_deck(path)
    questions = generate_questions(deck)
    hidden = [
        q._replace(prompt="One sign of bone spread is [...].") if _signs_cloze(q) else q
        for q in questions
    ]
    found = [p for p in lint_items(deck, hidden) if "an open list ('signs'" in p.message]
    assert found and "yet marks another true example" in found[0].message
    items = ("bone pain", "fractures", "high calcium")
    fair = [
        q._replace(accepted=(*q.accepted, *items)) if q.kind is QuestionKind.CLOZE else q
        for q in hidden
    ]
    assert not [p for p in lint_items(deck, fair) if "open list" in p.message]


def test_a_one_more_example_question_on_an_open_list_passes(tmp_path: Path) -> None:
    """The generated cloze on an open list shows the other items and asks for one more: an item
    already shown is no answer to that, so the question is fair as generated."""
    path = tmp_path / "deck.yaml"
    path.write_text(HEAD + OPEN_LIST, encoding="utf-8")
    deck = load_deck(path)
    questions = generate_questions(deck)
    clozes = [q for q in questions if _signs_cloze(q)]
    assert clozes and all("one more example" in q.prompt for q in clozes)
    assert not [p for p in lint_items(deck, questions) if "open list" in p.message]
