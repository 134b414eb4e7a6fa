"""A second process that replays part of a large import's history (see ``replay_import``).

The importing process starts it early (``Worker.start``), sends it the settings and its part of
the history once that is known (``send``), replays its own part meanwhile, and takes back the
rows to store as they come (``steps``, a chunk at a time, then ``cards``). The worker only
computes: it never opens the store, so the importing process holds the one transaction and a
kill at any moment leaves the store as it was.

It is a fresh interpreter (``python -c``, as multiprocessing's "spawn" starts one: safe with
threads and on every platform, unlike "fork") given the parent's module path, the folder this
package was loaded from first, so it runs this very code; it loads this module, the scheduler
and fsrs only (no CLI, no store). Anything going wrong with it (it cannot start, dies, answers
something else) makes ``send``/``cards`` say so (False/None), and the caller replays that part
itself: the same rows either way.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import suppress
from itertools import islice
from pathlib import Path
from queue import SimpleQueue
from typing import IO, Any

from ..gc_pause import gc_paused
from ..study.scheduling import Settings
from .replay_part import History, Step, replay_steps

# Steps a message: the importing process inserts each chunk as it comes, so only the last
# one's rows are left to write when the worker is done.
CHUNK = 4096
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the package
_BOOT = f"import sys; sys.path[:] = sys.argv[1:]; from {__name__} import serve; serve()"


def cpus() -> int:
    """How many CPUs this process may run on (its affinity, where the platform tells it)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return int(count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Worker:
    """The importing process's handle on one worker process (close it: ``with``)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._sent = -1  # how many rows it was sent; -1: none yet
        self.cards: list[list[object]] | None = None  # its cards, once it has sent them all

    @classmethod
    def start(cls) -> Worker | None:
        """A worker starting up, or None if it cannot be started."""
        if getattr(sys, "frozen", False) or not sys.executable:  # no interpreter to run
            return None
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, _ROOT, *sys.path],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # its failures are ours to handle, quietly
            )
        except (OSError, ValueError, subprocess.SubprocessError):
            return None
        return cls(process)

    def send(self, settings: Settings, rows: History) -> bool:
        """Give the worker its part (whole questions' histories); False if it cannot take it."""
        stdin = self._process.stdin
        try:
            assert stdin is not None
            pickle.dump((settings, rows, CHUNK), stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.close()
        except (OSError, ValueError, pickle.PickleError):  # it is gone (a broken pipe)
            return False
        self._sent = len(rows)
        return True

    def steps(self) -> Iterator[list[Step]]:
        """The worker's steps, a chunk at a time as it replays (waiting for each); then
        ``cards`` is set to its cards, or stays None if it stopped short or said something else
        (what it sent before is still right: a replay is the same wherever it runs)."""
        got = 0
        while self._sent >= 0:
            message = self._receive()
            if message is None:
                return
            kind, value = message
            if kind != "steps":
                if kind == "cards" and got == self._sent:
                    self.cards = value
                return
            got += len(value)
            yield value

    def _receive(self) -> tuple[str, list[Any]] | None:
        try:
            message = pickle.load(self._process.stdout)  # type: ignore[arg-type]
        except Exception:  # cut short or garbled (EOFError, UnpicklingError, …)
            return None
        if type(message) is not tuple or len(message) != 2 or type(message[1]) is not list:
            return None
        return message

    def close(self) -> None:
        """Done with it: its pipes closed, the process ended (ours, by its handle) and reaped."""
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with suppress(OSError):
                    pipe.close()
        if self._process.poll() is None:  # still replaying what nobody will read
            self._process.kill()
        self._process.wait()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def serve() -> None:
    """The worker process: read (settings, history, chunk size) on stdin; write its
    ``replay_part`` as ("steps", [step, …]) messages, a chunk each as it is replayed, then ("cards",
    [card values, …]). A thread writes them: the importing process reads them only once its own
    part is done, and the replay goes on meanwhile (a pipe holds far less than a chunk)."""
    out, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print cannot garble the answer
    outbox: SimpleQueue[bytes | None] = SimpleQueue()
    writer = threading.Thread(target=_write, args=(out, outbox), daemon=True)
    try:
        with gc_paused():
            settings, rows, size = pickle.load(sys.stdin.buffer)
            writer.start()
            last: dict[str, list[object]] = {}
            steps = replay_steps(rows, settings, last)
            while writer.is_alive() and (chunk := list(islice(steps, size))):
                outbox.put(pickle.dumps(("steps", chunk), protocol=pickle.HIGHEST_PROTOCOL))
            outbox.put(pickle.dumps(("cards", list(last.values())), pickle.HIGHEST_PROTOCOL))
            outbox.put(None)
            writer.join()
    except (EOFError, OSError, KeyboardInterrupt):  # the importing process is gone or stopping
        raise SystemExit(1) from None


def _write(out: IO[bytes], outbox: SimpleQueue[bytes | None]) -> None:
    """Write each message as it comes, until None (or the importing process is gone)."""
    with suppress(OSError):
        while (message := outbox.get()) is not None:
            out.write(message)
            out.flush()
