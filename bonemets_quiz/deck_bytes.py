"""A deck file's bytes, read so that no file can block, flood memory or hang the program.

Every reader of a deck (the loader, the bank cache's checksum, ``validate``'s locator) goes through
``read_deck_bytes``: the file is opened non-blocking (a FIFO never waits for a writer), must be a
regular file (not a device such as ``/dev/zero``, a FIFO or a socket), must be at most
``MAX_FILE_BYTES`` by its size *before* reading, and is read with a bound in case it grows.
Only ``os`` is imported: the bank cache uses this on ``study``'s fast path.
"""

from __future__ import annotations

import os
import stat

from .errors import DeckError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
_CHUNK = 256 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_deck_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the deck file at ``path``, or a DeckError saying why it cannot be one."""
    name = os.fspath(path)
    try:
        fd = os.open(name, _FLAGS | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _refuse(name, "no such file", "check the path") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror}", "check the path") from None
    try:
        info = os.fstat(fd)
        _check_kind_and_size(name, info)
        return _read_bounded(name, fd)
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror}", "check the file") from None
    finally:
        os.close(fd)


def _check_kind_and_size(name: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(name, "is a directory", "pass a .yaml file")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(
            name,
            f"is not a regular file (it is {_kind(info.st_mode)})",
            "pass a .yaml deck file saved on disk",
        )
    if info.st_size > MAX_FILE_BYTES:
        raise _too_big(name, str(info.st_size))


def _read_bounded(name: str, fd: int) -> bytes:
    """At most ``MAX_FILE_BYTES`` bytes: a file that grows past the limit while read is refused."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _too_big(name, f"more than {MAX_FILE_BYTES}")
        chunks.append(chunk)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _too_big(name: str, size: str) -> DeckError:
    return _refuse(name, f"file is {size} bytes, over the 2 MiB limit", "split it")


def _refuse(name: str, message: str, hint: str) -> DeckError:
    return DeckError([Problem(name, 0, 0, message, hint)])
