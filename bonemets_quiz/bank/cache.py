"""A cache of the generated question bank, so that ``study`` starts without parsing YAML.

The cache key covers the deck files (path, size and a 64-bit checksum of their bytes), the package
version, the Python version, the seed and the source files (size and modification time) of the
loader, the generator and every module they import (``bank_sources``, read from their import
lines when the cache is written, and listed in its header): any change rebuilds the bank through
the normal loader, which reports deck problems as usual.
The cache is only an accelerator: a missing, unreadable or damaged cache file is ignored (its
header holds a checksum of the rest, so edited or torn content is caught and rebuilt), and
failing to write one is silent and leaves no temporary file. It is written with ``marshal``, as
Python's own bytecode cache is (and like it, kept in the user's own folder, and keyed by Python
version): reading it needs no import at all, and makes each question from a plain tuple; JSON
cost ``study``'s start-up 2.5 ms more. (zlib's checksums instead of hashlib, and os.path instead
of pathlib, for the same reason.)
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from contextlib import suppress

from .. import __version__
from ..deck.file_bytes import read_deck_bytes
from ..deck.paths import builtin_deck as builtin_deck  # re-exported
from ..deck.paths import deck_files
from ..deck.question import Question, select
from ..errors import DeckError
from ..gc_pause import without_gc
from ..records import Record

CACHE_FORMAT = 5  # 2: the payload's checksum; 3: vocabulary; 4: the header's sources; 5: marshal
KEEP = 8  # cache files kept (one per deck set and version)
SUFFIX = ".marshal"
# What ``build_bank`` imports: these modules, and every module of the package they import (at
# the top or inside a function), shape the bank. Found by reading their import lines, so that
# the cache-hit path imports none of them (they load PyYAML).
BANK_ROOTS = ("bank.loading", "bank.generate")  # what load_bank imports to build a bank
# compiled when a cache is written (``re`` caches it), never on a cache hit
_IMPORT = r"(?m)from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"
_HERE = os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))
)  # bonemets_quiz/: module paths are relative to it


class DeckInfo(Record):
    id: str
    title: str
    path: str
    topics: tuple[tuple[str, str], ...]
    parameters: tuple[float, ...] | None = None  # the deck's cohort FSRS weights, if any


class Bank(Record):
    decks: tuple[DeckInfo, ...]
    questions: tuple[Question, ...]
    fingerprint: str
    snapshots: tuple[str, ...] = ()  # each question's ``snapshot()``, once written to the cache

    @property
    def topics(self) -> dict[str, str]:
        return {tid: title for deck in self.decks for tid, title in deck.topics}

    def select(self, topics: Iterable[str] = (), kinds: Iterable[str] = ()) -> list[Question]:
        """Questions whose topic and kind are among those given (all when none are given)."""
        return select(self.questions, topics, kinds)


def bank_sources(roots: Iterable[str] = BANK_ROOTS) -> list[str]:
    """The source files of ``roots`` and of every package module they import, transitively
    (paths relative to the package, sorted)."""
    seen: set[str] = set()
    todo = [_module_file(root.split(".")) for root in roots]
    while todo:
        file = todo.pop()
        if file is None or file in seen:
            continue
        seen.add(file)
        with open(os.path.join(_HERE, file), encoding="utf-8") as handle:
            text = handle.read()
        package = file.split("/")[:-1]
        for dots, name, names in re.findall(_IMPORT, text):
            base = package[: len(package) - len(dots) + 1] if len(dots) <= len(package) + 1 else []
            parts = [*base, *name.split(".")] if name else base
            todo.append(_module_file(parts))
            if not name:  # ``from . import a, b``: modules by name
                todo += [_module_file([*base, n]) for n in _imported_names(names)]
        todo += [_module_file(package[:depth]) for depth in range(1, len(package) + 1)]
    return sorted(seen)


def _imported_names(names: str) -> list[str]:
    lines = [line.split("#")[0] for line in names.strip("()").splitlines()]
    listed = ",".join(lines).split(",")
    return [n.split(" as ")[0].strip() for n in listed if n.strip()]


def _module_file(parts: list[str]) -> str | None:
    """The package file of a module (``a/b.py`` or ``a/b/__init__.py``), if it exists."""
    for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
        if parts and os.path.isfile(os.path.join(_HERE, candidate)):
            return candidate
    return None


def cache_key(files: Sequence[str], seed: int) -> str:
    """What names a cache file: the decks' bytes, the seed, the package and Python versions."""
    parts = [f"{CACHE_FORMAT}", __version__, sys.implementation.cache_tag or "", str(seed)]
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
    name = f"bank-{zlib.crc32((key or '').encode()):08x}{SUFFIX}"
    if key and cache is not None:
        bank = _read(os.path.join(cache, name), key)
        if bank is not None:
            return bank
    sources = bank_sources() if key else []
    bank = build_bank(paths, seed, key and fingerprint(key, sources))
    if key and cache is not None:
        bank = bank._replace(snapshots=tuple(q.snapshot() for q in bank.questions))
        _write(cache, name, bank, sources)  # the store keeps the same texts: encoded once for both
    return bank


