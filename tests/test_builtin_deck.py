"""The built-in deck: every fact of the article, each traced to its section, notes attached."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bonemets_quiz import FactKind, Question, QuestionKind, generate_questions, load_deck
from bonemets_quiz.deck_loader import builtin_deck_path
from bonemets_quiz.normalize import normalize

DECK = load_deck(builtin_deck_path())
QUESTIONS = generate_questions(DECK)
SECTIONS = {
    "What is bone metastasis?",
    "Symptoms of metastatic bone cancer",
    "What causes bone metastases?",
    "Common locations for bone metastasis",
    "Diagnosis of metastatic bone cancer",
    "Treatment of bone metastases (Metastatic bone cancer treatment)",
    "Article information",
}
ARTICLE = Path(__file__).parent / "data" / "article-sections.txt"

# What the article says, section by section: each entry must be taught by some question in that
# section (all words, normalised, in one question's prompt + answer + items).
ARTICLE_FACTS: dict[str, list[str]] = {
    "What is bone metastasis?": [
        "bone metastasis",
        "prostate",
        "breast",
        "kidney",
        "thyroid",
        "lung",
        "primary bone",
        "rare",
    ],
    "Symptoms of metastatic bone cancer": [
        "fracture",
        "pain",
        "urinary incontinence",
        "bowel incontinence",
        "calcium",
        "nausea",
        "vomiting",
        "constipation",
        "confusion",
        "weakness",
        "anaemia",
        "marrow",
        "symptoms",
    ],
    "What causes bone metastases?": [
        "breast",
        "lung",
        "divid",
        "break",
        "die",
        "known",
        "prostate cancer is advanced",
        "breast cancer or",
    ],
    "Common locations for bone metastasis": [
        "pelvis",
        "hips",
        "leg",
        "arms",
        "skull",
        "ribs",
        "spine",
    ],
    "Diagnosis of metastatic bone cancer": [
        "medical history",
        "physical exam",
        "bone scan",
        "ct",
        "mri",
        "x ray",
        "blood test",
        "biopsy",
        "pathology",
    ],
    "Treatment of bone metastases (Metastatic bone cancer treatment)": [
        "primary cancer",
        "chemotherapy",
        "hormone therapy",
        "radiation",
        "immunotherapy",
        "narcotic",
        "anti inflammatory",
        "physical therapy",
        "osteoporosis",
        "steroids",
        "targeted",
        "fixation",
        "cement",
        "plates",
        "screws",
        "fasteners",
    ],
    "Article information": ["andrabi", "2021"],
}

# CLINICAL-NOTES.md: each note, and words that show it is attached to a fact it concerns.
CLINICAL_NOTES = {
    1: ("bisphosphonate", "denosumab"),
    2: ("spinal cord compression",),
    3: ("thirst",),
    4: ("most common",),
    5: ("pathologic",),
    6: ("spine",),
    7: ("80",),
    8: ("spread",),
    9: ("radiotherapy",),
    10: ("joint replacement",),
    11: ("mri",),
    12: ("opioid",),
}


def _text(question: object) -> str:
    q = question
    parts = [q.prompt, q.answer, *(q.items or ()), *(q.options or ())]  # type: ignore[attr-defined]
    return normalize(" ".join(parts))


@pytest.mark.parametrize("section", sorted(ARTICLE_FACTS))
def test_every_article_fact_is_asked_in_its_section(section: str) -> None:
    texts = [_text(q) for q in QUESTIONS if q.section == section]
    missing = [w for w in ARTICLE_FACTS[section] if not any(normalize(w) in t for t in texts)]
    assert not missing, f"{section}: nothing asks about {missing}"


def test_every_fact_names_an_article_section_and_yields_questions() -> None:
    asked = {q.fact_id for q in QUESTIONS}
    for fact in DECK.facts:
        assert fact.section in SECTIONS, fact.id
        assert fact.id in asked, fact.id


def test_every_list_item_can_be_asked_on_its_own() -> None:
    single = {(q.fact_id, q.variant) for q in QUESTIONS if q.kind is QuestionKind.CLOZE}
    for fact in DECK.facts:
        if fact.kind is FactKind.LIST:
            for item in fact.items:
                assert (fact.id, item.id) in single, (fact.id, item.text)


@pytest.mark.parametrize("number", sorted(CLINICAL_NOTES))
def test_every_clinical_note_is_attached(number: int) -> None:
    notes = [normalize(f.note) for f in DECK.facts if f.note]
    words = CLINICAL_NOTES[number]
    assert any(all(normalize(w) in n for w in words) for n in notes), f"note {number}: {words}"


def test_notes_are_marked_and_shown_with_answers() -> None:
    noted = [f for f in DECK.facts if f.note]
    assert len(noted) >= 12
    assert all(f.note.startswith("Clinical note") for f in noted)  # type: ignore[union-attr]
    for q in QUESTIONS:
        assert q.note == DECK.fact(q.fact_id).note  # type: ignore[union-attr]


def test_high_calcium_effects_are_never_asked_as_complete() -> None:
    calcium = [q for q in QUESTIONS if "nausea" in _text(q) and q.kind is not QuestionKind.BASIC]
    assert calcium
    for q in calcium:
        if q.kind in (QuestionKind.LIST_RECALL, QuestionKind.CLOZE):
            assert "not a complete list" in q.prompt, q.id


# Clinical notes 6 and 12: terms that overlap or are easily confused must never be a wrong option
# where the other is the right one.
CONFUSABLE = [
    ("pelvis", "hips"),
    ("hips", "pelvis"),
    ("corticosteroid", "non steroidal"),
    ("non steroidal", "corticosteroid"),
    ("steroids", "non steroidal"),
]


def _confusable_options(questions: list[Question]) -> list[str]:
    found = []
    for q in questions:
        if not q.options or q.correct_option is None:
            continue
        right = normalize(q.options[q.correct_option])
        wrong = [normalize(o) for i, o in enumerate(q.options) if i != q.correct_option]
        for a, b in CONFUSABLE:
            if right.startswith(a) and any(b in w for w in wrong):
                found.append(q.id)
    return found


def test_confusable_terms_are_never_distractors_for_each_other() -> None:
    assert _confusable_options(QUESTIONS) == []


def test_the_confusable_check_catches_a_bad_question() -> None:
    choice = next(q for q in QUESTIONS if q.kind is QuestionKind.MULTIPLE_CHOICE)
    bad = replace(choice, options=("pelvis", "hips", "skull", "lungs"), correct_option=0)
    also_bad = replace(
        choice, options=("NSAIDs", "steroids", "non-steroidal drugs", "x"), correct_option=1
    )
    assert _confusable_options([bad, also_bad]) == [choice.id, choice.id]


def test_distractors_never_name_a_true_answer_of_their_fact() -> None:
    for fact in DECK.facts:
        answers = {normalize(a) for a in (fact.term, *fact.aliases) if a}
        answers |= {normalize(t) for item in fact.items for t in (item.text, *item.alternatives)}
        assert not {normalize(d) for d in fact.distractors} & answers, fact.id


def test_deck_metadata_names_source_and_disclaimer() -> None:
    assert DECK.id == "bone-metastasis"
    assert "Educational, not medical advice" in DECK.description
    assert DECK.source.author.startswith("Saima Andrabi")
    assert DECK.source.updated == "2021-04-19"


def test_no_sentence_of_the_article_is_pasted() -> None:
    """Facts are in our own words: no run of 9 words from the article appears in the deck."""
    article = normalize(ARTICLE.read_text()).split()
    runs = {" ".join(article[i : i + 9]) for i in range(len(article) - 8)}
    deck_text = normalize(builtin_deck_path().read_text())
    pasted = [r for r in runs if r in deck_text]
    assert not pasted, pasted[:3]


def test_the_article_copy_used_by_the_tests_is_the_seed() -> None:
    """tests/data holds the article body so the test runs without ../shared; check it is intact."""
    text = ARTICLE.read_text()
    assert re.search(r"Bone metastasis or bone mets", text)
    assert "Cementing of the bone" in text
