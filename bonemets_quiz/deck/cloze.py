"""The cloze grammar of deck text: ``{{hidden words|other accepted form}}`` in a statement, and the
``[...]`` blank that generated prompts show in their place. Plain text in, plain text out: the
loader validates with it, the generator fills it, lint and the front ends read it (no YAML here).
"""

from __future__ import annotations

import re

CLOZE = re.compile(r"\{\{(.*?)\}\}")  # one deletion; group 1: its forms, split by ``|``
ANKI_CLOZE_MARKUP = re.compile(r"\{\{|\}\}|::")  # what Anki would read as cloze markup
BLANK = "[...]"  # how generated prompts mark the hidden words


def deletions(text: str) -> list[tuple[str, ...]]:
    """Each deletion's accepted forms (stripped, empty ones dropped), in order."""
    return [
        tuple(form.strip() for form in match.group(1).split("|") if form.strip())
        for match in CLOZE.finditer(text)
    ]


def deletion_forms(text: str) -> list[str]:
    """Every form of every deletion, as written (unstripped)."""
    return [form for match in CLOZE.finditer(text) for form in match.group(1).split("|")]


def fill_cloze(text: str, blank: int | None = None, marker: str = BLANK) -> str:
    """The statement with every deletion filled in, except deletion number ``blank`` (1-based)."""
    counter = iter(range(1, 1_000_000))

    def replace(match: re.Match[str]) -> str:
        number = next(counter)
        return marker if number == blank else match.group(1).split("|")[0]

    return CLOZE.sub(replace, text)


def anki_cloze(text: str, number: int, answer: str) -> str:
    """The statement with deletion ``number`` as Anki's ``{{c1::answer}}``, the rest filled."""
    return fill_cloze(text, number, marker="\0").replace("\0", "{{c1::" + answer + "}}")


def grammar_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with a statement's deletions, and how to fix it; None when they are sound."""
    parts = CLOZE.findall(text)
    rest = CLOZE.sub("", text)
    if not parts:
        return (
            "a statement needs at least one {{cloze}} deletion",
            "wrap the key words in {{ }}, e.g. `are {{rare}}`",
        )
    if any(not part.strip(" |") for part in parts):
        return "a {{cloze}} deletion is empty", "put the hidden words inside {{ }}"
    if "{{" in rest or "}}" in rest:
        return "unbalanced {{ }} in text", "close every {{ with }}"
    if any("::" in part for part in parts):
        return (
            "a {{cloze}} deletion cannot contain ::",
            "Anki reads :: as a hint; reword the hidden words",
        )
    return None
