"""Where a command may write: every command that writes a file asks here first.

A path is written one of two ways:

- a new or ordinary file is replaced atomically (``atomic.py``): the old content or the new, never
  half of each;
- a stream is written *into*, never replaced: a FIFO, ``-``-like names (``/dev/stdout``,
  ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``) and ``/dev/null`` / ``/dev/tty``.

Refused, with one line saying why and what to do: the same file (inode, so also through a
symbolic or hard link) as one of the command's inputs (a deck, the progress store); an existing
``.yaml``/``.yml`` file (no output of ours is YAML: it is a deck); a read-only file; a symbolic
link to a file (the link is never followed to replace the file it names: give that file's path);
a folder; a device. Any ``OSError`` while writing (no such folder, name too long, disk full,
permission denied) becomes the same kind of one-line refusal.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import UsageError
from .atomic import atomic_output

PathLike = str | os.PathLike[str]
STREAM_NAMES = re.compile(r"/dev/(?:stdout|stderr|null|tty|fd/\d+)|/proc/self/fd/\d+")
DECK_SUFFIXES = (".yaml", ".yml")
_HINTS = {
    errno.ENOTDIR: "a part of the path is a file, not a folder — check the path",
    errno.ENAMETOOLONG: "the name is too long for the file system — choose a shorter one",
    errno.EACCES: "permission denied — choose a folder you can write to",
    errno.EPERM: "permission denied — choose a folder you can write to",
    errno.EROFS: "the file system is read-only — choose another place",
    errno.ENOSPC: "the disk is full — free some space and try again",
    errno.EDQUOT: "the disk quota is used up — free some space and try again",
    errno.EISDIR: "it is a folder — give a file name",
    errno.ELOOP: "too many symbolic links — give the real file's path",
}


class OutputRefused(UsageError):
    """The output path cannot or must not be written; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """A checked output path: replaced atomically, or (``stream``) written into."""

    path: str
    stream: bool


def cannot_write(path: PathLike, exc: OSError) -> OutputRefused:
    """The one-line refusal for an ``OSError`` met while writing ``path``."""
    name = os.fspath(path)
    if exc.errno == errno.ENOENT:
        hint = f"folder {os.path.dirname(name) or '.'} does not exist — create it first"
    else:
        hint = _HINTS.get(exc.errno or 0) or (exc.strerror or str(exc))
    return OutputRefused(f"cannot write {name}: {hint}")


def check_output(path: PathLike, inputs: Iterable[PathLike] = ()) -> Target:
    """``path`` as a place to write, or ``OutputRefused`` saying why it is not one."""
    name = os.fspath(path)
    try:
        info: os.stat_result | None = os.stat(name)  # follows links: what would be written
    except FileNotFoundError:
        info = None
        folder = os.path.dirname(name) or "."
        if not os.path.isdir(folder):  # say so before any work, not after it
            raise cannot_write(name, FileNotFoundError(errno.ENOENT, "missing", folder)) from None
    except OSError as exc:
        raise cannot_write(name, exc) from None
    if info is not None and _is_input(info, inputs):
        raise OutputRefused(
            f"cannot write {name}: it is an input of this command (a deck or the progress "
            "store) — choose another output file"
        )
    if STREAM_NAMES.fullmatch(name) or (info is not None and stat.S_ISFIFO(info.st_mode)):
        return Target(name, stream=True)
    if os.path.islink(name):
        raise OutputRefused(
            f"cannot write {name}: it is a symbolic link to {os.readlink(name)} — give that "
            "file's own path to replace it, or remove the link"
        )
    if info is not None:
        _check_replaceable(name, info)
    return Target(name, stream=False)


def _is_input(info: os.stat_result, inputs: Iterable[PathLike]) -> bool:
    for source in inputs:
        try:
            other = os.stat(source)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            return True
    return False


def _check_replaceable(name: str, info: os.stat_result) -> None:
    """An existing file may be replaced only if it is an ordinary, writable, non-deck file."""
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"cannot write {name}: it is a folder — give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"cannot write {name}: it is a device, not a file — give a file name")
    if not info.st_mode & 0o222 or not os.access(name, os.W_OK):
        raise OutputRefused(
            f"cannot write {name}: the file is read-only — choose another name, or make it "
            "writable if it may be replaced"
        )
    if name.lower().endswith(DECK_SUFFIXES):
        raise OutputRefused(
            f"cannot write {name}: an existing .yaml file is a deck, never replaced by an "
            "output — choose another file name"
        )


@contextlib.contextmanager
def open_output(
    path: PathLike, inputs: Iterable[PathLike] = (), *, binary: bool = False
) -> Iterator[BinaryIO]:
    """A binary handle on a checked ``path``; an ordinary file is replaced only if all went well.

    ``binary`` output (an ``.apkg``) is refused on a terminal.
    """
    target = check_output(path, inputs)
    try:
        if target.stream:
            # append: a stream reaching an ordinary file (``> out``) is never truncated by us
            with open(target.path, "ab") as handle:
                if binary and handle.isatty():
                    raise OutputRefused(
                        f"cannot write {target.path}: it is a terminal and this output is "
                        "binary — give a file name"
                    )
                yield handle
        else:
            with atomic_output(target.path) as handle:
                yield handle
    except OSError as exc:
        raise cannot_write(target.path, exc) from None


def write_output(path: PathLike, data: bytes, inputs: Iterable[PathLike] = ()) -> Target:
    """Write ``data`` to a checked ``path`` (see ``open_output``); where it went."""
    target = check_output(path, inputs)
    with open_output(path, inputs) as handle:
        handle.write(data)
    return target


def create_output(path: PathLike, data: bytes) -> bool:
    """Write ``data`` to ``path`` only if nothing is there; False if something already is.

    The content is written beside it first and linked into place, so ``path`` never exists half
    written and is never replaced, even by a file created meanwhile.
    """
    name = os.fspath(path)
    if os.path.lexists(name):
        return False
    check_output(name)
    try:
        with atomic_output(name, publish=_link_if_absent) as handle:
            handle.write(data)
    except FileExistsError:
        return False
    except OSError as exc:
        raise cannot_write(name, exc) from None
    return True


def _link_if_absent(temp_name: str, target: str) -> None:
    try:
        os.link(temp_name, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        # a file system without hard links: create exclusively, then copy the bytes in
        with open(temp_name, "rb") as source, open(target, "xb") as copy:
            copy.write(source.read())
    os.unlink(temp_name)