def fingerprint(key: str, sources: Iterable[str]) -> str:
    """``key`` and the size and modification time of each source file: the bank's identity.

    The cache file lists its sources (``bank_sources``, worked out when it was written): any
    change to the import graph changes one of them, so checking their times is enough.
    """
    parts = [key]
    for name in sources:
        with suppress(OSError):
            info = os.stat(os.path.join(_HERE, name))
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def build_bank(paths: Sequence[str | os.PathLike[str]], seed: int, key: str | None = None) -> Bank:
    """The slow path: parse and validate the decks, generate their questions."""
    from .generate import generate_bank
    from .loading import load_decks

    decks = load_decks(paths)
    questions = tuple(generate_bank(decks, seed))
    infos = tuple(
        DeckInfo(d.id, d.title, d.path, tuple((t.id, t.title) for t in d.topics), d.parameters)
        for d in decks
    )
    if key is None:
        import json

        text = json.dumps([q.to_dict() for q in questions], sort_keys=True).encode()
        key = f"content:{len(text)}:{zlib.crc32(text):08x}{zlib.adler32(text):08x}"
    return Bank(infos, questions, key)


def _read(file: str, key: str) -> Bank | None:
    """The cached bank, or None unless the file is whole: its payload must match its checksum."""
    try:
        with open(file, "rb") as handle:
            header, payload = marshal.loads(handle.read())
        if header.get("format") != CACHE_FORMAT:
            return None
        full = fingerprint(key, header["sources"])
        if header.get("key") != full:
            return None
        if header.get("check") != _checksum(payload):
            return None  # damaged or edited: rebuilt from the decks
        decks, questions = marshal.loads(payload)
        return Bank(
            tuple(map(_deck_info, decks)), tuple(map(Question.from_fields, questions)), full
        )
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _deck_info(fields: tuple[object, ...]) -> DeckInfo:
    deck_id, title, path, topics, parameters = fields
    return DeckInfo(deck_id, title, path, topics, parameters)  # type: ignore[arg-type]


def _checksum(payload: bytes) -> str:
    return f"{len(payload)}:{zlib.crc32(payload):08x}{zlib.adler32(payload):08x}"


def _write(directory: str, name: str, bank: Bank, sources: Sequence[str] = ()) -> None:
    """Write the cache file atomically; any failure leaves no file behind and is silent."""
    decks = tuple(tuple(d) for d in bank.decks)
    target = os.path.join(directory, name)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    try:
        payload = marshal.dumps((decks, tuple(q.to_fields() for q in bank.questions)))
        header = {
            "format": CACHE_FORMAT,
            "key": bank.fingerprint,
            "sources": list(sources),
            "check": _checksum(payload),
        }
        os.makedirs(directory, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(marshal.dumps((header, payload)))
        os.replace(temporary, target)
        _prune(directory)
    except (OSError, ValueError):  # ValueError: what marshal cannot write (the cache is optional)
        with suppress(OSError):
            os.remove(temporary)


def _prune(directory: str) -> None:
    """Keep the ``KEEP`` newest cache files; drop temporary files of processes that are gone."""
    names = os.listdir(directory)
    files = [
        os.path.join(directory, n)
        for n in names
        if n.startswith("bank-")  # (older formats too)
    ]
    files.sort(key=os.path.getmtime, reverse=True)
    for old in files[KEEP:]:
        with suppress(OSError):
            os.remove(old)
    for name in names:
        parts = name.split(".")  # .bank-xxxxxxxx.marshal.PID.tmp
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
