"""The portable review log's file formats: JSON Lines (ours, lossless) and the FSRS revlog CSV.

JSON Lines: a header line ``{"format": "bonemets-quiz-review-log", "version": 1, "exported_at":
..., "decks": [...]}``, then one review per line (``record_to_json``). Times are UTC ISO-8601 with
microseconds. ``read_log`` is strict: the first problem is a ``LogError`` saying
``file:line:col: what — how to fix``, raised before anything is written anywhere.

CSV: the column layout of the FSRS optimizer's revlog (``card_id, review_time, review_rating,
review_state, review_duration``), for the wider FSRS tooling; it cannot be imported back.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import IO

from ..errors import Problem, QuizError
from ..records import Record
from ..study.scheduling import CardState, Rating, Status, card_id

FORMAT = "bonemets-quiz-review-log"
VERSION = 1
CSV_COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
# the FSRS revlog's review_state: the card's state BEFORE the review
CSV_STATE = {Status.NEW: 0, Status.LEARNING: 1, Status.REVIEW: 2, Status.RELEARNING: 3}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)  # clocks disagree; a review further ahead is an error
FIX = "export the log again with `bonemets-quiz progress export`"


class LogError(QuizError):
    """A review log that cannot be read; the message is one located line."""

    exit_code = 2

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class LogRecord(Record):
    """One review as the log carries it. ``before``/``after`` are the card's states around it."""

    question_id: str
    guid: str
    reviewed_at: datetime  # UTC-aware
    rating: Rating
    duration_ms: int | None
    answer: str
    verdict: str
    seed: int | None  # the scheduler's fuzz seed for this review (None: unknown, 0 on replay)
    before: CardState
    after: CardState

    @property
    def identity(self) -> tuple[str, datetime, Rating]:
        return self.question_id, self.reviewed_at, self.rating


class LogHeader(Record):
    version: int
    exported_at: datetime
    decks: tuple[str, ...]


# ---------------------------------------------------------------------------- writing


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    # isoformat is several times faster than strftime: it counts in a 100,000-review export
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def state_to_json(card: CardState) -> dict[str, object]:
    return {
        "status": card.status.value,
        "due": iso(card.due),
        "last_review": iso(card.last_review),
        "stability": card.stability,
        "difficulty": card.difficulty,
        "step": card.step,
        "reps": card.reps,
        "lapses": card.lapses,
    }


def record_to_json(record: LogRecord) -> dict[str, object]:
    return {
        "question_id": record.question_id,
        "guid": record.guid,
        "reviewed_at": iso(record.reviewed_at),
        "rating": int(record.rating),
        "duration_ms": record.duration_ms,
        "answer": record.answer,
        "verdict": record.verdict,
        "seed": record.seed,
        "before": state_to_json(record.before),
        "after": state_to_json(record.after),
    }


def write_jsonl(
    out: IO[str],
    records: Iterable[LogRecord | dict[str, object] | bytes],
    decks: Iterable[str],
    now: datetime,
) -> int:
    """Write the header and the records (or their ``record_to_json``, or that already encoded
    as one line by orjson); how many were written."""
    import orjson  # several times faster than json on a 100,000-review log; only loaded here

    header = {"format": FORMAT, "version": VERSION, "exported_at": iso(now), "decks": list(decks)}
    out.write(json.dumps(header, ensure_ascii=False) + "\n")
    dumps = orjson.dumps
    count = 0
    lines: list[bytes] = []
    for record in records:
        if isinstance(record, bytes):
            lines.append(record)
        else:
            lines.append(dumps(record if isinstance(record, dict) else record_to_json(record)))
        count += 1
    if lines:
        out.write(b"\n".join(lines).decode() + "\n")
    return count


def write_csv(out: IO[str], records: Iterable[LogRecord]) -> int:
    """The FSRS optimizer's revlog layout; card_id is ``scheduling.card_id`` of the question id."""
    ms = timedelta(milliseconds=1)
    return write_revlog(
        out,
        (
            (r.question_id, (r.reviewed_at - EPOCH) // ms * 1000, r.rating, r.before.status,
             r.duration_ms)
            for r in records
        ),
    )  # fmt: skip


