"""A terminal that cannot show every character (PYTHONIOENCODING=latin-1, an old console) gets
escapes like ``\\u2192`` from every command, never a UnicodeEncodeError traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bonemets_quiz.cli import main
from bonemets_quiz.deck.loader import builtin_deck_path

COMMANDS = {
    "help": ["--help"],
    "questions": ["questions"],
    "validate": ["validate", str(builtin_deck_path())],
    "study": ["study", "--now", "2026-03-01T09:00Z", "--tz", "UTC"],
    "stats": ["stats", "--now", "2026-03-01T09:00Z", "--tz", "UTC"],
    "undo": ["undo"],
    "export": ["export", "-o", "out.apkg", "--now", "2026-03-01T09:00Z"],
    "export-csv": ["export", "--format", "csv", "-o", "-"],
    "init": ["init", "new-deck.yaml"],
    "schema": ["schema"],
    "worksheet": ["worksheet"],
}


def run_main(
    monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = ""
) -> tuple[int, str, str]:
    """``bonemets-quiz ARGS`` as its entry point runs it, on strict Latin-1 output streams."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="strict")
    monkeypatch.setattr(sys, "argv", ["bonemets-quiz", *args])
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode()), "latin-1"))
    with pytest.raises(SystemExit, match=r"^\d*$") as exited:  # a status, never a message
        main()
    texts = []
    for stream in (out, err):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("latin-1"))  # type: ignore[attr-defined]
    return int(exited.value.code or 0), texts[0], texts[1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_writes_escapes_on_a_latin1_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BONEMETS_QUIZ_STORE", str(tmp_path / "progress.sqlite3"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, err = run_main(monkeypatch, COMMANDS[name], stdin="\nq\n")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert code == 0, (out, err)
    if name not in ("help", "undo", "init"):
        assert "\\u" in out + err  # something was written as an escape, not dropped


def test_latin1_terminal_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bonemets_quiz", "questions"],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"\\u2192" in done.stdout or b"\\u2014" in done.stdout
