"""Replaying review histories through the scheduler, and the rows a replay stores.

A history is a list of (id, question id, reviewed_at µs, rating, seed) rows, each question's in
time order; each question replays on its own, so a history cut on a question boundary replays in
parts (``replay_worker`` runs one part in a second process). This module is what such a process
loads: the scheduler and these encodings, no store, no CLI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from functools import lru_cache

import orjson

from ..bulk import json_encoder
from ..study.scheduling import EARLIEST, LATEST, CardState, Rating, Scheduler, Settings
from ..study.store.rows import EPOCH, from_us, to_us

Progress = Callable[[int], None]  # called with the number of rows handled so far
History = list[tuple[int, str, int, int, "int | None"]]
# a review's stored states, then its id: (status before, status after, due after µs, the card
# before as ``json.dumps(card_values(before))`` or None while new, id) — an UPDATE's parameters
Step = tuple[str, str, int, "str | None", int]
Part = tuple[list[Step], list[list[object]]]  # the steps, and each question's card at the end

_IN_RANGE_US = (to_us(EARLIEST), to_us(LATEST))
_US = timedelta(microseconds=1)


def answers(
    rows: Iterable[tuple[int, str, int, int, int | None]],
    settings: Settings,
    cards: dict[str, CardState],
    progress: Progress | None = None,
    offset: int = 0,
) -> Iterator[tuple[int, int, CardState]]:
    """Answer each (id, question id, reviewed_at µs, rating, seed) in turn: each review's
    (id, reviewed_at µs, card after), that time its ``last_review``; ``cards`` holds each
    question's card as it goes (and at the end)."""
    ratings = {int(r): r for r in Rating}
    low, high = _IN_RANGE_US
    epoch, us = EPOCH, _US
    scheduler = Scheduler(settings)
    with scheduler.replaying() as answer:
        for n, (rid, qid, at, rating, seed) in enumerate(rows, start=offset + 1):
            before = cards.get(qid) or CardState(qid)
            if low <= at < high:
                # each history runs in time order: the time needs no clamping to the last review
                after = answer(before, ratings[rating], epoch + at * us, seed or 0)  # from_us
            else:  # out of the scheduler's range: ``review`` says so
                after = Scheduler(settings, seed or 0).review(before, ratings[rating], from_us(at))
            yield rid, at, after
            cards[qid] = after
            if progress is not None:
                progress(n)


def replay_part(
    rows: Iterable[tuple[int, str, int, int, int | None]],
    settings: Settings,
    progress: Progress | None = None,
    offset: int = 0,
    cards: dict[str, CardState] | None = None,
) -> Part:
    """The stored rows of replaying ``rows``: each review's ``Step``, and each question's card
    at the end (``card_values``). (``cards``, if given, gets the cards as ``CardState``.)"""
    last: dict[str, list[object]] = {}
    steps = list(replay_steps(rows, settings, last, cards, progress, offset))
    return steps, list(last.values())


def replay_steps(
    rows: Iterable[tuple[int, str, int, int, int | None]],
    settings: Settings,
    last: dict[str, list[object]],
    cards: dict[str, CardState] | None = None,
    progress: Progress | None = None,
    offset: int = 0,
) -> Iterator[Step]:
    """Each review's ``Step`` as it is replayed; ``last`` gets each question's card as the
    store writes it (``card_values``): plain values, as a worker process sends them back."""
    replies = answers(rows, settings, {} if cards is None else cards, progress, offset)
    for rid, at, (qid, status, step, stability, difficulty, due, _, reps, lapses) in replies:
        # card_values(after), spelled out: a replay makes 100,000 (and the enum's .value is slow);
        # an answered card has a due time, and its last review is this one
        due_us = (due - EPOCH) // _US  # type: ignore[operator]
        values = [qid, str(status), step, stability, difficulty, due_us, at, reps, lapses]
        was = last.get(qid)
        if was is None:
            yield ("new", values[1], values[5], None, rid)  # type: ignore[misc]
        else:
            yield (was[1], values[1], values[5], state_json(was), rid)  # type: ignore[misc]
        last[qid] = values


_dumps = json_encoder()  # json.dumps, the encoder built once
_orjson_dumps = orjson.dumps
_json_id = lru_cache(maxsize=1 << 16)(_dumps)  # a question id as json.dumps spells it


def state_json(values: list[object]) -> str:
    """``json.dumps(values)`` of a seen card's ``card_values``, 100,000 times: the numbers by
    orjson (twice as quick for the two floats; it spells a float as ``repr`` does from 0.001 to
    1e15, which holds any stability and difficulty fsrs makes), spaced as json.dumps spaces
    them; json.dumps itself for anything else. (An f-string of the floats is slower still:
    ``float.__repr__`` takes longer than orjson.)"""
    qid, status, step, stability, difficulty, *rest = values
    if (
        type(stability) is float
        and type(difficulty) is float
        and 0.001 <= stability < 1e15
        and 0.001 <= difficulty < 1e15
    ):
        try:
            numbers = _orjson_dumps((step, stability, difficulty, *rest)).decode()
        except TypeError:  # orjson.JSONEncodeError: an int past 64 bits
            return _dumps(values)
        return f'[{_json_id(qid)}, "{status}", {numbers.replace(",", ", ")[1:]}'
    return _dumps(values)
