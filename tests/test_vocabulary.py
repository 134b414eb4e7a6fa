"""The deck's vocabulary section and list facts' ``also_true``: parsed, validated, used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.errors import DeckError
from bonemets_quiz.study.grading.grade import Verdict, grade_text

SAMPLE = Path(__file__).parent / "data" / "sample-deck.yaml"


def _with(vocabulary: str, deck: str | None = None) -> str:
    text = deck or SAMPLE.read_text(encoding="utf-8")
    return text.replace("\nfacts:", f"\nvocabulary:\n{vocabulary}\nfacts:", 1)


def test_a_vocabulary_is_parsed_and_reaches_the_questions() -> None:
    deck = parse_deck(_with("  - term: rare\n    also: [uncommon, infrequent]"), "d.yaml")
    assert deck.vocabulary[0].forms == ("rare", "uncommon", "infrequent")
    (cloze,) = [q for q in generate_questions(deck) if q.id.endswith("rare/cloze/c1")]
    assert ("rare", "uncommon", "infrequent") in cloze.vocabulary
    assert grade_text(cloze, "infrequent").verdict is Verdict.RIGHT
    without = parse_deck(SAMPLE.read_text(encoding="utf-8"), "d.yaml")
    (plain,) = [q for q in generate_questions(without) if q.id.endswith("rare/cloze/c1")]
    assert grade_text(plain, "infrequent").verdict is Verdict.WRONG


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        (
            "  - term: rare\n    also: [uncommon]\n  - term: scarce\n    also: [Uncommon]",
            "'Uncommon' is already a form of 'rare'",
        ),
        ("  - term: rare\n    also: [uncommon, uncommons]", "listed twice under 'rare'"),
        ("  - term: rare\n    also: []", "'rare' has no other forms"),
        ("  - term: rare\n    also: [uncommon, '']", "a form in also is empty"),
        ("  - term: rare\n    also: ['!!']", "has no letters"),
        ("  - term: rare", "missing the required key 'also'"),
        ("  - also: [x]", "missing the required key 'term'"),
    ],
)
def test_vocabulary_mistakes_are_located(vocabulary: str, message: str) -> None:
    with pytest.raises(DeckError, match=re.escape(message)) as caught:
        parse_deck(_with(vocabulary), "d.yaml")
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p and p.startswith("d.yaml:") for p in problems), problems


def test_within_forms_stand_for_a_concept_only_inside_a_phrase() -> None:
    deck = parse_deck(_with("  - term: cancer\n    also: [malignancy]\n    within: [carcinoma]"))
    assert deck.vocabulary[0].within == ("carcinoma",)
    (side,) = [
        q
        for q in generate_questions(deck)
        if q.kind.value == "reversed" and q.answer == "primary bone cancer"
    ]
    assert ("cancer", "malignancy", "~carcinoma") in side.vocabulary
    assert grade_text(side, "primary bone carcinoma").verdict is Verdict.RIGHT
    assert grade_text(side, "primary bone malignancy").verdict is Verdict.RIGHT
    alone = side._replace(answer="cancer", accepted=("cancer",))
    assert grade_text(alone, "malignancy").verdict is Verdict.RIGHT
    assert grade_text(alone, "carcinoma").verdict is Verdict.WRONG


def test_also_true_belongs_to_open_lists_only() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    with pytest.raises(DeckError, match="also_true is for lists that are not complete") as caught:
        parse_deck(
            text.replace(
                "    items:\n      - red", "    also_true: [cyan]\n    items:\n      - red"
            )
        )
    assert "also_true is for lists that are not complete" in str(caught.value.problems[0])
    with pytest.raises(DeckError, match="'Pear' is already an item") as caught:
        parse_deck(
            text.replace("    complete: false\n", "    complete: false\n    also_true: [Pear]\n")
        )
    assert "'Pear' is already an item" in str(caught.value.problems[0])
    deck = parse_deck(
        text.replace("    complete: false\n", "    complete: false\n    also_true: [fig]\n")
    )
    (recall,) = [q for q in generate_questions(deck) if q.id.endswith("examples/list_recall")]
    result = grade_text(recall, "apple, pear, plum, fig")
    assert (result.verdict, result.true_extra) == (Verdict.RIGHT, ("fig",))


def test_the_builtin_deck_declares_a_vocabulary_and_true_extras() -> None:
    deck = load_deck(Path(__file__).parent.parent / "decks" / "bone-metastasis.yaml")
    assert len(deck.vocabulary) >= 40
    open_lists = [f for f in deck.facts if f.kind.value == "list" and not f.complete]
    assert open_lists and all(f.also_true for f in open_lists)


def test_a_typo_that_spells_another_term_of_the_deck_is_wrong() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("unlike {{metastases}}.", "unlike {{metastases}}, says {{Zorbex}}.")
    text = text.replace("[apoptosis, remission]", "[apoptosis, remission, Zorbax]")
    deck = parse_deck(text)
    (cloze,) = [q for q in generate_questions(deck) if q.answer == "Zorbex"]
    assert "zorbax" in cloze.near_misses
    result = grade_text(cloze, "Zorbax")
    assert result.verdict is Verdict.WRONG
    assert "another term of this deck" in result.explanation
    assert grade_text(cloze, "Zorbexx").verdict is Verdict.ALMOST
