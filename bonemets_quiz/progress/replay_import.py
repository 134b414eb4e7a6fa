"""An import's replay and its writes, in the caller's transaction: the merged history replayed
through the scheduler, in two processes when it is large, then stored.

Each question's history replays on its own, so a large history is cut into blocks on question
boundaries: this process replays them from the first on, inserting rows as it goes, while a
worker process (``replay_worker``) replays them from the last back; where they meet, the
worker's rows are taken as they are. New reviews are inserted in the order read either way (so
they get the same ids), stored ones updated, the cards replaced: the same rows as one process
gives, which the tests hold equal.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import pairwise
from operator import itemgetter

from ..study.scheduling import Settings
from ..study.store.store import Store
from . import store_log
from .replay_part import History, Progress, Step, replay_part
from .replay_worker import Worker, cpus

# From this many reviews an import replays in two processes. A worker is ready ~0.1 s after it
# is started (a fresh interpreter loading fsrs); this process never waits for it, so below this
# it mostly costs its start-up. Measured on 2 shared CPUs (best of 5, logs thinned from
# bench_progress's): 5,000 reviews 0.19 s in two processes against 0.17 s in one, 10,000 0.27 s
# against 0.31 s, 20,000 0.51 s against 0.66 s, 50,000 1.07 s against 1.56 s.
PARALLEL_FROM = 10_000
BLOCKS = 64  # at most; where the two processes meet, one block may be replayed by both
OWN_FIRST = 0.2  # this process always replays the first fifth; the worker is sent the rest


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
    blocks = [(0, len(history))]
    if worker is not None and parallel_from is not None and len(history) >= parallel_from:
        blocks = _blocks(history, BLOCKS)
        first = max(1, int(len(blocks) * OWN_FIRST))
        if first < len(blocks):
            worker.send(settings, history, blocks, first)
        else:
            worker = None
    done = worker.done if worker is not None else {}
    cards: list[list[object]] = []
    with store_log.inserting(store) as insert:
        rows = _Rows(new, insert)
        for number, (lo, hi) in enumerate(blocks):
            part = done.get(number)  # the worker's (then so are all after it), or replayed here
            if part is None:
                part = replay_part(history[lo:hi], settings, progress, offset + lo)
            else:
                if worker is not None:  # met: the rest is here, it has nothing more to do
                    worker.close()
                    worker = None
                for n in range(offset + lo + 1, offset + hi + 1) if progress else ():
                    progress(n)  # type: ignore[misc]
            rows.add(part[0])
            cards += part[1]
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

    def add(self, steps: list[Step]) -> None:
        states, stored = self.states, self.stored
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


def _blocks(history: History, count: int) -> list[tuple[int, int]]:
    """``history`` cut into at most ``count`` (start, end) blocks of about equal size, each of
    whole questions (a question's reviews replay in one process)."""
    key, size, cuts = itemgetter(1), len(history), [0]
    for n in range(1, count):
        at = size * n // count
        if at > cuts[-1]:
            cuts.append(bisect_right(history, history[at - 1][1], lo=at - 1, key=key))
    cuts = sorted(set(cuts) | {size})
    return [(lo, hi) for lo, hi in pairwise(cuts) if hi > lo]
