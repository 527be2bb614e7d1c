"""When do two signal names differ by what looks like a typo?

Signal names are compared word by word. A name's words are what is left after splitting on ``-``,
``_``, ``.``, ``:``, ``/``, spaces and camelCase humps, lowercased: ``"user-created"``,
``"user_created"`` and ``"UserCreated"`` all have the words ``user, created``.

Two words are a *near miss* when they are one edit apart (insert, delete, replace or swap two
neighbours) and the shorter has at least 4 letters, or two edits apart and the shorter has at
least 6 letters (``sig``/``big`` are too short to tell a typo from another word); never when
they differ in their digits (``step1``/``step2`` are two names, not a typo). So ``bock``/``block``,
``crated``/``created`` and ``succeed``/``succeeded`` are near misses; ``init``/``edit``,
``login``/``logout`` and ``pre``/``post`` are not.

Two names are a near miss (:func:`names_near_miss`) when they have the same words but for case,
separators or word breaks (``user_created`` for ``user-created``), or the same number of words of
which one or two differ and every differing pair is a near miss.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s\-_.:/]+")
_HUMPS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_DIGITS = re.compile(r"\d+")
_MAX_DIFFERING_WORDS = 2
# A hint, not a verdict: how close a declared name must be to be offered as "did you mean".
_HINT_CUTOFF = 0.8


def words(text: str) -> list[str]:
    """``"templateBock-rendered"`` -> ``["template", "bock", "rendered"]``."""
    found: list[str] = []
    for part in _SEPARATORS.split(text):
        found.extend(piece.lower() for piece in _HUMPS.split(part) if piece)
    return found


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (Levenshtein plus swaps of neighbours), capped at
    ``limit``: anything further apart returns ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def words_near_miss(a: str, b: str) -> bool:
    """One word misspelt as the other (see the module docstring)."""
    if a == b or _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    shorter = min(len(a), len(b))
    distance = edit_distance(a, b)
    return (distance == 1 and shorter >= 4) or (distance == 2 and shorter >= 6)


def names_near_miss(a: str, b: str) -> bool:
    """Whether signal name ``a`` looks like a misspelling of ``b`` (or the other way round)."""
    if a == b:
        return False
    words_a, words_b = words(a), words(b)
    if not words_a or not words_b:
        return False
    if "".join(words_a) == "".join(words_b):
        return True  # case, separators or word breaks only
    if len(words_a) != len(words_b):
        return False
    differing = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    return len(differing) <= _MAX_DIFFERING_WORDS and all(words_near_miss(x, y) for x, y in differing)


def closest_near_miss(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most likely misspells, or None when none is a near miss."""
    near = [c for c in candidates if names_near_miss(name, c)]
    if not near:
        return None
    return max(sorted(near), key=lambda c: difflib.SequenceMatcher(None, name, c).ratio())


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A declared name to suggest for an undeclared one: a near miss, else the most similar name
    when it is similar enough to be worth showing."""
    pool = sorted(set(candidates) - {name})
    near = closest_near_miss(name, pool)
    if near is not None:
        return near
    folded = {"-".join(words(c)): c for c in pool}
    match = difflib.get_close_matches("-".join(words(name)), list(folded), n=1, cutoff=_HINT_CUTOFF)
    return folded[match[0]] if match else None


def declaration_mismatch(variable: str, name: str) -> tuple[str, str] | None:
    """The first pair of words in which a declaration's variable and signal name disagree by a
    typo, or None when they agree.

    Words both have are set aside; if one side has no word left, its words are all in the other
    (``user_logged_in`` / ``logged-in``) and they agree. Otherwise what is left must pair up, in
    order and one for one, as near misses: ``template_block_rendered`` / ``template-bock-rendered``
    gives ``("block", "bock")``. Anything else is two different words, not a typo: silence.
    """
    variable_words, name_words = words(variable), words(name)
    if not variable_words or not name_words or "".join(variable_words) == "".join(name_words):
        return None
    left_variable = list(variable_words)
    left_name: list[str] = []
    for word in name_words:
        if word in left_variable:
            left_variable.remove(word)
        else:
            left_name.append(word)
    if not left_variable or not left_name:
        return None
    if len(left_variable) != len(left_name) or len(left_name) > _MAX_DIFFERING_WORDS:
        return None
    pairs = list(zip(left_variable, left_name, strict=True))
    if all(words_near_miss(v, n) for v, n in pairs):
        return pairs[0]
    return None
