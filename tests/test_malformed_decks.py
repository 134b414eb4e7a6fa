"""Every malformed deck gives exit 2 and a located, human message — never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bonemets_quiz.bank.loading import load_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.errors import DeckError

CORPUS = Path(__file__).parent / "malformed"

# file → (line, column, words the first message must contain)
EXPECTED: dict[str, tuple[int, int, str]] = {
    "alias-bomb.yaml": (4, 14, "aliases"),
    "answer-no.yaml": (16, 17, 'quotes: "no"'),
    "bad-indentation.yaml": (13, 4, "indented differently from the lines above"),
    "bad-slug.yaml": (11, 9, "not a slug"),
    "binary-junk.yaml": (2, 118, "not UTF-8"),
    "bool-html.yaml": (15, 11, "true or false"),
    "contrast-one-side.yaml": (16, 7, "exactly 2 sides"),
    "custom-tag.yaml": (14, 14, "tag '!include' is not allowed"),
    "date-as-text.yaml": (14, 14, "as a date"),
    "duplicate-id.yaml": (16, 5, "duplicate fact id 'good-fact'"),
    "duplicate-key.yaml": (14, 5, "duplicate key 'topic'"),
    "empty-cloze.yaml": (15, 11, "deletion is empty"),
    "empty-value.yaml": (14, 13, "section is empty"),
    "empty.yaml": (1, 1, "file is empty"),
    "format-2.yaml": (1, 9, "unknown deck format 2"),
    "latin1.yaml": (2, 13, "not UTF-8"),
    "list-one-item.yaml": (16, 12, "at least 2 items"),
    "merge-key.yaml": (1, 1, "unknown key 'base'"),
    "missing-deck.yaml": (1, 1, "missing the required key 'deck'"),
    "missing-field.yaml": (11, 5, "missing the required key 'definition'"),
    "missing-kind.yaml": (11, 5, "missing the required key 'kind'"),
    "no-cloze.yaml": (15, 11, "needs at least one {{cloze}}"),
    "nul-bytes.yaml": (2, 8, "control character U+0000"),
    "number-as-text.yaml": (15, 11, "as a number"),
    "only-comment.yaml": (1, 1, "file is empty"),
    "python-tag.yaml": (14, 14, "python/object/apply:os.system' is not allowed"),
    "replaces-live.yaml": (16, 1, "still in the deck"),
    "syntax-error.yaml": (15, 11, "a quote opened here is never closed"),
    "tab-indent.yaml": (2, 1, "a tab character where YAML needs spaces"),
    "top-level-list.yaml": (1, 1, "must be a mapping"),
    "top-level-scalar.yaml": (1, 1, "must be a mapping"),
    "two-documents.yaml": (16, 1, "a second document starts here"),
    "unknown-key.yaml": (14, 5, "unknown key 'secton' in a statement fact — did you mean"),
    "unknown-kind.yaml": (12, 11, "unknown fact kind 'definiton'"),
    "unknown-topic.yaml": (13, 12, "unknown topic 'symptom'"),
    "wrong-kind-field.yaml": (17, 5, "belongs to list facts"),
    "wrong-type-list.yaml": (14, 14, "must be text, not a list"),
    "deep-nesting.yaml": (1, 43, "nested more than 40 levels deep"),
    "hex-format.yaml": (1, 9, "format must be a whole number"),
    "control-character.yaml": (14, 14, "section contains a control character"),
    "replaced-twice.yaml": (17, 1, "replaces 'old-fact', as fact 'f1' does"),
    "cloze-markup-in-item.yaml": (16, 20, "cannot contain {{, }} or ::"),
    "duplicate-item.yaml": (16, 20, "'Apple' is listed twice"),
    "contrast-same-term.yaml": (16, 7, "same term"),
    "duplicate-options.yaml": (20, 18, "two options say the same"),
    # YAML syntax errors, in a teacher's words (issue 8, finding 11)
    "unquoted-colon.yaml": (16, 15, "a colon followed by a space inside an unquoted value"),
    "unclosed-bracket.yaml": (16, 11, "a [ opened here is not closed"),
    "star-value.yaml": (16, 11, "a value starting with * is read by YAML as a reference"),
    "at-sign-value.yaml": (16, 11, "a value cannot start with @ — put the whole value in quotes"),
    "backslash-escape.yaml": (15, 19, "an unknown \\ escape inside double quotes"),
    "missing-colon.yaml": (16, 5, "a line that is not `key: value` inside a mapping"),
    "text-after-quote.yaml": (15, 21, "text after the closing quote"),
    "indented-too-far.yaml": (16, 10, "indented differently from the lines above"),
    # cloze markup where it means nothing (finding 18)
    "cloze-in-list-prompt.yaml": (15, 13, "{{ }} marks a cloze deletion"),
    "cloze-in-term.yaml": (15, 11, "{{ }} marks a cloze deletion"),
    "cloze-in-note.yaml": (16, 11, "{{ }} marks a cloze deletion"),
    # what validate calls an error, refused by the loader itself (finding 6)
    "false-variant-is-true.yaml": (16, 22, "false variant of fact 'f1' says the same"),
    "cloze-hides-everything.yaml": (15, 11, "leaves nothing to ask"),
    "distractor-is-answer.yaml": (17, 56, "distractor 'Osteoblast' of fact 'f1' is one of its"),
}


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_deck_is_reported_with_location(name: str) -> None:
    path = CORPUS / name
    line, column, words = EXPECTED[name]
    with pytest.raises(DeckError, match=re.escape(words)) as caught:
        load_deck(path)
    first = caught.value.problems[0]
    assert (first.path, first.line, first.column) == (str(path), line, column)
    assert words in str(first)
    assert first.hint, "every problem says how to fix it"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_cli_exits_2_with_one_line_per_problem(name: str) -> None:
    path = CORPUS / name
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    line, column, words = EXPECTED[name]
    first = result.stdout.splitlines()[0]  # a linter's findings are its output: `> lint.txt`
    assert first.startswith(f"{path}:{line}:{column}: ")
    assert words in first and " — " in first


def test_unknown_key_suggests_the_close_one() -> None:
    result = CliRunner().invoke(cli, ["validate", str(CORPUS / "unknown-key.yaml")])
    assert "unknown key 'secton' in a statement fact — did you mean 'section'?" in result.output
    assert "missing the required key 'section'" not in result.output  # one typo, one problem


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    deck = tmp_path / "many.yaml"
    deck.write_text(
        (CORPUS / "duplicate-key.yaml").read_text().replace("title: Bad deck", "title: yes")
        + "    colour: red\n"
    )
    result = CliRunner().invoke(cli, ["validate", str(deck)])
    lines = [x for x in result.output.splitlines() if x.startswith(str(deck))]
    assert result.exit_code == 2
    assert len(lines) == 3
    assert [x.split(":")[1] for x in lines] == ["3", "14", "17"]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["validate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert missing.output.startswith(f"{tmp_path / 'nope.yaml'}: no such file — check the path")
    empty_dir = runner.invoke(cli, ["validate", str(tmp_path)])
    assert empty_dir.exit_code == 2
    assert "directory holds no .yaml deck" in empty_dir.output


def test_questions_command_reports_bad_deck_without_traceback() -> None:
    result = CliRunner().invoke(cli, ["questions", "--deck", str(CORPUS / "answer-no.yaml")])
    assert result.exit_code == 2
    assert result.output.startswith(f"{CORPUS / 'answer-no.yaml'}:16:17: ")
    assert "Traceback" not in result.output


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# padding\n" * 300_000)
    with pytest.raises(DeckError, match="over the 2 MiB limit"):
        load_deck(big)
