"""Bulk work on hundreds of thousands of small objects, without the cyclic garbage collector.

Building a 100,000-review log or replay allocates millions of tuples that live until the end;
each time enough of them pile up, the collector scans everything alive — again and again, for a
third or more of an import's time. None of this work makes reference cycles, so the collector is
paused while it runs (and left as it was found).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
