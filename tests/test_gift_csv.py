"""GIFT (Moodle) and CSV exports: every question round-trips, special characters survive."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gift_parser import GiftQuestion, parse_gift

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.model import Question, QuestionKind
from bonemets_quiz.export.csv_export import ANKI_HEADERS, render_csv
from bonemets_quiz.export.gift import gift_escape, is_essay, render_gift

K = QuestionKind
BUILTIN = generate_questions(load_deck(builtin_deck_path()))

SPECIAL = """\
deck:
  id: special
  title: "Specials: {braces} / slashes"
  description: Text full of GIFT's special characters.
  source:
    title: Tests
topics:
  - id: t
    title: T
facts:
  - id: chars
    kind: definition
    topic: t
    section: S
    term: "a~b=c#d{e}f:g\\\\h"
    definition: "what :: names, {braces}, ~tildes~, = signs and # hashes mean"
    aliases: ["[html]x", "%50% off", "a -> b", "5 * 3"]
    distractors: ["[plain] start", "%25% weight", "// not a comment"]
    false_variants: ["T"]
    note: |-
      Line one: {x}
      // line two looks like a comment

      after a blank line ####
  - id: list
    kind: list
    topic: t
    section: S
    prompt: "things with = and ~"
    items: ["x = y", "{z}", "p: q"]
    distractors: ["~a", "=b", "#c"]
  - id: stmt
    kind: statement
    topic: t
    section: S
    text: "{{A:B}} starts, {{~middle~|=mid}} sits between, and the end is {{#end}}"
  - id: tagged
    kind: definition
    topic: t
    section: S
    html: true
    term: "bold <b>term</b>"
    definition: "a <b>strong</b> idea<script>alert(1)</script>"
    questions:
      - id: typed
        prompt: "Type x -> y?"
        answer: "x -> y"
      - id: pick
        prompt: "Pick one: {a}"
        answer: "[a]"
        options: ["b", "c", "%10%d"]
