"""Item-writing checks, after the exam boards' guides (NBME's *Constructing Written Test
Questions*): flaws that let a test-wise learner answer without knowing, or that mark a right
answer wrong.

Pure: a deck and its generated questions in, located warnings out. Every check is one pass over
the questions (indexes are built once), so a deck of 10,000 facts lints in linear time.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import islice
from math import exp, lgamma, log, log1p

from .errors import Problem
from .lint_locate import Locator
from .model import AuthoredQuestion, Deck, Fact, FactKind, ListItem, Question, QuestionKind
from .normalize import normalize
from .wording import option_letter


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


ABSOLUTES = _set(
    "all always never none every everyone everything nothing nobody only completely entirely "
    "totally absolutely invariably cannot impossible guaranteed exactly"
)
# A sentence that singles one thing out ("the most common site") has one right answer.
SINGLES_OUT = _set("most least commonest best worst main only first-line")
STOPWORDS = _set(
    "a an the of in on at to for from by with and or but not no is are was were be been being "
    "has have had do does did can may might will would should could which what who whom whose "
    "that this these those it its their them they there here as than then into onto one ones "
    "some any each other such about most more"
)
# Where a noun phrase's qualifiers start: its head noun is the last word before them.
QUALIFIER = re.compile(
    r"[(,;:]|\s(?:of|in|on|at|to|from|by|with|that|which|who|whose|where|for|below|above)\s"
)
BLANK = re.compile(r"\[\.\.\.\]|_{3,}|…")
WORD = re.compile(r"[\w']+")
NEAR = 40  # characters either side of a blank that hold the words next to it
SINGULAR_VERBS = _set("is was has does")
PLURAL_VERBS = _set("are were have do")
SAME_SET = 3  # questions sharing one set of wrong options before it is a flaw
POSITION_ALPHA = 0.01  # binomial test of the key's position, Bonferroni-corrected
OTHERS_TRIED = 3  # other items of an open list graded against a cloze (keeps the check linear)

K = QuestionKind


def lint_items(
    deck: Deck, questions: Sequence[Question], where: Locator | None = None
) -> list[Problem]:
    """Every item-writing problem of one deck."""
    where = where or Locator()
    places = _Places(where, {fact.id: fact for fact in deck.facts})
    return [
        *_absolute_cues(deck, questions, places),
        *_off_category(deck, where),
        *_repeated_option_sets(deck, questions, places),
        *_key_position(deck, questions, where),
        *_cueing_stems(deck, questions, places),
        *_open_blanks(deck, questions, places),
    ]


# ---------------------------------------------------------------------------- helpers


def _warn(deck: Deck, at: tuple[int, int], message: str, hint: str) -> Problem:
    return Problem(deck.path or "<deck>", at[0], at[1], message, hint, "warning")


@lru_cache(maxsize=1 << 14)  # a deck's few thousand words, asked for again and again
def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return normalize(text).split()


def _content(text: str) -> set[str]:
    """Content words, singular: what a clang association or a category is made of."""
    return set(_content_words(text))


@lru_cache(maxsize=1 << 14)  # options and prompts recur across a category's questions
def _content_words(text: str) -> frozenset[str]:
    return frozenset(_singular(w) for w in _words(text) if w not in STOPWORDS and len(w) > 2)


def _head(text: str) -> str:
    """The head noun of a noun phrase: its last word before a qualifier ('of …', '(…)')."""
    words = _words(QUALIFIER.split(f" {text} ")[0])
    return _singular(words[-1]) if words else ""


class _Places:
    """Where in the file a question's flawed part was written: the fact's distractors, false
    variant, list item, text or authored question. Item and question indexes are built once."""

    def __init__(self, where: Locator, facts: dict[str, Fact]) -> None:
        self.where, self.facts = where, facts
        self._indexes: dict[tuple[str, str], dict[str, int]] = {}

    def at(self, question: Question) -> tuple[int, int]:
        fact = self.facts[question.fact_id]
        key, index = self._place(question, fact)
        return self.where.fact(fact, key, index)

    def _index(self, fact: Fact, key: str, ident: str) -> int | None:
        table = self._indexes.get((fact.id, key))
        if table is None:
            entries: Sequence[ListItem | AuthoredQuestion] = fact.questions
            if key == "items":
                entries = fact.items
            table = {entry.id: n for n, entry in enumerate(entries)}
            self._indexes[(fact.id, key)] = table
        return table.get(ident)

    def _place(self, question: Question, fact: Fact) -> tuple[str | None, int | None]:
        if question.variant.startswith("q-"):
            return "questions", self._index(fact, "questions", question.variant[2:])
        if question.kind is K.TRUE_FALSE and question.variant.startswith("false-"):
            return "false_variants", int(question.variant.split("-")[1]) - 1
        if question.kind is K.MULTIPLE_CHOICE:
            return "distractors", None
        if fact.kind is FactKind.LIST:
            return "items", self._index(fact, "items", question.variant)
        if fact.kind is FactKind.STATEMENT:
            return "text", None
        return None, None


def _wrong_options(question: Question) -> list[str]:
    options = question.options or ()
    return [o for i, o in enumerate(options) if i != question.correct_option]


def _choice(question: Question) -> bool:
    return question.kind is K.MULTIPLE_CHOICE and bool(question.options)


# ---------------------------------------------------------------------------- absolute words


def _absolute_cues(deck: Deck, questions: Sequence[Question], places: _Places) -> Iterator[Problem]:
    """'never', 'always', 'all' … mostly in false statements teach 'absolute means false'."""
    true_words: dict[str, set[str]] = {}
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    false_ones: list[tuple[Question, set[str]]] = []
    for q in questions:
        if q.kind is not K.TRUE_FALSE:
            continue
        found = set(_words(q.prompt)) & ABSOLUTES
        truth = q.answer == "True"
        counts[truth].update(found)
        if truth:
            true_words[q.fact_id] = found
        elif found:
            false_ones.append((q, found))
    for q, found in false_ones:
        own = true_words.get(q.fact_id, set())
        cues = sorted(w for w in found - own if counts[True][w] < counts[False][w])
        if not cues:
            continue
        tally = ", ".join(f"{w!r} {counts[False][w]} false vs {counts[True][w]} true" for w in cues)
        yield _warn(
            deck,
            places.at(q),
            f"false statement {q.id!r} uses the absolute word(s) {tally} in the deck's "
            "true/false statements: learners learn that such words mean 'false'",
            "state the falsehood without the absolute word, or use such words in true "
            "statements as often",
        )


# ---------------------------------------------------------------------------- categories


def _kind_words(fact: Fact) -> set[str]:
    """The kind the stem announces and every key carries ('cancer'), if the fact shows one."""
    if fact.kind is FactKind.DEFINITION:
        genus = _head(fact.definition)
        heads = {_head(form) for form in (fact.term, *fact.aliases)}
        return {genus} if genus and genus in heads else set()
    if fact.kind is FactKind.LIST:
        kinds = _content(fact.prompt)
        for item in fact.items:
            kinds &= set().union(*(_content(t) for t in (item.text, *item.alternatives)))
        return kinds
    return set()


def _answer_owners(deck: Deck) -> dict[str, Fact]:
    """Terms, aliases, list items and contrast terms, each with the first fact teaching it."""
    owners: dict[str, Fact] = {}
    for fact in deck.facts:
        texts: list[str] = []
        if fact.kind is FactKind.DEFINITION:
            texts = [fact.term, *fact.aliases]
        elif fact.kind is FactKind.LIST:
            texts = [t for item in fact.items for t in (item.text, *item.alternatives)]
        elif fact.kind is FactKind.CONTRAST:
            texts = [side.term for side in fact.sides]
        for text in texts:
            owners.setdefault(normalize(text), fact)
    return owners


def _group(fact: Fact, other: Fact) -> tuple[str, str, str]:
    """What two facts are compared by: their categories when both have one, else their topics."""
    if fact.category and other.category:
        return "category", fact.category, other.category
    return "topic", fact.topic, other.topic


def _off_category(deck: Deck, where: Locator) -> Iterator[Problem]:
    """Authored wrong options that are not of the key's kind (non-cancers for a cancer)."""
    owners = _answer_owners(deck)
    for fact in deck.facts:
        kinds = _kind_words(fact)
        for index, distractor in enumerate(fact.distractors):
            at = where.fact(fact, "distractors", index)
            yield from _outsider(deck, fact, distractor, kinds, owners, at)
        for index, authored in enumerate(fact.questions):
            if not authored.options:
                continue
            keys = [_head(a) for a in (authored.answer, *authored.alternatives)]
            kinds = _content(authored.prompt) & set(keys)
            at = where.fact(fact, "questions", index)
            for option in authored.options:
                yield from _outsider(deck, fact, option, kinds, owners, at)


