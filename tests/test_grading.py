"""Grading: normalisation, alternatives, typo tolerance, list recall, choices, ratings."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest_study import by_id, make_question
from hypothesis import given
from hypothesis import strategies as st

from bonemets_quiz.bank.cache import Bank
from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.model import FactKind, Question, QuestionKind
from bonemets_quiz.study.grading.grade import (
    Mode,
    Verdict,
    accepted_answers,
    answer_mode,
    choice_hint,
    choice_labels,
    edit_distance,
    grade,
    grade_text,
    match_text,
    parse_choice,
    split_list,
)
from bonemets_quiz.study.scheduling import Rating


def test_answer_modes_by_kind(bank: Bank) -> None:
    assert answer_mode(by_id(bank, "mets/multiple_choice/term")) is Mode.CHOOSE
    assert answer_mode(by_id(bank, "mets/true_false/true")) is Mode.CHOOSE
    assert answer_mode(by_id(bank, "mets/reversed")) is Mode.TYPE
    assert answer_mode(by_id(bank, "primaries/list_recall")) is Mode.TYPE
    assert answer_mode(by_id(bank, "rare/cloze/c1")) is Mode.TYPE  # a short cloze is typed
    assert answer_mode(by_id(bank, "mets/basic")) is Mode.REVEAL
    long_cloze = make_question(
        "d/f/cloze/c1", answer="the cancer that started in another organ first"
    )
    assert answer_mode(long_cloze) is Mode.REVEAL


@pytest.mark.parametrize(
    "typed",
    [
        "bone metastasis",
        "Bone Metastasis!",
        "the bone metastasis",
        "  bône  métastasis ",
        "bone mets",
    ],
)
def test_normalised_answers_and_aliases_are_right(bank: Bank, typed: str) -> None:
    assert grade_text(by_id(bank, "mets/reversed"), typed).verdict is Verdict.RIGHT


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("bone metastsis", Verdict.ALMOST),  # one letter missing
        ("bone metastaiss", Verdict.ALMOST),  # two letters swapped
        ("bone metasstasiss", Verdict.ALMOST),  # two edits in a long answer
        ("bone metaplasia", Verdict.WRONG),
        ("osteoporosis", Verdict.WRONG),
        ("", Verdict.WRONG),
    ],
)
def test_small_typos_are_almost(bank: Bank, typed: str, verdict: Verdict) -> None:
    assert grade_text(by_id(bank, "mets/reversed"), typed).verdict is verdict


def test_short_answers_and_numbers_need_to_be_exact() -> None:
    assert match_text("cut", ["cat"]) is Verdict.WRONG
    assert match_text("T12", ["T10"]) is Verdict.WRONG
    assert match_text("6 weeks", ["5 weeks"]) is Verdict.WRONG
    assert match_text("gait", ["gout"]) is Verdict.WRONG  # a 4-letter slip that is a word
    assert match_text("cot", ["cat"]) is Verdict.WRONG  # 3 letters: only a swap or a doubling


def test_alternatives_with_a_bar_are_accepted(bank: Bank) -> None:
    cloze = by_id(bank, "rare/cloze/c1")
    assert grade_text(cloze, "uncommon").verdict is Verdict.RIGHT
    assert grade_text(cloze, "Rare.").verdict is Verdict.RIGHT
    authored = make_question("d/f/basic/q-x", answer="osteolytic|lytic", accepted=("lysis",))
    assert accepted_answers(authored) == ["osteolytic", "lytic", "lysis"]
    assert grade_text(authored, "lytic").verdict is Verdict.RIGHT


def test_list_recall_every_item_in_any_order_is_right(bank: Bank) -> None:
    question = by_id(bank, "primaries/list_recall")
    result = grade_text(question, "kidney cancer; lung, breast cancer and prostate cancer")
    assert result.verdict is Verdict.RIGHT
    assert result.recalled == 4
    assert result.rating is Rating.GOOD


def test_list_recall_gives_partial_credit_item_by_item(bank: Bank) -> None:
    question = by_id(bank, "primaries/list_recall")
    three = grade_text(question, "prostate cancer, breast cancer, lung cancer, liver cancer")
    assert three.verdict is Verdict.PARTIAL
    assert [i.verdict for i in three.items] == [Verdict.RIGHT] * 3 + [Verdict.WRONG]
    assert three.extra == ("liver cancer",)
    assert three.rating is Rating.HARD  # 3 of 4 recalled: a hard pass
    two = grade_text(question, "prostate cancer, breast cancer")
    assert (two.verdict, two.recalled, two.rating) == (Verdict.PARTIAL, 2, Rating.AGAIN)
    none = grade_text(question, "liver")
    assert none.verdict is Verdict.WRONG


def test_list_recall_counts_a_repeated_answer_once_and_typos_as_almost(bank: Bank) -> None:
    question = by_id(bank, "primaries/list_recall")
    repeated = grade_text(question, "prostate cancer, prostate cancer, prostate cancer")
    assert repeated.recalled == 1
    typo = grade_text(question, "prostate cancr, breast cancer, lung, kidney cancer")
    assert typo.verdict is Verdict.ALMOST
    assert typo.items[0].given == "prostate cancr"
    assert typo.rating is Rating.HARD


def test_split_list_keeps_an_answer_that_contains_and() -> None:
    known = ["head and neck cancer", "lung cancer"]
    assert split_list("head and neck cancer and lung cancer", known) == known
    assert split_list("lung cancer & head and neck cancer", known) == known[::-1]
    assert split_list("head and neck cancer, lung cancer", known) == known
    assert split_list("a & b + c", []) == ["a", "b", "c"]


def test_multiple_choice_by_number_letter_or_text(bank: Bank) -> None:
    question = by_id(bank, "mets/multiple_choice/term")
    assert question.options is not None and question.correct_option is not None
    right = question.correct_option
    assert parse_choice(question, str(right + 1)) == right
    assert parse_choice(question, chr(ord("A") + right)) == right
    assert parse_choice(question, f"{chr(ord('a') + right)})") == right
    assert parse_choice(question, "Bone Metastasis") == right
    assert parse_choice(question, "9") is None
    assert parse_choice(question, "e") is None
    assert parse_choice(question, "something else") is None
    result = grade(question, str(right + 1))
    assert result is not None and result.verdict is Verdict.RIGHT
    assert result.expected == f"{right + 1}. bone metastasis"
    wrong = grade(question, str((right + 1) % 4 + 1))
    assert wrong is not None and wrong.verdict is Verdict.WRONG and wrong.rating is Rating.AGAIN
    assert grade(question, "nonsense") is None  # asked again, never graded


@pytest.mark.parametrize(
    ("typed", "index"),
    [(t, 0) for t in ("t", "T", "y", "yes", "true", "1")]
    + [(f, 1) for f in ("f", "n", "No", "false", "2")],
)
def test_true_false_by_t_f_y_n(bank: Bank, typed: str, index: int) -> None:
    question = by_id(bank, "mets/true_false/false-1")
    assert question.kind is QuestionKind.TRUE_FALSE
    assert parse_choice(question, typed) == index
    result = grade(question, typed)
    assert result is not None
    assert result.verdict is (Verdict.RIGHT if index == 1 else Verdict.WRONG)


def test_grades_map_to_ratings() -> None:
    question = make_question("d/f/reversed", answer="osteoblastic")
    assert grade_text(question, "osteoblastic").rating is Rating.GOOD
    assert grade_text(question, "osteoblastik").rating is Rating.HARD
    assert grade_text(question, "osteolytic").rating is Rating.AGAIN


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, written plainly."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abcd", max_size=9), st.text("abcd", max_size=9), st.integers(0, 3))
def test_edit_distance_matches_a_plain_implementation(a: str, b: str, cap: int) -> None:
    expected = _reference_distance(a, b)
    assert edit_distance(a, b, cap) == (expected if expected <= cap else cap + 1)


# Finding 3.1: typo tolerance must never pass an answer that means something else. The first
# four are answers to questions of the built-in deck (checked below); the last are opposite
# prefixes a one- or two-letter edit would otherwise let through.
MEANING_FLIPS = [
    ("continence", "incontinence"),
    ("hypocalcaemia", "hypercalcaemia"),
    ("are", "rare"),
    ("SAIDs", "NSAIDs"),
    ("urinary continence", "urinary incontinence"),
    ("typical", "atypical"),
    ("stable", "unstable"),
    ("union", "nonunion"),
    ("inhibited", "disinhibited"),
    ("emetic", "antiemetic"),
    ("hyperplasia", "hypoplasia"),
    ("intercostal", "intracostal"),
    ("antenatal", "antinatal"),
]


@pytest.mark.parametrize(("typed", "expected"), MEANING_FLIPS)
def test_an_answer_with_the_opposite_meaning_is_wrong_not_almost(typed: str, expected: str) -> None:
    assert match_text(typed, [expected]) is Verdict.WRONG
    assert match_text(expected, [typed]) is Verdict.WRONG


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kidny", "kidney"),
        ("kidny cancer", "kidney cancer"),
        ("incontinance", "incontinence"),
    ],
)
def test_genuine_typos_are_still_almost(typed: str, expected: str) -> None:
    assert match_text(typed, [expected]) is Verdict.ALMOST


def test_the_built_in_decks_answers_do_not_accept_their_opposites() -> None:
    from bonemets_quiz.bank.cache import build_bank, builtin_deck

    bank = build_bank([builtin_deck()], 0)
    checked: set[str] = set()
    for question in (q for q in bank.questions if answer_mode(q) is Mode.TYPE):
        items = question.items or ()
        alternatives = question.item_alternatives or tuple(() for _ in items)
        answers = [(None, a) for a in accepted_answers(question)] if not items else []
        answers += [(n, a) for n, item in enumerate(items) for a in (item, *alternatives[n])]
        for wrong, right in MEANING_FLIPS[:4]:
            for n, answer in answers:
                if right not in answer.split():
                    continue
                flipped = " ".join(wrong if w == right else w for w in answer.split())
                if n is None:
                    verdict = grade_text(question, flipped).verdict
                else:  # every other item right, this one flipped
                    typed = ", ".join(flipped if m == n else i for m, i in enumerate(items))
                    verdict = grade_text(question, typed).items[n].verdict
                assert verdict is Verdict.WRONG, (question.id, flipped)
                checked.add(right)
    assert checked == {right for _, right in MEANING_FLIPS[:4]}  # the deck asks about each


def test_wrong_extra_items_cost_something(bank: Bank) -> None:
    """Listing everything one can think of is not recall (finding 3.2)."""
    question = by_id(bank, "primaries/list_recall")
    everything = (
        "prostate cancer, breast cancer, lung cancer, kidney cancer, thyroid cancer, "
        "liver cancer, bowel cancer, skin cancer, ovary cancer, bladder cancer, brain cancer"
    )
    shotgun = grade_text(question, everything)
    assert shotgun.recalled == 4 and len(shotgun.extra) == 7
    assert (shotgun.verdict, shotgun.rating) == (Verdict.PARTIAL, Rating.AGAIN)
    all_four = "prostate cancer, breast cancer, lung, kidney cancer"
    one_extra = grade_text(question, all_four + ", thyroid cancer")
    assert one_extra.extra == ("thyroid cancer",)
    assert (one_extra.verdict, one_extra.rating) == (Verdict.PARTIAL, Rating.HARD)  # at best
    typo_and_extra = grade_text(
        question, "prostate cancr, breast cancer, lung, kidney cancer, liver"
    )
    assert (typo_and_extra.verdict, typo_and_extra.rating) == (Verdict.PARTIAL, Rating.HARD)


def test_numeric_options_are_chosen_by_their_text_and_letters_never_by_position() -> None:
    """Options ('7', '5', '4', '3'): typing 3 means the option '3', not the third (finding 3.3)."""
    question = make_question(
        "d/f/multiple_choice/q-n", options=("7", "5", "4", "3"), correct_option=3, answer="3"
    )
    assert choice_labels(question) == ["a", "b", "c", "d"]
    assert choice_hint(question) == "a–d, or the number itself"
    assert parse_choice(question, "3") == 3
    assert parse_choice(question, "7") == 0
    assert parse_choice(question, "d") == 3 and parse_choice(question, "B)") == 1
    assert parse_choice(question, "1") is None  # no option reads 1: asked again
    result = grade(question, "3")
    assert result is not None and result.verdict is Verdict.RIGHT
    assert result.expected == "d) 3"


def test_single_letter_options_are_chosen_by_their_text_and_numbers() -> None:
    question = make_question(
        "d/f/multiple_choice/q-l", options=("B", "A", "D", "C"), correct_option=1, answer="A"
    )
    assert choice_labels(question) == ["1", "2", "3", "4"]
    assert choice_hint(question) == "1–4, or the letter itself"
    assert parse_choice(question, "a") == 1
    assert parse_choice(question, "2") == 1
    assert parse_choice(question, "e") is None
    mixed = make_question("d/f/multiple_choice/q-m", options=("1", "A", "2", "B"), correct_option=0)
    assert choice_labels(mixed) == ["", "", "", ""]
    assert choice_hint(mixed) == "the option itself"
    assert parse_choice(mixed, "b") == 3 and parse_choice(mixed, "2") == 2
    assert parse_choice(mixed, "3") is None


def test_a_very_long_list_answer_is_graded_without_hanging(bank: Bank) -> None:
    """Joining phrases around "and" was cubic: 400 items took 9.5 s (finding 3.4)."""
    typed = " and ".join(["prostate cancer"] * 2000)
    known = ["head and neck cancer", "prostate cancer"]
    assert split_list(typed, known) == ["prostate cancer"] * 2000
    assert split_list("head and neck cancer and " + typed, known)[:2] == known
    result = grade_text(by_id(bank, "primaries/list_recall"), typed + " and breast cancer")
    assert result.recalled == 2 and result.extra == ()  # a repeated answer counts once
    assert (result.verdict, result.rating) == (Verdict.PARTIAL, Rating.AGAIN)


# ---------------------------------------------------------------- issue 9: fair judging
# Graded against the built-in deck's bank, whose vocabulary and declared true extras are used.


@pytest.fixture
def builtin_by_id() -> dict[str, Question]:
    return _builtin_bank()


@pytest.mark.parametrize(
    ("qid", "typed", "verdict", "why"),
    [
        # the deck's vocabulary: synonyms, at the phrase level
        ("primary-bone-cancer-rare/cloze/c1", "uncommon", Verdict.RIGHT, "another form"),
        ("bone-common-site/cloze/c1", "frequent", Verdict.RIGHT, "another form"),
        ("cancer-definition/reversed", "malignancy", Verdict.RIGHT, "another form"),
        ("common-primaries/cloze/kidney", "renal cell carcinoma", Verdict.RIGHT, "kidney"),
        (
            "metastasis-from-primary-tissue/cloze/c1",
            "original tumour",
            Verdict.RIGHT,
            "another form",
        ),
        ("broken-bone-repair/cloze/c2", "screws", Verdict.RIGHT, "another form"),
        # a synonym never makes a wrong answer right: the rest of the phrase must match,
        # and a longer declared phrase is one concept ("secondary bone cancer" = metastasis)
        ("common-primaries/cloze/lung", "lung malignancy", Verdict.RIGHT, "another"),
        ("common-primaries/cloze/lung", "liver malignancy", Verdict.WRONG, "not an accepted"),
        ("biopsy-purpose/cloze/c1", "secondary bone cancer", Verdict.WRONG, "not an accepted"),
        ("primary-bone-cancer-rare/cloze/c1", "common", Verdict.WRONG, "not an accepted"),
        # word forms: plural, British/American spelling, spacing, words around the answer
        ("common-primaries/cloze/lung", "lungs", Verdict.RIGHT, "another form"),
        ("symptoms/cloze/high-calcium", "hypercalcemia", Verdict.RIGHT, "another form"),
        ("primary-bone-cancer-rare/cloze/c1", "they are rare", Verdict.RIGHT, "around it"),
        ("high-blood-calcium/cloze/c1", "calcium (Ca2+)", Verdict.RIGHT, "accepted"),
        ("cells-break-off/cloze/c1", "breakoff", Verdict.RIGHT, "spacing only"),
        ("broken-bone-repair/cloze/c1", "fixing", Verdict.RIGHT, "fixation"),
        ("high-calcium-effects/cloze/constipation", "constipated", Verdict.RIGHT, "another"),
        # "within" forms: carcinoma is cancer inside a phrase, not alone
        ("common-primaries/cloze/lung", "lung carcinoma", Verdict.RIGHT, "another"),
        ("common-primaries/cloze/kidney", "kidney ca", Verdict.RIGHT, "another order"),
        ("cancer-definition/reversed", "carcinoma", Verdict.WRONG, "not an accepted"),
        # two accepted answers together: the weaker counts; one wrong part makes it wrong
        ("steroids/cloze/c1", "inflamation and swelling", Verdict.ALMOST, "each part"),
        ("steroids/cloze/c1", "inflammation and infection", Verdict.WRONG, "not an accepted"),
        ("primary-bone-cancer-rare/cloze/c1", "rare or common", Verdict.WRONG, "not an accepted"),
        # a contrast's "A or B: which one …?": any part that tells the two apart
        ("mets-vs-primary-bone-cancer/reversed/1", "metastasis", Verdict.RIGHT, "tell the two"),
        ("mets-vs-primary-bone-cancer/reversed/2", "primary", Verdict.RIGHT, "tell the two"),
        ("mets-vs-primary-bone-cancer/reversed/2", "bone", Verdict.WRONG, "not an accepted"),
        ("mets-vs-primary-bone-cancer/reversed/1", "primary", Verdict.WRONG, "not an accepted"),
        # the words the question itself gives may be left out (almost: rated Hard)
        ("symptoms/cloze/pain", "pain", Verdict.ALMOST, "leaves out 'bone'"),
        ("physical-therapy/cloze/c1", "physical", Verdict.WRONG, "not an accepted"),
        # typos: transpositions, short words
        ("diagnostic-tests/cloze/bone-scan", "bone sacn", Verdict.ALMOST, "'sacn' for 'scan'"),
        ("diagnostic-tests/cloze/ct", "CT sacn", Verdict.ALMOST, "1 edit"),
        ("symptoms/cloze/pain", "bone pian", Verdict.ALMOST, "'pian' for 'pain'"),
        ("common-primaries/cloze/lung", "lnug", Verdict.ALMOST, "1 edit"),
        ("primary-bone-cancer-rare/cloze/c1", "raer", Verdict.ALMOST, "1 edit"),
        ("common-locations/cloze/ribs", "ribbs", Verdict.ALMOST, "1 edit"),
        ("most-travelling-cells-die/cloze/c1", "dei", Verdict.ALMOST, "1 edit"),
        # near misses that are other words are not typos
        ("symptoms/cloze/high-calcium", "hyperkalaemia", Verdict.WRONG, "'kal' and 'calc'"),
        ("high-calcium-effects/cloze/confusion", "concussion", Verdict.WRONG, "English word"),
        ("common-primaries/cloze/prostate", "prostrate", Verdict.WRONG, "English word"),
        ("surgery-after-fracture/cloze/c1", "broker", Verdict.WRONG, "English word"),
        ("common-primaries/cloze/lung", "liver", Verdict.WRONG, "not an accepted answer"),
        ("most-travelling-cells-die/cloze/c1", "dye", Verdict.WRONG, "not an accepted"),
    ],
)
def test_typed_answers_are_graded_as_a_teacher_would(
    builtin_by_id: dict[str, Question], qid: str, typed: str, verdict: Verdict, why: str
) -> None:
    result = grade_text(builtin_by_id[qid], typed)
    assert (result.verdict, typed) == (verdict, typed)
    assert why in result.explanation


def test_a_typo_may_not_spell_another_term_of_the_deck() -> None:
    question = make_question("d/f/cloze/c1", answer="fractured")
    assert grade_text(question, "fracturd").verdict is Verdict.ALMOST
    near = question._replace(near_misses=("fractional",))
    assert grade_text(near, "fractional").verdict is Verdict.WRONG
    assert match_text("fracturex", ["fractured"]) is Verdict.ALMOST


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("fixation, cementing, repair of fractures", 3),  # "fixation": only item 1 has it
        ("fixation with plates and screws, cementing", 2),  # one item, not split at "and"
        ("bone, cementing", 1),  # "bone" is a word the question gives: no item is credited
    ],
)
def test_an_item_in_fewer_words_counts_when_no_other_item_has_them(
    builtin_by_id: dict[str, Question], typed: str, found: int
) -> None:
    result = grade_text(builtin_by_id["surgical-approaches/list_recall"], typed)
    assert result.recalled == found, result.explanation


@pytest.mark.parametrize(
    ("typed", "pieces"),
    [
        ("scans (bone, CT, MRI), X-ray", ["bone scans", "CT scans", "MRI scans", "X-ray"]),
        ("incontinence (bladder + bowel)", ["bladder incontinence", "bowel incontinence"]),
        ("thyroid (all cancers), lung", ["thyroid (all cancers)", "lung"]),
    ],
)
def test_a_bracketed_list_shares_its_noun(typed: str, pieces: list[str]) -> None:
    assert split_list(typed) == pieces


def test_coordinated_phrases_count_as_their_items(builtin_by_id: dict[str, Question]) -> None:
    result = grade_text(builtin_by_id["symptoms/list_recall"], "urinary and bowel incontinence")
    assert [i.item for i in result.items if i.verdict is Verdict.RIGHT] == [
        "urinary incontinence",
        "bowel incontinence",
    ]
    assert result.extra == ()
    assert split_list("urinary and bowel incontinence") == ["urinary", "bowel incontinence"]


@pytest.mark.parametrize("typed", ["leg weakness", "weak arms", "weakness in legs and arms"])
def test_list_items_match_in_any_order_and_form(
    builtin_by_id: dict[str, Question], typed: str
) -> None:
    result = grade_text(builtin_by_id["symptoms/list_recall"], typed)
    limbs = next(i for i in result.items if i.item == "weakness in the legs or arms")
    assert limbs.verdict is Verdict.RIGHT
    assert result.extra == ()


@pytest.mark.parametrize(
    ("qid", "typed", "true_extra"),
    [
        ("pain-medicines/list_recall", "opioids, NSAIDs, paracetamol", ("paracetamol",)),
        (
            "diagnostic-tests/list_recall",
            "bone scan, CT, MRI, X-ray, blood tests, PET scan",
            ("PET scan",),
        ),
    ],
)
def test_declared_true_extras_on_open_lists_cost_nothing(
    builtin_by_id: dict[str, Question], qid: str, typed: str, true_extra: tuple[str, ...]
) -> None:
    result = grade_text(builtin_by_id[qid], typed)
    assert (result.verdict, result.rating) == (Verdict.RIGHT, Rating.GOOD)
    assert result.true_extra == true_extra and result.extra == ()
    undeclared = grade_text(builtin_by_id[qid], typed + ", liver biopsy")
    assert undeclared.extra == ("liver biopsy",) and undeclared.verdict is Verdict.PARTIAL


@pytest.mark.parametrize(
    ("typed", "recalled", "extra"),
    [
        ("breast lung prostate kidney thyroid", 5, ()),
        ("breast lung", 2, ()),
        ("breast cancer", 1, ()),  # one item, not two words
        ("breast bowel", 0, ("breast bowel",)),  # not every word is an item: one wrong answer
    ],
)
def test_items_typed_with_spaces_only_count_when_every_word_is_an_item(
    builtin_by_id: dict[str, Question], typed: str, recalled: int, extra: tuple[str, ...]
) -> None:
    result = grade_text(builtin_by_id["common-primaries/list_recall"], typed)
    assert (result.recalled, result.extra) == (recalled, extra), result.explanation


@pytest.mark.parametrize(
    ("qid", "typed", "verdict", "rating"),
    [
        # as many true examples as the source lists: almost (Hard), the card's list not all said
        ("pain-medicines/list_recall", "steroids, opioids", Verdict.ALMOST, Rating.HARD),
        ("high-calcium-effects/list_recall", "constipation, confusion, thirst, dehydration",
         Verdict.ALMOST, Rating.HARD),
        # a stand-in never makes up for a wrong answer, nor for more than the missing items
        ("pain-medicines/list_recall", "steroids, opioids, antibiotics",
         Verdict.PARTIAL, Rating.AGAIN),
        ("high-calcium-effects/list_recall", "thirst, dehydration", Verdict.PARTIAL, Rating.AGAIN),
        ("high-calcium-effects/list_recall", "nausea, vomiting, constipation, thirst",
         Verdict.ALMOST, Rating.HARD),
        # a closed list has no true extras to stand in
        ("common-primaries/list_recall", "breast, prostate, lung, kidney, bowel",
         Verdict.PARTIAL, Rating.HARD),
    ],
)  # fmt: skip
def test_a_declared_true_example_stands_in_for_a_source_item_not_given(
    builtin_by_id: dict[str, Question], qid: str, typed: str, verdict: Verdict, rating: Rating
) -> None:
    result = grade_text(builtin_by_id[qid], typed)
    assert (result.verdict, result.rating) == (verdict, rating), result.explanation


def test_an_open_list_cloze_asks_for_one_example_and_accepts_any_true_one(
    builtin_by_id: dict[str, Question],
) -> None:
    question = builtin_by_id["diagnostic-tests/cloze/mri"]
    assert "Name one more example" in question.prompt
    assert grade_text(question, "MRI").verdict is Verdict.RIGHT
    assert grade_text(question, "PET scan").verdict is Verdict.RIGHT  # declared true
    assert grade_text(question, "hearing test").verdict is Verdict.WRONG
    closed = builtin_by_id["common-locations/cloze/ribs"]
    assert "Name one more" not in closed.prompt and closed.also_true == ()


def test_every_open_list_cloze_accepts_more_than_its_hidden_item(
    builtin_by_id: dict[str, Question],
) -> None:
    deck = load_decks()[0]
    for fact in deck.facts:
        if fact.kind is FactKind.LIST and not fact.complete:
            for item in fact.items:
                question = builtin_by_id[f"{fact.id}/cloze/{item.id}"]
                assert question.also_true, question.id


@pytest.mark.parametrize(
    ("recalled", "extras", "rating"),
    [(4, 0, Rating.GOOD), (3, 0, Rating.HARD), (3, 1, Rating.HARD), (2, 0, Rating.AGAIN)],
)
def test_partial_credit_maps_to_ratings_predictably(
    bank: Bank, recalled: int, extras: int, rating: Rating
) -> None:
    items = ["prostate cancer", "breast cancer", "lung cancer", "kidney cancer"][:recalled]
    typed = ", ".join(items + ["liver cancer"] * extras)
    assert grade_text(by_id(bank, "primaries/list_recall"), typed).rating is rating


def test_authored_questions_without_options_are_typed_and_take_alternatives() -> None:
    """Issue 8 finding 13: they were shown with "Press Enter to reveal"."""
    question = make_question(
        "d/f/basic/q-stem", answer="osteoblast", accepted=("osteoblast", "bone-forming cell")
    )
    assert answer_mode(question) is Mode.TYPE
    assert grade_text(question, "bone-forming cell").verdict is Verdict.RIGHT
    assert grade_text(question, "osteoclast").verdict is Verdict.WRONG
    long = make_question("d/f/basic/q-why", answer="because the cells travel in the blood stream")
    assert answer_mode(long) is Mode.REVEAL


def test_questions_round_trip_with_what_grading_needs(builtin_by_id: dict[str, Question]) -> None:
    for question in builtin_by_id.values():
        assert Question.from_dict(question.to_dict()) == question
    assert builtin_by_id["primary-bone-cancer-rare/cloze/c1"].vocabulary


@functools.cache
def _builtin_bank() -> dict[str, Question]:
    return {q.id.removeprefix("bone-metastasis/"): q for q in generate_bank(load_decks())}


@given(
    st.sampled_from(
        [
            "symptoms/list_recall",
            "diagnostic-tests/cloze/mri",
            "primary-bone-cancer-rare/cloze/c1",
            "cancer-definition/reversed",
        ]
    ),
    st.text(max_size=80),
)
def test_grading_never_raises_on_random_text(qid: str, typed: str) -> None:
    question = _builtin_bank()[qid]
    result = grade_text(question, typed)
    assert result.verdict in set(Verdict) and "\n" not in result.explanation
    assert result.recalled <= len(question.items or ())


AUTHORED_DECK = """\
deck:
  id: d
  title: D
  description: A deck with an authored question.
  source: {title: S}
