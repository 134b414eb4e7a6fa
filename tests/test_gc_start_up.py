"""Cyclic collection is paused while a command starts, and back on once it is under way."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from bonemets_quiz import gc_pause
from bonemets_quiz.cli import cli


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as the test found it, afterwards (on, nothing frozen)."""
    yield
    gc_pause._paused_for_start_up = False
    gc.unfreeze()
    gc.enable()


def test_the_start_up_pause_ends_once_with_start_ups_objects_frozen(collector: None) -> None:
    gc_pause.pause_start_up()
    assert not gc.isenabled()
    gc_pause.end_start_up()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gc.disable()  # someone else's pause: not ours to end
    gc_pause.end_start_up()
    assert not gc.isenabled()


def test_ending_a_start_up_that_was_not_paused_changes_nothing(collector: None) -> None:
    gc.disable()
    gc_pause.pause_start_up()  # already off: not paused by us
    gc_pause.end_start_up()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("command", ["export", "stats", "validate", "report"])
def test_any_command_but_study_ends_the_start_up_when_it_is_chosen(
    collector: None, command: str
) -> None:
    gc_pause.pause_start_up()
    with click.Context(cli) as ctx:
        assert cli.get_command(ctx, command) is not None
    assert gc.isenabled()


SCRIPT = """
import gc, sys
import bonemets_quiz.cli.terminal as terminal
def read_line(prompt, stream=None, shown=None):
    before = gc.isenabled()
    shown()
    print("collector:", before, gc.isenabled(), gc.get_freeze_count() > 0)
    raise EOFError
terminal.read_line = read_line
sys.argv = ["bonemets-quiz", "study", "--seed", "1"]
from bonemets_quiz.__main__ import launch
launch()
"""


def test_study_turns_the_collector_on_once_its_first_question_is_on_screen(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "BONEMETS_QUIZ_STORE": str(tmp_path / "progress.sqlite3"),
        "BONEMETS_QUIZ_NOW": "2026-03-10T09:00:00+00:00",
        "BONEMETS_QUIZ_TZ": "UTC",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    assert "collector: False True True" in run.stdout, run.stdout + run.stderr
