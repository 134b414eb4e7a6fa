"""Exported packages opened by the real Anki backend (the ``anki`` package): what learners get."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki_testkit import NOW, TEST_DECK, import_apkg, load, new_collection, visible_text
from deck_files import write_deck

from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.model import Question, QuestionKind
from bonemets_quiz.export.anki import export_apkg

pytest.importorskip("anki")

from anki.collection import Collection
from anki.notes_pb2 import NoteFieldsCheckResponse


class Imported:
    def __init__(self, col: Collection, questions: list[Question], log: object) -> None:
        self.col, self.questions, self.log = col, questions, log

    def note(self, question_id: str) -> object:
        nids = [
            nid for nid in self.col.find_notes("") if self.col.get_note(nid)["Id"] == question_id
        ]
        assert len(nids) == 1, question_id
        return self.col.get_note(nids[0])

    def card(self, question_id: str) -> object:
        (card,) = self.note(question_id).cards()
        return card


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    work = tmp_path_factory.mktemp("anki-import")
    decks, questions = load(write_deck(work, TEST_DECK))
    retired = _retired_question(questions[0])
    apkg = work / "test.apkg"
    export_apkg(decks, questions, apkg, now=NOW, retired=[retired], tags=["class::2025"])
    col = new_collection(work / "collection.anki2")
    log = import_apkg(col, apkg)
    yield Imported(col, questions, log)
    col.close()


def _retired_question(template: Question) -> Question:
    """A question the bank no longer generates (as the progress store would remember it)."""
    return template._replace(
        id="test-deck/old-fact/basic",
        fact_id="old-fact",
        prompt="What did the retired question ask?",
        answer="Something no longer taught.",
        note=None,
    )


def test_every_question_is_one_note_with_one_card(imported: Imported) -> None:
    col, questions = imported.col, imported.questions
    assert len(questions) == 23  # the test deck's bank; the retired question comes on top
    assert col.note_count() == len(questions) + 1
    assert col.card_count() == len(questions) + 1
    assert len(imported.log.new) == len(questions) + 1
    assert not imported.log.conflicting and not imported.log.duplicate
    ids = {col.get_note(nid)["Id"] for nid in col.find_notes("")}
    assert ids == {q.id for q in questions} | {"test-deck/old-fact/basic"}


def test_every_card_renders_a_question_and_an_answer(imported: Imported) -> None:
    for cid in imported.col.find_cards(""):
        card = imported.col.get_card(cid)
        question, answer = visible_text(card.question()), visible_text(card.answer())
        assert question, card.note()["Id"]
        assert answer and answer != question, card.note()["Id"]


def test_note_types_follow_the_question_kind(imported: Imported) -> None:
    expected = {
        QuestionKind.BASIC: "bonemets-quiz: Basic",
        QuestionKind.LIST_RECALL: "bonemets-quiz: Basic",
        QuestionKind.CLOZE: "bonemets-quiz: Cloze",
        QuestionKind.MULTIPLE_CHOICE: "bonemets-quiz: Multiple choice",
        QuestionKind.TRUE_FALSE: "bonemets-quiz: Multiple choice",
        QuestionKind.REVERSED: "bonemets-quiz: Type the answer",
    }
    for q in imported.questions:
        assert imported.note(q.id).note_type()["name"] == expected[q.kind], q.id


def test_cloze_card_hides_the_deletion_and_reveals_it_on_the_back(imported: Imported) -> None:
    card = imported.card("test-deck/sky/cloze/c2")
    front, back = visible_text(card.question()), visible_text(card.answer())
    assert front == "The sky is blue because of [...] ."
    assert "Rayleigh scattering" not in front
    assert "The sky is blue because of Rayleigh scattering ." in back
    assert re.search(r'<span class="cloze"[^>]*>Rayleigh scattering</span>', card.answer())


def test_multiple_choice_shows_options_then_marks_the_correct_one(imported: Imported) -> None:
    q = next(q for q in imported.questions if q.id == "test-deck/widget/multiple_choice/term")
    assert q.options is not None and q.correct_option is not None
    card = imported.card(q.id)
    front, back = card.question(), card.answer()
    options = re.findall(r"<li>(.*?)</li>", front)
    assert options == list(q.options)
    assert "correct-" not in front.split("</style>")[-1]  # nothing gives the answer away
    letter = "ABCD"[q.correct_option]
    assert f'class="choice correct-{q.correct_option + 1}"' in back
    assert f"Answer {letter}. widget" in visible_text(back)
    # the stylesheet highlights exactly that option: no JavaScript involved
    assert (
        f".correct-{q.correct_option + 1} .options > li:nth-child({q.correct_option + 1})" in back
    )
    assert "<script" not in back


def test_true_false_is_a_two_option_choice(imported: Imported) -> None:
    card = imported.card("test-deck/widget/true_false/false-1")
    assert re.findall(r"<li>(.*?)</li>", card.question()) == ["True", "False"]
    assert "Answer B. False" in visible_text(card.answer())


def test_reversed_questions_ask_to_type_the_answer(imported: Imported) -> None:
    card = imported.card("test-deck/widget/reversed")
    assert "[[type:Answer]]" in card.question()
    assert "Also accepted gadget" in visible_text(card.answer())


def test_list_recall_shows_the_items_as_a_list(imported: Imported) -> None:
    answer = imported.card("test-deck/colours/list_recall").answer()
    assert '<ul class="items"><li>red</li><li>green</li><li>blue</li></ul>' in answer


def test_answer_side_carries_the_clinical_note_and_the_source(imported: Imported) -> None:
    card = imported.card("test-deck/widget/basic")
    back = visible_text(card.answer())
    assert "Clinical note widgets are not sprockets." in back  # the label is not doubled
    assert "Section One" in back and "Test Source" in back
    assert "Clinical note" not in visible_text(card.question())


def test_script_and_markup_in_a_deck_arrive_as_text(imported: Imported) -> None:
    card = imported.card("test-deck/payload/cloze/c1")
    for side in (card.question(), card.answer()):
        body = side.split("</style>")[-1]
        assert "<script" not in body and "<img" not in body and "<b>" not in body
    assert "Never run <script>alert('x')</script> or <img src=x onerror=alert(1)>" in (
        _unescape(visible_text(card.question()))
    )
    back = _unescape(visible_text(card.answer()))
    assert "<script>document.title='pwned'</script>A note & more" in back
    assert "<b>Section</b> & more" in back


def test_html_marked_facts_keep_only_allowed_tags(imported: Imported) -> None:
    answer = imported.card("test-deck/marked-up/basic").answer().split("</style>")[-1]
    assert "<b>strong</b>" in answer
    assert "<script" not in answer and "alert(2)" not in answer
    assert "<img" not in answer and "onerror" not in answer


def test_one_subdeck_per_topic_under_the_deck_title(imported: Imported) -> None:
    col = imported.col
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Test Deck", "Test Deck::Alpha Topic", "Test Deck::Beta Topic"} <= names
    by_deck = Counter(col.decks.name(col.get_card(cid).did) for cid in col.find_cards(""))
    topics = Counter(q.topic for q in imported.questions)
    assert by_deck["Test Deck::Alpha Topic"] == topics["alpha"] + 1  # + the retired question
    assert by_deck["Test Deck::Beta Topic"] == topics["beta"]
    description = col.decks.by_name("Test Deck")["desc"]
    assert "Test Source" in description and "Educational, not medical advice." in description


def test_hierarchical_tags(imported: Imported) -> None:
    col = imported.col
    assert {
        "bonemets::topic::alpha",
        "bonemets::topic::beta",
        "bonemets::kind::cloze",
        "bonemets::kind::multiple_choice",
        "class::2025",
        "retired",
    } <= set(col.tags.all())
    cloze = {q.id for q in imported.questions if q.kind is QuestionKind.CLOZE}
    tagged = col.find_notes("tag:bonemets::kind::cloze")
    assert {col.get_note(nid)["Id"] for nid in tagged} == cloze
    assert len(col.find_notes("tag:class::2025")) == col.note_count()


def test_retired_questions_arrive_tagged_with_a_banner(imported: Imported) -> None:
    col = imported.col
    (nid,) = col.find_notes("tag:retired")
    assert col.get_note(nid)["Id"] == "test-deck/old-fact/basic"
    (card,) = col.get_note(nid).cards()
    for side in (card.question(), card.answer()):
        assert "Retired: this question is no longer in the deck." in visible_text(side)
    # Anki's default import ("learning progress" unticked) resets every card to new
    assert col.find_cards("is:suspended") == []


def test_retired_questions_stay_suspended_when_importing_progress(tmp_path: Path) -> None:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    apkg = tmp_path / "test.apkg"
    summary = export_apkg(
        decks, questions, apkg, now=NOW, retired=[_retired_question(questions[0])]
    )
    assert summary.suspended == 1
    col = new_collection(tmp_path / "collection.anki2")
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True)
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))
        assert col.find_cards("is:suspended") == col.find_cards("tag:retired")
        assert len(col.find_cards("is:suspended")) == 1
        assert len(col.find_cards("is:new -is:suspended")) == len(questions)
    finally:
        col.close()


@pytest.fixture(scope="module")
def builtin_imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    work = tmp_path_factory.mktemp("anki-builtin")
    decks = load_decks([builtin_deck_path()])
    questions = generate_bank(decks)
    apkg = work / "bone-metastasis.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    col = new_collection(work / "collection.anki2")
    log = import_apkg(col, apkg)
    yield Imported(col, questions, log)
    col.close()


def test_builtin_deck_imports_every_question(builtin_imported: Imported) -> None:
    assert builtin_imported.col.note_count() == len(builtin_imported.questions) > 100
    assert builtin_imported.col.card_count() == len(builtin_imported.questions)
    assert len(builtin_imported.log.new) == len(builtin_imported.questions)
    assert not builtin_imported.log.conflicting and not builtin_imported.log.duplicate


def test_builtin_deck_has_no_empty_cards(builtin_imported: Imported) -> None:
    report = builtin_imported.col.get_empty_cards()
    assert list(report.notes) == []
    for cid in builtin_imported.col.find_cards(""):
        card = builtin_imported.col.get_card(cid)
        assert visible_text(card.question()) and visible_text(card.answer())


def test_builtin_deck_has_no_duplicate_notes(builtin_imported: Imported) -> None:
    """Anki's own check (the editor's 'duplicate' warning: same first field, same note type)."""
    col = builtin_imported.col
    states = Counter(col.get_note(nid).fields_check() for nid in col.find_notes(""))
    assert states == {NoteFieldsCheckResponse.NORMAL: col.note_count()}
    guids = [col.get_note(nid).guid for nid in col.find_notes("")]
    assert len(set(guids)) == len(guids)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
