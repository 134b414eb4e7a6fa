"""A session driven through a real terminal: tmux runs the quiz in a pseudo-terminal and types.

Skipped only when tmux is not installed (CI installs it: ``apt-get install tmux``).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_study import DECK
from deck_files import write_deck

TMUX = shutil.which("tmux")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(TMUX is None, reason="tmux is not installed")]
NOW = "2026-03-10T09:00:00+00:00"


class Terminal:
    """One tmux server (private socket) with one 100×40 window."""

    def __init__(self, socket: Path) -> None:
        self.socket = str(socket)

    def tmux(self, *args: str) -> str:
        run = subprocess.run(
            [TMUX or "tmux", "-S", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        line = " ".join(
            ["env", *(f"{k}={shlex.quote(v)}" for k, v in env.items()), *map(shlex.quote, command)]
        )
        shell = f'{line}; echo "EXIT=$?"; sleep 60'
        self.tmux("new-session", "-d", "-s", "quiz", "-x", "100", "-y", "40", shell)

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500", *(["-e"] if escapes else []))

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared on the terminal:\n{self.screen()}")

    def type(self, text: str) -> None:
        if text:
            self.tmux("send-keys", "-t", "quiz", "-l", text)
        self.tmux("send-keys", "-t", "quiz", "Enter")

    def key(self, name: str) -> None:
        self.tmux("send-keys", "-t", "quiz", name)

    def close(self) -> None:
        subprocess.run([TMUX or "tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path / "tmux.sock")
    yield term
    term.close()


def quiz_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "BONEMETS_QUIZ_NOW": NOW,
        "BONEMETS_QUIZ_TZ": "Europe/London",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm-256color",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PATH": os.environ.get("PATH", ""),
    }
    env.update(extra)
    return env


def test_a_session_through_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    deck = write_deck(tmp_path, DECK)
    store = tmp_path / "progress.sqlite3"
    command = [sys.executable, "-m", "bonemets_quiz", "--store", str(store), "study"]
    terminal.start([*command, "--deck", str(deck), "--seed", "1"], quiz_env(tmp_path))

    terminal.wait_for("Press Enter to reveal the answer.")
    terminal.type("")
    terminal.wait_for("Rate 1–4 [Enter = 3 Good]:")
    terminal.type("3")
    terminal.wait_for("Saved: Good, back in 10 min.")

    terminal.wait_for("Your answer (items separated by commas; Enter to reveal):")
    terminal.type("prostate cancer, breast cancer, lung")
    terminal.wait_for("Partly right: 3 of 4.")
    terminal.wait_for("Rate 1–4 [Enter = 2 Hard]:")
    terminal.type("")
    terminal.wait_for("Saved: Hard, back in 5.5 min.")

    terminal.wait_for("Cancers that start in bone itself are [...].")
    terminal.key("C-c")
    screen = terminal.wait_for("EXIT=130")
    assert "Session: 2 answered (Hard 1 · Good 1)" in screen
    assert "Traceback" not in screen
    assert "\x1b[" in terminal.screen(escapes=True)  # colour on a real terminal

    stats = subprocess.run(
        [sys.executable, "-m", "bonemets_quiz", "--store", str(store), "stats", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BONEMETS_QUIZ_NOW": NOW, "BONEMETS_QUIZ_TZ": "Europe/London"},
    )
    figures = json.loads(stats.stdout)
    assert figures["reviews_total"] == 2
    assert figures["counts"]["learning"] == 2


@pytest.mark.parametrize("variable", ["NO_COLOR", "TERM"])
def test_no_colour_with_no_color_or_a_dumb_terminal(
    terminal: Terminal, tmp_path: Path, variable: str
) -> None:
    deck = write_deck(tmp_path, DECK)
    store = tmp_path / "progress.sqlite3"
    extra = {"NO_COLOR": "1"} if variable == "NO_COLOR" else {"TERM": "dumb"}
    command = [sys.executable, "-m", "bonemets_quiz", "--store", str(store), "study"]
    terminal.start([*command, "--deck", str(deck)], quiz_env(tmp_path, **extra))
    terminal.wait_for("Press Enter to reveal the answer.")
    terminal.type("")
    terminal.wait_for("Rate 1–4")
    terminal.type("4")
    terminal.wait_for("Saved: Easy")
    terminal.key("C-d")  # end of input at a prompt
    screen = terminal.wait_for("EXIT=0")
    assert "Session: 1 answered (Easy 1)" in screen
    assert "\x1b[" not in terminal.screen(escapes=True)
