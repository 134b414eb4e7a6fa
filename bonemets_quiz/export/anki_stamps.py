"""Modification stamps: why a re-exported note is seen as newer by Anki only when it changed.

Anki (``rslib/src/import_export/package/apkg/import/notes.rs``, ``UpdateCondition::IfNewer``, the
default) updates an existing note only when the incoming note's ``mod`` is strictly greater than
the one in the collection, and a note type only when its ``mod`` is greater and its field and
template names are unchanged. So each note is stamped with:

- the stamp it had in the previous export, when its note type, fields and tags are unchanged —
  Anki then leaves it alone, keeping any edit the learner made;
- otherwise the export time ``now``, and at least one second more than its previous stamp, so a
  corrected note always wins over the one Anki holds from the earlier import.

The previous export is read from an existing ``.apkg`` (normally the file being replaced);
without one, every note is stamped ``now``. Same input and same ``now`` give the same stamps.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

COLLECTION_ENTRY = "collection.anki2"


@dataclass(frozen=True)
class Stamps:
    """Contents and ``mod`` stamps of a previous export: notes by GUID, note types by id."""

    notes: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    models: Mapping[int, tuple[str, int]] = field(default_factory=dict)

    def note_mod(self, guid: str, signature: str, now: int) -> int:
        return _stamp(self.notes.get(guid), signature, now)

    def model_mod(self, model_id: int, signature: str, now: int) -> int:
        return _stamp(self.models.get(model_id), signature, now)


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
    """Stamps of the package at ``path``; empty when there is none or it is not an ``.apkg``."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(COLLECTION_ENTRY)
    except (OSError, zipfile.BadZipFile, KeyError):
        return Stamps()
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
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
        return Stamps()
    finally:
        conn.close()
    return Stamps(notes, models)
