"""Word forms that are one word: British/American spelling, plural/singular. Pure, no imports.

``word_key`` maps every form of a word to one key, applied to both the learner's answer and the
key, so "tumours", "tumor" and "tumour" compare equal. The rules are a compact, documented set,
not a dictionary: a key is not always a real word ("metastase"), it only has to be the same for
the forms of one word and different for different words.

Spelling (British → American, whole-word patterns only, so short words are left alone):

- ``ae`` → ``e`` inside a word of 6+ letters (anaemia, orthopaedic, haemorrhage, faecal);
- ``oe`` → ``e`` before a letter, in a word of 6+ letters (oedema, oesophagus, diarrhoea, foetus);
- ``-our`` → ``-or`` at the end of a word of 6+ letters, or before ``s``/``ed``/``ing`` (tumour);
- ``-ise``/``-ising``/``-ised``/``-isation`` → ``-ize…`` in words of 6+ letters (stabilise);
- ``-yse`` → ``-yze`` (analyse), ``-tre`` → ``-ter`` at the end (centre, litre);
- ``-elled``/``-elling`` → ``-eled``/``-eling`` in words of 8+ letters (travelled).

Plural → singular (nouns; applied to every word, consistently on both sides):

- ``-sis`` → ``-ses`` first, so "metastasis" and "metastases" share a key;
- ``-ies`` → ``-y`` (injuries); ``-sses``/``-shes``/``-ches``/``-xes``/``-zes`` lose ``es``
  (masses, branches; but "headaches" only loses ``s``);
- ``-ae`` → ``-a`` (vertebrae); a final ``s`` goes, except after ``s``, ``u`` or ``i``
  (ribs, lungs, scans; not pelvis, virus, mass).

Across word classes (``stem`` only, for matching words in any order): an adjective meets its
noun by a short list of endings (``_DERIVATIONS``: anaemic/anaemia, osteoporotic/osteoporosis,
metastatic/metastasis, incontinent/incontinence, fragility/fragile, inflammatory/inflammation,
confusional/confusion, cranial/cranium), checked against the English word list for false pairs;
a consonant doubled before -ing/-ed is undoubled (scanning/scan; not l, s, f, z: falling/fall).
(A lemmatizer such as lemminflect does not join word classes, and costs its import.)

(inflect would do the plurals, but importing it takes about 2 s: far more than a grade may cost.)
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPELLING = (
    (re.compile(r"(?<=\w)ae(?=\w)"), "e", 6),
    (re.compile(r"(?<=\w)oe(?=[a-z])|^oe(?=[a-z])"), "e", 6),
    (re.compile(r"our(?=s?$|ed$|ing$)"), "or", 6),
    (re.compile(r"is(?=e$|es$|ed$|ing$|ation$|ations$)"), "iz", 6),
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz", 5),
    (re.compile(r"tre(?=s?$)"), "ter", 5),
    (re.compile(r"ell(?=ed$|ing$)"), "el", 8),
)
_ES_ENDINGS = ("sses", "shes", "ches", "xes", "zes")
# Function words ignored when comparing the words of two answers in any order.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "into",
        "its",
        "their",
        "his",
        "her",
        "your",
    ]
)


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """The American spelling of a (lower-case) word, by the rules above."""
    for pattern, replacement, shortest in _SPELLING:
        if len(word) >= shortest:
            word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """One key for a word's spellings and its singular and plural."""
    word = spelling_key(word)
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("sis"):
        word = word[:-2] + "es"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_ES_ENDINGS) and not word.endswith("aches"):
        return word[:-2]
    if word.endswith("ae"):
        return word[:-1]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Words a learner wraps around an answer that change nothing: "they are rare", "I think
# marrow", "it's the spine", "quite rare", "calcium levels", "thyroid gland cancer". Dropped from
# an answer when the key lacks them (and what is left must still be the key).
FILLERS = frozenset(
    (
        *("i", "think", "guess", "maybe", "perhaps", "probably", "possibly"),
        *("it", "they", "them", "are", "is", "be", "was", "were"),
        *("very", "quite", "really", "fairly", "rather", "pretty", "extremely", "level", "levels"),
        *("believe", "suppose", "um", "uh", "erm", "hmm", "answer", "say", "would", "just"),
        *("er", "ehm", "hm", "ah", "oh", "ok", "okay", "well", "reckon", "could", "might"),
        *("called", "named", "known", "as", "something", "like", "kind", "sort", "so", "also"),
        # what is left of a contraction once its apostrophe goes: it's, they're, I'd, I'm, I'll
        *("s", "re", "d", "m", "ll", "ve", "im", "theyre", "thats", "that", "this"),
        *("definitely", "certainly", "still", "yet", "gland", "glands", "been", "has"),
        *("some", "more", "further", "additional"),  # "further tests"
        *("relatively", "comparatively", "somewhat", "most"),
    )
)
_DOUBLED = frozenset("bdgmnprt")  # consonants doubled before -ing/-ed (not l, s, f, z: "fall")
_STEM_SUFFIXES = (
    "ations",
    "ation",
    "ions",
    "ion",
    "ated",
    "ating",
    "ate",
    "ing",
    "ed",
    "ness",
    "ly",
    "e",
)


# Adjective → noun endings of one word (derivation), longest first; the root left must keep at
# least ``_ROOT`` letters: "anaemic" → "anaemia", "osteoporotic" → "osteoporosis",
# "metastatic" → "metastasis", "incontinent" → "incontinence", "fragility" → "fragile",
# "inflammatory" → "inflammation", "confusional" → "confusion", "cranial" → "cranium".
# (Narrow on purpose: "-ent" only after n, so "comment" never meets "commence"; "-atory" only
# after a root of 6, so "laboratory" never meets "labor".)
_DERIVATIONS = (
    ("atory", "ation", 6),
    ("ional", "ion", 4),
    ("ility", "ile", 4),
    ("otic", "ose", 4),  # the key of -osis
    ("atic", "ase", 4),  # the key of -asis
    ("nent", "nence", 4),
    ("ial", "ium", 4),
    ("ic", "ia", 4),
)


def derive(key: str) -> str:
    """A word key with an adjective's ending turned into its noun's (see ``_DERIVATIONS``)."""
    for ending, noun, root in _DERIVATIONS:
        if key.endswith(ending) and len(key) - len(ending) >= root:
            return key[: -len(ending)] + noun
    return key


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A looser key for matching words in any order, across word classes: "weakness" and
    "weak", "fixing" and "fixation", "constipated" and "constipation", "anaemic" and "anaemia"
    meet."""
    key = derive(word_key(word))
    for suffix in _STEM_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= (4 if suffix == "e" else 3):
            root = key[: -len(suffix)]
            if suffix in ("ing", "ed") and len(root) > 3 and root[-1] == root[-2] in _DOUBLED:
                return root[:-1]  # "scanning", "scanned" → "scan"
            return root
    return key
