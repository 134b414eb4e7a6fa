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

from ..errors import DeckError, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
_CHUNK = 256 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class FileRules:
    """What kind of file is read, its size limit and the hints its refusals give.

    (A plain class: a NamedTuple or dataclass would cost ``study``'s start-up a millisecond.)
    """

    __slots__ = ("directory_hint", "kind_hint", "limit", "no_follow", "size_hint")

    def __init__(
        self,
        limit: int = MAX_FILE_BYTES,
        directory_hint: str = "pass a .yaml file",
        kind_hint: str = "pass a .yaml deck file saved on disk",
        size_hint: str = "split it",
        no_follow: bool = False,  # refuse a symbolic link as the last part of the path
    ) -> None:
        self.limit, self.directory_hint, self.kind_hint = limit, directory_hint, kind_hint
        self.size_hint, self.no_follow = size_hint, no_follow


DECK_FILE = FileRules()


def read_deck_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the deck file at ``path``, or a DeckError saying why it cannot be one."""
    return read_file_bytes(path, DECK_FILE)


def read_file_bytes(path: str | os.PathLike[str], rules: FileRules) -> bytes:
    """The bytes of the regular file at ``path`` within ``rules``, or a DeckError saying why not."""
    name = os.fspath(path)
    flags = _FLAGS | getattr(os, "O_CLOEXEC", 0)
    if rules.no_follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(name, flags)
    except FileNotFoundError:
        raise _refuse(name, "no such file", "check the path") from None
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror}", "check the path") from None
    try:
        info = os.fstat(fd)
        _check_kind_and_size(name, info, rules)
        return _read_bounded(name, fd, rules)
    except OSError as exc:
        raise _refuse(name, f"cannot read: {exc.strerror}", "check the file") from None
    finally:
        os.close(fd)


def _check_kind_and_size(name: str, info: os.stat_result, rules: FileRules) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(name, "is a directory", rules.directory_hint)
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(name, f"is not a regular file (it is {_kind(info.st_mode)})", rules.kind_hint)
    if info.st_size > rules.limit:
        raise _too_big(name, str(info.st_size), rules)


def _read_bounded(name: str, fd: int, rules: FileRules) -> bytes:
    """At most ``rules.limit`` bytes: a file that grows past the limit while read is refused."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, _CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > rules.limit:
            raise _too_big(name, f"more than {rules.limit}", rules)
        chunks.append(chunk)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _too_big(name: str, size: str, rules: FileRules) -> DeckError:
    limit = f"{rules.limit / 1024 / 1024:g} MiB"
    return _refuse(name, f"file is {size} bytes, over the {limit} limit", rules.size_hint)


def _refuse(name: str, message: str, hint: str) -> DeckError:
    return DeckError([Problem(name, 0, 0, message, hint)])
