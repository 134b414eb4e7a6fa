"""Deck input that once got past the loader (issue 8): every command refuses it, located, exit 2.

Hostile files (FIFOs, sparse files, devices, surrogate escapes) are made in tmp_path here.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bonemets_quiz.bank import cache as bank_cache
from bonemets_quiz.bank.loading import load_deck, load_decks, parse_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.file_bytes import MAX_FILE_BYTES, read_deck_bytes
from bonemets_quiz.educators.starter import starter_deck
from bonemets_quiz.errors import DeckError

CORPUS = Path(__file__).parent / "malformed"
SAMPLE = Path(__file__).parent / "data" / "sample-deck.yaml"

HEAD = """\
deck:
  id: bad
  title: Bad deck
  description: A deck with one mistake.
  source:
    title: Somewhere
topics:
  - id: basics
    title: Basics
facts:
  - id: f1
    kind: definition
    topic: basics
    section: Intro
"""


def commands(deck: Path, out: Path) -> dict[str, list[str]]:
    """Every command that reads a deck, pointed at ``deck``."""
    return {
        "questions": ["questions", "--deck", str(deck)],
        "study": ["--store", str(out / "s.db"), "study", "--deck", str(deck), "--new", "1"],
        "export": ["export", "--deck", str(deck), "-o", str(out / "x.apkg")],
        "csv": ["export", "--deck", str(deck), "--format", "csv", "-o", str(out / "x.csv")],
        "worksheet": ["worksheet", "--deck", str(deck), "-o", str(out / "w.html")],
        "stats": ["--store", str(out / "s.db"), "stats", "--deck", str(deck)],
    }


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def refused_everywhere(deck: Path, tmp_path: Path, first_line: str) -> None:
    """validate and every other command exit 2, first line the same, no traceback, no output."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    checked = CliRunner().invoke(cli, ["validate", str(deck)], input="")
    assert checked.exit_code == 2, checked.output
    assert checked.stdout.splitlines()[0] == first_line
    for name, args in commands(deck, out).items():
        result = CliRunner().invoke(cli, args, input="\n3\n")
        assert result.exit_code == 2, (name, result.output)
        assert result.stderr.splitlines()[0] == first_line, name
        assert result.exception is None or isinstance(result.exception, SystemExit), name
    assert sorted(p.name for p in out.iterdir()) in ([], ["s.db"]), "nothing written"
    leftovers = [p for p in (tmp_path / "cache").rglob("*.tmp")]
    assert leftovers == []


# --- High 1: surrogate escapes -------------------------------------------------------------


@pytest.mark.parametrize(
    "escape", ["\\ud800", "\\udfff", "x \\ude00\\ud83d y", "\\U0000D800", "\\ud83d"]
)
def test_lone_surrogate_escape_is_refused_with_its_location(tmp_path: Path, escape: str) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(HEAD + f'    term: "{escape}"\n    definition: a thing\n', encoding="utf-8")
    with pytest.raises(DeckError, match="half of a UTF-16 surrogate pair") as caught:
        load_deck(deck)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (15, 11)
    assert "half of a UTF-16 surrogate pair" in problem.message
    assert "\\U0001F600" in problem.hint
    refused_everywhere(deck, tmp_path, str(problem))


def test_surrogate_in_a_key_or_a_list_is_refused_too(tmp_path: Path) -> None:
    text = (
        HEAD + '    term: x\n    definition: a thing\n    "\\udc80": 1\n    aliases: ["\\ud801"]\n'
    )
    with pytest.raises(DeckError, match="surrogate") as caught:
        parse_deck(text, "d.yaml")
    where = [(p.line, p.column) for p in caught.value.problems]
    assert where == [(17, 5), (18, 15)]


def test_an_escaped_surrogate_pair_is_joined_into_its_character(tmp_path: Path) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text(
        HEAD + '    term: "smile \\ud83d\\ude00"\n    definition: a happy face\n', encoding="utf-8"
    )
    assert load_deck(deck).facts[0].term == "smile \U0001f600"
    result = CliRunner().invoke(cli, ["questions", "--deck", str(deck), "--json"])
    assert result.exit_code == 0, result.output
    assert any(row["answer"] == "smile \U0001f600" for row in json.loads(result.stdout))


def test_a_raw_surrogate_given_to_the_api_is_named_as_such() -> None:
    with pytest.raises(DeckError, match="a lone surrogate U\\+D800 is not allowed"):
        parse_deck(HEAD + "    term: \ud800\n", "d.yaml")