def write_revlog(out: IO[str], rows: Iterable[tuple[str, int, int, str, int | None]]) -> int:
    """``write_csv`` from plain rows: (question id, reviewed_at µs, rating, status before,
    duration ms)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    ids: dict[str, int] = {}
    states = {status.value: code for status, code in CSV_STATE.items()}
    count = 0
    for qid, at, rating, status, duration in rows:
        cid = ids.get(qid) or ids.setdefault(qid, card_id(qid))
        writer.writerow((cid, at // 1000, int(rating), states[status], duration))
        count += 1
    return count


# ---------------------------------------------------------------------------- reading


def read_log(
    path: str | os.PathLike[str], now: datetime, *, states: bool = True
) -> tuple[LogHeader, list[LogRecord]]:
    """Parse a JSON Lines review log, strictly; LogError naming the file and line otherwise.

    With ``states=False`` each record's ``before``/``after`` are left new (``CardState(id)``):
    an import recomputes them by replay anyway, and skipping them halves the parse."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as file:
            data = file.read()
    except OSError as exc:
        problem = Problem(name, 0, 0, f"cannot read ({exc.strerror})", "check the path")
        raise LogError(problem) from None
    if not data:
        raise _error(name, 1, "empty file: not a review log", FIX)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _error(name, 1, "not a review log (binary, not UTF-8 text)", FIX) from None
    lines = text.split("\n")
    cut = lines[-1] != ""  # every line the exporter writes ends with a newline
    if not cut:
        lines.pop()
    header = _header(name, lines[0], cut and len(lines) == 1, now)
    parse = _RecordParser(name, now + FUTURE_SLACK, cut, states)
    quick = parse.quick if not states else _none
    last = len(lines)
    records = [quick(line) or parse(n, line, n == last) for n, line in enumerate(lines[1:], 2)]
    return header, records


def _none(line: str) -> None:
    return None


def _error(name: str, line: int, what: str, fix: str, column: int = 1) -> LogError:
    return LogError(Problem(name, line, column, what, fix))


def _json(name: str, number: int, line: str, last_and_cut: bool) -> dict[str, object]:
    import orjson

    try:
        value = orjson.loads(line)
    except ValueError as exc:
        if last_and_cut:
            raise _error(name, number, "the file is cut short (truncated)", FIX) from None
        col = getattr(exc, "colno", 1)
        raise _error(name, number, f"bad JSON: {getattr(exc, 'msg', exc)}", FIX, col) from None
    if not isinstance(value, dict):
        raise _error(name, number, "expected a JSON object", FIX)
    return value


def _header(name: str, line: str, last_and_cut: bool, now: datetime) -> LogHeader:
    not_log = "not a bonemets-quiz review log (no header line)"
    if line.startswith(",".join(CSV_COLUMNS)):
        raise _error(
            name,
            1,
            "an FSRS revlog CSV cannot be imported (it has no question ids)",
            "import the .jsonl log instead",
        )
    if not line.lstrip().startswith("{"):
        raise _error(name, 1, not_log, FIX)
    value = _json(name, 1, line, last_and_cut)
    if value.get("format") != FORMAT:
        raise _error(name, 1, not_log, FIX)
    version = value.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _error(name, 1, f"bad format version {version!r}", FIX)
    if version > VERSION:
        raise _error(
            name,
            1,
            f"written by a newer bonemets-quiz (log version {version}; this one reads "
            f"up to {VERSION})",
            "upgrade bonemets-quiz",
        )
    decks = value.get("decks", [])
    exported = _time(value.get("exported_at"))
    if exported is None or not isinstance(decks, list):
        raise _error(name, 1, "bad header: exported_at or decks", FIX)
    return LogHeader(version, exported, tuple(str(d) for d in decks))


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.utcoffset() is not None else None


