"""A typed list: split into answers, each matched to at most one item. Pure.

Splitting: at commas, semicolons, slashes and new lines, then at "and", "&", "+" and "or"
unless the joined phrase is itself an item or alternative ("head and neck cancer"). With no
separator at all, at spaces, when every word is a different item ("breast lung prostate").
A bracketed list after a noun shares it: "scans (bone, CT, MRI)" → "bone scans", "CT scans",
"MRI scans". An answer that matches no item borrows the shared word of its neighbour, as
coordinated phrases do: "urinary and bowel incontinence" → "urinary incontinence", "bowel
incontinence"; "weakness in the legs and arms" → "weakness in the legs", "weakness in the arms".
Items written with "or" accept each side the same way ("weakness in the legs or arms" accepts
"weak arms").

Matching: first every answer that equals an item (see ``answers.exact``), then answers that equal
a declared true extra (``also_true``), then typos of the items still missing; what is left is extra.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ...deck.question import Question
from ...records import Record
from ...text.normalize import normalize
from .answers import (
    Form,
    Lexicon,
    exact,
    expansions,
    lexicon,
    near,
    prepared,
    raw_bag,
    readings,
    unhedged,
)
from .given_words import without_class_noun

_SPLIT = re.compile(r"[,;\n/]+")
_AND = re.compile(r"(\s+(?:and|&|\+|or)\s+)", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
# "scans (bone, CT, MRI)", "incontinence (bladder + bowel)": one noun shared by a bracketed list
_BRACKETS = re.compile(r"\(([^()]*)\)")
_INNER = re.compile(r"\s*(?:[,;/+&]|\band\b)\s*", re.IGNORECASE)
_HEAD_END = re.compile(r"[,;\n/()][^,;\n/()]*$")


class ListOutcome(Record):
    found: dict[int, tuple[str, str]]  # item number → (verdict, the answer that matched it)
    extra: list[str]
    true_extra: list[str]
    notes: list[str]


def split_list(given: str, known: Sequence[str] = ()) -> list[str]:
    """A typed list → its answers (see the module docstring)."""
    return [piece for _, group in _groups(given, known) for piece in group]


def _groups(given: str, known: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each comma-separated part, and the answers in it."""
    names = {normalize(k) for k in known}
    # the most "and"-joined phrases a known answer spans: longer joins are never tried, which
    # keeps a long list linear (trying every join was cubic)
    longest = max((len(_AND.split(k)) // 2 + 1 for k in known), default=1)
    groups: list[tuple[str, list[str]]] = []
    for part in _SPLIT.split(_distribute(given) if "(" in given else given):
        tokens = _AND.split(part.strip())  # words at even indices, "and"s between them
        words = len(tokens) // 2 + 1
        pieces: list[str] = []
        start = 0
        while start < words:
            end = next(
                (
                    end
                    for end in range(min(words, start + longest) - 1, start, -1)
                    if normalize("".join(tokens[2 * start : 2 * end + 1])) in names
                ),
                start,
            )
            piece = "".join(tokens[2 * start : 2 * end + 1]).strip()
            if piece:
                pieces.append(piece)
            start = end + 1
        if pieces:
            groups.append((part.strip(), pieces))
    return groups


def _distribute(given: str) -> str:
    """ "scans (bone, CT)" → "bone scans, CT scans" (linear: no backtracking regex)."""
    out: list[str] = []
    last = 0
    for match in _BRACKETS.finditer(given):
        parts = [p for p in _INNER.split(match.group(1)) if p.strip()]
        before = given[last : match.start()]
        tail = _HEAD_END.search(before)
        cut = tail.start() + 1 if tail else 0
        head = before[cut:].strip()
        if len(parts) < 2 or not head:
            continue
        out += [before[:cut], ", ".join(f"{part} {head}" for part in parts)]
        last = match.end()
    return "".join([*out, given[last:]])


def _shared(group: list[str], j: int) -> list[str]:
    """Answer ``j`` completed with the words it shares with its neighbours."""
    out: list[str] = []
    if j + 1 < len(group) and len(words := normalize(group[j + 1]).split()) >= 2:
        out.append(f"{group[j]} {' '.join(words[1:])}")
    if j > 0 and len(words := normalize(group[j - 1]).split()) >= 2:
        out.append(f"{' '.join(words[:-1])} {group[j]}")
    return out


def item_targets(text: str, alternatives: Sequence[str]) -> tuple[str, ...]:
    """An item's accepted answers, each "x or y" phrase also read as its two sides."""
    found = [text, *alternatives]
    for phrase in (text, *alternatives):
        sides = _OR.split(phrase)
        if len(sides) != 2:
            continue
        left, right = sides[0].split(), sides[1].split()
        if len(right) == 1 and len(left) >= 2:  # weakness in the legs or arms
            found += [" ".join(left), " ".join([*left[:-1], *right])]
        elif len(left) == 1 and len(right) >= 2:  # urinary or bowel incontinence
            found += [" ".join([*left, *right[1:]]), " ".join(right)]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1024)
def _item_forms(question: Question) -> tuple[tuple[Form, ...], ...]:
    items = question.items or ()
    alternatives = question.item_alternatives or tuple(() for _ in items)
    return tuple(
        prepared(item_targets(item, alts), question.vocabulary)
        for item, alts in zip(items, alternatives, strict=False)
    )


def match_list(question: Question, given: str) -> ListOutcome:
    """Match each typed answer to an item, a declared true extra, or nothing."""
    items = question.items or ()
    table = lexicon(question.vocabulary)
    targets = _item_forms(question)
    true_forms = prepared(question.also_true, question.vocabulary)
    known = [t.text for forms in targets for t in forms]
    outcome = ListOutcome({}, [], [], [])
    prompt = raw_bag(table.form(question.prompt).words)
    pending: list[list[str]] = []
    groups = _spaced(given, targets, true_forms, table, items) or _groups(given, known)
    for part, group in groups:
        if len(group) > 1 and (  # "fixation with plates and screws" is one item, not two
            _exact([part], targets, true_forms, table, items, outcome)
            or _part([part], targets, table, items, outcome, prompt)
        ):
            continue
        for j, piece in enumerate(group):
            piece = unhedged(piece).strip() or piece
            candidates = [piece, *_shared(group, j)]
            # a gloss in brackets ("thyroid (all cancers)"), "MRIs", hedges, "chemo", "radio"
            candidates += [*readings(piece), *expansions(piece)]
            headless = without_class_noun(piece, "; ".join(known))  # "skull bones"
            candidates += [headless[0]] if headless else []
            if not _exact(candidates, targets, true_forms, table, items, outcome):
                pending.append(candidates)
    unmatched: list[tuple[list[str], str]] = []
    refused: dict[tuple[str, ...], str] = {}  # an answer repeated is tried once (long input)
    for candidates in pending:
        key = tuple(candidates)
        refusal = refused.get(key)
        if refusal is None:
            refusal = _near(candidates, targets, table, question.near_misses, items, outcome)
        if refusal is not None:
            refused[key] = refusal
            unmatched.append((candidates, refusal))
    _settle(unmatched, targets, table, items, outcome, prompt)
    return outcome


def _settle(
    unmatched: list[tuple[list[str], str]],
    targets: Sequence[Sequence[Form]],
    table: Lexicon,
    items: Sequence[str],
    outcome: ListOutcome,
    prompt: frozenset[str],
) -> None:
    """The answers no item took, even with a typo: a repeat is noted, one naming part of a
    missing item counts for it, the rest are extras (each with why it was refused)."""
    no_part: set[tuple[str, ...]] = set()
    for candidates, refusal in unmatched:
        if any(text == given for _, given in outcome.found.values() for text in candidates):
            outcome.notes.append(f"'{candidates[0]}' is repeated (counted once)")
            continue
        if tuple(candidates) in no_part:
            matched = False
        else:
            matched = _part(candidates, targets, table, items, outcome, prompt)
        if not matched:
            no_part.add(tuple(candidates))
            outcome.extra.append(candidates[0])
            outcome.notes.append(
                f"'{candidates[0]}' is not in the list" + (f" ({refusal})" if refusal else "")
            )


def _spaced(
    given: str,
    targets: Sequence[Sequence[Form]],
    true_forms: Sequence[Form],
    table: Lexicon,
    items: Sequence[str],
) -> list[tuple[str, list[str]]] | None:
    """Items typed with spaces only ("breast lung prostate"): one answer per word, but only when
    the whole is no item and every word is a different item or declared true example."""
    words = given.split()
    if len(words) < 2 or _SPLIT.search(given) or _AND.search(given):
        return None
    if _exact([given], targets, true_forms, table, items, ListOutcome({}, [], [], [])):
        return None
    trial = ListOutcome({}, [], [], [])
    for word in words:
        if not _exact([word], targets, true_forms, table, items, trial):
            return None
    if len(trial.found) + len(trial.true_extra) != len(words):
        return None  # a word repeated an item: not a list typed with spaces
    return [(word, [word]) for word in words]


def _exact(
    candidates: list[str],
    targets: Sequence[Sequence[Form]],
    true_forms: Sequence[Form],
    table: Lexicon,
    items: Sequence[str],
    outcome: ListOutcome,
) -> bool:
    for text in candidates:
        answer = table.given(text)
        if not answer.words:
            return True  # nothing typed between two commas
        order = sorted(range(len(targets)), key=lambda n: n in outcome.found)  # free items first
        for n in order:
            if any(exact(answer, form) for form in targets[n]):
                if n in outcome.found:
                    outcome.notes.append(f"'{text}' repeats '{items[n]}' (counted once)")
                else:
                    outcome.found[n] = ("right", text)
                    outcome.notes.append(f"'{text}' = {items[n]}")
                return True
        if any(exact(answer, form) for form in true_forms):
            outcome.true_extra.append(text)
            outcome.notes.append(f"'{text}' is true too, though not in the source's list")
            return True
    return False


def _near(
    candidates: list[str],
    targets: Sequence[Sequence[Form]],
    table: Lexicon,
    near_misses: Sequence[str],
    items: Sequence[str],
    outcome: ListOutcome,
) -> str | None:
    """Match a typo of a missing item; None when matched, else why not ('' if no reason)."""
    refusal = ""
    for text in candidates:
        answer = table.given(text)
        for n, forms in enumerate(targets):
            if n in outcome.found:
                continue
            result = near(answer, forms, table, near_misses)
            if result.verdict == "almost":
                outcome.found[n] = ("almost", text)
                outcome.notes.append(f"'{text}' ≈ {items[n]} ({result.why})")
                return None
            if not refusal and not result.why.endswith("not an accepted answer"):
                refusal = result.why
    return refusal


def _part(
    candidates: list[str],
    targets: Sequence[Sequence[Form]],
    table: Lexicon,
    items: Sequence[str],
    outcome: ListOutcome,
    prompt: frozenset[str],
) -> bool:
    """An answer in the words of one missing item only, fewer of them ("fixation" for
    "orthopaedic fixation with metal plates and screws"), once the others are matched."""
    free = [n for n in range(len(targets)) if n not in outcome.found]
    words = {n: {w for form in targets[n] for w in raw_bag(form.words)} for n in free}
    for text in candidates:
        bag = raw_bag(table.given(text).words)
        fits = [n for n in free if bag and bag <= words[n]]
        if len(fits) == 1 and any(  # a word of its own, not one the question gives ("bones")
            w not in prompt and all(w not in words[m] for m in free if m != fits[0]) for w in bag
        ):
            outcome.found[fits[0]] = ("right", text)
            outcome.notes.append(f"'{text}' = {items[fits[0]]} (in fewer words)")
            return True
    return False
