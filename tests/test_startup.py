"""``study``'s start-up, up to its first question, imports none of the heavy libraries.

The real CLI runs in a subprocess with ``-X importtime``: each import is written to stderr as it
happens, and stdout and stderr share one unbuffered pipe, so the import lines that come before the
first question's header line are exactly the imports made before the question was shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"yaml", "_yaml", "fsrs", "genanki", "rapidfuzz"}
# Our own modules that the first question does not need: loaded once it is on screen, or later.
LATER = {
    "bonemets_quiz.study.grading.grade",  # grading: while the learner reads the first question
    "bonemets_quiz.study.grading.verdicts",
    "bonemets_quiz.study.grading.text",
    "bonemets_quiz.study.outcomes",  # what answering, undo and the session's end report
}
ENTRY_POINT = "import sys; from bonemets_quiz.__main__ import launch; sys.exit(launch())"
FIRST_HEADER = "── 1 · "  # the line above the first question


def imported_before_first_question(tmp_path: Path, prelude: str = "") -> set[str]:
    """Top-level names of the modules imported before the first question of a bare ``study``."""
    return {name.split(".")[0] for name in modules_before_first_question(tmp_path, prelude)}


def modules_before_first_question(
    tmp_path: Path,
    prelude: str = "",
    args: tuple[str, ...] = (),
    until: str = FIRST_HEADER,
    *,
    recent_backup: bool = True,
    runs: int = 2,
    zone: str | None = "UTC",
) -> set[str]:
    """The modules imported before the first question of a bare ``study`` (the built-in deck,
    its bank cache warm, a recent backup: a learner's usual start), by their full names;
    ``until``: the output that ends "before" (the first question's header); ``runs``: the last
    one counts (the first builds the bank cache); ``zone``: ``--tz`` (None: the machine's)."""
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "BONEMETS_QUIZ_STORE": str(tmp_path / "progress.sqlite3"),
        "BONEMETS_QUIZ_NOW": "2026-03-10T09:00:00+00:00",
        "BONEMETS_QUIZ_TZ": zone or "",
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",  # the header's rule is the same in any locale
    }
    if zone is None:
        env.pop("TZ", None)
    backups = tmp_path / "backups"  # a backup taken half an hour ago, as on a usual day
    if recent_backup:
        backups.mkdir(exist_ok=True)
        (backups / "progress-20260310T083000Z.sqlite3").write_bytes(b"")
    command = [sys.executable, "-u", "-X", "importtime", "-c", prelude + ENTRY_POINT, "study"]
    command += args
    for _ in range(runs):
        run = subprocess.run(
            command, input=b"", env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    output = run.stdout.decode("utf-8", errors="replace")
    assert run.returncode == 0, output
    before, header, _ = output.partition(until)
    assert header, f"no {until!r}:\n{output}"
    return {
        line.rsplit("|", 1)[1].strip()
        for line in before.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }


@pytest.fixture(scope="module")
def first_question_modules(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return modules_before_first_question(tmp_path_factory.mktemp("start-up"))


@pytest.fixture(scope="module")
def first_question_imports(first_question_modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in first_question_modules}


def test_study_imports_no_yaml_fsrs_genanki_or_rapidfuzz_before_its_first_question(
    first_question_imports: set[str],
) -> None:
    assert "bonemets_quiz" in first_question_imports and "click" in first_question_imports
    assert first_question_imports & HEAVY == set()


def test_study_start_up_reads_its_backups_names_without_strptime(
    first_question_imports: set[str],
) -> None:
    """Each start lists the store's backups: ``datetime.strptime`` on their names imported
    ``_strptime`` (calendar, locale, regexes), a few milliseconds before the first question."""
    assert "_strptime" not in first_question_imports


def test_the_start_up_check_sees_a_heavy_import(tmp_path: Path) -> None:
    found = imported_before_first_question(tmp_path, "import fsrs, genanki, rapidfuzz, yaml; ")
    assert found >= HEAVY - {"_yaml"}


# The first prompt of each way of answering: what is imported before it is out is what the
# first question cost; the grading modules load in a thread once it is out.
FIRST_PROMPTS = {
    "basic": "Press Enter to reveal",
    "multiple_choice": "Answer (",
    "list_recall": "Your answer (",
}


@pytest.mark.parametrize("kind", sorted(FIRST_PROMPTS))
def test_study_loads_what_only_answers_need_once_its_first_prompt_is_shown(
    tmp_path: Path, kind: str
) -> None:
    found = modules_before_first_question(tmp_path, "", ("--kind", kind), FIRST_PROMPTS[kind])
    assert "bonemets_quiz.cli.study_run" in found
    assert found & LATER == set()


def test_the_start_up_check_sees_our_own_later_modules(tmp_path: Path) -> None:
    prelude = "".join(f"import {name}; " for name in sorted(LATER))
    found = modules_before_first_question(tmp_path, prelude, ("--kind", "basic"), "Press Enter")
    assert found >= LATER


def test_a_backup_due_at_the_start_is_taken_once_the_first_question_is_on_screen(
    tmp_path: Path,
) -> None:
    """Copying a 100,000-review store (40 MB) and checking the copy took ~0.15 s before the
    first question on most days (a backup is due after 30 minutes); now the learner reads
    meanwhile. The backup is still taken before anything is written."""
    from test_backup import answer, reviews

    from bonemets_quiz.study.store.store import Store

    modules_before_first_question(tmp_path)  # the store made, the bank cache warm
    for old in (tmp_path / "backups").iterdir():
        old.unlink()
    with Store.open(tmp_path / "progress.sqlite3") as store:
        answer(store, "d/f000/basic")  # something to keep: a backup is due
    found = modules_before_first_question(tmp_path, recent_backup=False, runs=1)
    assert "bonemets_quiz.study.store.backup" not in found
    taken = list((tmp_path / "backups").iterdir())
    assert [len(reviews(path)) for path in taken] == [1]


# What the first question no longer waits for, each a millisecond or more of it (measured by
# ``benchmarks/bench_study.py``): JSON (the bank cache is marshal), textwrap (the usual line is
# wrapped without it), zoneinfo (the machine's zone comes from the C library), dataclasses,
# urllib (only read-only stores need it), tempfile (backups are taken once the question is out).
NOT_BEFORE_FIRST_QUESTION = {"json", "textwrap", "zoneinfo", "dataclasses", "urllib", "tempfile"}


def imported_by_python_itself() -> set[str]:
    """What this interpreter imports before running any code (``site``, and an editable
    install's finder, which imports pathlib and urllib)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"], capture_output=True, text=True
    )
    return {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if "|" in line}


def test_a_usual_start_waits_for_no_json_textwrap_zoneinfo_or_backup(tmp_path: Path) -> None:
    found = modules_before_first_question(tmp_path, zone=None) - imported_by_python_itself()
    assert {name.split(".")[0] for name in found} & NOT_BEFORE_FIRST_QUESTION == set()
