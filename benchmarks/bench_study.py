"""Start-up and per-answer speed of ``bonemets-quiz study`` on a store holding 100,000 reviews.

Prints, from one run on this machine:

- the wall time until the first question is on screen (``bonemets-quiz study`` run as its console
  script runs it, ``bonemets_quiz.__main__:launch``, in a subprocess, stdout read until the first
  answer prompt appears), as a ratio to the wall time of ``python -c "import click"`` (start to
  exit) in the same run, runs interleaved: medians, and the best runs (target ≤ 1.25×; on a shared
  machine the best run is the least disturbed); also the first start after a deck change, when the
  bank cache is rebuilt from the YAML; and when a backup of the store is due (the usual start 30
  minutes or more after the last session: it is taken once the first question is on screen);
- the processing time per answer (grading, the FSRS step, the committed transaction with its
  fsync, choosing the next question), in process (target ≤ 2 ms).

Bytecode is cached (as for an installed package) in a temporary PYTHONPYCACHEPREFIX, and the bank
cache is warmed by one untimed run first: the figures are for a learner's usual start.

    python benchmarks/bench_study.py [--reviews 100000] [--runs 21] [--answers 300]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bonemets_quiz.bank.cache import load_bank  # noqa: E402
from bonemets_quiz.study.grading.grade import grade  # noqa: E402
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings  # noqa: E402
from bonemets_quiz.study.session import Session  # noqa: E402
from bonemets_quiz.study.store.store import Store  # noqa: E402

# What the ``bonemets-quiz`` console script that pip writes runs (``python -m`` adds runpy).
ENTRY_POINT = "import sys; from bonemets_quiz.__main__ import launch; sys.exit(launch())"
PROMPTS = (b"Press Enter to reveal", b"Answer (", b"Your answer (")
NOW = datetime(2026, 3, 29, 9, 0, tzinfo=UTC)


def fill_store(path: Path, reviews: int, seed: int = 1) -> int:
    """A store with ``reviews`` reviews of the built-in deck, spread over the last two years."""
    bank = load_bank()
    rng = random.Random(seed)
    scheduler = Scheduler(Settings(), seed)
    cards = {q.id: CardState(q.id) for q in bank.questions}
    ids = list(cards)
    start = NOW - timedelta(days=730)
    step = timedelta(days=729) / reviews
    with Store.open(path) as store:
        store.sync(bank.questions, start, bank.fingerprint)
        batch = 5000
        for first in range(0, reviews, batch):
            with store.transaction():
                for n in range(first, min(first + batch, reviews)):
                    qid = ids[n % len(ids)]
                    rating = Rating(rng.choices([1, 2, 3, 4], [10, 15, 65, 10])[0])
                    before = cards[qid]
                    after = scheduler.review(before, rating, start + n * step)
                    store.record(before, after, rating, "right", 4000)
                    cards[qid] = after
        return store.reviews_total()


def time_click(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import click"], env=env, check=True)
    return time.perf_counter() - started


def time_first_question(env: dict[str, str]) -> float:
    """Seconds until the first answer prompt of ``study`` appears on its stdout."""
    command = [sys.executable, "-c", ENTRY_POINT, "study", "--seed", "1"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    seen = b""
    while not any(p in seen for p in PROMPTS):
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            _, err = process.communicate()
            raise SystemExit(
                f"study ended before its first question:\n{seen.decode()}{err.decode()}"
            )
        seen += chunk
    elapsed = time.perf_counter() - started
    process.communicate()  # end of input: the session ends cleanly
    return elapsed


def median_start_without(folder: Path, env: dict[str, str], runs: int = 5) -> float:
    """Median ms to the first question, ``folder`` (the bank cache, the backups) removed first."""
    times = []
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        times.append(time_first_question(env))
    return statistics.median(times) * 1000


def time_answers(path: Path, count: int) -> list[float]:
    """Per answer: grade the typed answer, save it (one committed transaction), pick the next.

    The clock jumps a year whenever nothing is left, so that every card is due again.
    """
    from zoneinfo import ZoneInfo

    bank = load_bank()
    times: list[float] = []
    now = NOW
    with Store.open(path) as store:
        while len(times) < count:
            now += timedelta(days=365)
            session = Session(store, bank.questions, ZoneInfo("Europe/London"), now, seed=2)
            question = session.next(now)
            while question is not None and len(times) < count:
                started = time.perf_counter()
                result = grade(question, question.answer)
                rating = result.rating if result else Rating.GOOD
                session.answer(question, rating, now, "right", 3000)
                question = session.next(now)
                times.append(time.perf_counter() - started)
                now += timedelta(seconds=7)
    return times


def time_cli_answer(env: dict[str, str]) -> tuple[float, float]:
    """In the real CLI: Enter on the first (reveal) question until the rating prompt (this step
    loads fsrs to show each rating's interval), then the rating until "Saved" is printed."""
    command = [sys.executable, "-c", ENTRY_POINT, "study", "--seed", "1", "--kind", "basic"]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None

    def wait_for(marker: bytes, seen: bytes = b"") -> bytes:
        while marker not in seen:
            chunk = os.read(process.stdout.fileno(), 65536)  # type: ignore[union-attr]
            if not chunk:
                raise SystemExit(f"study stopped early:\n{seen.decode()}")
            seen += chunk
        return seen

    wait_for(b"Press Enter to reveal")
    time.sleep(0.5)  # the learner reads the question
    started = time.perf_counter()
    process.stdin.write(b"\n")
    process.stdin.flush()
    wait_for(b"Rate 1")
    revealed = time.perf_counter() - started
    started = time.perf_counter()
    process.stdin.write(b"3\n")
    process.stdin.flush()
    wait_for(b"Saved:")
    saved = time.perf_counter() - started
    process.communicate()
    return revealed, saved


def time_long_list(items: int = 2000) -> float:
    """Seconds to grade a list answer of ``items`` phrases joined by "and" (was cubic)."""
    from bonemets_quiz.study.grading.grade import grade_text

    question = next(q for q in load_bank().questions if q.items)
    typed = " and ".join([question.items[0]] * items)  # type: ignore[index]
    started = time.perf_counter()
    grade_text(question, typed)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--answers", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = work / "progress.sqlite3"
        started = time.perf_counter()
        total = fill_store(store, args.reviews)
        print(
            f"store: {total:,} reviews, {store.stat().st_size / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            PYTHONPYCACHEPREFIX=str(work / "pycache"),
            XDG_CACHE_HOME=str(work / "cache"),
            BONEMETS_QUIZ_STORE=str(store),
            BONEMETS_QUIZ_NOW=NOW.isoformat(),
            BONEMETS_QUIZ_TZ="Europe/London",
        )
        time_first_question(env)  # warm: bytecode and bank cache
        time_click(env)
        clicks, firsts = [], []
        for _ in range(args.runs):
            clicks.append(time_click(env))
            firsts.append(time_first_question(env))
        click_ms = statistics.median(clicks) * 1000
        first_ms = statistics.median(firsts) * 1000
        print(f"python -c 'import click':        {click_ms:6.1f} ms (median of {args.runs})")
        print(f"study, time to first question:   {first_ms:6.1f} ms (median of {args.runs})")
        print(f"ratio of medians: {first_ms / click_ms:.2f}x")
        # The best run is the one least disturbed by other processes on a shared machine.
        best_click, best_first = min(clicks) * 1000, min(firsts) * 1000
        print(
            f"best of {args.runs}: import click {best_click:.1f} ms, first question "
            f"{best_first:.1f} ms, ratio {best_first / best_click:.2f}x (target <= 1.25x)"
        )
        cold_ms = median_start_without(work / "cache", env)
        print(
            f"first start after a deck change (YAML parsed, bank cache rebuilt): {cold_ms:.1f} ms "
            f"({cold_ms / click_ms:.2f}x)"
        )
        due_ms = median_start_without(work / "backups", env)  # a start 30 minutes after the last
        print(
            f"first question when a backup is due (taken once it is on screen): {due_ms:.1f} ms "
            f"({due_ms / click_ms:.2f}x)"
        )
        revealed, saved = time_cli_answer(env)
        print(
            f"in the CLI: Enter -> rating prompt {revealed * 1000:.1f} ms "
            f"(fsrs preloaded while the question is read), rating -> 'Saved' {saved * 1000:.1f} ms"
        )

        times = sorted(time_answers(store, args.answers))
        print(
            f"per answer (grade + save + next, {len(times)} answers): "
            f"median {statistics.median(times) * 1000:.2f} ms, "
            f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms, "
            f"mean {statistics.fmean(times) * 1000:.2f} ms (target <= 2 ms)"
        )
        print(f"grading a 2,000-item list answer: {time_long_list() * 1000:.1f} ms")


if __name__ == "__main__":
    main()
