"""Every command has help with examples; the installed package works from any directory."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bonemets_quiz
from bonemets_quiz.cli import COMMANDS, cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_examples(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Examples:" in result.output
    assert f"bonemets-quiz {name}" in result.output


def test_group_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output


def test_version_names_the_package_and_the_built_in_deck_s_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0, result.output
    path = bonemets_quiz.builtin_deck_path()
    deck = bonemets_quiz.load_deck(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert result.output.splitlines() == [
        f"bonemets-quiz, version {bonemets_quiz.__version__}",
        f"built-in deck: {deck.id} “{deck.title}”, format {deck.format}, version {digest}, "
        f"source updated {deck.source.updated}",
    ]
    assert deck.id == "bone-metastasis" and deck.source.updated == "2021-04-19"


def _readme_completion_lines() -> list[str]:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- completion:", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return block.splitlines()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_s_completion_scripts_come_from_the_real_entry_point(shell: str) -> None:
    (line,) = [x for x in _readme_completion_lines() if f"={shell}_source " in x]
    variable, value = re.search(r"(_[A-Z_]+_COMPLETE)=(\w+)", line).groups()  # type: ignore[union-attr]
    env = {**os.environ, variable: value}
    run = subprocess.run(
        [sys.executable, "-m", "bonemets_quiz"], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "_bonemets_quiz_completion" in run.stdout  # a script, not the usage text
    assert f"{variable}={shell}_complete" in run.stdout


def test_completion_offers_the_commands() -> None:
    env = {
        **os.environ,
        "_BONEMETS_QUIZ_COMPLETE": "bash_complete",
        "COMP_WORDS": "bonemets-quiz st",
        "COMP_CWORD": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "bonemets_quiz"], env=env, capture_output=True, text=True
    )
    assert run.stdout.split() == ["plain,stats", "plain,study"]


def test_questions_json_from_another_directory(tmp_path: Path) -> None:
    """The built-in deck is found from any working directory (it ships inside the package)."""
    run = subprocess.run(
        [sys.executable, "-m", "bonemets_quiz", "questions", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert len(rows) > 100
    assert all(r["section"] for r in rows)


def test_builtin_deck_ships_inside_the_package() -> None:
    path = bonemets_quiz.builtin_deck_path()
    assert path.is_file()
    package_dir = Path(bonemets_quiz.__file__).parent
    installed = "site-packages" in str(package_dir)
    if installed:
        assert package_dir in path.parents


@pytest.mark.parametrize("command", [["schema"], ["worksheet", "--count", "3"]])
def test_dash_output_means_standard_output(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*command, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert len(result.output) > 100
    assert not (tmp_path / "-").exists()


def test_export_help_and_readme_say_the_same_about_retired_questions() -> None:
    """Tagged and marked always; suspended only when Anki imports learning progress."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = CliRunner().invoke(cli, ["export", "--help"], terminal_width=100).output
    sentence = (
        "tagged `retired` with a notice on the card; they arrive suspended only if you tick "
        '"Import any learning progress"'
    )
    for text in (readme, shown):
        flat = " ".join(text.replace("\u201c", '"').replace("\u201d", '"').split())
        assert sentence in flat
        assert "exported suspended" not in flat
