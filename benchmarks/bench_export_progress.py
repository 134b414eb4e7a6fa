"""``export --with-progress`` of the built-in deck against plain ``export`` (target: ≤ 1.5×).

Builds a store of the built-in deck studied with ``--reviews`` answers (as
``bench_study.fill_store`` does: every question studied, over two years), then measures, best of
``--repeat``, the two runs taking turns (so that a busy machine slows both alike), in wall time
and in CPU time (which a busy machine disturbs less):

- in this process: the plain Anki export (``export_apkg``) against the export with the learner's
  schedule and review log, reading them from the store included (open it, ``schedule_of``,
  ``export_apkg``); each run as a fresh process would do it (no note GUID cached from the run
  before);
- the command in this process: ``bonemets-quiz export`` against ``export --with-progress``, run
  by click in this process (loading the deck, finding retired questions in the store, the note
  stamps remembered, writing), both with the same store, in a temporary user data directory;
- as commands: the same two, each a new process (start-up and imports included).

    python benchmarks/bench_export_progress.py [--reviews 1000] [--repeat 5] [--no-commands]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_study import ENTRY_POINT, NOW, fill_store  # noqa: E402

from bonemets_quiz.bank.cache import load_bank  # noqa: E402
from bonemets_quiz.bank.loading import load_decks  # noqa: E402
from bonemets_quiz.deck.loader import builtin_deck_path  # noqa: E402
from bonemets_quiz.export.anki import export_apkg  # noqa: E402
from bonemets_quiz.export.anki_ids import note_guid  # noqa: E402
from bonemets_quiz.export.anki_progress import schedule_of  # noqa: E402
from bonemets_quiz.study.store.store import Store  # noqa: E402

Work = Callable[[], object]


class Times(NamedTuple):
    plain: float
    progress: float
    plain_cpu: float
    progress_cpu: float


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (user + system)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of_turns(repeat: int, plain: Work, progress: Work) -> Times:
    """The fastest of ``repeat`` runs of each (wall and CPU time, each its own best), the two
    alternating, after one untimed run each."""
    plain(), progress()
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for n, work in enumerate((plain, progress)):
            started, used = time.perf_counter(), cpu_seconds()
            work()
            wall[n].append(time.perf_counter() - started)
            cpu[n].append(cpu_seconds() - used)
    return Times(min(wall[0]), min(wall[1]), min(cpu[0]), min(cpu[1]))


def in_process(source: Path, tmp: Path, repeat: int) -> Times:
    decks = load_decks([builtin_deck_path()])
    questions = list(load_bank().questions)

    # each run as a fresh ``export`` process: no note GUID cached from the run before
    def plain() -> None:
        note_guid.cache_clear()
        export_apkg(decks, questions, tmp / "plain.apkg", now=NOW)

    def with_progress() -> None:
        note_guid.cache_clear()
        with Store.open(source, read_only=True) as store:
            schedule = schedule_of(store, questions, store.settings(), zone=UTC, now=NOW)
        export_apkg(decks, questions, tmp / "progress.apkg", now=NOW, schedule=schedule)

    return best_of_turns(repeat, plain, with_progress)


def command_env(source: Path, tmp: Path) -> dict[str, str]:
    """The store, the clock, the zone and a user data directory of their own, for both."""
    env = {"XDG_DATA_HOME": str(tmp / "data"), "BONEMETS_QUIZ_STORE": str(source)}
    return {**env, "BONEMETS_QUIZ_NOW": NOW.isoformat(), "TZ": "UTC"}


def command_in_process(source: Path, tmp: Path, repeat: int) -> Times:
    from bonemets_quiz.cli import cli

    def command(*extra: str) -> Work:
        def run() -> None:
            note_guid.cache_clear()
            with contextlib.redirect_stdout(io.StringIO()):
                cli.main(["export", *extra], standalone_mode=False)

        return run

    saved = dict(os.environ)
    os.environ.update(command_env(source, tmp))
    try:
        plain = command("-o", str(tmp / "plain-cmd.apkg"))
        with_progress = command("--with-progress", "-o", str(tmp / "progress-cmd.apkg"))
        return best_of_turns(repeat, plain, with_progress)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def as_commands(source: Path, tmp: Path, repeat: int) -> Times:
    env = {**os.environ, **command_env(source, tmp)}

    def command(*extra: str) -> Work:
        args = [sys.executable, "-c", ENTRY_POINT, "export", *extra]
        return lambda: subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)

    plain = command("-o", str(tmp / "plain-cli.apkg"))
    with_progress = command("--with-progress", "-o", str(tmp / "progress-cli.apkg"))
    return best_of_turns(repeat, plain, with_progress)


def report(label: str, times: Times) -> None:
    print(
        f"{label}: plain {times.plain * 1000:.1f} ms, with progress {times.progress * 1000:.1f} ms,"
        f" ratio {times.progress / times.plain:.2f}x (target ≤ 1.5x); CPU time: "
        f"{times.plain_cpu * 1000:.1f} ms, {times.progress_cpu * 1000:.1f} ms, "
        f"ratio {times.progress_cpu / times.plain_cpu:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-commands", action="store_true", help="library calls only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = tmp / "studied.sqlite3"
        fill_store(source, args.reviews)
        print(f"built-in deck, store of {args.reviews:,} reviews, best of {args.repeat}")
        report("in process", in_process(source, tmp, args.repeat))
        sizes = [(tmp / f"{kind}.apkg").stat().st_size // 1024 for kind in ("plain", "progress")]
        print(f"  package sizes: {sizes[0]} KiB plain, {sizes[1]} KiB with progress")
        if not args.no_commands:
            report("the command in process", command_in_process(source, tmp, args.repeat))
            report("as commands", as_commands(source, tmp, args.repeat))


if __name__ == "__main__":
    main()
