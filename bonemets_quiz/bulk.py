"""Bulk work on hundreds of thousands of small objects, without the cyclic garbage collector.

Building a 100,000-review log or replay allocates millions of tuples that live until the end;
each time enough of them pile up, the collector scans everything alive — again and again, for a
third or more of an import's time. None of this work makes reference cycles, so the collector is
paused while it runs (and left as it was found).
"""

from __future__ import annotations

import gc
import json
import json.encoder
from collections.abc import Callable, Iterator
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


def json_encoder(separators: tuple[str, str] = (", ", ": ")) -> Callable[[object], str]:
    """``json.dumps(value, separators=separators)`` (otherwise default settings), without
    rebuilding the C encoder on each call: that costs more than encoding a small list or dict,
    which a bulk write does 100,000 times."""
    make = json.encoder.c_make_encoder
    if make is None:  # no C accelerator: the plain function
        return json.JSONEncoder(separators=separators).encode
    settings = json.JSONEncoder(separators=separators)
    encode = make(
        None,
        settings.default,
        json.encoder.encode_basestring_ascii,
        None,
        settings.key_separator,
        settings.item_separator,
        settings.sort_keys,
        settings.skipkeys,
        settings.allow_nan,
    )
    return lambda value: "".join(encode(value, 0))
