"""A GIFT reader written from Moodle's documentation of the format, for the export tests.

No maintained GIFT parser exists on PyPI (``pygiftparser`` was last released in 2017), so this
follows Moodle's documented rules, the ones its importer applies:

- questions are separated by blank lines; lines starting with ``//`` are comments;
- ``$CATEGORY: path`` switches the category of the questions after it;
- ``::name::`` before the text names the question;
- text may start with ``[plain]``, ``[html]``, ``[moodle]`` or ``[markdown]`` (its format);
- the answers sit between the first ``{`` and the first ``}``; when text follows the closing
  brace the question is in "missing word" form and the answers become a blank ``_____``;
- ``####`` inside the braces starts the general feedback; ``#`` after an answer its feedback;
- empty braces: essay; ``{#…}``: numerical; a ``~``: multiple choice (``=`` right, ``~`` wrong,
  ``~%50%`` a weight); ``=a -> b``: matching; ``T``/``TRUE``/``F``/``FALSE``: true/false;
  otherwise short answer, every ``=`` an accepted answer;
- ``\\~ \\= \\# \\{ \\} \\:`` and ``\\\\`` escape the special characters, ``\\n`` a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMATS = ("moodle", "html", "plain", "markdown")
_ESCAPES = {"\\:": "\ue000", "\\#": "\ue001", "\\=": "\ue002", "\\{": "\ue003", "\\}": "\ue004"}
_ESCAPES |= {"\\~": "\ue005", "\\n": "\ue006"}
_PLAIN = {"\ue000": ":", "\ue001": "#", "\ue002": "=", "\ue003": "{", "\ue004": "}"}
_PLAIN |= {"\ue005": "~", "\ue006": "\n"}
_WEIGHT = re.compile(r"^%(-?[0-9]{1,3}(?:\.[0-9]*)?)%")


class GiftError(ValueError):
    pass


@dataclass
class Answer:
    text: str
    fraction: float
    feedback: str = ""
    format: str = ""


@dataclass
class GiftQuestion:
    name: str
    qtype: str  # essay, multichoice, shortanswer, truefalse, numerical, match, description
    text: str
    format: str
    category: str
    general_feedback: str = ""
    answers: list[Answer] = field(default_factory=list)
    truth: bool | None = None
    missing_word: bool = False


def _hide_escapes(text: str) -> str:
    text = text.replace("\\\\", "\ue010")
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\ue010", "\\")


def _show(text: str) -> str:
    for placeholder, plain in _PLAIN.items():
        text = text.replace(placeholder, plain)
    return text.strip()


def _with_format(text: str) -> tuple[str, str]:
    match = re.match(r"\[(\w+)\]", text)
    if match and match.group(1) in FORMATS:
        return match.group(1), _show(text[match.end() :])
    return "", _show(text)


def _blocks(source: str) -> list[str]:
    blocks, current = [], []
    for line in source.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif not line.strip().startswith("//"):
            current.append(line)
    if current:
        blocks.append(current)
    return ["\n".join(block).strip() for block in blocks]


def parse_gift(source: str) -> list[GiftQuestion]:
    questions: list[GiftQuestion] = []
    category = ""
    for raw in _blocks(source):
        text = _hide_escapes(raw)
        if text.startswith("$CATEGORY:"):
            category = raw[len("$CATEGORY:") :].strip()
            continue
        questions.append(_question(text, category))
    return questions


def _question(text: str, category: str) -> GiftQuestion:
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(f"unclosed question name: {text[:60]!r}")
        name, text = _show(text[2:end]), text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        fmt, body = _with_format(text)
        return GiftQuestion(name, "description", body, fmt, category)
    if start < 0 or finish < start:
        raise GiftError(f"unbalanced braces in {name or text[:60]!r}")
    inside = text[start + 1 : finish].strip()
    missing_word = not text.endswith("}")
    body = text[:start] + ("_____" if missing_word else "") + text[finish + 1 :]
    fmt, shown = _with_format(body)
    inside, _, general = inside.rpartition("####") if "####" in inside else (inside, "", "")
    inside = inside.strip()
    question = GiftQuestion(name, "", shown, fmt, category, _with_format(general)[1])
    question.missing_word = missing_word
    _answers(question, inside)
    return question


def _answers(question: GiftQuestion, inside: str) -> None:
    if not inside:
        question.qtype = "essay"
    elif inside.startswith("#"):
        question.qtype = "numerical"
    elif "~" in inside:
        question.qtype = "multichoice"
        parts = [p.strip() for p in inside.replace("=", "~=").split("~")]
        question.answers = [_choice(p) for p in parts if p]
        if len(question.answers) < 2:
            raise GiftError(f"{question.name}: multiple choice needs two answers")
    elif "=" in inside and "->" in inside:
        question.qtype = "match"
    elif inside.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        question.qtype = "truefalse"
        question.truth = inside.split("#")[0].strip().startswith("T")
    else:
        question.qtype = "shortanswer"
        parts = [p.strip() for p in inside.split("=")]
        if parts and not parts[0]:
            parts = parts[1:]
        question.answers = [_typed(p) for p in parts]
        if not question.answers:
            raise GiftError(f"{question.name}: short answer needs an answer")


def _weighted(text: str, default: float) -> tuple[str, float]:
    match = _WEIGHT.match(text)
    if match:
        return text[match.end() :], float(match.group(1)) / 100
    return text, default


def _choice(part: str) -> Answer:
    if part.startswith("="):
        text, fraction = part[1:], 1.0
    else:
        text, fraction = _weighted(part, 0.0)
    text, _, feedback = text.partition("#")
    fmt, shown = _with_format(text.strip())
    return Answer(shown, fraction, _show(feedback), fmt)


def _typed(part: str) -> Answer:
    text, fraction = _weighted(part, 1.0)
    text, _, feedback = text.partition("#")
    fmt, shown = _with_format(text.strip())
    return Answer(shown, fraction, _show(feedback), fmt)