def _outsider(
    deck: Deck,
    fact: Fact,
    distractor: str,
    kinds: set[str],
    owners: dict[str, Fact],
    at: tuple[int, int],
) -> Iterator[Problem]:
    if kinds and not kinds & _content(distractor):
        kind = sorted(kinds)[0]
        yield _warn(
            deck,
            at,
            f"wrong option {distractor!r} of fact {fact.id!r} is not a {kind}: the question and "
            f"its answer are about a {kind}, so it is ruled out without knowing the answer",
            f"offer a plausible {kind} that is clearly wrong here",
        )
        return
    other = owners.get(normalize(distractor))
    if other is None or other.id == fact.id:
        return
    by, mine, theirs = _group(fact, other)
    if mine != theirs:
        yield _warn(
            deck,
            at,
            f"wrong option {distractor!r} of fact {fact.id!r} is taught by fact {other.id!r} "
            f"under {by} {theirs!r}, not {mine!r}: an option from another {by} is easy to rule out",
            f"offer a wrong answer of the same {by}",
        )


# ---------------------------------------------------------------------------- option sets


def _repeated_option_sets(
    deck: Deck, questions: Sequence[Question], places: _Places
) -> Iterator[Problem]:
    """The same wrong options on several questions: after one, the rest fall by elimination."""
    groups: dict[frozenset[str], list[Question]] = defaultdict(list)
    for q in questions:
        if _choice(q):
            groups[frozenset(normalize(o) for o in _wrong_options(q))].append(q)
    for group in groups.values():
        if len(group) < SAME_SET:
            continue
        first = group[0]
        shown = ", ".join(repr(o) for o in _wrong_options(first))
        ids = ", ".join(q.id for q in group[:4]) + (" …" if len(group) > 4 else "")
        yield _warn(
            deck,
            places.at(first),
            f"{len(group)} multiple-choice questions offer the same wrong options ({shown}): "
            f"{ids}; once they are known, the answers fall out by elimination",
            "give the fact more distractors than a question shows (each question picks "
            "3 of them), or write different options",
        )


