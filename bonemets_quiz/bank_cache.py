"""A cache of the generated question bank, so that ``study`` starts without parsing YAML.

The cache key covers the deck files (path, size and a 64-bit checksum of their bytes), the package
version, the Python version, the generator's source files (size and modification time) and the
seed: any change rebuilds the bank through the normal loader, which reports deck problems as usual.
The cache is only an accelerator: a missing, unreadable or damaged cache file is ignored, and
failing to write one is silent. (zlib's checksums instead of hashlib, and os.path instead of
pathlib, because those imports alone would cost more than reading the cache.)
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
from .question import Question

CACHE_FORMAT = 1
KEEP = 8  # cache files kept (one per deck set and version)
BUILTIN_DECK = "bone-metastasis.yaml"  # as deck_loader.BUILTIN_DECK (a test keeps them equal)
_SOURCES = ("generate.py", "deck_loader.py", "model.py", "normalize.py", "yaml_nodes.py")
_HERE = os.path.dirname(os.path.abspath(__file__))


class DeckInfo(NamedTuple):
    id: str
    title: str
    path: str
    topics: tuple[tuple[str, str], ...]


class Bank(NamedTuple):
    decks: tuple[DeckInfo, ...]
    questions: tuple[Question, ...]
    fingerprint: str

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
    for raw in map(os.fspath, paths):
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
        with open(file, "rb") as handle:
            data = handle.read()
        parts.append(f"{file}:{len(data)}:{zlib.crc32(data):08x}{zlib.adler32(data):08x}")
    return "|".join(parts)


def load_bank(
    paths: Sequence[str | os.PathLike[str]] = (), seed: int = 0, cache: str | None = None
) -> Bank:
    """The question bank of the decks at ``paths`` (default: built-in), from the cache if fresh."""
    files = deck_files(paths)
    key = None
    if files is not None:
        with suppress(OSError):
            key = cache_key(files, seed)
    name = f"bank-{zlib.crc32((key or '').encode()):08x}.json"
    if key and cache is not None:
        bank = _read(os.path.join(cache, name), key)
        if bank is not None:
            return bank
    bank = build_bank(paths, seed, key)
    if key and cache is not None:
        _write(cache, name, bank)
    return bank


def build_bank(paths: Sequence[str | os.PathLike[str]], seed: int, key: str | None = None) -> Bank:
    """The slow path: parse and validate the decks, generate their questions."""
    from .deck_loader import load_decks
    from .generate import generate_bank

    decks = load_decks(paths)
    questions = tuple(generate_bank(decks, seed))
    infos = tuple(
        DeckInfo(d.id, d.title, d.path, tuple((t.id, t.title) for t in d.topics)) for d in decks
    )
    if key is None:
        text = json.dumps([q.to_dict() for q in questions], sort_keys=True).encode()
        key = f"content:{len(text)}:{zlib.crc32(text):08x}{zlib.adler32(text):08x}"
    return Bank(infos, questions, key)


def _read(file: str, key: str) -> Bank | None:
    try:
        with open(file, "rb") as handle:
            data = json.loads(handle.read())
        if data.get("format") != CACHE_FORMAT or data.get("key") != key:
            return None
        decks = tuple(
            DeckInfo(d["id"], d["title"], d["path"], tuple(tuple(t) for t in d["topics"]))
            for d in data["decks"]
        )
        questions = tuple(Question.from_dict(q) for q in data["questions"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Bank(decks, questions, key)


def _write(directory: str, name: str, bank: Bank) -> None:
    data = {
        "format": CACHE_FORMAT,
        "key": bank.fingerprint,
        "decks": [
            {"id": d.id, "title": d.title, "path": d.path, "topics": [list(t) for t in d.topics]}
            for d in bank.decks
        ],
        "questions": [q.to_dict() for q in bank.questions],
    }
    target = os.path.join(directory, name)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        os.makedirs(directory, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False))  # dump(): a 5x slower encoder
        os.replace(temporary, target)
        _prune(directory)
    except OSError:
        with suppress(OSError):
            os.remove(temporary)


def _prune(directory: str) -> None:
    files = [
        os.path.join(directory, n)
        for n in os.listdir(directory)
        if n.startswith("bank-") and n.endswith(".json")
    ]
    files.sort(key=os.path.getmtime, reverse=True)
    for old in files[KEEP:]:
        with suppress(OSError):
            os.remove(old)
