"""Write a file so that its path holds either the old content or the complete new one, never half.

The temporary file lives beside the target (same directory, so ``os.replace`` is an atomic rename
on the same file system) and nothing is ever left in the system temp directory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str], publish: Callable[[str, str], None] = os.replace
) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces ``path`` only if the ``with`` block completes.

    ``publish(temporary, path)`` puts the finished file in place (default: ``os.replace``).
    """
    target = Path(path)
    directory = target.parent
    # a short prefix, so a name near the file system's limit still has room for the temporary
    prefix = f".{target.name[:64]}."
    fd, temp_name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, _mode_for(target))
        publish(temp_name, str(target))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(directory)


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (not mkstemp's 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return _default_mode()


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
