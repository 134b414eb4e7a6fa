"""Cyclic garbage collection paused while many small objects are built.

Loading, generating and checking a large deck, or reading and replaying a 100,000-review log,
allocate hundreds of thousands of nodes, questions or tuples that hold no reference cycles; each
full collection walks all of them again (a third of a 10,000-fact deck's load, and of an import).
Reference counting still frees everything at once.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside; the collector is left as it was found afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside ``gc_paused``."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return function(*args, **kwargs)

    return paused


# ---------------------------------------------------------------------------- start-up

_paused_for_start_up = False


def pause_start_up() -> None:
    """No cyclic collection while the command starts: what start-up makes (modules, classes,
    the bank) lives as long as the process, so each collection over it is wasted work (~1.7 ms
    of ``study``'s first question, collections inside click's import included)."""
    global _paused_for_start_up
    if gc.isenabled():
        gc.disable()
        _paused_for_start_up = True


def end_start_up() -> None:
    """Collection back on, with start-up's objects frozen: later collections never walk them
    again. Does nothing unless ``pause_start_up`` paused it (and only once)."""
    global _paused_for_start_up
    if _paused_for_start_up:
        _paused_for_start_up = False
        gc.freeze()
        gc.enable()
