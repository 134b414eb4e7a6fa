"""Questions → a compressed ``.apkg`` that Anki imports and later updates in place.

The only module that imports genanki. genanki builds the collection in an in-memory SQLite
database (no temporary file anywhere); the package is then zipped with deflate and written
to a checked output (``output``: atomically beside the target, or into a stream). See
``anki_ids`` for identities, ``anki_stamps`` and ``anki_memory`` for updates.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

import genanki

from ..deck.model import Deck, Question
from ..gc_pause import without_gc
from . import anki_ids
from .anki_media import collect_media
from .anki_notes import NoteSpec, note_specs
from .anki_stamps import COLLECTION_ENTRY, Stamps, model_signature, note_signature
from .anki_templates import CSS, NOTE_TYPES, NoteTypeSpec
from .output import open_output
from .sanitize import escape_text

if TYPE_CHECKING:
    from .anki_progress import Schedule

DISCLAIMER = "Educational, not medical advice."
COMPRESS_LEVEL = 1
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportSummary:
    path: str
    notes: int
    cards: int
    suspended: int
    retired: int
    decks: tuple[str, ...]
    size: int
    warnings: tuple[str, ...] = ()  # what was read or remembered only in part, and why

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": "apkg",
            "notes": self.notes,
            "cards": self.cards,
            "suspended": self.suspended,
            "retired": self.retired,
            "decks": list(self.decks),
            "bytes": self.size,
        }


class _Model(genanki.Model):  # type: ignore[misc]  # genanki is untyped
    """A genanki note type whose ``mod`` is its own stamp, not the export time."""

    stamp: int = 0
    signature: str = ""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, object]:
        model: dict[str, object] = super().to_json(self.stamp, deck_id)
        return model


def export_apkg(
    decks: Sequence[Deck],
    questions: Sequence[Question],
    path: str | Path,
    *,
    now: datetime,
    retired: Sequence[Question] = (),
    title: str | None = None,
    tags: Iterable[str] = (),
    previous: Stamps | None = None,
    progress: Progress | None = None,
    stamp_dir: str | os.PathLike[str] | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    schedule: Schedule | None = None,
) -> ExportSummary:
    """Write ``questions`` (and ``retired`` ones, suspended) to ``path`` as an Anki package.

    ``now`` stamps new and changed notes; ``previous`` (see ``anki_stamps.read_stamps``) and the
    stamps remembered in ``stamp_dir`` (see ``anki_memory``; the command passes the user data
    directory) keep the stamps of notes unchanged since an earlier export, which this export
    then adds to ``stamp_dir``. Same input, ``now`` and stamps: same bytes. ``path`` is checked
    as every output is (``output.check_output``; ``inputs`` are files it must not be).
    ``schedule`` (``anki_progress.schedule_of``) writes the learner's progress into the package.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (e.g. datetime.now(UTC))")
    media = collect_media(questions)  # a retired question's picture may be gone: not shown
    specs = note_specs(questions, retired, tags, media.names)
    known = _known_stamps(previous, stamp_dir, specs)
    data = build_collection(
        decks, specs, now=now, title=title, previous=known, progress=progress, schedule=schedule
    )
    with open_output(path, inputs, binary=True) as handle:
        write_package(handle, data.database, now, media.files)
    warnings = [known.problem] if known.problem else []
    if stamp_dir is not None:
        warnings += _remember(stamp_dir, data.stamps)
    return ExportSummary(
        path=str(path),
        notes=data.notes,
        cards=data.cards,
        suspended=data.suspended,
        retired=sum(spec.suspended for spec in specs),
        decks=data.deck_names,
        size=Path(path).stat().st_size,
        warnings=tuple(warnings),
    )


def _known_stamps(
    previous: Stamps | None, stamp_dir: str | os.PathLike[str] | None, specs: Sequence[NoteSpec]
) -> Stamps:
    """The stamps of earlier exports: ``previous``'s, and those remembered in ``stamp_dir``."""
    from . import anki_memory

    known = previous or Stamps()
    if stamp_dir is None:
        return known
    return known.merged(anki_memory.recall(stamp_dir, {spec.deck_id for spec in specs}))


def _remember(stamp_dir: str | os.PathLike[str], stamps: dict[str, Stamps]) -> list[str]:
    """Remember this export's stamps in ``stamp_dir``; a warning (not an error) if that fails."""
    from . import anki_memory

    try:
        anki_memory.remember(stamp_dir, stamps)
    except OSError as exc:
        return [
            f"{stamp_dir}: note stamps not remembered ({exc.strerror}) — an export to "
            "another file name will update every note"
        ]
    return []


@dataclass(frozen=True)
class Collection:
    """An Anki collection as SQLite bytes, with what it holds."""

    database: bytes
    notes: int
    cards: int
    suspended: int
    deck_names: tuple[str, ...]
    stamps: dict[str, Stamps]  # per deck id: each note's and note type's content hash and mod


