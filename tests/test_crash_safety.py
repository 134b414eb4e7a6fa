"""SIGKILL at random moments of a real, scripted ``study`` never loses an acknowledged answer.

The quiz runs as a subprocess on one store, answering Again to everything (so questions keep
coming back within the learn-ahead window), and is killed at a random moment, 30 times in a row.
The moment is counted in events, not seconds: the test reads the quiz's output as it comes and
kills after a random number of "Saved:" lines (or at once, before the store is even created), so
the test means the same on a fast machine and on a busy one.
After each kill: every answer whose "Saved:" line reached stdout is in the store, in order, at
most one more answer is (committed, killed before it was acknowledged), and the database passes
``PRAGMA integrity_check``. Each run starts on the store the previous kill left behind.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bonemets_quiz.bank.cache import build_bank

RUNS = 30
SEED = 20260310


def big_deck(facts: int = 40) -> str:
    lines = [
        "deck:",
        "  id: crash",
        "  title: Crash test",
        "  description: Statements only, one short cloze each.",
        "  source:",
        '    title: "Test"',
        "topics:",
        "  - id: t",
        "    title: T",
        "facts:",
    ]
    for n in range(facts):
        lines += [
            f"  - id: fact-{n}",
            "    kind: statement",
            "    topic: t",
            "    section: S",
            f"    text: Statement number {n} ends with {{{{word{n}}}}}.",
        ]
    return "\n".join(lines) + "\n"


def acknowledged(output: str, prompts: dict[str, str]) -> list[str]:
    """The question ids whose answers were confirmed on screen, in order."""
    done, current, expect_prompt = [], None, False
    for line in output.splitlines():
        if line.startswith("── "):
            expect_prompt = True
        elif expect_prompt and not line.startswith("   "):  # (a header may wrap)
            current, expect_prompt = prompts[line], False
        elif line.startswith("Saved:"):
            assert current is not None
            done.append(current)
    return done


def stored(store: Path) -> list[str]:
    """The answers in the store; a store killed before its first migration committed is empty."""
    if not store.exists():
        return []
    conn = sqlite3.connect(store)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "reviews" not in tables:
            return []
        return [r[0] for r in conn.execute("SELECT question_id FROM reviews ORDER BY id")]
    finally:
        conn.close()


def run_until_saved(command: list[str], env: dict[str, str], script: bytes, saves: int) -> bytes:
    """Start the quiz, SIGKILL it once ``saves`` "Saved:" lines have been read; return its output.

    ``saves == 0`` kills at once, while the store may still be being created.
    """
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:  # leaving it closes the three pipes
        assert process.stdin and process.stdout and process.stderr
        process.stdin.write(script)
        process.stdin.flush()  # stdin stays open: the session never ends by itself
        output, seen = b"", 0
        while seen < saves:
            line = process.stdout.readline()
            if not line:
                break  # the quiz stopped by itself: the assertions below say why
            output += line
            seen += line.startswith(b"Saved:")
        process.send_signal(signal.SIGKILL)
        output += process.stdout.read()  # what reached the pipe before the kill was shown
        process.wait()
        errors = process.stderr.read()
    assert process.returncode == -signal.SIGKILL, errors
    return output


def integrity(store: Path) -> str:
    """The store's integrity check ("ok" when there is none yet: read-only, this creates none)."""
    if not store.exists():
        return "ok"
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_at_random_moments_never_loses_an_acknowledged_answer(tmp_path: Path) -> None:
    deck = tmp_path / "crash.yaml"
    deck.write_text(big_deck(), encoding="utf-8")
    prompts = {q.prompt: q.id for q in build_bank([deck], 0).questions}
    store = tmp_path / "progress.sqlite3"
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "BONEMETS_QUIZ_TZ": "UTC",
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",  # each line reaches the pipe as it is shown
    }
    env.pop("BONEMETS_QUIZ_NOW", None)
    command = [sys.executable, "-m", "bonemets_quiz", "--store", str(store), "study"]
    command += ["--deck", str(deck), "--new", "1000"]
    answers = 5000  # more than a run can get through: every kill hits a busy session
    script = b"\n1\n" * answers  # reveal, then Again: the question comes back within minutes
    rng = random.Random(SEED)
    killed_mid_session = 0
    for run in range(RUNS):
        before = stored(store)
        saves = 0 if run % 6 == 0 else rng.randint(1, 25)
        raw = run_until_saved([*command, "--seed", str(run)], env, script, saves)
        output = raw.decode("utf-8", errors="replace")
        confirmed = acknowledged(output, prompts)
        now = stored(store)[len(before) :]
        assert now[: len(confirmed)] == confirmed, f"run {run}: an acknowledged answer was lost"
        assert len(now) - len(confirmed) in (0, 1), f"run {run}: unexpected extra answers"
        assert integrity(store) == "ok", f"run {run}"
        killed_mid_session += 0 < len(confirmed) < answers
    assert killed_mid_session >= RUNS // 2  # most kills hit a session in full swing
    assert len(stored(store)) >= 50
