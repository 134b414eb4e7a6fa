"""An import's replay and its writes, in the caller's transaction: the merged history replayed
through the scheduler, in two processes when it is large, then stored.

Each question's history replays on its own, so a large history is cut on a question boundary:
a worker process (``replay_worker``) replays the later part while this process replays the
earlier one and inserts what it can; then the rest is written. New reviews are inserted in the
order read either way (so they get the same ids), stored ones updated, the cards replaced: the
same rows as one process gives, which the tests hold equal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from ..study.scheduling import Settings
from ..study.store.store import Store
from . import store_log
from .replay_part import History, Progress, Step, replay_part
from .replay_worker import Worker, cpus

# From this many reviews an import replays in two processes. A worker is ready to replay ~0.1 s
# after it is started (a fresh interpreter loading fsrs), which the parse and merge of a large
# import cover, a small one's not: measured on 2 CPUs, 10,000 reviews took 0.35 s in two
# processes against 0.28 s in one, 20,000 took 0.43 s against 0.55 s, 50,000 1.0 s against 1.4 s.
PARALLEL_FROM = 20_000
# The share of the history this process replays itself: it also inserts every row and reads
# the worker's back, so the worker takes more than half.
OWN_SHARE = 0.42


@contextmanager
def helper(reviews: int, parallel_from: int | None = PARALLEL_FROM) -> Iterator[Worker | None]:
    """A worker process starting up for an import of ``reviews`` (started now, so its start-up
    overlaps the merge), or None: a small import, one CPU, ``parallel_from=None``, or it could
    not start. Ended on leaving, used or not."""
    if parallel_from is None or reviews < parallel_from or cpus() < 2:
        yield None
        return
    worker = Worker.start()
    if worker is None:
        yield None
        return
    with worker:
        yield worker


def replay_and_save(
    store: Store,
    settings: Settings,
    history: History,
    new: Sequence[store_log.NewReview],
    *,
    worker: Worker | None = None,
    parallel_from: int | None = PARALLEL_FROM,
    progress: Progress | None = None,
    offset: int = 0,
) -> int:
    """Replay ``history`` (by question, time, rating; a new review's id is -1 - its index in
    ``new``) and store it: ``new`` inserted whole, the stored reviews updated, every card
    replaced. The number of questions replayed."""
    cut = len(history)
    if worker is not None and parallel_from is not None and len(history) >= parallel_from:
        cut = _cut(history)
        if cut < len(history) and not worker.send(settings, history[cut:]):
            cut = len(history)  # it is gone: this process replays it all
    with store_log.inserting(store) as insert:
        rows = _Rows(new, insert)
        steps, cards = replay_part(history[:cut], settings, progress, offset)
        rows.add(steps, rows.stored)  # inserted while the worker replays the rest
        if cut < len(history):
            cards += _rest(rows, worker, settings, history[cut:], progress, offset + cut)
    store_log.save_replay(store, rows.stored, cards)
    return len(cards)


class _Rows:
    """The rows to write, as their steps come in: each new review inserted once it and all
    before it (in the order read) have their states; the stored ones' steps kept for after."""

    def __init__(self, new: Sequence[store_log.NewReview], insert: store_log.Insert) -> None:
        self.new, self.insert = new, insert
        self.states: list[Step | None] = [None] * len(new)
        self.stored: list[Step] = []
        self.ready = 0  # new[:ready] are inserted

    def add(self, steps: list[Step], stored: list[Step]) -> None:
        states = self.states
        for step in steps:
            rid = step[4]
            if rid < 0:
                states[-1 - rid] = step
            else:
                stored.append(step)
        start = end = self.ready
        while end < len(states) and states[end] is not None:
            end += 1
        if end > start:
            self.insert(self.new[start:end], states[start:end])
            self.ready = end


def _rest(
    rows: _Rows,
    worker: Worker | None,
    settings: Settings,
    history: History,
    progress: Progress | None,
    offset: int,
) -> list[list[object]]:
    """The worker's part, added to ``rows`` as it comes; its cards. If the worker stops short,
    this process replays the part itself (the rows already inserted are the same)."""
    stored: list[Step] = []
    done = offset
    for steps in worker.steps() if worker is not None else ():
        rows.add(steps, stored)
        if progress is not None:
            for n in range(done + 1, done + len(steps) + 1):
                progress(n)
        done += len(steps)
    if worker is not None and worker.cards is not None:
        rows.stored += stored
        return worker.cards
    told = progress and (lambda n: progress(n) if n > done else None)
    steps, cards = replay_part(history, settings, told, offset)
    rows.add(steps, rows.stored)
    return cards


def _cut(history: History) -> int:
    """Where to cut ``history`` into this process's part and the worker's: the question
    boundary nearest ``OWN_SHARE`` of it (``len(history)`` if there is none)."""
    at = int(len(history) * OWN_SHARE)
    qid, key = history[at][1], itemgetter(1)
    bounds = [bisect_left(history, qid, hi=at, key=key), bisect_right(history, qid, lo=at, key=key)]
    inside = [b for b in bounds if 0 < b < len(history)]
    return min(inside, key=lambda b: abs(b - at)) if inside else len(history)