@without_gc
def build_collection(
    decks: Sequence[Deck],
    specs: Sequence[NoteSpec],
    *,
    now: datetime,
    title: str | None = None,
    previous: Stamps | None = None,
    progress: Progress | None = None,
    schedule: Schedule | None = None,
) -> Collection:
    """The Anki collection (SQLite bytes) holding one note per spec, in subdecks per topic.

    genanki writes the schema, decks and note types; notes and cards are inserted here in bulk
    (genanki inserts row by row and re-checks fields for unescaped HTML, which ours never hold).
    Note and card ids count up from ``now`` in milliseconds, as Anki's own ids do.
    """
    stamp = int(now.timestamp())
    previous = previous or Stamps()
    models = {kind: _model(spec, previous, stamp) for kind, spec in NOTE_TYPES.items()}
    layout = _DeckLayout(decks, title)
    rows = _Rows(itertools.count(stamp * 1000))
    notes_by_deck: dict[str, dict[str, tuple[str, int]]] = {}
    for position, spec in enumerate(specs, start=1):
        model = models[spec.kind]
        guid = anki_ids.note_guid(*spec.guid_key)
        subdeck = layout.subdeck(spec.deck_id, spec.topic)
        subdeck.add_model(model)
        signature = note_signature(model.model_id, spec.fields, " ".join(spec.tags))
        mod = previous.note_mod(guid, signature, stamp)
        rows.add(model, guid, spec, mod, subdeck.deck_id, position)
        notes_by_deck.setdefault(spec.deck_id, {})[guid] = (signature, mod)
        if progress is not None:
            progress(1)
    database = _serialize(genanki.Package(layout.all_decks()), stamp, rows, schedule)
    model_stamps = {m.model_id: (m.signature, m.stamp) for m in models.values()}
    stamps = {deck: Stamps(notes, model_stamps) for deck, notes in notes_by_deck.items()}
    return Collection(database, len(specs), len(rows.cards), rows.suspended, layout.names(), stamps)


class _Rows:
    """``notes`` and ``cards`` table rows, laid out as genanki's ``Note``/``Card.write_to_db``."""

    def __init__(self, ids: Iterator[int]) -> None:
        self.ids = ids
        self.notes: list[tuple[object, ...]] = []
        self.cards: list[tuple[object, ...]] = []
        self.suspended = 0
        self.last_card: dict[str, int] = {}  # each note GUID's last card, by index in ``cards``
        self._front_back: dict[tuple[int, tuple[bool, ...]], tuple[int, ...]] = {}

    def add(
        self, model: _Model, guid: str, spec: NoteSpec, mod: int, deck_id: int, due: int
    ) -> None:
        if any(" " in tag for tag in spec.tags):  # as genanki.Note refuses it
            raise ValueError(f"Tag contains a space; this is not allowed! ({spec.tags})")
        note_id = next(self.ids)
        tags = " " + " ".join(spec.tags) + " "
        fields = "\x1f".join(spec.fields)
        sort_field = spec.fields[model.sort_field_index]
        note = (note_id, guid, model.model_id, mod, -1, tags, fields, sort_field, 0, 0, "")
        self.notes.append(note)
        queue = -1 if spec.suspended else 0  # -1: suspended, 0: new
        ords = self._card_ords(model, spec.fields)
        for ord_ in ords:
            self.cards.append(
                (next(self.ids), note_id, deck_id, ord_, mod, -1, 0, queue, due) + (0,) * 8 + ("",)
            )
        self.suspended += len(ords) if spec.suspended else 0
        if ords:
            self.last_card[guid] = len(self.cards) - 1

    def _card_ords(self, model: _Model, fields: tuple[str, ...]) -> tuple[int, ...]:
        """The ords of genanki's ``Note(model, fields).cards``, without a ``Note`` per note: a
        front/back note's cards depend only on which fields are filled (asked once per pattern),
        a cloze note's on the cloze numbers in its text."""
        if model.model_type == genanki.Model.CLOZE:
            return tuple(card.ord for card in genanki.Note(model, list(fields)).cards)
        key = (model.model_id, tuple(bool(field) for field in fields))
        if key not in self._front_back:
            note = genanki.Note(model, list(fields))
            self._front_back[key] = tuple(card.ord for card in note.cards)
        return self._front_back[key]


def _model(spec: NoteTypeSpec, previous: Stamps, now: int) -> _Model:
    model = _Model(
        model_id=anki_ids.model_id(spec.name),
        name=spec.name,
        fields=[{"name": name} for name in spec.fields],
        templates=[{"name": "Card 1", "qfmt": spec.front, "afmt": spec.back}],
        css=CSS,
        model_type=genanki.Model.CLOZE if spec.is_cloze else genanki.Model.FRONT_BACK,
    )
    signature = model_signature(
        {
            "name": spec.name,
            "flds": model.fields,
            "tmpls": model.templates,
            "css": CSS,
            "type": model.model_type,
        }
    )
    model.signature = signature
    model.stamp = previous.model_mod(model.model_id, signature, now)
    return model


