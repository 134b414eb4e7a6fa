"""Modification stamps: why a re-exported note is seen as newer by Anki only when it changed.

Anki (``rslib/src/import_export/package/apkg/import/notes.rs``, ``UpdateCondition::IfNewer``, the
default) updates an existing note only when the incoming note's ``mod`` is strictly greater than
the one in the collection, and a note type only when its ``mod`` is greater and its field and
template names are unchanged. So each note is stamped with:

- the stamp it had in the previous export, when its note type, fields and tags are unchanged —
  Anki then leaves it alone, keeping any edit the learner made;
- otherwise the export time ``now``, and at least one second more than its previous stamp, so a
  corrected note always wins over the one Anki holds from the earlier import.

The previous export is read from an existing ``.apkg`` (normally the file being replaced) and,
for the command, from the stamps remembered in the user data directory (``anki_memory``), so an
export to a new file name keeps them too; without either, every note is stamped ``now``. Same
input and same ``now`` give the same stamps.

An old ``.apkg`` is read within bounds (its size, its entries, the collection's size and
compression ratio, bytes actually inflated): a file that is not one of ours, or a zip bomb, is
ignored with a ``problem`` saying why, never read without limit.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import struct
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TypeVar

COLLECTION_ENTRY = "collection.anki2"
# Bounds on reading an earlier export: far above what the largest deck the loader accepts
# (2 MiB of YAML) exports to, far below what would hurt memory.
MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_COLLECTION_BYTES = 128 * 1024 * 1024  # a 10,000-note collection is about 9 MiB
MAX_RATIO = 200  # our collections deflate 8:1 to 14:1; zip bombs reach 1000:1
MAX_ENTRIES = 16  # ours hold two: the collection and the media map
_END_RECORD = struct.Struct("<4s4H2LH")  # zip end-of-central-directory record


@dataclass(frozen=True)
class Stamps:
    """Contents and ``mod`` stamps of a previous export: notes by GUID, note types by id."""

    notes: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    models: Mapping[int, tuple[str, int]] = field(default_factory=dict)
    problem: str = ""  # why an earlier export was not read (empty: read, or there was none)

    def note_mod(self, guid: str, signature: str, now: int) -> int:
        return _stamp(self.notes.get(guid), signature, now)

    def model_mod(self, model_id: int, signature: str, now: int) -> int:
        return _stamp(self.models.get(model_id), signature, now)

    def merged(self, other: Stamps) -> Stamps:
        """Both sets of stamps; where both know a note, the later export (larger ``mod``) wins.

        Anki holds the note from the last import, and that is the latest stamp we gave it.
        """
        return Stamps(
            _latest(self.notes, other.notes),
            _latest(self.models, other.models),
            "; ".join(p for p in (self.problem, other.problem) if p),
        )


K = TypeVar("K")


def _latest(
    first: Mapping[K, tuple[str, int]], second: Mapping[K, tuple[str, int]]
) -> dict[K, tuple[str, int]]:
    merged = dict(first)
    for key, value in second.items():
        if key not in merged or value[1] > merged[key][1]:
            merged[key] = value
    return merged


def _stamp(previous: tuple[str, int] | None, signature: str, now: int) -> int:
    if previous is None:
        return now
    old_signature, old_mod = previous
    return old_mod if old_signature == signature else max(now, old_mod + 1)


def note_signature(model_id: int, fields: Iterable[str], tags: str) -> str:
    """What makes a note different for Anki: note type, fields and tags (as stored)."""
    return _digest([str(model_id), "\x1f".join(fields), tags.strip()])


def model_signature(model_json: Mapping[str, object]) -> str:
    """A note type's look: fields, templates, stylesheet, kind (genanki/Anki ``models`` JSON)."""
    fields = [f["name"] for f in model_json.get("flds", [])]  # type: ignore[attr-defined]
    templates = [
        (t["name"], t["qfmt"], t["afmt"])
        for t in model_json.get("tmpls", [])  # type: ignore[attr-defined]
    ]
    return _digest(
        [
            str(model_json.get("name", "")),
            json.dumps(fields),
            json.dumps(templates),
            str(model_json.get("css", "")),
            str(model_json.get("type", 0)),
        ]
    )


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def read_stamps(path: str | Path) -> Stamps:
    """Stamps of the package at ``path``; empty when there is none, with a ``problem`` when the
    file there is not an ``.apkg`` that can be read within bounds."""
    try:
        data = _read_collection(path)
    except (FileNotFoundError, _NotAFile):
        return Stamps()  # nothing there, or a stream (FIFO, /dev/stdout): no earlier export
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, EOFError, ValueError) as exc:
        return Stamps(problem=_not_read(path, _reason(exc)))
    try:
        return _stamps_of(data)
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
        return Stamps(problem=_not_read(path, "not an Anki package"))


def _not_read(path: str | Path, reason: str) -> str:
    return f"{os.fspath(path)}: earlier export not read ({reason}) — its notes count as new"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, KeyError):
        return "not an Anki package"
    return str(exc) or type(exc).__name__


class _NotAFile(Exception):
    """Not an ordinary file: nothing to read stamps from."""


class _Odd(ValueError):
    """An archive we would not have written: too large, too many entries, too compressed."""


def _read_collection(path: str | Path) -> bytes:
    # O_NONBLOCK: a FIFO at the path must not block the export; only ordinary files are read
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile
        if info.st_size > MAX_PACKAGE_BYTES:
            raise _Odd(f"larger than {MAX_PACKAGE_BYTES // 2**20} MiB")
        _check_entry_count(handle, info.st_size)
        with zipfile.ZipFile(handle) as archive:
            entry = archive.getinfo(COLLECTION_ENTRY)
            if entry.file_size > MAX_COLLECTION_BYTES:
                raise _Odd(f"collection larger than {MAX_COLLECTION_BYTES // 2**20} MiB")
            if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise _Odd(f"compressed more than {MAX_RATIO}:1, like a zip bomb")
            with archive.open(entry) as member:
                data = member.read(entry.file_size + 1)  # the header may lie: never read more
        if len(data) != entry.file_size:
            raise _Odd("collection size does not match its header")
        return data


def _check_entry_count(handle: BinaryIO, size: int) -> None:
    """Refuse many entries before ``zipfile`` builds an object for each of them."""
    tail_size = min(size, _END_RECORD.size + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    start = tail.rfind(b"PK\x05\x06")
    if start < 0 or start + _END_RECORD.size > len(tail):
        raise zipfile.BadZipFile("not a zip file")
    _, _, _, on_disk, total, _, _, _ = _END_RECORD.unpack_from(tail, start)
    entries = max(on_disk, total)
    if entries > MAX_ENTRIES:
        raise _Odd(f"{entries} entries: not an export of ours")
    handle.seek(0)


def _stamps_of(data: bytes) -> Stamps:
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        notes = {
            guid: (note_signature(mid, flds.split("\x1f"), tags), mod)
            for guid, mid, flds, tags, mod in conn.execute(
                "SELECT guid, mid, flds, tags, mod FROM notes"
            )
        }
        (models_json,) = conn.execute("SELECT models FROM col").fetchone()
        models = {
            int(mid): (model_signature(model), int(model.get("mod", 0)))
            for mid, model in json.loads(models_json).items()
        }
    finally:
        conn.close()
    return Stamps(notes, models)