# ---------------------------------------------------------------------------- key position


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space (n may be in the thousands)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    logs = [
        lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) + i * log(p) + (n - i) * log1p(-p)
        for i in range(k, n + 1)
    ]
    top = max(logs)
    return min(1.0, exp(top) * sum(exp(x - top) for x in logs))


def _key_position(deck: Deck, questions: Sequence[Question], where: Locator) -> Iterator[Problem]:
    """The right answer in one position far more often than chance (one-sided binomial test)."""
    by_size: dict[int, Counter[int]] = defaultdict(Counter)
    for q in questions:
        if _choice(q) and q.correct_option is not None and len(q.options or ()) > 1:
            by_size[len(q.options or ())][q.correct_option] += 1
    for size, positions in sorted(by_size.items()):
        total = sum(positions.values())
        for position, count in sorted(positions.items()):
            p = min(1.0, size * binomial_tail(count, total, 1 / size))  # Bonferroni: any position
            if p < POSITION_ALPHA:
                yield _warn(
                    deck,
                    where.deck_id(),
                    f"the right answer is option {option_letter(position)} in {count} of {total} "
                    f"multiple-choice questions with {size} options (chance: {total / size:.1f}; "
                    f"p = {p:.2g}): learners can guess by position",
                    "vary where the answer sits (authored options are sorted alphabetically: "
                    "vary the wording)",
                )