@pytest.mark.parametrize("failure", ["unwritable value", "disk full"])
def test_bank_cache_write_that_fails_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    bank = bank_cache.build_bank([str(SAMPLE)], 0, "key")
    if failure == "unwritable value":
        question = bank.questions[0]._replace(answer=object())  # marshal cannot write it
        bank = bank._replace(questions=(question, *bank.questions[1:]))
    else:

        def full(*args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(bank_cache.os, "replace", full)
    bank_cache._write(str(tmp_path), "bank-x.marshal", bank)  # silent: the cache is optional
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_dead_writers_are_pruned(tmp_path: Path) -> None:
    dead = tmp_path / ".bank-0000.marshal.999999999.tmp"
    dead.write_text("half")
    mine = tmp_path / f".bank-0000.marshal.{os.getpid()}.tmp"
    mine.write_text("in progress")
    bank_cache._write(str(tmp_path), "bank-1.marshal", bank_cache.build_bank([str(SAMPLE)], 0, "k"))
    assert not dead.exists() and mine.exists()


# --- High 3: file type and size before reading ------------------------------------------------


def _run_bounded(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a child with 1 GiB of address space: reading a huge file fails, not swaps."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(cwd / "cache"),
        "XDG_DATA_HOME": str(cwd / "data"),
    }
    return subprocess.run(
        [sys.executable, "-c", "from bonemets_quiz.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        preexec_fn=limit,
        timeout=120,  # a guard against a FIFO that blocks: the command itself must return at once
        stdin=subprocess.DEVNULL,
    )


def _hostile(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "deck.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "sparse":
        with open(path, "wb") as handle:
            handle.truncate(4 << 30)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("kind", ["fifo", "sparse", "zero"])
@pytest.mark.parametrize("command", ["study", "questions", "validate"])
def test_hostile_deck_file_is_refused_before_reading(
    tmp_path: Path, kind: str, command: str
) -> None:
    deck = _hostile(tmp_path, kind)
    args = ["validate", str(deck)] if command == "validate" else [command, "--deck", str(deck)]
    if command == "study":
        args = ["--store", str(tmp_path / "s.db"), *args]
    result = _run_bounded(args, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    words = {"fifo": "FIFO", "sparse": "over the 2 MiB limit", "zero": "a device"}[kind]
    assert f"{deck}: " in result.stdout + result.stderr
    assert words in result.stdout + result.stderr


def test_hostile_files_inside_a_deck_directory(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "good.yaml").write_bytes(SAMPLE.read_bytes())
    os.mkfifo(decks / "pipe.yaml")
    result = _run_bounded(
        ["--store", str(tmp_path / "s.db"), "study", "--deck", str(decks)], tmp_path
    )
    assert result.returncode == 2
    assert (
        f"{decks / 'pipe.yaml'}: is not a regular file (it is a FIFO (named pipe))" in result.stderr
    )


def test_read_deck_bytes_checks_type_and_size_first(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DeckError, match="FIFO"):
        read_deck_bytes(fifo)
    with pytest.raises(DeckError, match="is a directory"):
        read_deck_bytes(tmp_path)
    with pytest.raises(DeckError, match="no such file"):
        read_deck_bytes(tmp_path / "missing.yaml")
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_deck_bytes(exact)) == MAX_FILE_BYTES


def test_the_cache_key_never_opens_an_unusual_file(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    with pytest.raises(DeckError, match="FIFO"):
        bank_cache.cache_key([str(fifo)], 0)
    with pytest.raises(DeckError, match="FIFO"):
        bank_cache.load_bank([str(tmp_path)], 0, str(tmp_path / "cache"))


# --- Medium 6: what validate calls an error, every command refuses ------------------------


@pytest.mark.parametrize(
    "name",
    [
        "false-variant-is-true.yaml",
        "cloze-hides-everything.yaml",
        "distractor-is-answer.yaml",
        "cloze-in-list-prompt.yaml",
    ],
)
def test_every_command_refuses_what_validate_calls_an_error(tmp_path: Path, name: str) -> None:
    deck = tmp_path / name
    deck.write_bytes((CORPUS / name).read_bytes())
    with pytest.raises(DeckError, match=re.escape(str(deck))) as caught:
        load_decks([deck])  # the library API too
    refused_everywhere(deck, tmp_path, str(caught.value.problems[0]))


def test_study_from_a_warm_cache_does_not_import_the_loader(tmp_path: Path) -> None:
    """The rules run while loading, and loading is skipped when the bank is cached."""
    code = (
        "import sys; from bonemets_quiz.bank.cache import load_bank; "
        f"load_bank([{str(SAMPLE)!r}], 0, {str(tmp_path)!r}); "
        "print(sorted(m for m in sys.modules if m.startswith(('yaml', 'bonemets_quiz.bank.lint'))))"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "bonemets_quiz.bank.lint.lint" in first.stdout
    assert again.stdout.strip() == "[]"


# --- Medium 7: validate reports every deck ---------------------------------------------------


def test_validate_reports_every_deck_when_one_is_missing(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(starter_deck("good", "Good", "good.yaml"), encoding="utf-8")  # lints clean
    bad = tmp_path / "bad.yaml"
    bad.write_bytes((CORPUS / "false-variant-is-true.yaml").read_bytes())
    missing = tmp_path / "missing.yaml"
    result = CliRunner().invoke(cli, ["validate", str(good), str(missing), str(bad)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == f"{missing}: no such file — check the path"
    assert lines[1].startswith(f"{bad}:16:22: false variant")
    assert any(line.startswith(f"{good}: ok — ") for line in lines)
    assert any(line.startswith(f"{bad}: 1 error — ") for line in lines)
    assert lines[-1] == "2 errors, 0 warnings"
    report = json.loads(
        CliRunner().invoke(cli, ["validate", "--json", str(good), str(missing)]).stdout
    )
    assert [d["path"] for d in report["decks"]] == [str(good)]
    assert report["errors"] == 1


def test_validate_against_a_missing_old_deck_still_checks_the_new_one(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(starter_deck("good", "Good", "good.yaml"), encoding="utf-8")  # lints clean
    result = CliRunner().invoke(
        cli, ["validate", str(good), "--against", str(tmp_path / "old.yaml")]
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'old.yaml'}: no such file" in result.stdout
    assert f"{good}: ok — " in result.stdout


# --- Low: file names reach the terminal escaped ---------------------------------------------


def test_control_and_bidi_characters_in_deck_file_names_are_escaped(tmp_path: Path) -> None:
    deck = tmp_path / "evil\x1b[31m\u202egnp.yaml"
    result = CliRunner().invoke(cli, ["questions", "--deck", str(deck)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "evil\\x1b[31m\\u202egnp.yaml: no such file" in result.stderr
    checked = CliRunner().invoke(cli, ["validate", str(deck)])
    assert "\x1b" not in checked.stdout and "evil\\x1b[31m" in checked.stdout


def test_store_path_with_escape_sequences_is_escaped(tmp_path: Path) -> None:
    store = tmp_path / "st\x1b]0;pwned\x07ore.db"
    result = CliRunner().invoke(cli, ["--store", str(store), "stats"])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "st\\x1b]0;pwned\\x07ore.db" in result.output


# --- Low: a damaged bank cache is rebuilt -----------------------------------------------------


def test_a_plausibly_edited_cache_file_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = bank_cache.load_bank([str(SAMPLE)], 0, str(cache))
    (file,) = cache.glob("bank-*.marshal")
    original = file.read_bytes()
    answer = first.questions[0].answer.encode()
    tampered = original.replace(answer, b"W" * len(answer), 1)  # same length: still well formed
    assert tampered != original
    file.write_bytes(tampered)
    again = bank_cache.load_bank([str(SAMPLE)], 0, str(cache))
    assert again.questions[0].answer.encode() == answer
    assert file.read_bytes() == original  # rebuilt and rewritten


def test_a_file_name_that_is_not_utf8_prints_as_escapes_in_text_and_json(tmp_path: Path) -> None:
    name = os.fsdecode(os.fsencode(tmp_path) + b"/\xff.yaml")
    text = CliRunner().invoke(cli, ["validate", name])
    assert text.exit_code == 2
    assert text.stdout.startswith(f"{tmp_path}/\\udcff.yaml: no such file")
    report = CliRunner().invoke(cli, ["validate", "--json", name])
    assert json.loads(report.stdout)["problems"][0]["path"] == name


def test_a_path_too_long_for_the_file_system_is_one_located_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["questions", "--deck", str(tmp_path / ("a" * 300))])
    assert result.exit_code == 2
    assert result.stderr.endswith(": cannot read: File name too long — check the path\n")


def test_an_old_version_with_a_broken_rule_can_still_be_compared_against(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_bytes((CORPUS / "false-variant-is-true.yaml").read_bytes())
    new = tmp_path / "new.yaml"
    new.write_text(old.read_text().replace('["The skeleton has 206 bones."]', '["It has 12."]'))
    result = CliRunner().invoke(cli, ["validate", str(new), "--against", str(old)])
    assert f"{old}:" not in result.stdout  # its own broken rule is not the new deck's problem
    assert "now asks what 'bad/f1/true_false/true' asks" in result.stdout  # compared
