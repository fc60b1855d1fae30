"""Typo tolerance: find the known word a mistyped word was meant to be.

A deletion index (the idea behind SymSpell) keeps this fast: every known word is
stored under itself and its one- or two-letter deletions, so a query word needs only
its own deletions looked up instead of an edit distance to every known word.
Candidates are confirmed with the true (optimal string alignment) edit distance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

# Shorter words have too many neighbours to guess safely: "kvar" is one letter from
# "klar", "sitta" one from "satta".
MIN_LENGTH = 6


# A five-letter word is corrected only by a letter it lacks ("knden" -> "kunden", "avslt" ->
# "avslut"): a dropped letter is the commonest slip on a phone, and guessing substitutions
# in words this short is not safe.
MIN_LENGTH_FOR_A_MISSING_LETTER = 5


# No word of these routines is longer ("installationochservice" has 22 letters); a longer
# string is no word to correct, and its deletions would cost time for nothing.
MAX_LENGTH = 30


def allowed_edits(word: str) -> int:
    """One slip in a word of six to eight letters, two in a longer one."""
    if len(word) < MIN_LENGTH or len(word) > MAX_LENGTH:
        return 0
    return 1 if len(word) <= 8 else 2


def _deletions(word: str, edits: int) -> set[str]:
    variants = {word}
    for count in range(1, edits + 1):
        for positions in combinations(range(len(word)), count):
            variants.add("".join(ch for i, ch in enumerate(word) if i not in positions))
    return variants


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two neighbouring letters ("nyckalr") each cost one."""
    previous_previous: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous_previous is not None
                and i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == char_b
            ):
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[len(b)]


class TypoCorrector:
    """Maps an unknown word to the closest known word, or None when none is close."""

    def __init__(self, known_words: Iterable[str], frequency: dict[str, int] | None = None):
        self._frequency = frequency or {}
        self._by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in set(known_words):
            for variant in _deletions(word, allowed_edits(word)):
                self._by_deletion[variant].add(word)

    def correct(self, word: str) -> str | None:
        edits = allowed_edits(word)
        if edits == 0:
            return self._with_missing_letter(word) if len(word) == MIN_LENGTH_FOR_A_MISSING_LETTER else None
        candidates: set[str] = set()
        for variant in _deletions(word, edits):
            candidates |= self._by_deletion.get(variant, set())
        best: tuple[int, int, int, str] | None = None
        for candidate in candidates:
            if candidate[0] != word[0] and candidate[:2] != word[1::-1]:
                # Slips at the very first letter are rare, but for two swapped first letters
                # ("rtygghetslarmet"); allowing them turns "vårdcentralen" into "larmcentralen".
                continue
            distance = edit_distance(word, candidate)
            if distance > min(edits, allowed_edits(candidate)) or distance == 0:
                continue
            # Closest first; then a longer shared beginning; then the more frequent word.
            rank = (distance, -_common_prefix(word, candidate), -self._frequency.get(candidate, 0), candidate)
            if best is None or rank < best:
                best = rank
        return best[3] if best else None


    def _with_missing_letter(self, word: str) -> str | None:
        """The most frequent known word that is `word` with one letter put back, or with two
        neighbouring letters swapped back ("epsot")."""
        found = [c for c in self._by_deletion.get(word, ()) if len(c) == len(word) + 1 and c[0] == word[0]]
        found += [swapped for swapped in _neighbour_swaps(word) if swapped in self._by_deletion.get(swapped, ())]
        return max(found, key=lambda c: (self._frequency.get(c, 0), c), default=None)


def _neighbour_swaps(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, the first letter kept."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)]


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for char_a, char_b in zip(a, b):
        if char_a != char_b:
            break
        length += 1
    return length
