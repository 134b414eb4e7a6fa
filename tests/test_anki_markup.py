"""Anki's own markup in deck text ([sound:…], [anki:tts]…, [anki:play:…], [latex]) arrives in
real Anki as the text it is: no audio, no play button, no LaTeX image, in .apkg and CSV alike."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from anki_testkit import NOW, TEST_DECK, import_apkg, load, new_collection, visible_text
from deck_files import write_deck

from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.csv_export import WORD_JOINER, render_csv

pytest.importorskip("anki")

MARKUP = (
    "[sound:boom.mp3] [anki:tts lang=en_US]spoken[/anki:tts] [anki:play:q:0] "
    "[latex]x^2[/latex] [$]y[/$] [SOUND:loud.mp3]"
)
DECK = TEST_DECK.replace(
    "definition: a small mechanical device", f'definition: "a device {MARKUP}"'
).replace('note: "Clinical note: widgets are not sprockets."', f'note: "Heard as {MARKUP}"')


def _shown(rendered: str) -> str:
    return html.unescape(visible_text(rendered)).replace(WORD_JOINER, "")


def test_anki_markup_in_deck_text_is_plain_text_in_an_apkg(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, DECK))
    apkg = tmp_path / "deck.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    col = new_collection(tmp_path / "collection.anki2")
    try:
        import_apkg(col, apkg)
        widget_cards = 0
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            assert card.question_av_tags() == [] and card.answer_av_tags() == []
            answer = _shown(card.answer())
            assert "LaTeX" not in answer and "[anki:play:a:" not in answer
            if "/widget/" in card.note()["Id"]:
                widget_cards += 1
                assert MARKUP in answer  # shown exactly as written
        assert widget_cards >= 4
    finally:
        col.close()


def test_anki_markup_in_a_csv_is_plain_text_in_anki(tmp_path: Path) -> None:
    from anki.collection import Collection, ImportCsvRequest

    _, questions = load(write_deck(tmp_path, DECK))
    path = tmp_path / "cards.csv"
    path.write_text(render_csv(questions), encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
        col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        shown = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            assert card.question_av_tags() == [] and card.answer_av_tags() == []
            shown.append(_shown(card.answer()))
        assert any(MARKUP in text for text in shown)
        assert not any("LaTeX" in text for text in shown)
    finally:
        col.close()
