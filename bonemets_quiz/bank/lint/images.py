"""Lint for pictures: alt text that only repeats the file name says nothing to a screen reader."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ...deck.locate import Locator
from ...deck.model import Deck, Image
from ...errors import Problem

_WORDS = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> str:
    return " ".join(_WORDS.split(text.casefold())).strip()


def repeats_file_name(image: Image) -> bool:
    """True when the alt text is the file name (with or without its folder or extension)."""
    alt = _words(image.alt)
    name = os.path.basename(image.file)
    return alt in {_words(image.file), _words(name), _words(os.path.splitext(name)[0])}


def alt_text_warnings(deck: Deck, where: Locator) -> Iterator[Problem]:
    for fact in deck.facts:
        images = [fact.image, *(q.image for q in fact.questions)]
        for image in dict.fromkeys(i for i in images if i is not None):
            if repeats_file_name(image):
                line, column = where.fact(fact)
                yield Problem(
                    deck.path or "<deck>",
                    line,
                    column,
                    f"the alt text of picture {image.file!r} only repeats its file name",
                    'say in words what the picture shows, e.g. `alt: "X-ray: lytic lesion of '
                    'the femur"`',
                    "warning",
                )
