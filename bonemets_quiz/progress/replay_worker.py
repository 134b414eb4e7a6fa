"""A second process that replays part of a large import's history (see ``replay_import``).

The history is cut into blocks on question boundaries. The importing process replays them from
the first on; the worker, from the last back (``send``), each block's rows sent back as it is
done (``done``, filled by a thread as they arrive). Where they meet, the importing process takes
the worker's blocks instead of replaying them: the split follows how fast each one really goes
(a worker slowed by other work just does less). The worker only computes: it never opens the
store, so the importing process holds the one transaction and a kill at any moment leaves the
store as it was.

It is a fresh interpreter (``python -c``, as multiprocessing's "spawn" starts one: safe with
threads and on every platform, unlike "fork") given the parent's module path, the folder this
package was loaded from first, so it runs this very code; it loads this module, the scheduler
and fsrs only (no CLI, no store). If it cannot start, dies or answers something else, its blocks
simply never arrive and the importing process replays them itself: the same rows either way.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path
from queue import SimpleQueue
from typing import IO

from ..gc_pause import gc_paused
from ..study.scheduling import Settings
from .replay_part import History, Part, replay_part

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
        self.done: dict[int, Part] = {}  # block → its rows, as they arrive
        self.finished = threading.Event()  # set once it has sent all it will
        self._threads: list[threading.Thread] = []

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

    def send(
        self, settings: Settings, history: History, blocks: list[tuple[int, int]], first: int
    ) -> None:
        """Have it replay ``blocks[first:]`` of ``history`` (each (start, end), whole questions),
        the last first, each sent back as it is done. Written by a thread: this process never
        waits for the worker (one still starting, or hung, just sends nothing back)."""
        base = blocks[first][0]
        bounds = [(n, lo - base, hi - base) for n, (lo, hi) in enumerate(blocks) if n >= first]
        data = pickle.dumps((settings, history[base:], bounds), pickle.HIGHEST_PROTOCOL)
        sizes = {n: hi - lo for n, lo, hi in bounds}
        self._threads = [
            threading.Thread(target=self._write, args=(data,), daemon=True),
            threading.Thread(target=self._read, args=(sizes,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _write(self, data: bytes) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        with suppress(OSError, ValueError):  # it is gone (a broken pipe), or closed
            stdin.write(data)
            stdin.close()

    def _read(self, sizes: dict[int, int]) -> None:
        """Take in each block's rows as they come, until the worker is done or gone."""
        try:
            while True:
                number, steps, cards = pickle.load(self._process.stdout)  # type: ignore[arg-type]
                if sizes.get(number) != len(steps):
                    return  # something else: not taken
                self.done[number] = (steps, cards)
        except Exception:  # it is done (EOFError), gone or garbled: what came is kept
            return
        finally:
            self.finished.set()

    def close(self) -> None:
        """Done with it: its pipes closed, the process ended (ours, by its handle) and reaped."""
        if self._process.poll() is None:  # still replaying blocks nobody needs any more
            self._process.kill()
        self._process.wait()
        for thread in self._threads:  # its pipes broke with it: they are done
            thread.join()
        if self._process.stdin is not None:
            with suppress(OSError, ValueError):
                self._process.stdin.close()
        if self._process.stdout is not None:
            with suppress(OSError):
                self._process.stdout.close()
        self.finished.set()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def serve() -> None:
    """The worker process: read (settings, history, [(block, start, end), …]) on stdin; write
    (block, steps, cards) of ``replay_part`` for each block, the last first, until done or the
    importing process stops reading. A thread writes them: a block's rows fill the pipe many
    times over, and the replay goes on while the importing process takes them in."""
    out, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print cannot garble the answer
    outbox: SimpleQueue[bytes | None] = SimpleQueue()
    writer = threading.Thread(target=_send_all, args=(out, outbox), daemon=True)
    try:
        with gc_paused():
            settings, rows, bounds = pickle.load(sys.stdin.buffer)
            writer.start()
            for number, lo, hi in reversed(bounds):
                if not writer.is_alive():  # the importing process stopped reading
                    break
                part = replay_part(rows[lo:hi], settings)
                outbox.put(pickle.dumps((number, *part), protocol=pickle.HIGHEST_PROTOCOL))
            outbox.put(None)
            writer.join()
    except (EOFError, OSError, KeyboardInterrupt):  # the importing process is gone or stopping
        raise SystemExit(1) from None


def _send_all(out: IO[bytes], outbox: SimpleQueue[bytes | None]) -> None:
    """Write each message as it comes, until None (or the importing process is gone)."""
    with suppress(OSError, ValueError):
        while (message := outbox.get()) is not None:
            out.write(message)
            out.flush()
