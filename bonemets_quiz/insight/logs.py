"""Reading a class's review logs: files or folders, one learner each, lean and strict.

A class of 200 learners × 2,000 reviews is 400,000 lines: ``review_log.read_log`` builds two
``CardState``s per line, more than the report needs. So each file is read here on a lean path
that keeps only what the report uses (``Review``), checking what ``read_log`` checks; at the
first doubt (any field not as our exporter writes it) the file is read again with ``read_log``,
which either raises its one located ``LogError`` or yields the records after all.

A learner is the file's stem, or its pseudonym in a names map (``names``). Two files of the same
learner (two machines) are merged, each review once; a log whose reviews are exactly another
learner's (the same log twice, under another name) is a duplicate: counted once, and named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from ..errors import UsageError
from ..progress.review_log import LogRecord, iso, read_log
from ..records import Record
from .lean_log import lean_reviews

LOG_SUFFIXES = (".jsonl", ".ndjson")  # what a folder of logs is searched for
PathLike = str | os.PathLike[str]


class Review(Record):
    """One review as the report reads it; ``stability``/``difficulty`` are the state after it."""

    at: str  # UTC, ISO-8601 with microseconds and Z, as the exporter writes it: sorts as time
    rating: int
    answer: str
    verdict: str
    stability: float | None
    difficulty: float | None


class ClassLogs(Record):
    """Every learner's reviews by question id (as logged), each review once, in time order."""

    learners: dict[str, dict[str, list[Review]]]
    files: int
    duplicate_logs: list[str]  # learners whose log repeated another learner's
    decks: dict[str, tuple[str, ...]]  # learner → the deck ids their logs' headers name


def log_files(paths: Iterable[PathLike]) -> list[Path]:
    """The log files: each path given, or a folder's ``*.jsonl``/``*.ndjson`` (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in LOG_SUFFIXES)
            if not inside:
                raise UsageError(f"{path}: no review logs (*.jsonl) in this folder — add some")
            found.extend(inside)
        else:
            found.append(path)
    if not found:
        raise UsageError("no review logs given — name .jsonl files or a folder of them")
    return found


def learner_name(path: Path, names: Mapping[str, str] | None) -> str:
    """The learner a log belongs to: its pseudonym in ``names`` (by file name, or stem), or the
    file's stem when there is no map."""
    if names is None:
        return path.stem
    for key in (path.name, path.stem):
        if key in names:
            return names[key]
    raise UsageError(
        f"{path}: not in the names map — add a line mapping {path.name} to a pseudonym"
    )


def read_class(
    paths: Iterable[PathLike], now: datetime, names: Mapping[str, str] | None = None
) -> ClassLogs:
    """Read every log (see the module doc); the first bad file raises its located error."""
    learners: dict[str, dict[str, list[Review]]] = {}
    decks: dict[str, tuple[str, ...]] = {}
    owners: dict[int, str] = {}  # a log's reviews (its lines after the header) → first learner
    duplicates: list[str] = []
    files = log_files(paths)
    for path in files:
        name = learner_name(path, names)
        header_decks, qids, reviews, identity = read_reviews(path, now)
        owner = owners.setdefault(identity, name)
        if owner != name:
            duplicates.append(name)
            continue
        if name in learners:
            _merge(learners[name], qids, reviews)
        else:
            learners[name] = _grouped(qids, reviews)
        decks[name] = tuple(dict.fromkeys((*decks.get(name, ()), *header_decks)))
    for questions in learners.values():
        for history in questions.values():
            history.sort(key=_WHEN)
    return ClassLogs(learners, len(files), duplicates, decks)


_WHEN = itemgetter(0, 1)  # a review's (at, rating): time order, ties the same on every run


def _grouped(qids: list[str], reviews: list[Review]) -> dict[str, list[Review]]:
    """Reviews by question id; a log lists each question's reviews together (a loop per run of
    one id, not per review)."""
    out: dict[str, list[Review]] = {}
    second = itemgetter(1)
    for qid, run in groupby(zip(qids, reviews, strict=True), key=itemgetter(0)):
        out.setdefault(qid, []).extend(map(second, run))
    return out


def _merge(into: dict[str, list[Review]], qids: list[str], reviews: list[Review]) -> None:
    """Add reviews not already there (the same learner's logs from two machines overlap)."""
    seen = {(qid, r.at, r.rating) for qid, history in into.items() for r in history}
    for qid, review in zip(qids, reviews, strict=True):
        key = (qid, review.at, review.rating)
        if key not in seen:
            seen.add(key)
            into.setdefault(qid, []).append(review)


def read_reviews(path: Path, now: datetime) -> tuple[tuple[str, ...], list[str], list[Review], int]:
    """A log's header decks, its reviews' question ids and reviews (parallel lists) and its
    identity (see ``log_identity``); ``LogError`` if it is bad."""
    try:
        data = path.read_bytes()
        lean = lean_reviews(data, now)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        lean = None
    if lean is not None:
        return (*lean, log_identity(data))
    header, records = read_log(path, now)  # raises the one located error, or reads it after all
    qids = [r.question_id for r in records]
    return header.decks, qids, list(map(_from_record, records)), log_identity(path.read_bytes())


def log_identity(data: bytes) -> int:
    """What makes two logs the same log: their review lines (the header's export time aside)."""
    return hash(data.partition(b"\n")[2])


def _from_record(r: LogRecord) -> Review:
    after = r.after
    return Review(
        iso(r.reviewed_at) or "",
        int(r.rating),
        r.answer,
        r.verdict,
        after.stability,
        after.difficulty,
    )
