"""A large import replays in two processes (``replay_import``, ``replay_worker``): the stored rows
are exactly those one process stores, and a worker that cannot start, dies or answers short
changes nothing but the time. ``parallel_from`` forces the second process on small histories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_progress_replay import LATER, SETTINGS, history

from bonemets_quiz.deck.model import Question
from bonemets_quiz.progress import replay_import, replay_worker
from bonemets_quiz.progress.logs import ImportSummary, import_records
from bonemets_quiz.progress.replay_worker import Worker
from bonemets_quiz.progress.review_log import LogRecord
from bonemets_quiz.study.scheduling import Settings
from bonemets_quiz.study.store.store import Store

Rows = tuple[list[tuple[object, ...]], ...]


def stored(store: Store) -> Rows:
    """Every row an import writes, ids and sequence included."""
    return (
        store._rows("SELECT * FROM reviews ORDER BY id"),
        store._rows("SELECT * FROM cards ORDER BY question_id"),
        store._rows("SELECT * FROM sqlite_sequence ORDER BY name"),
    )


def imported(
    path: Path,
    questions: list[Question],
    batches: list[list[LogRecord]],
    settings: Settings,
    parallel_from: int | None,
) -> tuple[Rows, list[ImportSummary], list[int]]:
    """The rows after importing each batch in turn, the summaries, every progress count."""
    counts: list[int] = []
    with Store.open(path) as store:
        summaries = [
            import_records(store, questions, batch, settings, now=LATER,
                           progress=counts.append, parallel_from=parallel_from)
            for batch in batches
        ]  # fmt: skip
        assert store.integrity() == "ok"
        return stored(store), summaries, counts


class Seen:
    """What the workers of the imports under test did."""

    def __init__(self) -> None:
        self.started: list[Worker | None] = []
        self.blocks: list[int] = []  # how many blocks each worker gave back


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> Seen:
    """Spies on the workers; and this process waits for its worker to finish before replaying
    any block, so it takes every block the worker gave back (without this it would often be
    done with a small history before the worker has started)."""
    spy = Seen()
    start, close, replay = Worker.start.__func__, Worker.close, replay_import.replay_part  # type: ignore[attr-defined]

    def started(cls: type[Worker]) -> Worker | None:
        worker = start(cls)
        spy.started.append(worker)
        return worker  # type: ignore[no-any-return]

    def closed(self: Worker) -> None:
        if self not in seen_closed:  # (closed when the processes meet, then on leaving)
            seen_closed.append(self)
            spy.blocks.append(len(self.done))
        close(self)

    def waiting(*args: Any, **kwargs: Any) -> Any:
        for worker in spy.started:
            if worker is not None and worker not in seen_closed:
                assert worker.finished.wait(timeout=120)
        return replay(*args, **kwargs)

    seen_closed: list[Worker] = []
    monkeypatch.setattr(Worker, "start", classmethod(started))
    monkeypatch.setattr(Worker, "close", closed)
    monkeypatch.setattr(replay_import, "replay_part", waiting)
    monkeypatch.setattr(replay_import, "BLOCKS", 16)
    return spy


def by_question(records: list[LogRecord]) -> list[LogRecord]:
    """In the order an export writes them: the new reviews of the first questions come first,
    so this process inserts its part while the worker replays."""
    return sorted(records, key=lambda r: (r.question_id, r.reviewed_at, r.rating))


@pytest.mark.parametrize("order", ["as-exported", "shuffled"])
@pytest.mark.parametrize("name", ["default", "personal", "many-steps"])
def test_the_parallel_replay_stores_exactly_the_rows_of_one_process(
    tmp_path: Path, questions: list[Question], seen: Seen, name: str, order: str
) -> None:
    records = history([q.id for q in questions], 700, seed=7 + len(name))
    if order == "as-exported":
        records = by_question(records)
    # one import; then imports merged into stored reviews (the worker's steps update some)
    scenarios = [[records], [records[::3], records[1::3] + records[:50], records]]
    for n, batches in enumerate(scenarios):
        serial = imported(tmp_path / f"s{n}.sqlite3", questions, batches, SETTINGS[name], None)
        assert seen.started == []
        parallel = imported(tmp_path / f"p{n}.sqlite3", questions, batches, SETTINGS[name], 1)
        assert parallel == serial  # rows, ids, cards, summaries and progress counts
        assert len(seen.started) == len(batches) and None not in seen.started
        assert len(seen.blocks) == len(batches) and min(seen.blocks) >= 8  # of 16, at most
        seen.started.clear()
        seen.blocks.clear()


def test_an_import_whose_worker_cannot_start_replays_here_with_the_same_rows(
    tmp_path: Path, questions: list[Question], seen: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = by_question(history([q.id for q in questions], 400, seed=3))
    serial = imported(tmp_path / "s.sqlite3", questions, [records], Settings(), None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert imported(tmp_path / "p.sqlite3", questions, [records], Settings(), 1) == serial
    assert seen.started == [None]


BOOT = (
    "import sys; sys.path[:] = sys.argv[1:]; from bonemets_quiz.progress import replay_worker as w"
)
BROKEN = {
    "exits at once": "raise SystemExit(3)",
    "garbles its answer": "sys.stdout.buffer.write(b'not a pickle'); sys.stdout.flush()",
    "dies after two blocks": (
        "import os\n"
        "def two(out, outbox):\n"
        "    for _ in range(2):\n"
        "        out.write(outbox.get())\n"
        "        out.flush()\n"
        "    os._exit(9)\n"
        "w._send_all = two; w.serve()"
    ),
    "answers a review short": (
        "real = w.replay_part\n"
        "w.replay_part = lambda *args: (real(*args)[0][1:], real(*args)[1])\n"
        "w.serve()"
    ),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_an_import_whose_worker_fails_replays_its_part_here_with_the_same_rows(
    tmp_path: Path,
    questions: list[Question],
    seen: Seen,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    records = by_question(history([q.id for q in questions], 500, seed=5))
    batches = [records[::2], records]  # the second import updates stored reviews too
    serial = imported(tmp_path / "s.sqlite3", questions, batches, Settings(), None)
    monkeypatch.setattr(replay_worker, "_BOOT", f"{BOOT}\n{BROKEN[how]}")
    assert imported(tmp_path / "p.sqlite3", questions, batches, Settings(), 1) == serial
    assert len(seen.started) == 2 and None not in seen.started
    assert seen.blocks == ([2, 2] if how == "dies after two blocks" else [0, 0])


def test_a_small_import_or_one_cpu_replays_in_this_process(
    tmp_path: Path, questions: list[Question], seen: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = history([q.id for q in questions], 200, seed=9)
    with Store.open(tmp_path / "a.sqlite3") as store:
        import_records(store, questions, records, Settings(), now=LATER)  # default threshold
        monkeypatch.setattr(replay_worker, "cpus", lambda: 1)
        monkeypatch.setattr(replay_import, "cpus", lambda: 1)
        import_records(store, questions, records, Settings(), now=LATER, parallel_from=1)
    assert seen.started == []
    assert len(records) < replay_import.PARALLEL_FROM


@pytest.mark.parametrize(
    ("questions_reviews", "count", "blocks"),
    [
        ([10] * 8, 4, [(0, 20), (20, 40), (40, 60), (60, 80)]),
        ([30, 5, 15], 4, [(0, 30), (30, 50)]),  # cuts inside a question go to its end
        ([5, 30, 15], 2, [(0, 35), (35, 50)]),
        ([50], 8, [(0, 50)]),  # one question: one block
        ([1] * 20, 64, [(n, n + 1) for n in range(20)]),  # more blocks than questions
    ],
)
def test_a_history_is_cut_into_blocks_of_whole_questions(
    questions_reviews: list[int], count: int, blocks: list[tuple[int, int]]
) -> None:
    rows = [
        (n, f"q{q:02d}", n, 3, None)
        for q, size in enumerate(questions_reviews)
        for n in range(size)
    ]
    assert replay_import._blocks(rows, count) == blocks


def test_the_worker_process_loads_only_the_replay() -> None:
    """What the worker's start-up imports (``_BOOT``'s module): no CLI, no store, no decks."""
    code = (
        "import sys; import bonemets_quiz.progress.replay_worker\n"
        "heavy = ('click', 'sqlite3', 'yaml', 'genanki', 'rapidfuzz')\n"
        "print(*sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "              or '.cli' in m or '.store.store' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
    assert "replay_worker import serve" in replay_worker._BOOT


KILLED = """\
import sys
from datetime import datetime
from bonemets_quiz.bank.cache import build_bank
from bonemets_quiz.progress.logs import import_log
from bonemets_quiz.study.store.store import Store

