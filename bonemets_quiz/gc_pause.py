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
