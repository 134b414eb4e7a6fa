"""Matching one typed answer against the accepted ones: word forms, vocabulary, typos. Pure.

An answer is RIGHT when, after ``normalize`` and without articles, it has the same words as an
accepted answer once every word is reduced to its ``word_key`` (spelling, plural) and every phrase
the deck's vocabulary declares is replaced by its concept ("renal cell carcinoma" = "renal cell
cancer" when carcinoma and cancer are one concept); or the same content words in another order
("pain in the bones" = "bone pain"); spaces and hyphens do not count ("X-ray" = "xray").
It is ALMOST when each differing word is a typo of the accepted one (see ``typo``), comparing
with every form of every concept the accepted answer names. Anything else is WRONG, and the
match says which rule refused it.

Hedges of several words go first ("not sure", "at all": ``HEDGES``; one-word hedges and
contractions are ``FILLERS``). Before giving up, the answer is read again (``readings``): without
a gloss in brackets, with an abbreviation's plural made singular ("MRIs"); and, for an exact
match only, without filler words, the vocabulary looked up again ("not yet known" = "not
known"; a filler the key itself has stays), and with a clipped "-therapy" word written out
(``expansions``: "radio" → "radiotherapy"). A word typed in capitals that swaps two letters of
an abbreviation is a slip ("MIR" for MRI).
What the question itself gives (a class noun, the words around a blank) is in ``given_words``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from itertools import islice, product

from ...records import Record
from ...text.normalize import normalize
from ...text.typo import Check, odd_plural, swapped_letters, typo_of
from ...text.wordforms import FILLERS, STOPWORDS, stem, word_key

Vocabulary = tuple[tuple[str, ...], ...]  # concepts, each its forms (canonical term first)
WITHIN = "~"  # marks a form that stands for its concept only inside a longer answer
_ARTICLES = frozenset(("a", "an", "the"))
GLOSS = re.compile(r"\([^()]*\)?")
ABBREVIATION = re.compile(r"\b[A-Z]{2,5}\b")
PLURAL_ABBREVIATION = re.compile(r"\b([A-Z]{2,5})s\b")
# A clipped "-therapy" compound: "chemo", "radio", "immuno", "physio" (a stem of 3+ letters
# ending in the combining vowel o, as a word of its own).
CLIPPED = re.compile(r"\b([a-z]{3,}o)\b(?! ?therapy)")
# Hedges of more than one word, dropped before anything else ("not sure, spine", "none at
# all"): first, so that no word of a hedge is left to negate the answer ("not sure, rare").
HEDGES = re.compile(
    r"\b(?:(?:i['’]?m |i am )?(?:not|n['’]?t) (?:really |too |very |quite |totally )?sure"
    r"(?: but)?|i (?:do not|don['’]?t|dont) know(?: but)?|no idea(?: but)?|at all"
    r"|(?:i['’]?m |i am )?(?:pretty|quite|fairly|very|almost) sure(?: that)?"
    r"|i would say|i['’]?d say)\b",
    re.IGNORECASE,
)
_FILLER_STEMS = frozenset(stem(w) for w in FILLERS)
MAX_VARIANTS = 32  # surface forms of one accepted answer tried for typos


class Form(Record):
    """One answer, prepared for comparison."""

    text: str
    words: tuple[str, ...]  # normalised words, articles dropped
    keys: tuple[str, ...]  # word keys, vocabulary phrases replaced by their concept
    bag: frozenset[str]  # stems of the content words (concepts as one word)
    spans: tuple[tuple[int, int, int], ...]  # (start, end, concept) of each vocabulary phrase
    bags: frozenset[frozenset[str]] = frozenset()  # bags of words of its other forms


class Match(Record):
    verdict: str  # "right", "almost" or "wrong" (grading's Verdict values)
    why: str
    target: str = ""


class Lexicon:
    """A deck's vocabulary as a phrase table: word stems → (concept number, alone allowed)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        # surface forms for typos and word-order matching: never the within-only forms
        self.concepts = tuple(
            tuple(_words(f) for f in forms if f[:1] != WITHIN) for forms in vocabulary
        )
        self._variants: dict[str, list[tuple[str, ...]]] = {}
        self.table: dict[tuple[str, ...], tuple[int, bool]] = {}
        for number, forms in enumerate(vocabulary):
            for form in forms:
                keys = tuple(stem(w) for w in _words(form.removeprefix(WITHIN)))
                if keys:
                    self.table.setdefault(keys, (number, not form.startswith(WITHIN)))
        self.longest = max((len(k) for k in self.table), default=0)

    def form(self, text: str, longest: int | None = None) -> Form:
        """``text`` prepared; ``longest=1``: only one-word forms replaced (word by word)."""
        words = _words(text)
        stems = tuple(stem(w) for w in words)
        keys: list[str] = []
        spans: list[tuple[int, int, int]] = []
        i = 0
        while i < len(stems):
            for n in range(min(longest or self.longest, len(stems) - i), 0, -1):
                found = self.table.get(stems[i : i + n])
                if found is not None and (found[1] or n < len(stems)):
                    keys.append(f"§{found[0]}")
                    spans.append((i, i + n, found[0]))
                    i += n
                    break
            else:
                keys.append(word_key(words[i]))
                i += 1
        bag = frozenset(k if k.startswith("§") else stem(k) for k in keys if k not in STOPWORDS)
        return Form(text, words, tuple(keys), bag, tuple(spans))

    def word_bag(self, words: Sequence[str]) -> frozenset[str]:
        """Content words, each one-word concept replaced by the concept (word by word)."""
        bag: set[str] = set()
        for word in words:
            if word in STOPWORDS:
                continue
            key = stem(word)
            found = self.table.get((key,))
            bag.add(f"§{found[0]}" if found and (found[1] or len(words) > 1) else key)
        return frozenset(bag)

    def given(self, text: str) -> Form:
        """A learner's answer, prepared (with the bags of its words, see ``_given_bags``)."""
        form = self.form(text)
        return form._replace(bags=frozenset(_given_bags(self, form)))

    def variants(self, form: Form) -> list[tuple[str, ...]]:
        """The accepted answer's words with each vocabulary phrase in each of its forms."""
        if not form.spans:
            return [form.words]
        if form.text in self._variants:
            return self._variants[form.text]
        choices = [self.concepts[c] for _, _, c in form.spans]
        found: list[tuple[str, ...]] = [form.words]
        self._variants[form.text] = found
        for picked in islice(product(*choices), MAX_VARIANTS):
            words: list[str] = []
            last = 0
            for (start, end, _), replacement in zip(form.spans, picked, strict=True):
                words += [*form.words[last:start], *replacement]
                last = end
            candidate = (*words, *form.words[last:])
            if candidate not in found:
                found.append(candidate)
        return found


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in normalize(text).split() if w not in _ARTICLES)


