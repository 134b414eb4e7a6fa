"""Review history back from Anki: ``progress import-anki``.

Reads what a learner exported from Anki with scheduling — an ``.apkg`` or ``.colpkg`` (a zip
holding ``collection.anki21b``, zstd-compressed, or the older ``collection.anki21`` /
``collection.anki2``), or a plain collection file — with ``zipfile``, ``zstandard`` and
``sqlite3`` only (the AGPL ``anki`` package is no dependency). Our notes are found by GUID
(``anki_ids.guid_key``: a renamed question keeps the GUID of its oldest id); each of their revlog
rows becomes a ``LogRecord`` (rating = ease, time = the row id in ms, duration = time) and they are
merged as any review log is (``progress.import_records``). Rows of manual rescheduling (type 4
and 5, or ease 0) are no answers and are skipped; other notes are counted and ignored.

A review Anki got from our own export (``export --with-progress``) comes back with its time cut to
the millisecond: it is matched to the stored review it came from, so it is not added twice.

Everything is read within bounds (file size, zip entries, size and ratio of what is unpacked)
before the store is touched; a file that cannot be read is an ``AnkiFileError``: one line naming
the file, exit 2.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime

from ..deck.question import Question
from ..errors import Problem, QuizError
from ..records import Record
from ..study.scheduling import EARLIEST, CardState, Rating, Settings
from ..study.store.rows import from_us
from ..study.store.store import Store
from . import store_log
from .logs import ImportSummary, import_records
from .review_log import FUTURE_SLACK, LogRecord

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_COLLECTION_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # deflate or zstd: a collection packs 3:1 to 20:1; bombs reach 1000:1 and more
MAX_ENTRIES = 100_000  # a .colpkg holds the media files too (only the collection is read)
ENTRIES = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first
SQLITE_MAGIC = b"SQLite format 3\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FIX = "in Anki: File → Export…, “Anki Deck Package” or “Collection”, with scheduling included"
SKIPPED_TYPES = (4, 5)  # manual rescheduling: no answer was given


class AnkiFileError(QuizError):
    """An Anki file that cannot be read; the message is one line naming it."""

    exit_code = 2

    def __init__(self, path: str, what: str, fix: str = FIX) -> None:
        self.problem = Problem(path, 0, 0, what, fix)
        super().__init__(str(self.problem))


class AnkiSummary(Record):
    """What an import found in the file, and what the merge did."""

    merged: ImportSummary
    notes: int  # our notes found in the file
    other_notes: int  # notes that are not ours (ignored)
    skipped: int  # revlog rows that are no answers (rescheduling)

    def to_dict(self) -> dict[str, object]:
        return {
            **self.merged.to_dict(),
            "notes": self.notes,
            "other_notes": self.other_notes,
            "skipped": self.skipped,
        }


class _Revlog(Record):
    guids: dict[int, str]  # card id → note GUID
    notes: set[str]  # every note GUID in the file
    rows: list[tuple[int, int, int, int | None, int]]  # id ms, card id, ease, time ms, type


def import_anki(
    store: Store,
    bank: Iterable[Question],
    path: str | os.PathLike[str],
    settings: Settings,
    *,
    now: datetime,
) -> AnkiSummary:
    """Merge the review history of our notes in the Anki file at ``path`` into ``store``."""
    name = os.fspath(path)
    revlog = read_revlog(name)
    questions = list(bank)
    by_guid = _questions_by_guid(store, questions)
    records, skipped = _records(name, revlog, by_guid, store, now)
    ours = {guid for guid in revlog.notes if guid in by_guid}
    merged = import_records(store, questions, records, settings, now=now)
    return AnkiSummary(
        merged._replace(files=(name,)), len(ours), len(revlog.notes) - len(ours), skipped
    )


def _questions_by_guid(store: Store, bank: Sequence[Question]) -> dict[str, str]:
    """Note GUID → question id, for the bank's questions and the retired ones the store knows."""
    import genanki

    from ..export.anki_ids import guid_key

    def guid(question: Question) -> str:
        return str(genanki.guid_for(*guid_key(question)))

    by_guid = {guid(q): qid for qid, q in store.questions().items()}  # retired ones too
    by_guid.update({guid(q): q.id for q in bank})  # a renamed question: its id today
    return by_guid


