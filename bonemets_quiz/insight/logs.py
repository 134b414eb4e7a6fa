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
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from ..errors import UsageError
from ..review_log import FORMAT, FUTURE_SLACK, VERSION, LogRecord, read_log

LOG_SUFFIXES = (".jsonl", ".ndjson")  # what a folder of logs is searched for
PathLike = str | os.PathLike[str]


class Review(NamedTuple):
    """One review as the report reads it; ``stability``/``difficulty`` are the state after it."""

    at: datetime  # UTC-aware
    rating: int
    answer: str
    verdict: str
    stability: float | None
    difficulty: float | None


class ClassLogs(NamedTuple):
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
    owners: dict[int, str] = {}  # a log's identity → the learner it was first read for
    duplicates: list[str] = []
    files = log_files(paths)
    for path in files:
        name = learner_name(path, names)
        header_decks, reviews = read_reviews(path, now)
        identity = hash(frozenset((qid, r.at, r.rating) for qid, r in reviews))
        owner = owners.setdefault(identity, name)
        if owner != name:
            duplicates.append(name)
            continue
        _merge(learners.setdefault(name, {}), reviews)
        decks[name] = tuple(dict.fromkeys((*decks.get(name, ()), *header_decks)))
    for questions in learners.values():
        for history in questions.values():
            history.sort(key=_when)
    return ClassLogs(learners, len(files), duplicates, decks)


def _when(review: Review) -> tuple[datetime, int]:
    return review.at, review.rating


def _merge(into: dict[str, list[Review]], reviews: list[tuple[str, Review]]) -> None:
    """Add reviews not already there (the same learner's logs from two machines overlap)."""
    seen = {(qid, r.at, r.rating) for qid, history in into.items() for r in history}
    for qid, review in reviews:
        key = (qid, review.at, review.rating)
        if key not in seen:
            seen.add(key)
            into.setdefault(qid, []).append(review)


def read_reviews(path: Path, now: datetime) -> tuple[tuple[str, ...], list[tuple[str, Review]]]:
    """A log's header decks and its (question id, review)s; ``LogError`` if it is bad."""
    try:
        lean = _lean(path, now)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        lean = None
    if lean is not None:
        return lean
    header, records = read_log(path, now)  # raises the one located error, or reads it after all
    return header.decks, [(r.question_id, _from_record(r)) for r in records]


def _from_record(r: LogRecord) -> Review:
    after = r.after
    return Review(
        r.reviewed_at, int(r.rating), r.answer, r.verdict, after.stability, after.difficulty
    )


def _lean(path: Path, now: datetime) -> tuple[tuple[str, ...], list[tuple[str, Review]]] | None:
    """The fast path: None (or an exception) whenever anything is not as our exporter writes
    it, so that ``read_log`` judges the file."""
    import orjson

    data = path.read_bytes()
    if not data.endswith(b"\n"):
        return None
    head, _, body = data.partition(b"\n")
    header = orjson.loads(head)
    version, decks = header["version"], header["decks"]
    if header["format"] != FORMAT or type(version) is not int or not 1 <= version <= VERSION:
        return None
    if not isinstance(decks, list) or not isinstance(header["exported_at"], str):
        return None
    latest = now + FUTURE_SLACK
    parse = datetime.fromisoformat
    out: list[tuple[str, Review]] = []
    for line in body.split(b"\n")[:-1]:
        v = orjson.loads(line)
        qid, rating, at, after = v["question_id"], v["rating"], v["reviewed_at"], v["after"]
        when = parse(at)
        if (
            type(qid) is not str
            or not qid
            or type(rating) is not int
            or not 1 <= rating <= 4
            or when.utcoffset() != _ZERO
            or when > latest
            or not _duration_ok(v.get("duration_ms"))
            or not _seed_ok(v.get("seed"))
        ):
            return None
        stability, difficulty = after["stability"], after["difficulty"]
        review = Review(when, rating, _text(v.get("answer")), _text(v.get("verdict")),
                        _number(stability), _number(difficulty))  # fmt: skip
        out.append((qid, review))
    return tuple(str(d) for d in decks), out


_ZERO = timedelta(0)


def _duration_ok(value: object) -> bool:
    return value is None or (type(value) is int and value >= 0)


def _seed_ok(value: object) -> bool:
    return value is None or type(value) is int


def _text(value: object) -> str:
    return str(value) if value else ""


def _number(value: object) -> float | None:
    if value is None:
        return None
    if type(value) not in (int, float):
        raise TypeError("not a number")
    return float(value)  # type: ignore[arg-type]