def raw_bag(words: Sequence[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words if w not in STOPWORDS)


@lru_cache(maxsize=64)
def lexicon(vocabulary: Vocabulary) -> Lexicon:
    return Lexicon(vocabulary)


@lru_cache(maxsize=4096)
def prepared(texts: tuple[str, ...], vocabulary: Vocabulary) -> tuple[Form, ...]:
    table = lexicon(vocabulary)
    forms = [table.form(t) for t in texts]
    return tuple(f._replace(bags=_bags(table, f)) for f in forms if f.words)


def _bags(table: Lexicon, form: Form) -> frozenset[frozenset[str]]:
    """The content words of every surface form of an accepted answer, as they are and with
    one-word concepts replaced ("kidney ca" meets "kidney cancer" word by word)."""
    bags: set[frozenset[str]] = set()
    for words in table.variants(form):
        bags.add(raw_bag(words))
        if table.longest:
            bags.add(table.word_bag(words))
    return frozenset(bags - {frozenset()})


def _given_bags(table: Lexicon, given: Form) -> set[frozenset[str]]:
    bags = {given.bag, raw_bag(given.words)}
    if table.longest:
        bags.add(table.word_bag(given.words))
    return bags - {frozenset()}


def exact(given: Form, target: Form) -> str | None:
    """How ``given`` equals ``target`` (a reason), or None."""
    if _false_plural(given, target):
        return None
    how = _same(given, target)
    if (
        how is None
        and given.bag - _FILLER_STEMS in (target.bag, *target.bags)
        and given.bag & (target.bag | {w for bag in target.bags for w in bag})
    ):
        how = f"'{given.text.strip()}' = '{target.text}' (words around it change nothing)"
    return how


def _false_plural(given: Form, target: Form) -> bool:
    """Whether the answer has an English word ending in s that meets a word of the key only by
    its stem, and whose singular is not that word without its s ("testes" is no plural of
    "test", though an s and an e are dropped to compare): another word ("-ses" of "-sis" aside)."""
    own = {stem(w): word_key(w) for w in target.words}
    return any(
        w.endswith("s")
        and not w.endswith("ses")
        and own.get(stem(w), word_key(w)) != word_key(w)  # meets a key word only by its stem
        and odd_plural(w)
        for w in given.words
    )


def _same(given: Form, target: Form) -> str | None:
    if given.words == target.words:
        return f"'{given.text.strip()}' is an accepted answer"
    if given.keys == target.keys or "".join(given.keys) == "".join(target.keys):
        return f"'{given.text.strip()}' = '{target.text}' (same words, another form)"
    if "".join(given.words) == "".join(target.words):
        return f"'{given.text.strip()}' = '{target.text}' (spacing only)"
    if given.bag and (given.bag == target.bag or given.bags & target.bags):
        return f"'{given.text.strip()}' = '{target.text}' (same words in another order or form)"
    return None


def typo(
    given: Form, target: Form, table: Lexicon, near_misses: Collection[str]
) -> tuple[str | None, str | None]:
    """(how ``given`` is a typo of ``target``, why it is not): one of the two is None."""
    refusal: str | None = None
    for words in table.variants(target):
        if len(words) != len(given.words):  # words run together or split, and a typo
            joined, expected = "".join(given.words), "".join(words)
            close = len(expected) > 8 and abs(len(joined) - len(expected)) <= 2
            check = typo_of(joined, expected, near_misses) if close else None
            if check and check.ok:
                return f"a typo of '{target.text}' ({check.reason}, spacing aside)", None
            continue
        slips: list[str] = []
        capitals = _capitals(given.text)
        for g, e in zip(given.words, words, strict=True):
            if g == e or word_key(g) == word_key(e):
                continue
            check = typo_of(g, e, near_misses)
            if not check.ok and g in capitals and swapped_letters(g, e, near_misses):
                check = Check(True, "two letters of an abbreviation swapped")
            if not check.ok:
                if check.close and words == target.words:  # the key as written, not a variant
                    refusal = refusal or f"'{g}' is not a typo of '{e}': {check.reason}"
                break
            slips.append(f"'{g}' for '{e}' ({check.reason})")
        else:
            if slips:
                return f"a typo of '{target.text}': " + ", ".join(slips), None
    return None, refusal


def _capitals(text: str) -> frozenset[str]:
    """The words typed in capitals (abbreviations: "MIR", "TC"), lower-cased."""
    return frozenset(w.lower() for w in ABBREVIATION.findall(text))


def readings(given: str) -> list[str]:
    """Other readings of an answer, tried after it as typed: without a gloss in brackets
    ("calcium (Ca2+)"), an abbreviation's plural made singular ("MRIs")."""
    texts: list[str] = []
    if "(" in given:
        texts.append(GLOSS.sub(" ", given))
    if PLURAL_ABBREVIATION.search(given):
        texts.append(PLURAL_ABBREVIATION.sub(r"\1", given))
    return texts


def unhedged(given: str) -> str:
    """The answer without hedges of several words (see ``HEDGES``)."""
    return HEDGES.sub(" ", given)


def expansions(given: str) -> list[str]:
    """Clipped "-therapy" compounds written out ("radio" → "radiotherapy"): for an exact match
    only, never for typos ("marrwo" is no clipped word)."""
    text = normalize(given)
    return [CLIPPED.sub(r"\1therapy", text)] if CLIPPED.search(text) else []


def match(
    given: str,
    accepted: Sequence[str],
    vocabulary: Vocabulary = (),
    near_misses: Collection[str] = (),
) -> Match:
    """Grade one typed answer against the accepted ones (see the module docstring)."""
    table = lexicon(vocabulary)
    given = unhedged(given)
    answer = table.given(given)
    if not answer.words:
        return Match("wrong", "no answer given")
    targets = prepared(tuple(accepted), vocabulary)
    answers = [answer, *(f for f in map(table.given, readings(given)) if f.words)]
    typed = answers[-1]  # typos are looked for in the answer as typed (gloss and hedges aside)
    answers += [table.given(t)._replace(text=given) for t in expansions(given)]
    kept = {w for t in targets for w in t.words}  # "known" is no filler where the key has it
    content = [w for w in answer.words if w not in FILLERS or w in kept]
    if content and len(content) < len(answer.words):  # "not yet known": "not known" again
        answers.append(table.given(" ".join(content))._replace(text=given))
    for candidate in answers:
        for target in targets:
            why = exact(candidate, target)
            if why:
                return Match("right", why, target.text)
    found = near(typed, targets, table, near_misses)
    content = [w for w in typed.words if w not in FILLERS]
    if found.verdict == "wrong" and content and len(content) < len(typed.words):
        bare = near(table.given(" ".join(content)), targets, table, near_misses)
        if bare.verdict == "almost":  # "I think spien": the typo, hedges aside
            found = bare._replace(why=f"{bare.why} (the words around it aside)")
    return found


def near(
    answer: Form, targets: Sequence[Form], table: Lexicon, near_misses: Collection[str]
) -> Match:
    """ALMOST when ``answer`` is a typo of a target, else WRONG with the reason."""
    refusal: str | None = None
    for target in targets:
        how, why = typo(answer, target, table, near_misses)
        if how:
            return Match("almost", how, target.text)
        refusal = refusal or why
    return Match("wrong", refusal or f"'{answer.text.strip()}' is not an accepted answer")


def in_context(
    given: str, accepted: Sequence[str], context: str, vocabulary: Vocabulary = ()
) -> Match | None:
    """ALMOST when the answer is an accepted one without words the question itself gives
    ("pain" where the list is of symptoms of *bone* metastasis and the key is "bone pain"),
    and the words it does give are not all in the question (never a fragment it could copy)."""
    table = lexicon(vocabulary)
    answer = raw_bag(table.given(given).words)
    shown = raw_bag(_words(context))
    if not answer or answer <= shown:
        return None
    for target in prepared(tuple(accepted), vocabulary):
        missing = raw_bag(target.words) - answer
        if answer < raw_bag(target.words) and missing <= shown:
            left_out = " ".join(w for w in target.words if stem(w) in missing)
            why = f"'{given.strip()}' leaves out '{left_out}', which the question gives"
            return Match("almost", why, target.text)
    return None
