"""Grading: compare a learner's answer with a question. Pure functions, no I/O.

How each kind is answered (``answer_mode``):

- multiple choice and true/false are *chosen* (a number, a letter, t/f/y/n, or the option's text;
  when the options are themselves numbers or letters, by their text, never by position);
- reversed and list recall are *typed* and graded automatically;
- cloze, and an authored question without options, is *typed* when its answer is short (at most
  4 words and 40 characters: list items and the key words of a statement), otherwise *revealed*
  and rated by the learner, like basic questions, whose answers are sentences.

Typed answers (see ``answers``): RIGHT when the answer has the words of an accepted answer, an
``a|b`` alternative or a declared true extra, up to spelling (British/American), singular/plural,
word order, articles, spacing and the deck's vocabulary (synonyms, abbreviations); ALMOST when
the only difference is a typo (``typo``: adjacent swaps count as one edit; never a word that is
itself an English word or another term of the deck; an abbreviation in capitals with two letters
swapped, "MIR", and another language's ending, "biopsie", are slips too); WRONG otherwise. Also
RIGHT, by the rules of ``wordforms`` and ``answers``:

- an adjective for its noun ("anaemic" for anaemia, "incontinent", "osteoporotic", "metastatic":
  the endings listed in ``wordforms``), and "-ing"/"-ed" with a doubled consonant ("scanning");
- hedges and framing dropped ("I think it's the spine", "not sure – spine", "they're rare",
  "further tests", "not yet known"): filler words only, so "it's not rare" is still wrong, and
  hedges of several words go first, so "not sure, rare" is never read as "not rare"; a typo
  inside a hedge is still a typo ("I think it's the spien": almost);
- a cloze answer that repeats the words around the blank, within its clause ("leave bones
  fragile", "calcium in the blood"), graded without them; a true example the deck declares,
  placed in the body ("numbness in the legs"), is that example;
- a class noun that the question's answers or the entries its prompt lists name, as the
  answer's head ("skull bones", "bones of the skull", "bone scan test"), in list items too;
  never from a lead-in ("Cancers that spread to bone:": "breast bone" is wrong), never in the
  middle ("primary bone tumour" is not "primary tumour"); "gland" is a filler ("thyroid gland
  cancer");
- an abbreviation's plural ("MRIs", "CTs") and a clipped "-therapy" word ("chemo", "radio",
  "immuno", "physio": its stem ending in o).

Also:

- two accepted answers given together ("inflammation and swelling") count as the weaker one;
- a cloze answer that leaves out only words the question itself gives is ALMOST ("pain" where
  the list is of symptoms of bone metastasis and the key is "bone pain");
- a contrast's "A or B: which one …?" accepts any part of the right term that the other lacks
  ("primary" for "primary bone cancer"), as the bank declares (``Question.also_true``).

Lists (see ``list_answers``): the answer is split at commas, semicolons, slashes, new lines and
"and"; a phrase like "urinary and bowel incontinence" counts as its two items (the shared noun is
distributed), words may come in any order and form ("leg weakness" for "weakness in the legs or
arms"). Each item is matched by at most one answer; an answer repeated is counted once; on an
incomplete list ("not a complete list"), an answer the deck declares true (``also_true``) is never
penalised, and stands in for a source item the learner did not give (naming as many true examples
as the source lists is "almost": Hard, since the card's own list was not all recalled); any other
answer not in the list is an extra.

Verdicts and the rating they suggest (the learner may change it before it is saved):

====================================================  =========  ===========
what was typed                                        verdict    rating
====================================================  =========  ===========
an accepted answer (every item of a list)             right      Good
the same with a typo (in at least one item)           almost     Hard
some items: at least 75 % of the items, and at        partial    Hard
least 75 % of the answers given are in the list
some items, fewer than that, or mostly extras         partial    Again
nothing right                                         wrong      Again
Enter alone: the answer is shown                      revealed   Good (learner's choice)
====================================================  =========  ===========

Every grade carries a one-line ``explanation``: which answer matched what, or which rule refused.
"""

from __future__ import annotations

from ...deck.question import Question
from .choice import choice_hint, choice_keys, choice_labels, grade_choice, parse_choice
from .modes import Mode, answer_mode
from .text import (
    accepted_answers,
    close_enough,
    edit_distance,
    grade_list,
    grade_text,
    match_text,
    split_list,
)
from .verdicts import LIST_PASS, Grade, ItemResult, Verdict

__all__ = [
    "LIST_PASS",
    "Grade",
    "ItemResult",
    "Mode",
    "Verdict",
    "accepted_answers",
    "answer_mode",
    "choice_hint",
    "choice_keys",
    "choice_labels",
    "close_enough",
    "edit_distance",
    "grade",
    "grade_choice",
    "grade_list",
    "grade_text",
    "match_text",
    "parse_choice",
    "split_list",
]

# The matching modules (answers, typo, list_answers) are imported on the first typed answer,
# not on the way to the first question.


def grade(question: Question, answer: str) -> Grade | None:
    """Grade an answer; None when a choice question's answer names no option (ask again)."""
    if answer_mode(question) is Mode.CHOOSE:
        index = parse_choice(question, answer)
        return None if index is None else grade_choice(question, index)
    return grade_text(question, answer)
