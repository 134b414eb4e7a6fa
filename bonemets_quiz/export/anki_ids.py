"""Anki identities, derived deterministically from names and question ids (never random or clock).

Anki matches what it imports on these, so they must never change for the same thing:

- **Note type ids**: ``model_id(name)`` hashes ``"bonemets-quiz/model/<name>/v<FORMAT_VERSION>"``
  with SHA-256 into ``[2**30, 2**31)``, the range genanki recommends. Ids of genanki's built-in
  note types are skipped (the next hash salt is taken), and Anki's stock note types have 13-digit
  millisecond ids, far outside the range. Bump ``FORMAT_VERSION`` only when a note type's fields
  or template names change: Anki treats such a note type as a new schema, and a different id keeps
  the old one intact instead of clashing with it.
- **Deck ids**: ``deck_id(bank_deck_id, topic)`` hashes the bank deck id and topic id the same way.
- **Note GUIDs**: ``guid_key(question)`` is ``(bank deck id, question id)``, fed to
  ``genanki.guid_for`` by ``anki.py``. Rewording a question keeps its id, so Anki updates the note
  instead of adding one; a question renamed with ``replaces`` keeps the GUID of its oldest id.
  Question ids start with the deck id, so two decks never collide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from ..deck.model import Question
from ..deck.qid import deck_of

if TYPE_CHECKING:
    from ..study.store.store import Store

FORMAT_VERSION = 1
ID_RANGE_START = 1 << 30
ID_RANGE_SIZE = 1 << 30
# genanki's built-in note types (genanki/builtin_models.py): never reuse one of these ids.
RESERVED_IDS = frozenset({1559383000, 1485830179, 1382232460, 1305534440, 1550428389})


def stable_id(*parts: str) -> int:
    """An id in ``[2**30, 2**31)`` from text parts; the same parts always give the same id."""
    salt = 0
    while True:
        key = "/".join(parts) + (f"#{salt}" if salt else "")
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        candidate = ID_RANGE_START + int.from_bytes(digest[:8], "big") % ID_RANGE_SIZE
        if candidate not in RESERVED_IDS:
            return candidate
        salt += 1


def model_id(name: str, version: int = FORMAT_VERSION) -> int:
    """The note type id for a note type name at a format version."""
    return stable_id("bonemets-quiz", "model", name, f"v{version}")


def deck_id(bank_deck_id: str, topic: str | None = None) -> int:
    """Anki deck id of a bank deck's parent deck (``topic=None``) or of one topic's subdeck."""
    parts = ["bonemets-quiz", "deck", bank_deck_id]
    if topic is not None:
        parts.append(topic)
    return stable_id(*parts)


@lru_cache(maxsize=1 << 16)
def note_guid(deck_id: str, identity: str) -> str:
    """``genanki.guid_for(deck_id, identity)``, computed once per process: the export and
    ``export --with-progress``'s schedule both need every note's GUID.

    The same SHA-256 and base-91 digits as genanki's, with the digits taken by ``divmod`` from
    one ``int.from_bytes`` instead of genanki's per-byte and per-digit Python loop (a 10,000-fact
    deck has ~35,000 notes); a test compares the two.
    """
    digest = hashlib.sha256(f"{deck_id}__{identity}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    digits: list[str] = []
    while number > 0:
        number, digit = divmod(number, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


# genanki.util.BASE91_TABLE, the digits of Anki's GUIDs (a test keeps them equal)
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def guid_key(question: Question) -> tuple[str, str]:
    """What a note's GUID is derived from: the bank deck id and the question's oldest id."""
    identity = question.replaces[0] if question.replaces else question.id
    return (question.deck_id, identity)


class StoreGuids:
    """The GUID of any question id in a learner's store, as the .apkg export makes it: from the
    bank for current questions, from the stored text for retired ones (the review log and
    ``export --with-progress`` both name questions this way)."""

    def __init__(self, store: Store, bank: Iterable[Question]) -> None:
        self._keys = {q.id: guid_key(q) for q in bank}
        self._store = store
        self._cache: dict[str, str] = {}
        self._snapshots: dict[str, Question] | None = None

    def __call__(self, qid: str) -> str:
        guid = self._cache.get(qid)
        if guid is None:
            guid = self._cache[qid] = note_guid(*self._key(qid))
        return guid

    def _key(self, qid: str) -> tuple[str, str]:
        if qid in self._keys:
            return self._keys[qid]
        if self._snapshots is None:  # retired questions: their last stored text
            self._snapshots = self._store.questions()
        snapshot = self._snapshots.get(qid)
        return guid_key(snapshot) if snapshot else (deck_of(qid), qid)
