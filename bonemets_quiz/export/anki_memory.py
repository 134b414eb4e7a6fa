"""Note stamps remembered per deck in the user data directory, whatever file an export goes to.

Anki keeps a learner's edit to a note unless the incoming note is stamped newer (``anki_stamps``).
An earlier ``.apkg`` holds those stamps only at its own path, so an export to a new file name used
to stamp every note anew and overwrite every edit. Here each deck has a small JSON file::

    {"format": 1, "notes": {"<guid>": ["<content hash>", <mod>]}, "models": {"<id>": [...]}}

replaced atomically after each export and merged with what it held (an export of one topic keeps
the other topics' stamps). A missing, damaged or oversized file is ignored with a ``problem``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .anki_stamps import Stamps
from .atomic import write_text_atomic

FORMAT = 1
MAX_BYTES = 32 * 1024 * 1024  # some hundred thousand notes: far beyond a 2 MiB deck
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


def memory_file(directory: str | os.PathLike[str], deck_id: str) -> Path:
    """The stamp file of one deck (a deck id that is no plain slug is hashed into the name)."""
    if _SAFE_NAME.fullmatch(deck_id):
        name = deck_id
    else:
        name = "deck-" + hashlib.sha256(deck_id.encode("utf-8")).hexdigest()[:32]
    return Path(directory) / f"{name}.json"


def recall(directory: str | os.PathLike[str], deck_ids: Iterable[str]) -> Stamps:
    """The stamps remembered for these decks, merged; empty for decks never exported."""
    stamps = Stamps()
    for deck_id in sorted(set(deck_ids)):
        stamps = stamps.merged(_read(memory_file(directory, deck_id)))
    return stamps


def remember(directory: str | os.PathLike[str], by_deck: Mapping[str, Stamps]) -> None:
    """Add these stamps to each deck's file (``OSError`` if the directory cannot be written)."""
    os.makedirs(directory, exist_ok=True)
    for deck_id, stamps in sorted(by_deck.items()):
        path = memory_file(directory, deck_id)
        known = _read(path)
        merged = (known if not known.problem else Stamps()).merged(stamps)
        document = {
            "format": FORMAT,
            "deck": deck_id,
            "notes": {guid: list(value) for guid, value in sorted(merged.notes.items())},
            "models": {str(mid): list(value) for mid, value in sorted(merged.models.items())},
        }
        write_text_atomic(path, json.dumps(document, separators=(",", ":")) + "\n")


def _read(path: Path) -> Stamps:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Stamps()
    except OSError as exc:
        return Stamps(problem=f"{path}: remembered note stamps not read ({exc.strerror})")
    try:
        if len(raw) > MAX_BYTES:
            raise ValueError("too large")
        document = json.loads(raw)
        if document.get("format") != FORMAT:
            raise ValueError("unknown format")
        notes = {str(g): (str(s), int(m)) for g, (s, m) in document["notes"].items()}
        models = {int(i): (str(s), int(m)) for i, (s, m) in document["models"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return Stamps(problem=f"{path}: remembered note stamps ignored (damaged)")
    return Stamps(notes, models)
