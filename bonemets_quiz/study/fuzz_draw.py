"""fsrs's fuzz draw, made reproducible: the generator ``Scheduler`` routes fsrs's ``random`` to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import random


class Draw:
    """``random.Random(key).random`` for the review at hand (``start``), seeded only when fsrs
    draws (most reviews need no fuzz, and seeding from a string hashes it with SHA-512); one
    generator reseeded, not one made per review. A str seed gives the same numbers on every
    run and platform."""

    __slots__ = ("_generator", "_key", "_seeded")

    def __init__(self) -> None:
        self._key, self._seeded = "", False
        self._generator: random.Random | None = None  # made at the first draw

    def start(self, key: str) -> None:
        self._key, self._seeded = key, False

    def __call__(self) -> float:
        generator = self._generator
        if generator is None:
            import random

            generator = self._generator = random.Random(self._key)
            self._seeded = True
        elif not self._seeded:
            generator.seed(self._key)  # as ``random.Random(key)`` seeds itself
            self._seeded = True
        return generator.random()