"""


def special_questions() -> list[Question]:
    return generate_questions(parse_deck(SPECIAL, "special.yaml"))


def expected_text(q: Question, parsed: GiftQuestion) -> str:
    if q.kind is K.TRUE_FALSE:
        return q.prompt.removeprefix("True or false: ")
    if parsed.missing_word:
        return q.prompt.replace("[...]", "_____")
    return q.prompt


def assert_round_trip(q: Question, parsed: GiftQuestion, title: str) -> None:
    assert parsed.name == q.id
    assert (
        parsed.category == "$course$/" + " ".join(title.split()).replace("/", "//") + f"/{q.topic}"
    )
    assert parsed.format == ("html" if q.html else "plain")
    if not q.html:
        assert parsed.text == expected_text(q, parsed)
    if q.note and not q.html:
        assert parsed.general_feedback.endswith(q.note.strip())
    if q.kind is K.MULTIPLE_CHOICE:
        assert parsed.qtype == "multichoice"
        if not q.html:
            assert [a.text for a in parsed.answers] == list(q.options or ())
        assert [a.fraction for a in parsed.answers] == [
            1.0 if i == q.correct_option else 0.0 for i in range(len(q.options or ()))
        ]
    elif q.kind is K.TRUE_FALSE:
        assert parsed.qtype == "truefalse" and parsed.truth is (q.answer == "True")
    elif is_essay(q):
        assert parsed.qtype == "essay" and not parsed.answers
        for part in q.items or (q.answer,):
            assert q.html or part in parsed.general_feedback
        assert parsed.general_feedback.startswith("Model answer:")
    else:
        assert parsed.qtype == "shortanswer"
        accepted = list(
            dict.fromkeys(a.replace("->", "→").replace("*", "\\*") for a in (q.answer, *q.accepted))
        )
        if not q.html:
            assert [a.text for a in parsed.answers] == accepted
        assert all(a.fraction == 1.0 for a in parsed.answers)


def test_escape_matches_moodles_own_exporter() -> None:
    assert gift_escape("a\\b~c=d#e{f}g:h\ni\r") == "a\\\\b\\~c\\=d\\#e\\{f\\}g\\:h\\ni"


def test_special_characters_round_trip() -> None:
    questions = special_questions()
    title = "Specials: {braces} / slashes"
    parsed = parse_gift(render_gift(questions, title))
    assert len(parsed) == len(questions)
    for q, p in zip(questions, parsed, strict=True):
        assert_round_trip(q, p, title)
    by_name = {p.name: p for p in parsed}
    typed = by_name["special/tagged/basic/q-typed"]
    assert [a.text for a in typed.answers] == ["x → y"], "-> would make a matching question"
    picked = by_name["special/tagged/multiple_choice/q-pick"]
    assert sorted(a.text for a in picked.answers) == ["%10%d", "[a]", "b", "c"]
    assert "<script" not in render_gift(questions, title)
    middle = by_name["special/stmt/cloze/c2"]
    assert (
        middle.missing_word
        and middle.text == "A:B starts, _____ sits between, and the end is #end."
    )
    last = by_name["special/stmt/cloze/c3"]
    assert last.missing_word and last.text.endswith("and the end is _____.")


def test_builtin_deck_gift_parses_and_every_question_round_trips() -> None:
    title = "Bone Metastasis"
    text = render_gift(BUILTIN, title)
    parsed = parse_gift(text)
    assert len(parsed) == len(BUILTIN) == 159
    for q, p in zip(BUILTIN, parsed, strict=True):
        assert_round_trip(q, p, title)
    kinds = {p.qtype for p in parsed}
    assert kinds == {"multichoice", "truefalse", "shortanswer", "essay"}
    essays = sum(1 for q in BUILTIN if is_essay(q))
    assert sum(p.qtype == "essay" for p in parsed) == essays
    assert f"// 159 questions from bonemets-quiz, {essays} of them essays" in text
    assert sum(p.missing_word for p in parsed) > 50, "cloze blanks sit inside the sentence"


def test_gift_files_each_topic_in_its_own_category() -> None:
    text = render_gift(BUILTIN, "Bone Metastasis")
    categories = [line for line in text.splitlines() if line.startswith("$CATEGORY:")]
    # one line each time the topic changes (the deck puts its safety questions first, whatever
    # their topic); every question is filed under its own topic (see the round-trip test)
    runs = [
        t for n, t in enumerate(q.topic for q in BUILTIN) if n == 0 or BUILTIN[n - 1].topic != t
    ]
    assert categories == [f"$CATEGORY: $course$/Bone Metastasis/{t}" for t in runs]
    assert {c.rsplit("/", 1)[1] for c in categories} == {q.topic for q in BUILTIN}


# --- CSV -----------------------------------------------------------------------------------------


def rows(text: str) -> list[list[str]]:
    body = "".join(line for line in io.StringIO(text) if not line.startswith("#"))
    return list(csv.reader(io.StringIO(body)))


def test_csv_has_question_answer_tags_for_every_question() -> None:
    questions = special_questions()
    text = render_csv(questions)
    assert text.splitlines()[: len(ANKI_HEADERS)] == list(ANKI_HEADERS)
    table = rows(text)
    assert len(table) == len(questions)
    for q, (question, answer, tags) in zip(questions, table, strict=True):
        assert question.startswith(q.prompt)
        assert tags.split() == [
            f"bonemets::deck::{q.deck_id}",
            f"bonemets::topic::{q.topic}",
            f"bonemets::kind::{q.kind.value}",
        ]
        if q.kind is K.MULTIPLE_CHOICE:
            letter = "ABCD"[q.correct_option or 0]
            assert f"\n{letter}. {q.answer}" in question and answer.startswith(f"{letter}. ")
        elif q.items:
            assert answer.startswith("; ".join(q.items))
        else:
            assert answer.startswith(q.answer)
        if q.note:
            assert answer.endswith(f"\n\n{q.note}")
    plain = render_csv(questions, anki_headers=False)
    assert not plain.startswith("#") and rows(plain) == table


def test_csv_imports_into_real_anki_as_text(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from anki.collection import Collection, ImportCsvRequest

    questions = special_questions()
    path = tmp_path / "cards.csv"
    path.write_text(render_csv(questions), encoding="utf-8")
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
        assert (metadata.tags_column, metadata.is_html) == (3, False)
        col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        assert len(notes) == len(questions)
        fronts = {note.fields[0]: note for note in notes}
        tagged = fronts["What is bold &lt;b&gt;term&lt;/b&gt;?"]
        assert tagged.fields[1].startswith("A &lt;b&gt;strong&lt;/b&gt; idea&lt;script&gt;")
        assert sorted(tagged.tags) == [
            "bonemets::deck::special",
            "bonemets::kind::basic",
            "bonemets::topic::t",
        ]
        noted = next(n for n in notes if "Line one: {x}" in n.fields[1])
        assert "<br>" in noted.fields[1], "line breaks survive as line breaks"
    finally:
        col.close()


# --- through the export command ------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("gift", ".gift.txt"), ("csv", ".csv")])
def test_export_command_writes_gift_and_csv(tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"quiz{suffix}"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "gift":
        assert len(parse_gift(text)) == len(BUILTIN)
    else:
        assert len(rows(text)) == len(BUILTIN)


FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("start", FORMULAS)
def test_csv_cells_a_spreadsheet_would_run_start_with_an_apostrophe(start: str) -> None:
    deck = SPECIAL.replace('prompt: "Type x -> y?"', f"prompt: {json.dumps(start)}")
    deck = deck.replace('answer: "x -> y"', f"answer: {json.dumps(start)}")
    questions = generate_questions(parse_deck(deck, "special.yaml"))
    typed = next(q for q in questions if q.id.endswith("q-typed"))
    assert typed.prompt == start
    (row,) = [r for r in rows(render_csv(questions)) if r[0].lstrip("'") == start]
    assert row[0] == "'" + start
    for cell in (c for r in rows(render_csv(questions)) for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_csv_cells_starting_with_a_tab_or_carriage_return_are_guarded_too() -> None:
    from bonemets_quiz.export.csv_export import safe_cell

    assert [safe_cell(c) for c in ("\tx", "\rx", "x=1", "")] == ["'\tx", "'\rx", "x=1", ""]