class _RecordParser:
    def __init__(self, name: str, latest: datetime, cut: bool, states: bool) -> None:
        import orjson

        self.name, self.latest, self.cut, self.states = name, latest, cut, states
        self._loads = orjson.loads
        self._new: dict[str, CardState] = {}

    def quick(self, line: str) -> LogRecord | None:
        """The record of a usual line without states (``states=False``), as ``__call__`` gives
        it, a few times quicker; None for any other line, which ``__call__`` then reads (and
        says what is wrong with it)."""
        try:
            v = self._loads(line)
            rating, qid, at = v["rating"], v["question_id"], _fromisoformat(v["reviewed_at"])
        except (ValueError, KeyError, TypeError):
            return None
        duration, seed = v.get("duration_ms"), v.get("seed")
        if (
            type(rating) is not int  # (orjson makes exactly int, bool, float or str)
            or not 1 <= rating <= 4
            or type(qid) is not str
            or not qid
            or at.tzinfo is not UTC  # fromisoformat gives UTC itself for Z and +00:00
            or at > self.latest
            or (duration is not None and (type(duration) is not int or duration < 0))
            or (seed is not None and type(seed) is not int)
        ):
            return None
        new = self._new.get(qid) or self._new.setdefault(qid, CardState(qid))
        return _make(  # LogRecord(...) by position, without the namedtuple's own __new__
            LogRecord,
            (qid, str(v.get("guid", "")), at, _RATINGS[rating], duration,
             str(v.get("answer") or ""), str(v.get("verdict") or ""), seed, new, new),
        )  # fmt: skip

    def __call__(self, number: int, line: str, last: bool) -> LogRecord:
        value = _json(self.name, number, line, last and self.cut)
        try:
            return self._record(number, value)
        except (KeyError, TypeError, ValueError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else f"bad field: {exc}"
            raise _error(self.name, number, what, FIX) from None

    def _record(self, number: int, v: dict[str, object]) -> LogRecord:
        rating = v["rating"]
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 4:
            raise _error(self.name, number, f"unknown rating {rating!r}", "ratings are 1–4")
        qid = v["question_id"]
        if not isinstance(qid, str) or not qid:
            raise ValueError("question_id must be a non-empty string")
        at = _time(v["reviewed_at"])
        if at is None:
            raise ValueError("reviewed_at must be an ISO-8601 time with a UTC offset")
        if at > self.latest:
            raise _error(
                self.name,
                number,
                f"review dated in the future ({iso(at)})",
                "check the clock of the machine that wrote it",
            )
        duration = v.get("duration_ms")
        if duration is not None and (not isinstance(duration, int) or duration < 0):
            raise ValueError("duration_ms must be a whole number of milliseconds")
        seed = v.get("seed")
        if seed is not None and not isinstance(seed, int):
            raise ValueError("seed must be an integer")
        if self.states:
            before, after = _state(qid, v.get("before")), _state(qid, v.get("after"))
        else:
            before = after = CardState(qid)
        return LogRecord(  # by position: a 100,000-review import notices keyword calls
            qid,
            str(v.get("guid", "")),
            at,
            _RATINGS[rating],
            duration,
            str(v.get("answer") or ""),
            str(v.get("verdict") or ""),
            seed,
            before,
            after,
        )


_RATINGS = {int(r): r for r in Rating}
_fromisoformat = datetime.fromisoformat
_make = tuple.__new__


def _state(qid: str, value: object) -> CardState:
    """A state as informative only: import recomputes states by replay, so be lenient."""
    if not isinstance(value, dict):
        return CardState(qid)
    return CardState(
        question_id=qid,
        status=Status(str(value.get("status", "new"))),
        step=value.get("step"),
        stability=value.get("stability"),
        difficulty=value.get("difficulty"),
        due=_time(value.get("due")),
        last_review=_time(value.get("last_review")),
        reps=int(value.get("reps") or 0),
        lapses=int(value.get("lapses") or 0),
    )


__all__ = [
    "FORMAT",
    "VERSION",
    "LogError",
    "LogHeader",
    "LogRecord",
    "read_log",
    "write_csv",
    "write_jsonl",
]
