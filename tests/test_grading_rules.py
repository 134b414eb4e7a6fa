"""The grader's second round of rules (issue 9, held-out false rejects): each rule with answers
it accepts and answers it must still refuse (opposites, hyper/hypo, other real words, other
terms of the deck). Graded against the built-in deck's bank."""

from __future__ import annotations

import functools

import pytest

from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.deck.model import Question
from bonemets_quiz.study.grading.grade import Verdict, grade_text
from bonemets_quiz.text.typo import english_ending, swapped_letters
from bonemets_quiz.text.wordforms import derive, stem, word_key

RIGHT, ALMOST, WRONG = Verdict.RIGHT, Verdict.ALMOST, Verdict.WRONG


@functools.cache
def _bank() -> dict[str, Question]:
    return {q.id.removeprefix("bone-metastasis/"): q for q in generate_bank(load_decks())}


def _grade(qid: str, typed: str) -> tuple[Verdict, str]:
    result = grade_text(_bank()[qid], typed)
    return result.verdict, result.explanation


# ------------------------------------------------------------------ derivation (wordforms)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("anaemic", "anaemia"),
        ("anemic", "anaemia"),
        ("osteoporotic", "osteoporosis"),
        ("metastatic", "metastases"),
        ("incontinent", "incontinence"),
        ("fragility", "fragile"),
        ("inflammatory", "inflammation"),
        ("confusional", "confusion"),
        ("cranial", "cranium"),
        ("hypercalcaemic", "hypercalcaemia"),
        ("scanning", "scan"),  # a doubled consonant before -ing/-ed
        ("stopped", "stop"),
    ],
)
def test_an_adjective_meets_its_noun(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("continent", "incontinence"),  # the opposite
        ("hyperkalaemic", "hypercalcaemia"),
        ("hypocalcaemic", "hypercalcaemia"),
        ("comment", "commence"),  # -ent only after n
        ("laboratory", "labor"),  # -atory only after a long root
        ("falling", "fal"),  # l is not undoubled: "falling" stays "fall"
        ("adding", "ad"),
        ("sepsis", "septic"),  # not a rule: no guessing beyond the documented endings
    ],
)
def test_derivation_never_joins_other_words(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_derive_leaves_nouns_and_short_words_alone() -> None:
    assert derive(word_key("anaemia")) == word_key("anaemia")
    assert derive("tonic") == "tonic"  # root of 3 letters: too short to tell
    assert stem("falling") == stem("fall")


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("marrow-loss/cloze/c2", "anaemic", RIGHT),
        ("marrow-loss/cloze/c2", "anemic", RIGHT),
        ("incontinence-and-weakness/cloze/c1", "incontinent", RIGHT),
        ("fragile-bones-fracture/cloze/c1", "fragility", RIGHT),
        ("steroids/cloze/c1", "inflammatory", RIGHT),
        ("high-calcium-effects/cloze/confusion", "confusional", RIGHT),
        ("diagnostic-tests/cloze/bone-scan", "bone scanning", RIGHT),
        # refused: another word, the opposite, hyper/hypo
        ("marrow-loss/cloze/c2", "leukaemia", WRONG),
        ("marrow-loss/cloze/c2", "leukaemic", WRONG),
        ("incontinence-and-weakness/cloze/c1", "continent", WRONG),
        ("incontinence-and-weakness/cloze/c1", "continence", WRONG),
        ("symptoms/cloze/high-calcium", "hypocalcaemic", WRONG),
        ("symptoms/cloze/high-calcium", "hyperkalaemic", WRONG),
        ("osteoporosis-medicines/cloze/c1", "osteoarthritic", WRONG),
    ],
)
def test_derived_forms_are_graded(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ hedges and framing


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("spine-most-common-site/cloze/c1", "I think it's the spine", RIGHT),
        ("spine-most-common-site/cloze/c1", "definitely the spine", RIGHT),
        ("spine-most-common-site/cloze/c1", "not sure - spine", RIGHT),
        ("spine-most-common-site/cloze/c1", "spine, I'd say", RIGHT),
        ("primary-bone-cancer-rare/cloze/c1", "they're rare", RIGHT),
        ("primary-bone-cancer-rare/cloze/c1", "relatively rare", RIGHT),
        ("bone-common-site/cloze/c1", "it's common", RIGHT),
        ("bone-common-site/cloze/c1", "the most common", RIGHT),
        ("tests-confirm-suspicion/cloze/c1", "further tests", RIGHT),
        ("tests-confirm-suspicion/cloze/c1", "some more tests", RIGHT),
        ("may-be-silent/cloze/c1", "no symptoms at all", RIGHT),
        ("why-tumours-spread-unknown/cloze/c1", "still not known", RIGHT),
        ("surgery-after-fracture/cloze/c1", "has been broken", RIGHT),
        # refused: a hedge never hides a wrong or negated answer
        ("primary-bone-cancer-rare/cloze/c1", "it's not rare", WRONG),
        ("bone-common-site/cloze/c1", "they're not common", WRONG),
        ("bone-common-site/cloze/c1", "I think it's rare", WRONG),
        ("spine-most-common-site/cloze/c1", "pretty sure it's the spine", RIGHT),
        ("spine-most-common-site/cloze/c1", "er, could be the spine", RIGHT),
        ("spine-most-common-site/cloze/c1", "not sure", WRONG),
        # a hedge around a typo: the typo is still a typo; around a real word, still wrong
        ("spine-most-common-site/cloze/c1", "I think it's the spien", ALMOST),
        ("primary-bone-cancer-rare/cloze/c1", "they are raer", ALMOST),
        ("high-calcium-effects/cloze/confusion", "probably confuison", ALMOST),
        ("primary-bone-cancer-rare/cloze/c1", "they are rear", WRONG),
        ("common-primaries/cloze/prostate", "probably prostrate", WRONG),
        ("high-calcium-effects/cloze/confusion", "maybe concussion", WRONG),
        # a hedge's "not" never negates the answer: "not sure, rare" is not "not rare"
        ("bone-common-site/cloze/c1", "not sure, rare", WRONG),
        ("primary-bone-cancer-rare/cloze/c1", "I'm not sure, common", WRONG),
        ("spine-most-common-site/cloze/c1", "I don't know", WRONG),
        ("spine-most-common-site/cloze/c1", "maybe spine or pelvis", WRONG),
        ("spine-most-common-site/cloze/c1", "I think it's the spinal cord", WRONG),
        ("why-tumours-spread-unknown/cloze/c1", "not yet known", RIGHT),  # a phrase once more
        ("why-tumours-spread-unknown/cloze/c1", "still known", WRONG),
        ("why-tumours-spread-unknown/cloze/c1", "well known", WRONG),
        ("why-tumours-spread-unknown/cloze/c1", "known", WRONG),
    ],
)
def test_hedges_and_framing_are_dropped(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ the words around the blank


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("fragile-bones-fracture/cloze/c1", "leave bones fragile", RIGHT),
        ("fragile-bones-fracture/cloze/c2", "liable to fracture", RIGHT),
        ("most-travelling-cells-die/cloze/c1", "eventually die", RIGHT),
        ("may-be-silent/cloze/c1", "may cause no symptoms", RIGHT),
        ("high-blood-calcium/cloze/c1", "calcium in the blood", RIGHT),
        ("cells-break-off/cloze/c2", "travel around the body", RIGHT),
        ("tests-confirm-suspicion/cloze/c2", "confirm the suspicion", RIGHT),
        ("surgery-to-stabilise/cloze/c1", "stabalize a bone", ALMOST),  # and a typo
        # refused: the rest is wrong; a sibling list item is not "around the blank"
        ("fragile-bones-fracture/cloze/c1", "leave bones strong", WRONG),
        ("most-travelling-cells-die/cloze/c1", "eventually survive", WRONG),
        ("high-blood-calcium/cloze/c1", "potassium in the blood", WRONG),
        ("common-locations/cloze/legs", "hips, bones of the leg", WRONG),
        ("common-locations/cloze/legs", "bones of the leg, arms", WRONG),
    ],
)
def test_the_words_around_the_blank_may_be_repeated(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("symptoms/cloze/fractures", "numbness in the legs", RIGHT),  # a declared true extra
        ("symptoms/cloze/fractures", "tingling in the feet", RIGHT),
        # refused: the key's own place is set by the question; an undeclared symptom stays out
        ("high-blood-calcium/cloze/c1", "calcium in the urine", WRONG),
        ("symptoms/cloze/fractures", "itching in the legs", WRONG),
    ],
)
def test_a_true_example_placed_in_the_body(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ the class noun as a head


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("common-locations/cloze/skull", "skull bones", RIGHT),
        ("common-locations/cloze/skull", "bones of the skull", RIGHT),
        ("common-locations/cloze/ribs", "rib bones", RIGHT),
        ("common-locations/cloze/pelvis", "pelvis bone", RIGHT),
        ("diagnostic-tests/cloze/bone-scan", "a bone scan test", RIGHT),
        ("common-primaries/cloze/thyroid", "thyroid gland cancer", RIGHT),  # gland: a filler
        ("common-primaries/cloze/prostate", "cancer of the prostate gland", RIGHT),
        # refused: a class noun the question does not give, or not as the head, or a sibling
        ("spine-most-common-site/cloze/c1", "spine tumour", WRONG),
        ("metastasis-from-primary-tissue/cloze/c1", "primary bone tumour", WRONG),
        ("common-locations/cloze/skull", "skull ribs", WRONG),
        ("common-locations/cloze/skull", "bones of the ribs", WRONG),
        ("common-locations/cloze/spine", "spinal cord bones", WRONG),
        ("common-primaries/cloze/breast", "bowel gland cancer", WRONG),
        # the lead-in "Cancers that spread to bone:" names cancers, not bones: "breast bone"
        ("common-primaries/cloze/breast", "breast bone", WRONG),
        ("common-primaries/cloze/lung", "lung bone", WRONG),
    ],
)
def test_a_class_noun_the_question_gives_adds_nothing(
    qid: str, typed: str, verdict: Verdict
) -> None:
    assert _grade(qid, typed)[0] is verdict