# ---------------------------------------------------------------------------- cueing stems


def _vowel_sound(text: str) -> bool:
    word = text.strip().split()[0] if text.strip() else ""
    if word.isupper() and len(word) > 1:  # an acronym is read letter by letter: "an MRI"
        return word[0] in "AEFHILMNORSX"
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "ur")):
        return False
    return lower.startswith(("a", "e", "i", "o", "u", "hour", "honest", "heir"))


def _plural(text: str) -> bool:
    words = _words(QUALIFIER.split(f" {text} ")[0])
    last = words[-1] if words else ""
    return _singular(last) != last or last in {"data", "criteria", "bacteria", "metastases"}


def _cueing_stems(deck: Deck, questions: Sequence[Question], places: _Places) -> Iterator[Problem]:
    for q in questions:
        cue = _choice_cue(q) if _choice(q) else _cloze_cue(q) if q.kind is K.CLOZE else None
        if cue:
            message, hint = cue
            yield _warn(deck, places.at(q), f"question {q.id!r} {message}", hint)


def _blank(prompt: str) -> tuple[int, int] | None:
    """Where the blank is: ``[...]``, ``___`` or ``…`` (plain finds: prompts can be long)."""
    starts = [i for i in (prompt.find(m) for m in ("[...]", "___", "…")) if i >= 0]
    if not starts:
        return None
    match = BLANK.match(prompt, min(starts))
    return (match.start(), match.end()) if match else None


def _before_blank(prompt: str) -> tuple[str, str]:
    """The word before the blank (or the stem's last word) and the word after it."""
    blank = _blank(prompt)
    if blank:
        start, end = blank
        before = prompt[max(0, start - NEAR) : start].split()
        after = WORD.findall(prompt[end : end + NEAR])
        return (before[-1].lower() if before else ""), (after[0].lower() if after else "")
    words = WORD.findall(prompt[-NEAR:])
    return (words[-1].lower() if words else ""), ""


def _choice_cue(q: Question) -> tuple[str, str] | None:
    key, wrong = q.answer, _wrong_options(q)
    clang = _content(key) & _content(q.prompt) - set().union(*(_content(o) for o in wrong))
    if clang:
        word = sorted(clang)[0]
        return (
            f"repeats the stem's word {word!r} in its answer {key!r} and in no wrong option: "
            "the echo gives the answer away",
            f"reword the stem, or offer wrong options that also mention {word!r}",
        )
    article, verb = _before_blank(q.prompt)
    if article in ("a", "an"):
        fits = [_vowel_sound(o) == (article == "an") for o in (key, *wrong)]
        if fits[0] and not all(fits[1:]):
            return (
                f"ends its stem with {article!r}, which fits the answer and not every wrong option",
                "put the article into the options ('an osteoclast'), or write 'a/an'",
            )
    if verb in SINGULAR_VERBS | PLURAL_VERBS:
        plural = verb in PLURAL_VERBS
        fits = [_plural(o) == plural for o in (key, *wrong)]
        if fits[0] and not all(fits[1:]):
            return (
                f"has {verb!r} after the blank, which agrees with the answer and not every wrong "
                "option",
                "make every option agree with the verb (all singular or all plural)",
            )
    return None


def _cloze_cue(q: Question) -> tuple[str, str] | None:
    article, _ = _before_blank(q.prompt)
    if article in ("a", "an") and _blank(q.prompt):
        return (
            f"has {article!r} just before its blank: it tells whether the answer starts with a "
            "vowel sound",
            "put the article inside the deletion ({{an osteoclast}}), or reword to the plural",
        )
    return None


