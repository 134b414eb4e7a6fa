"""A deck's ``scheduling:`` field: FSRS parameters fitted to a class (``report --fit-parameters``),
from which new learners of the deck start instead of FSRS's generic defaults.

    scheduling:
      fitted: 48 learners, 19,850 reviews, 2026-11-30   # optional note, for people
      parameters: [0.2172, 1.1771, …]                   # FSRS-6's 21 weights

``read_scheduling`` checks it while the deck loads (exactly 21 finite numbers, each inside
py-fsrs's bounds, so the scheduler will accept them); ``with_scheduling`` writes it into a deck's
text, replacing only that top-level block (or appending it) so comments and layout elsewhere stay
byte for byte.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

from yaml.nodes import Node, ScalarNode, SequenceNode

from .yaml_nodes import NodeReader

KEY = "scheduling"
FIX = "fit them again with `bonemets-quiz report --fit-parameters`, or remove `scheduling:`"
_NUMBER_TAGS = ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int")
_LIST_TAG = "tag:yaml.org,2002:seq"
_PER_LINE = 7


def read_scheduling(reader: NodeReader, node: Node | None) -> tuple[float, ...] | None:
    """The deck's cohort parameters (None without the field); problems go to ``reader``."""
    if node is None:
        return None
    fields = reader.mapping(node, KEY, ("parameters",), ("fitted",))
    if fields is None:
        return None
    if "fitted" in fields:
        reader.string(fields["fitted"], "scheduling fitted note")
    listed = fields.get("parameters")
    items = reader.sequence(listed, "scheduling parameters")
    if not isinstance(listed, SequenceNode) or listed.tag != _LIST_TAG:
        return None  # missing, or not a list: already reported
    values = [_weight(reader, item, n) for n, item in enumerate(items)]
    if len(items) != _count():
        reader.problem(
            listed,
            f"scheduling parameters has {len(items)} numbers; FSRS-6 needs {_count()}",
            FIX,
        )
        return None
    if any(value is None for value in values):
        return None
    return tuple(v for v in values if v is not None)


def _weight(reader: NodeReader, node: Node, index: int) -> float | None:
    """Parameter ``index`` (w0…w20) as a float inside py-fsrs's bounds, or None (reported)."""
    what = f"scheduling parameter w{index}"
    if not isinstance(node, ScalarNode) or node.tag not in _NUMBER_TAGS:
        shown = f" `{node.value}`" if isinstance(node, ScalarNode) else ""
        reader.problem(node, f"{what}{shown} is not a number", f"write a decimal number; {FIX}")
        return None
    try:
        value = float(node.value.replace("_", ""))
    except ValueError:  # YAML's .inf/.nan, or sexagesimal 1:30
        value = math.nan
    if not math.isfinite(value):
        reader.problem(node, f"{what} `{node.value}` is not a finite number", FIX)
        return None
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    if index >= len(LOWER_BOUNDS_PARAMETERS):
        return value

    low, high = LOWER_BOUNDS_PARAMETERS[index], UPPER_BOUNDS_PARAMETERS[index]
    if not low <= value <= high:
        reader.problem(node, f"{what} is {node.value}, outside FSRS's range {low}–{high}", FIX)
        return None
    return value


def _count() -> int:
    """How many weights py-fsrs's scheduler takes (21 for FSRS-6); fsrs loads only for the field."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS

    return len(LOWER_BOUNDS_PARAMETERS)


# ---------------------------------------------------------------------------- writing


def scheduling_block(parameters: Sequence[float], note: str, newline: str = "\n") -> str:
    """The ``scheduling:`` block as ``with_scheduling`` writes it (ends with a newline)."""
    numbers = [_number(w) for w in parameters]
    rows = [
        ", ".join(numbers[start : start + _PER_LINE]) for start in range(0, len(numbers), _PER_LINE)
    ]
    lines = [
        f"{KEY}:",
        "  # FSRS memory model fitted to the class's reviews (bonemets-quiz report",
        "  # --fit-parameters): new learners start from it; a learner's own `optimize` wins",
        f"  fitted: {json.dumps(note, ensure_ascii=False)}",
        "  parameters: [",
        *(f"    {row}," if n < len(rows) - 1 else f"    {row}" for n, row in enumerate(rows)),
        "  ]",
    ]
    return newline.join(lines) + newline


def _number(weight: float) -> str:
    """The shortest text that reads back as the same float, never in exponent form (YAML 1.1
    reads ``1e-06`` as text)."""
    from decimal import Decimal

    text = repr(float(weight))
    return format(Decimal(text), "f") if "e" in text else text


_TOP_KEY = re.compile(rf"^{KEY}[ \t]*:", re.MULTILINE)


def with_scheduling(text: str, parameters: Sequence[float], note: str) -> str:
    """``text`` with its top-level ``scheduling:`` block replaced by one for ``parameters`` (or
    the block appended); every other byte is kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    block = scheduling_block(parameters, note, newline)
    match = _TOP_KEY.search(text)
    if match is None:
        if text and not text.endswith("\n"):
            text += newline
        return text + block
    start = match.start()
    end = _block_end(text, match.end())
    return text[:start] + block + text[end:]


def _block_end(text: str, position: int) -> int:
    """Where the top-level block whose key ends at ``position`` ends: after its last line that
    is indented (or a flow value's continuation); blank lines and column-0 comments after it
    belong to what follows."""
    lines = text[position:].splitlines(keepends=True)
    end = position + len(lines[0]) if lines else position
    offset = end
    for line in lines[1:]:
        offset += len(line)
        if line.strip() and line[0] not in " \t]":
            break
        if line.strip():
            end = offset
    return end
