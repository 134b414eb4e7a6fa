"""A cache of the generated question bank, so that ``study`` starts without parsing YAML.

The cache key covers the deck files (path, size and a 64-bit checksum of their bytes), the package
version, the Python version, the generator's source files (size and modification time) and the
seed: any change rebuilds the bank through the normal loader, which reports deck problems as usual.
The cache is only an accelerator: a missing, unreadable or damaged cache file is ignored (its
first line holds a checksum of the rest, so edited or torn content is caught and rebuilt), and
failing to write one is silent and leaves no temporary file. (zlib's checksums instead of
hashlib, and os.path instead of pathlib, because those imports alone would cost more than reading
the cache.)
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Iterable, Sequence
from contextlib import suppress
from typing import NamedTuple

from . import __version__
from .deck_bytes import read_deck_bytes
from .errors import DeckError
from .gc_pause import without_gc
from .question import Question

CACHE_FORMAT = 3  # 2: a header line with the payload's checksum; 3: questions carry vocabulary
KEEP = 8  # cache files kept (one per deck set and version)
BUILTIN_DECK = "bone-metastasis.yaml"  # as deck_loader.BUILTIN_DECK (a test keeps them equal)
_SOURCES = (
    "generate.py",
    "deck_loader.py",
    "deck_bytes.py",
    "deck_scheduling.py",
    "lint.py",  # its error-level checks are part of loading
    "model.py",
    "normalize.py",
    "yaml_nodes.py",
    "vocabulary.py",
    "wordforms.py",
    "question.py",  # what a cached question holds
    "image.py",  # its picture
    "image_files.py",  # pictures are checked while loading
)
_HERE = os.path.dirname(os.path.abspath(__file__))


class DeckInfo(NamedTuple):
    id: str
    title: str
    path: str
    topics: tuple[tuple[str, str], ...]
    parameters: tuple[float, ...] | None = None  # the deck's cohort FSRS weights, if any


class Bank(NamedTuple):
    decks: tuple[DeckInfo, ...]
    questions: tuple[Question, ...]
    fingerprint: str
    snapshots: tuple[str, ...] = ()  # each question's ``snapshot()``, once written to the cache

    @property
    def topics(self) -> dict[str, str]:
        return {tid: title for deck in self.decks for tid, title in deck.topics}

    def select(self, topics: Iterable[str] = (), kinds: Iterable[str] = ()) -> list[Question]:
        """Questions whose topic and kind are among those given (all when none are given)."""
        topic_set, kind_set = set(topics), set(kinds)
        return [
            q
            for q in self.questions
            if (not topic_set or q.topic in topic_set) and (not kind_set or q.kind in kind_set)
        ]


def builtin_deck() -> str:
    """The built-in deck, found without importing the YAML loader."""
    packaged = os.path.join(_HERE, "decks", BUILTIN_DECK)
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(_HERE), "decks", BUILTIN_DECK)


def deck_files(paths: Sequence[str | os.PathLike[str]]) -> list[str] | None:
    """The deck files ``paths`` name; None when anything is unusual (the loader will say what)."""
    if not paths:
        return [builtin_deck()]
    found: list[str] = []
    for raw in [os.fspath(path) for path in paths]:
        if os.path.isdir(raw):
            inside = sorted(n for n in os.listdir(raw) if n.endswith((".yaml", ".yml")))
            if not inside:
                return None
            found.extend(os.path.join(raw, name) for name in inside)
        elif os.path.isfile(raw):
            found.append(raw)
        else:
            return None
    return found


def cache_key(files: Sequence[str], seed: int) -> str:
    parts = [f"{CACHE_FORMAT}", __version__, sys.implementation.cache_tag or "", str(seed)]
    for name in _SOURCES:
        with suppress(OSError):
            info = os.stat(os.path.join(_HERE, name))
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    for file in files:
        data = read_deck_bytes(file)  # never blocks, never reads past the size limit
        parts.append(f"{file}:{len(data)}:{zlib.crc32(data):08x}{zlib.adler32(data):08x}")
    return "|".join(parts)


@without_gc
def load_bank(
    paths: Sequence[str | os.PathLike[str]] = (), seed: int = 0, cache: str | None = None
) -> Bank:
    """The question bank of the decks at ``paths`` (default: built-in), from the cache if fresh."""
    files = deck_files(paths)
    key = None
    if files is not None:
        with suppress(OSError, DeckError):  # the loader reports what is wrong with the file
            key = cache_key(files, seed)
    name = f"bank-{zlib.crc32((key or '').encode()):08x}.json"
    if key and cache is not None:
        bank = _read(os.path.join(cache, name), key)
        if bank is not None:
            return bank
    bank = build_bank(paths, seed, key)
    if key and cache is not None:
        bank = bank._replace(snapshots=tuple(q.snapshot() for q in bank.questions))
        _write(cache, name, bank)  # the store keeps the same texts: encoded once for both
    return bank


def build_bank(paths: Sequence[str | os.PathLike[str]], seed: int, key: str | None = None) -> Bank:
    """The slow path: parse and validate the decks, generate their questions."""
    from .deck_loader import load_decks
    from .generate import generate_bank

    decks = load_decks(paths)
    questions = tuple(generate_bank(decks, seed))
    infos = tuple(
        DeckInfo(d.id, d.title, d.path, tuple((t.id, t.title) for t in d.topics), d.parameters)
        for d in decks
    )
    if key is None:
        text = json.dumps([q.to_dict() for q in questions], sort_keys=True).encode()
        key = f"content:{len(text)}:{zlib.crc32(text):08x}{zlib.adler32(text):08x}"
    return Bank(infos, questions, key)


def _read(file: str, key: str) -> Bank | None:
    """The cached bank, or None unless the file is whole: its payload must match its checksum."""
    try:
        with open(file, "rb") as handle:
            head, _, payload = handle.read().partition(b"\n")
        header = json.loads(head)
        if header.get("format") != CACHE_FORMAT or header.get("key") != key:
            return None
        if header.get("check") != _checksum(payload):
            return None  # damaged or edited: rebuilt from the decks
        data = json.loads(payload)
        decks = tuple(
            DeckInfo(
                d["id"],
                d["title"],
                d["path"],
                tuple(tuple(t) for t in d["topics"]),
                tuple(map(float, d["parameters"])) if d.get("parameters") else None,
            )
            for d in data["decks"]
        )
        questions = tuple(Question.from_dict(q) for q in data["questions"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Bank(decks, questions, key)


def _checksum(payload: bytes) -> str:
    return f"{len(payload)}:{zlib.crc32(payload):08x}{zlib.adler32(payload):08x}"


def _write(directory: str, name: str, bank: Bank) -> None:
    """Write the cache file atomically; any failure leaves no file behind and is silent."""
    decks = [
        {
            "id": d.id,
            "title": d.title,
            "path": d.path,
            "topics": [list(t) for t in d.topics],
            "parameters": d.parameters and list(d.parameters),
        }
        for d in bank.decks
    ]
    snapshots = bank.snapshots or tuple(q.snapshot() for q in bank.questions)
    target = os.path.join(directory, name)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        listed, questions = json.dumps(decks, ensure_ascii=False), ", ".join(snapshots)
        payload = f'{{"decks": {listed}, "questions": [{questions}]}}'.encode()
        header = {"format": CACHE_FORMAT, "key": bank.fingerprint, "check": _checksum(payload)}
        os.makedirs(directory, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(json.dumps(header).encode() + b"\n" + payload)
        os.replace(temporary, target)
        _prune(directory)
    except (OSError, ValueError):  # ValueError: text that cannot be encoded (the cache is optional)
        with suppress(OSError):
            os.remove(temporary)


def _prune(directory: str) -> None:
    """Keep the ``KEEP`` newest cache files; drop temporary files of processes that are gone."""
    names = os.listdir(directory)
    files = [
        os.path.join(directory, n) for n in names if n.startswith("bank-") and n.endswith(".json")
    ]
    files.sort(key=os.path.getmtime, reverse=True)
    for old in files[KEEP:]:
        with suppress(OSError):
            os.remove(old)
    for name in names:
        parts = name.split(".")  # .bank-xxxxxxxx.json.PID.tmp
        if name.startswith(".bank-") and parts[-1] == "tmp" and not _alive(parts[-2]):
            with suppress(OSError):
                os.remove(os.path.join(directory, name))


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, OverflowError, ProcessLookupError):
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
