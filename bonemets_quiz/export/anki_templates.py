"""The note types' fields, card templates and stylesheet (plain data; ``anki.py`` builds models).

Templates need no JavaScript: a multiple-choice back marks the correct option through a class
built from the ``Correct`` field (``correct-2`` highlights the second ``<li>``). Field and template
names are part of Anki's schema: renaming one needs a new ``anki_ids.FORMAT_VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_OPTIONS = 8


class NoteKind(StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"
    CHOICE = "choice"
    TYPE_IN = "type-in"


@dataclass(frozen=True)
class NoteTypeSpec:
    kind: NoteKind
    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    is_cloze: bool = False


_EXTRAS = (
    '{{#Note}}<div class="note"><div class="label">Clinical note</div>{{Note}}</div>{{/Note}}\n'
    '{{#Source}}<div class="source"><span class="label">Source</span> {{Source}}</div>{{/Source}}'
)

BASIC = NoteTypeSpec(
    NoteKind.BASIC,
    "bonemets-quiz: Basic",
    ("Question", "Answer", "Note", "Source", "Id"),
    '<div class="prompt">{{Question}}</div>',
    '<div class="prompt">{{Question}}</div>\n<hr id="answer">\n'
    '<div class="answer">{{Answer}}</div>\n' + _EXTRAS,
)

CLOZE = NoteTypeSpec(
    NoteKind.CLOZE,
    "bonemets-quiz: Cloze",
    ("Text", "Note", "Source", "Id"),
    '<div class="prompt cloze-text">{{cloze:Text}}</div>',
    '<div class="prompt cloze-text">{{cloze:Text}}</div>\n<hr id="answer">\n' + _EXTRAS,
    is_cloze=True,
)

CHOICE = NoteTypeSpec(
    NoteKind.CHOICE,
    "bonemets-quiz: Multiple choice",
    ("Question", "Answer", "Correct", "Note", "Source", "Id"),
    '<div class="choice">{{Question}}</div>',
    '<div class="choice correct-{{Correct}}">{{Question}}</div>\n<hr id="answer">\n'
    '<div class="answer"><span class="label">Answer</span> {{Answer}}</div>\n' + _EXTRAS,
)

TYPE_IN = NoteTypeSpec(
    NoteKind.TYPE_IN,
    "bonemets-quiz: Type the answer",
    ("Question", "Answer", "Alternatives", "Note", "Source", "Id"),
    '<div class="prompt">{{Question}}</div>\n{{type:Answer}}',
    '<div class="prompt">{{Question}}</div>\n<hr id="answer">\n{{type:Answer}}\n'
    '{{#Alternatives}}<div class="alternatives"><span class="label">Also accepted</span> '
    "{{Alternatives}}</div>{{/Alternatives}}\n" + _EXTRAS,
)

NOTE_TYPES: dict[NoteKind, NoteTypeSpec] = {
    spec.kind: spec for spec in (BASIC, CLOZE, CHOICE, TYPE_IN)
}

_CORRECT_RULES = "\n".join(
    f".correct-{n} .options > li:nth-child({n}) {{ "
    "border-color: var(--ok); background: var(--ok-bg); font-weight: 600; }\n"
    f".correct-{n} .options > li:nth-child({n})::after "
    '{ content: "  ✓ correct"; color: var(--ok); }'
    for n in range(1, MAX_OPTIONS + 1)
)

# Pictures scale to the card's width; in night mode they sit on a light mat, so dark lines on a
# transparent background stay readable.
PICTURE_CSS = """
.picture { margin: 0.8em 0; break-inside: avoid; }
.picture img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.picture .caption { font-size: 0.8em; color: var(--muted); margin-top: 0.3em; text-align: center; }
.picture .credit { font-size: 0.7em; color: var(--muted); text-align: center; }
.source .picture { font-size: 1.333em; color: var(--fg); }
.source:has(> .picture) { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 0.3em; }
.source > .picture { order: -1; flex-basis: 100%; }
.nightMode .picture img, .night_mode .picture img, .card.nightMode .picture img {
  background: #fff; padding: 4px; border-radius: 4px;
}
"""


CSS = (
    """\
.card {
  --fg: #1f2328; --bg: #fbfbfa; --muted: #59636e; --line: #d0d7de;
  --accent: #0969da; --ok: #1a7f37; --ok-bg: #dafbe1; --note-bg: #fff8c5; --note-line: #d4a72c;
  --warn: #bc4c00;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.5; color: var(--fg); background: var(--bg);
  text-align: left; max-width: 40em; margin: 0 auto; padding: 1em 1.25em;
  overflow-wrap: break-word;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e6edf3; --bg: #1f2227; --muted: #9198a1; --line: #3d444d;
  --accent: #4493f8; --ok: #3fb950; --ok-bg: #12361f; --note-bg: #2e2a12; --note-line: #9e7a17;
  --warn: #f0883e;
}
.prompt, .choice { font-size: 1.1em; }
hr#answer { border: none; border-top: 1px solid var(--line); margin: 1em 0; }
.answer { font-weight: 600; }
.answer ul, .answer ol { font-weight: normal; margin: 0.25em 0; padding-left: 1.4em; }
.label {
  display: inline-block; font-size: 0.7em; font-weight: 600; letter-spacing: 0.04em;
  text-transform: uppercase; color: var(--muted); margin-right: 0.4em;
}
.cloze { font-weight: 700; color: var(--accent); }
.options { list-style: upper-alpha; padding-left: 2em; margin: 0.6em 0; }
.options > li {
  margin: 0.35em 0; padding: 0.3em 0.5em; border: 1px solid var(--line); border-radius: 6px;
}
.note {
  margin-top: 1em; padding: 0.6em 0.8em; background: var(--note-bg);
  border-left: 4px solid var(--note-line); border-radius: 4px; font-size: 0.9em;
}
.note .label { display: block; color: var(--fg); }
.alternatives { margin-top: 0.5em; font-size: 0.9em; }
.retired {
  margin-bottom: 0.8em; padding: 0.4em 0.6em; border: 1px solid var(--warn);
  border-radius: 4px; color: var(--warn); font-size: 0.8em; font-weight: 600;
}
.source { margin-top: 1em; font-size: 0.75em; color: var(--muted); }
.source .section { font-style: italic; }
#typeans { width: 100%; box-sizing: border-box; font-size: 1em; padding: 0.3em; }
@media (max-width: 600px) {
  .card { font-size: 18px; padding: 0.75em; }
  .options { padding-left: 1.6em; }
}
"""
    + _CORRECT_RULES
    + "\n"
    + PICTURE_CSS
)
