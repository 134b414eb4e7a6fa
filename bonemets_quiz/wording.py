"""Small words every front end writes the same way: option letters and counted nouns."""

from __future__ import annotations


def option_letter(index: int) -> str:
    """The capital letter of the option at ``index`` (0-based): ``A``, ``B``, …"""
    return chr(ord("A") + index)


def noun(count: float, one: str, many: str | None = None) -> str:
    """``one`` for a count of exactly 1, else ``many`` (default: ``one`` + ``s``)."""
    return one if count == 1 else many if many is not None else one + "s"


def plural(count: int, one: str, many: str | None = None) -> str:
    """The count and its noun: ``1 question``, ``3 questions``, ``0 questions``."""
    return f"{count} {noun(count, one, many)}"
