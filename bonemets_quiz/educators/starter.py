"""``init``: the text of a commented starter deck with a fresh deck id. Pure: no file is written."""

from __future__ import annotations

import json
import random
import re
import shlex
import unicodedata
from importlib import resources

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/o/0/1: easy to read aloud and retype
ID_SUFFIX = 6
MAX_STEM = 40


def _template(name: str) -> str:
    return (resources.files("bonemets_quiz") / "data" / name).read_text(encoding="utf-8")


def slugify(text: str) -> str:
    """Lower-case letters, digits and single dashes, as deck and fact ids must be."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug[:MAX_STEM].rstrip("-")


def new_deck_id(stem: str, rng: random.Random) -> str:
    """``<slug of the file name>-<random suffix>``: readable, and unlikely to clash with others'."""
    suffix = "".join(rng.choice(ID_ALPHABET) for _ in range(ID_SUFFIX))
    return f"{slugify(stem) or 'deck'}-{suffix}"


def title_from(stem: str) -> str:
    words = " ".join(re.sub(r"[-_.]+", " ", stem).split())
    return (words[:1].upper() + words[1:]) if words else "My deck"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def starter_deck(deck_id: str, title: str, file_name: str) -> str:
    """The starter deck's YAML. ``file_name`` only appears in the comments' example commands."""
    shown = shlex.quote(_printable(file_name))
    stem = shlex.quote(_printable(slugify(file_name.rsplit(".", 1)[0]) or "deck"))
    return (
        _template("starter-deck.yaml")
        .replace("@DECK_ID@", deck_id)
        .replace("@TITLE@", json.dumps(_printable(title), ensure_ascii=False))
        .replace("@FILE@", shown)
        .replace("@STEM@", stem)
    )


def deck_schema() -> str:
    """The JSON Schema of the deck format, as shipped."""
    return _template("deck.schema.json")