# ---------------------------------------------------------------------------- open blanks


ItemIndex = dict[str, list[tuple[Fact, str, str]]]
LONGEST_ITEM = 8  # words: longer runs of a sentence are not looked up as list items


def _list_items(deck: Deck) -> ItemIndex:
    """Normalised item texts and alternatives → (list fact, item id, item text) having them."""
    index: ItemIndex = defaultdict(list)
    for fact in deck.facts:
        if fact.kind is FactKind.LIST:
            for item in fact.items:
                for text in {normalize(t) for t in (item.text, *item.alternatives)}:
                    index[text].append((fact, item.id, item.text))
    return index


def _items_named(words: list[str], index: ItemIndex) -> Iterator[tuple[Fact, str, str]]:
    """List items that a sentence names: every run of up to LONGEST_ITEM words, looked up."""
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + LONGEST_ITEM) + 1):
            yield from index.get(" ".join(words[start:end]), ())


def _open_blanks(deck: Deck, questions: Sequence[Question], places: _Places) -> Iterator[Problem]:
    """Clozes whose blank has several true answers and that accept only one of them."""
    items = _list_items(deck)
    for q in questions:
        if q.kind is not K.CLOZE:
            continue
        fact = places.facts[q.fact_id]
        if fact.kind is FactKind.LIST:
            found = _open_list_cloze(q, fact)
        elif fact.kind is FactKind.STATEMENT:
            found = _statement_on_list(q, items)
        else:
            found = None
        if found:
            message, hint = found
            yield _warn(deck, places.at(q), f"cloze {q.id!r} {message}", hint)


def _open_list_cloze(q: Question, fact: Fact) -> tuple[str, str] | None:
    """A blank on an item of an incomplete list: any other item (or unlisted one) is true too.
    Fine once the question accepts the other items (a "one example" question). Items the prompt
    already shows are no answer to "name one more", so only the hidden ones are tried."""
    from .grading import Mode, Verdict, answer_mode, grade

    if fact.complete or answer_mode(q) is not Mode.TYPE:
        return None  # a revealed answer is judged by the learner, who knows other items count
    shown = f" {normalize(q.prompt)} "
    hidden = (
        item
        for item in fact.items
        if item.id != q.variant and f" {normalize(item.text)} " not in shown
    )
    others = islice(hidden, OTHERS_TRIED)
    for other in others:
        result = grade(q, other.text)
        if result is not None and result.verdict in (Verdict.WRONG, Verdict.PARTIAL):
            return (
                f"blanks one example of an open list ({fact.id!r}, `complete: false`), yet "
                f"marks another true example, {other.text!r}, wrong",
                "ask for one example and accept every listed item, or say `complete: true` if "
                "the source's list is whole",
            )
    return None


def _states_relation(sentence: str, fact: Fact) -> bool:
    """The sentence says what the list says of its items (most of the prompt's words)."""
    wanted = _content(fact.prompt)
    return bool(wanted) and 2 * len(wanted & _content(sentence)) >= len(wanted)


def _statement_on_list(q: Question, items: ItemIndex) -> tuple[str, str] | None:
    """A statement's blank on a list item, where the list's other items would fit as well."""
    words = normalize(q.prompt).split()
    if SINGLES_OUT & set(words):
        return None
    for answer in q.accepted or (q.answer,):
        for other, item_id, _ in items.get(normalize(answer), ()):
            named = [t for f, i, t in _items_named(words, items) if f is other and i != item_id]
            if not named and (other.complete or not _states_relation(q.prompt, other)):
                continue
            why = (
                f"names {named[0]!r}, another item of the same list"
                if named
                else "is one example of an open list"
            )
            return (
                f"blanks {answer!r}, an item of list {other.id!r}; the sentence {why}, so the "
                "list's other items would fit the blank too",
                "single the item out (e.g. 'the most common …'), blank another word, or accept "
                "every item of the list",
            )
    return None