topics: [{id: t, title: T}]
facts:
  - id: blast
    kind: statement
    topic: t
    section: S
    text: "Osteoblasts {{build}} bone."
    questions:
      - id: what
        prompt: "What do we call a bone-building cell?"
        answer: "osteoblast"
        alternatives: ["bone-forming cell"]
"""


def test_study_types_and_grades_an_authored_question_and_says_why(tmp_path: Path) -> None:
    """Issue 8 finding 13: authored questions without options showed "Press Enter to reveal"
    and ignored their alternatives. Each verdict now explains itself in one line."""
    deck = tmp_path / "d.yaml"
    deck.write_text(AUTHORED_DECK, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "s.sqlite3"), "study", "--deck", str(deck), "--kind", "basic"],
        input="bone forming cells\n\n:q\n",
        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "BONEMETS_QUIZ_SEED": "1"},
    )
    assert result.exit_code == 0, result.output
    assert "Press Enter to reveal" not in result.output
    assert "Your answer (Enter to reveal)" in result.output
    assert "Right." in result.output
    assert "'bone forming cells' = 'bone-forming cell'" in result.output


@pytest.mark.parametrize(
    ("given", "expected", "ok", "why"),
    [
        ("raer", "rare", True, "1 edit"),  # an adjacent swap is one slip
        ("lnug", "lung", True, "1 edit"),
        ("pian", "pain", True, "1 edit"),
        ("ribbs", "ribs", True, "1 edit"),
        ("diee", "die", True, "1 edit"),  # a doubled letter in a 3-letter word
        ("metastsis", "metastasis", True, "1 edit"),
        ("tiroid", "thyroid", True, "2 edits"),  # 7 letters: two slips
        ("fracture", "fractured", True, "another form"),
        ("from", "form", False, "English word"),  # a swap that spells a word
        ("dye", "die", False, "too different"),  # 3 letters: only a swap or a doubling
        ("prostrate", "prostate", False, "English word"),
        ("concussion", "confusion", False, "English word"),
        ("hyperkalaemia", "hypercalcaemia", False, "'kal' and 'calc'"),
        ("osteoclast", "osteoblast", False, "'clast' and 'blast'"),
        ("hypocalcaemia", "hypercalcaemia", False, "'hypo' and 'hyper'"),
        ("t12", "t10", False, "numbers"),
        ("nung", "lung", False, "first letter"),
        ("cut", "cat", False, "too different"),
    ],
)
def test_the_typo_rule(given: str, expected: str, ok: bool, why: str) -> None:
    from bonemets_quiz.text.typo import typo_of

    check = typo_of(given, expected)
    assert (check.ok, given) == (ok, given)
    assert why in check.reason


@pytest.mark.parametrize(
    ("forms", "same"),
    [
        (("tumour", "tumor", "tumours", "tumors"), True),
        (("anaemia", "anemia"), True),
        (("oesophagus", "esophagus"), True),
        (("stabilise", "stabilize", "stabilised"), False),  # -d is not a plural
        (("stabilisation", "stabilization"), True),
        (("centre", "center"), True),
        (("metastasis", "metastases"), True),
        (("vertebra", "vertebrae"), True),
        (("rib", "ribs"), True),
        (("injury", "injuries"), True),
        (("pelvis", "pelvi"), False),  # "-is" is not a plural ending
        (("four", "for"), False),  # -our only in longer words
        (("shoe", "she"), False),
    ],
)
def test_word_forms_share_one_key(forms: tuple[str, ...], same: bool) -> None:
    from bonemets_quiz.text.wordforms import word_key

    assert (len({word_key(f) for f in forms}) == 1) is same