@pytest.mark.parametrize(
    ("qid", "typed", "recalled"),
    [
        ("common-locations/list_recall", "spine, pelvis, hips, skull bones, ribs, arms, legs", 7),
        ("common-locations/list_recall", "spine, pelvis, hips, bones of the skull, rib bones", 5),
        ("common-primaries/list_recall", "prostate, breast bone, kidney, thyroid, lung", 4),
    ],
)
def test_a_class_noun_in_a_list_item(qid: str, typed: str, recalled: int) -> None:
    assert grade_text(_bank()[qid], typed).recalled == recalled


def test_a_class_noun_is_explained() -> None:
    verdict, why = _grade("common-locations/cloze/skull", "bones of the skull")
    assert verdict is RIGHT and "names its class" in why


# ------------------------------------------------------------------ abbreviations


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("mir", "mri", True),
        ("tc", "ct", True),
        ("rmi", "mri", True),
        ("mra", "mri", False),  # another letter, not a swap
        ("imr", "mri", False),  # two swaps
        ("mri", "mri", False),
        ("mir", "mri_", False),
    ],
)
def test_swapped_letters(given: str, expected: str, ok: bool) -> None:
    assert swapped_letters(given, expected) is ok


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("diagnostic-tests/cloze/mri", "MIR", ALMOST),  # capitals: an abbreviation slip
        ("diagnostic-tests/cloze/ct", "TC scan", ALMOST),
        ("diagnostic-tests/cloze/mri", "MRIs", RIGHT),  # an abbreviation's plural
        ("diagnostic-tests/cloze/ct", "CTs", RIGHT),
        # refused: lower case "mir" is a word; another letter; another test
        ("diagnostic-tests/cloze/mri", "mir", WRONG),
        ("diagnostic-tests/cloze/mri", "MRA", WRONG),
        ("diagnostic-tests/cloze/mri", "CT", WRONG),
        ("diagnostic-tests/cloze/ct", "MRIs", WRONG),
    ],
)
def test_abbreviations(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ clipped -therapy words


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("combined-therapies/cloze/radiation-therapy", "radio", RIGHT),
        ("combined-therapies/cloze/immunotherapy", "immuno", RIGHT),
        ("physical-therapy/cloze/c1", "physio", RIGHT),
        ("combined-therapies/list_recall", "chemo, radio, immuno, hormone therapy", RIGHT),
        # refused: another therapy, a word that is not a clipped form, a typo stays a typo
        ("combined-therapies/cloze/chemotherapy", "radio", WRONG),
        ("physical-therapy/cloze/c1", "psycho", WRONG),
        ("combined-therapies/cloze/radiation-therapy", "radiology", WRONG),
        ("marrow-loss/cloze/c1", "bone marrwo", ALMOST),
    ],
)
def test_clipped_therapy_words(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ other languages' endings


@pytest.mark.parametrize(
    ("given", "expected", "english"),
    [
        ("biopsie", "biopsy", "biopsy"),
        ("biopsia", "biopsy", "biopsy"),
        ("radioterapia", "radiotherapy", "radioterapy"),
        ("anamie", "anemia", "anamia"),
        ("cancer", "cancer", "cancer"),
        ("fie", "fy", "fie"),  # too short to tell
    ],
)
def test_english_ending(given: str, expected: str, english: str) -> None:
    assert english_ending(given, expected) == english


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("biopsy/reversed", "biopsie", ALMOST),
        ("combined-therapies/cloze/radiation-therapy", "radioterapia", ALMOST),
        ("combined-therapies/cloze/immunotherapy", "imunoterapia", ALMOST),
        ("combined-therapies/cloze/chemotherapy", "chemoterapie", ALMOST),
        ("marrow-loss/cloze/c2", "anämie", ALMOST),
        # refused: another word, another therapy, too far
        ("biopsy/reversed", "autopsie", WRONG),
        ("marrow-loss/cloze/c2", "leukemie", WRONG),
        ("combined-therapies/cloze/chemotherapy", "radioterapia", WRONG),
        ("combined-therapies/cloze/immunotherapy", "quimioterapia", WRONG),
    ],
)
def test_foreign_endings_are_typos(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


# ------------------------------------------------------------------ the deck's vocabulary


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("cord-compression-emergency/cloze/c1", "A&E", RIGHT),
        ("cord-compression-emergency/cloze/c1", "emergency department", RIGHT),
        ("cord-compression-emergency/cloze/c1", "urgent medical attention", RIGHT),
        ("cord-compression-emergency/cloze/c2", "MSCC", RIGHT),
        ("cord-compression-emergency/cloze/c2", "compression of the spinal cord", RIGHT),
        ("bone-metastasis/reversed", "bony metastases", RIGHT),
        ("bone-mets-names/cloze/c1", "bony mets", RIGHT),
        ("settled-cells-form-tumour/cloze/c1", "secondary deposits", RIGHT),
        ("primary-tumour/reversed", "primary lesion", RIGHT),
        ("high-calcium-effects/cloze/confusion", "delirium", RIGHT),
        ("diagnostic-tests/cloze/x-ray", "XR", RIGHT),
        ("combined-therapies/cloze/hormone-therapy", "ADT", RIGHT),
        ("combined-therapies/cloze/radiation-therapy", "EBRT", RIGHT),
        ("may-be-silent/cloze/c1", "none", RIGHT),
        ("cord-compression-emergency/cloze/c1", "same-day care", RIGHT),  # the note's words
        ("cord-compression-emergency/cloze/c1", "urgent treatment", RIGHT),
        ("bone-modifying-drugs/cloze/c2", "eradicate", RIGHT),
        # refused: routine care, another spinal problem, the key word alone as a term
        ("cord-compression-emergency/cloze/c1", "routine care", WRONG),
        ("cord-compression-emergency/cloze/c1", "routine treatment", WRONG),
        ("bone-modifying-drugs/cloze/c2", "treat", WRONG),
        ("bone-modifying-drugs/cloze/c2", "slow", WRONG),
        ("cord-compression-emergency/cloze/c2", "spinal cord injury", WRONG),
        ("primary-tumour/reversed", "primary", WRONG),
        ("bone-metastasis/reversed", "bone cancer", WRONG),
        ("diagnostic-tests/cloze/ct", "XR", WRONG),
        ("combined-therapies/cloze/chemotherapy", "ADT", WRONG),
        ("high-calcium-effects/cloze/confusion", "dementia", WRONG),
    ],
)
def test_clinical_synonyms_in_the_vocabulary(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict


@pytest.mark.parametrize(
    ("qid", "typed", "verdict"),
    [
        ("tests-confirm-suspicion/cloze/c1", "testes", WRONG),  # another word, not "tests"
        ("tests-confirm-suspicion/cloze/c1", "tests", RIGHT),
        ("tests-confirm-suspicion/cloze/c1", "test", RIGHT),
        ("steroids/cloze/c1", "inflammations", RIGHT),
        ("pain-medicines/cloze/opioids", "opioids", RIGHT),
        ("settled-cells-form-tumour/cloze/c1", "metastases", RIGHT),
    ],
)
def test_a_word_is_never_the_plural_of_another(qid: str, typed: str, verdict: Verdict) -> None:
    assert _grade(qid, typed)[0] is verdict