def _records(
    name: str,
    revlog: _Revlog,
    by_guid: dict[str, str],
    store: Store,
    now: datetime,
) -> tuple[list[LogRecord], int]:
    stored = {
        (qid, at // 1000, rating): at for qid, at, rating in store_log.identities(store)
    }  # a review exported to Anki comes back cut to the ms: the same review
    latest = now + FUTURE_SLACK
    records: list[LogRecord] = []
    skipped = 0
    for ms, cid, ease, duration, kind in revlog.rows:
        qid = by_guid.get(revlog.guids.get(cid, ""))
        if qid is None:
            continue
        if kind in SKIPPED_TYPES or not 1 <= ease <= 4:
            skipped += 1
            continue
        at = from_us(stored.get((qid, ms, ease), ms * 1000))
        if at < EARLIEST:
            raise AnkiFileError(name, f"a review dated before {EARLIEST.year} (revlog id {ms})")
        if at > latest:
            raise AnkiFileError(
                name, f"a review dated in the future ({at:%Y-%m-%d %H:%M} UTC)", "check the clock"
            )
        records.append(
            LogRecord(
                question_id=qid,
                guid=revlog.guids[cid],
                reviewed_at=at,
                rating=Rating(ease),
                duration_ms=max(int(duration or 0), 0),
                answer="",
                verdict="",
                seed=None,
                before=CardState(qid),
                after=CardState(qid),
            )
        )
    return records, skipped


# ---------------------------------------------------------------------------- reading


def read_revlog(name: str) -> _Revlog:
    """The notes, cards and review log of the Anki file ``name``; AnkiFileError otherwise."""
    data = _collection_bytes(name)
    if data[18:20] == b"\x02\x02":  # a WAL-mode database (as Anki writes) cannot be opened
        data = data[:18] + b"\x01\x01" + data[20:]  # from memory: read it as rollback-journal
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        notes = {str(guid) for (guid,) in conn.execute("SELECT guid FROM notes")}
        guids = {
            int(cid): str(guid)
            for cid, guid in conn.execute(
                "SELECT c.id, n.guid FROM cards c JOIN notes n ON n.id = c.nid"
            )
        }
        rows = [
            (int(i), int(c), int(e), t, int(k))
            for i, c, e, t, k in conn.execute("SELECT id, cid, ease, time, type FROM revlog")
        ]
    except (sqlite3.Error, ValueError, TypeError) as exc:
        raise AnkiFileError(name, f"not an Anki collection ({exc})") from None
    finally:
        conn.close()
    if not rows:
        raise AnkiFileError(name, "holds no review history (exported without scheduling)")
    return _Revlog(guids, notes, rows)


def _collection_bytes(name: str) -> bytes:
    head, size = _head(name)
    if head.startswith(SQLITE_MAGIC):
        return _read_whole(name, size)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _from_zip(name, size)
    if size == 0:
        raise AnkiFileError(name, "empty file: not an Anki package")
    raise AnkiFileError(name, "not an Anki package or collection")


def _head(name: str) -> tuple[bytes, int]:
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise AnkiFileError(name, f"cannot read ({exc.strerror})", "check the path") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AnkiFileError(name, "not a file", "give the exported file")
        if info.st_size > MAX_FILE_BYTES:
            raise AnkiFileError(name, f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        return handle.read(16), info.st_size


def _read_whole(name: str, size: int) -> bytes:
    with open(name, "rb") as handle:
        return handle.read(size)


def _from_zip(name: str, size: int) -> bytes:
    try:
        with open(name, "rb") as handle:
            _check_entries(name, handle, size)
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
                entry = next((e for e in ENTRIES if e in names), None)
                if entry is None:
                    raise AnkiFileError(name, "a zip file, but no Anki package (no collection)")
                return _member(name, archive, archive.getinfo(entry))
    except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
        what = "cut short or damaged" if not str(exc) else f"damaged ({exc})"
        raise AnkiFileError(name, f"not a readable Anki package: {what}") from None


def _check_entries(name: str, handle: object, size: int) -> None:
    """Refuse a huge entry count before ``zipfile`` builds an object for each."""
    from ..export.anki_stamps import _END_RECORD

    tail_size = min(size, _END_RECORD.size + 65535)
    handle.seek(size - tail_size)  # type: ignore[attr-defined]
    tail = handle.read(tail_size)  # type: ignore[attr-defined]
    start = tail.rfind(b"PK\x05\x06")
    if start < 0 or start + _END_RECORD.size > len(tail):
        raise AnkiFileError(name, "not a readable Anki package: cut short or damaged")
    _, _, _, on_disk, total, _, _, _ = _END_RECORD.unpack_from(tail, start)
    if max(on_disk, total) > MAX_ENTRIES:
        raise AnkiFileError(name, f"{max(on_disk, total)} entries: not an Anki package")
    handle.seek(0)  # type: ignore[attr-defined]


def _member(name: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    if entry.file_size > MAX_COLLECTION_BYTES:
        raise AnkiFileError(name, f"collection larger than {MAX_COLLECTION_BYTES // 2**20} MiB")
    if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise AnkiFileError(name, f"compressed more than {MAX_RATIO}:1, like a zip bomb")
    with archive.open(entry) as member:
        data = member.read(entry.file_size + 1)  # the header may lie: never read more
    if len(data) != entry.file_size:
        raise AnkiFileError(name, "collection size does not match its header (damaged)")
    if data.startswith(ZSTD_MAGIC):
        return _unzstd(name, data)
    return data


def _unzstd(name: str, data: bytes) -> bytes:
    import zstandard  # only for packages of Anki 2.1.50 and later

    limit = min(MAX_COLLECTION_BYTES, MAX_RATIO * len(data))
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            out = reader.read(limit + 1)
            while len(out) <= limit:
                more = reader.read(limit + 1 - len(out))
                if not more:
                    break
                out += more
    except zstandard.ZstdError as exc:
        raise AnkiFileError(name, f"damaged collection ({exc})") from None
    if len(out) > limit:
        raise AnkiFileError(name, f"collection unpacks more than {MAX_RATIO}:1, like a bomb")
    return out
