"""Bulk writes of hundreds of thousands of small JSON values (review logs, Anki revlog data).

(Bulk work also pauses the cyclic garbage collector: see ``gc_pause``.)
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable


def json_encoder(separators: tuple[str, str] = (", ", ": ")) -> Callable[[object], str]:
    """``json.dumps(value, separators=separators)`` (otherwise default settings), without
    rebuilding the C encoder on each call: that costs more than encoding a small list or dict,
    which a bulk write does 100,000 times."""
    # the C encoder is private: typeshed leaves it out, CPython has it (None without C speedups)
    make = json.encoder.c_make_encoder  # type: ignore[attr-defined]
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