deck, path, log, now = sys.argv[1:]

def tick(count):
    if count % 100 == 0:
        print("progress", count, file=sys.stderr, flush=True)

with Store.open(path) as store:
    import_log(store, build_bank([deck], 0).questions, log, store.settings(),
               now=datetime.fromisoformat(now), progress=tick, parallel_from=1)
"""


@pytest.mark.slow
def test_a_sigkill_during_a_parallel_import_leaves_the_store_as_before_or_fully_merged(
    tmp_path: Path, questions: list[Question]
) -> None:
    """As ``test_progress``'s SIGKILL test, with the worker replaying half: it holds nothing of
    the store, so a kill anywhere (while it replays too) leaves the one transaction undone."""
    import random

    from test_progress import import_to_kill, killed_importing

    deck, log, original, before, merged = import_to_kill(
        tmp_path, questions, 12, 3, parallel_from=1
    )
    rng = random.Random(20261130)
    outcomes = []
    target = tmp_path / "b.sqlite3"
    args = [sys.executable, "-c", KILLED, str(deck), str(target), str(log), LATER.isoformat()]
    for _ in range(4):  # killed after some of its progress: merged rows, then replayed
        now = killed_importing(args, target, original, rng.randint(1, 2 * 3000 // 100 - 5))
        assert now in (before, merged)  # one transaction: never half of it
        outcomes.append(now == before)
    assert any(outcomes)


@pytest.mark.parametrize("limit", [11, 999, 32766])
def test_reviews_are_inserted_many_a_statement_within_sqlites_parameter_limit(
    tmp_path: Path, questions: list[Question], limit: int
) -> None:
    """One row a statement (a limit of 11), old SQLite builds' 999 and today's: the same rows."""
    import sqlite3

    records = history([q.id for q in questions], 1200, seed=11)
    expected = imported(tmp_path / "s.sqlite3", questions, [records], Settings(), None)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store._conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
        import_records(store, questions, records, Settings(), now=LATER, parallel_from=None)
        assert stored(store) == expected[0]
