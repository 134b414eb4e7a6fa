"""The one way the tests write a deck file."""

from __future__ import annotations

import re
from pathlib import Path


def write_deck(directory: Path, text: str, name: str | None = None) -> Path:
    """Write deck YAML ``text`` into ``directory`` as ``name``, by default ``<deck id>.yaml``."""
    if name is None:
        found = re.search(r"^  id: (\S+)$", text, re.MULTILINE)
        name = f"{found.group(1) if found else 'deck'}.yaml"
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