def _serialize(
    package: genanki.Package, stamp: int, rows: _Rows, schedule: Schedule | None = None
) -> bytes:
    conn = sqlite3.connect(":memory:")
    try:
        cursor = conn.cursor()
        package.write_to_db(cursor, stamp, rows.ids)
        cursor.executemany(f"INSERT INTO notes VALUES({','.join('?' * 11)})", rows.notes)
        if schedule is None:
            cursor.executemany(f"INSERT INTO cards VALUES({','.join('?' * 18)})", rows.cards)
        else:  # the cards go in with their schedule; then the review log
            from .anki_progress import scheduled_cards, write_progress

            cards, written = scheduled_cards(rows.cards, rows.last_card, schedule)
            cursor.executemany(f"INSERT INTO cards VALUES({','.join('?' * 18)})", cards)
            write_progress(cursor, schedule, written)
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()


def write_package(
    handle: IO[bytes], database: bytes, now: datetime, media: Sequence[tuple[str, bytes]] = ()
) -> None:
    """The ``.apkg`` zip: the collection deflated, media files as ``0``, ``1``… and their map."""
    when = now.astimezone(UTC).timetuple()[:6]
    date_time = max((1980, 1, 1, 0, 0, 0), when)
    names = json.dumps({str(n): name for n, (name, _) in enumerate(media)}).encode()
    entries = [(COLLECTION_ENTRY, database), *((str(n), d) for n, (_, d) in enumerate(media))]
    with zipfile.ZipFile(handle, "w") as archive:
        for name, content in (*entries, ("media", names)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=COMPRESS_LEVEL)


class _DeckLayout:
    """``<Deck title>::<Topic title>`` subdecks, created as notes arrive, under parent decks."""

    def __init__(self, decks: Sequence[Deck], title: str | None) -> None:
        self.decks = {deck.id: deck for deck in decks}
        self.title = title
        self.parents: dict[str, genanki.Deck] = {}
        self.subdecks: dict[tuple[str, str], genanki.Deck] = {}

    def subdeck(self, deck_id: str, topic: str) -> genanki.Deck:
        key = (deck_id, topic)
        if key not in self.subdecks:
            parent = self._parent(deck_id)
            deck = self.decks.get(deck_id)
            topic_title = _deck_name(deck.topic_title(topic) if deck else topic)
            self.subdecks[key] = genanki.Deck(
                anki_ids.deck_id(deck_id, topic),
                f"{parent.name}::{topic_title}",
                description=parent.description,
            )
        return self.subdecks[key]

    def _parent(self, deck_id: str) -> genanki.Deck:
        if deck_id not in self.parents:
            deck = self.decks.get(deck_id)
            name = _deck_name(deck.title if deck else deck_id)
            if self.title:
                multiple = len({*self.decks, deck_id}) > 1
                name = f"{_deck_name(self.title)}::{name}" if multiple else _deck_name(self.title)
            self.parents[deck_id] = genanki.Deck(
                anki_ids.deck_id(deck_id), name, description=_description(deck)
            )
        return self.parents[deck_id]

    def all_decks(self) -> list[genanki.Deck]:
        return [*self.parents.values(), *self._ordered_subdecks()]

    def names(self) -> tuple[str, ...]:
        return tuple(deck.name for deck in self._ordered_subdecks())

    def _ordered_subdecks(self) -> list[genanki.Deck]:
        def position(key: tuple[str, str]) -> tuple[int, int, str]:
            deck = self.decks.get(key[0])
            topics = [t.id for t in deck.topics] if deck else []
            order = topics.index(key[1]) if key[1] in topics else len(topics)
            return (list(self.parents).index(key[0]), order, key[1])

        return [self.subdecks[key] for key in sorted(self.subdecks, key=position)]


def _deck_name(text: str) -> str:
    """A deck name part: ``::`` would nest decks, so it is flattened; blank names get a stand-in."""
    cleaned = " ".join(text.replace("::", ":").split())
    return cleaned or "Untitled"


def _description(deck: Deck | None) -> str:
    """Deck description (HTML): what it is, its source, and the disclaimer."""
    parts: list[str] = []
    if deck is not None:
        if deck.description:
            parts.append(escape_text(deck.description))
        source = f"Source: {escape_text(deck.source.citation())}"
        url = deck.source.url
        if url.startswith(("https://", "http://")):
            source += f' — <a href="{escape_text(url)}">{escape_text(url)}</a>'
        parts.append(source)
    if not deck or DISCLAIMER.lower().rstrip(".") not in deck.description.lower():
        parts.append(DISCLAIMER)
    return "<br><br>".join(parts)
